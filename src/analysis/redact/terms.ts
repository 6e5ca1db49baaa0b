/**
 * Organisation-defined terms: customer names, internal host names, project code names. A terms file is JSON, either
 * an array of definitions or `{ "terms": [...] }`:
 *
 * ```json
 * { "terms": [
 *   { "kind": "customer", "values": ["Acme Corp", "Globex"] },
 *   { "kind": "internal-host", "pattern": "\\w+\\.corp\\.example\\.com" }
 * ] }
 * ```
 *
 * Terms are matched by @secretlint/secretlint-rule-pattern in the same pass as the secret rules.
 */
import type { TermDefinition } from './types.js';

export const TERM_PRIORITY = 30;

/** A terms file that cannot be used, with the path of the offending field (`terms[1].pattern`). */
export class InvalidTermsError extends Error {
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'InvalidTermsError';
    this.path = path;
  }
}

const KIND = /^[a-z][a-z0-9-]{0,39}$/;

const escapeRegExp = (value: string): string => value.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** Compiles a pattern the way the pattern rule will (`u` flag), refusing ones that are invalid or match nothing. */
function checkPattern(pattern: string, path: string): void {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch (error) {
    throw new InvalidTermsError(path, `not a valid regular expression (${(error as Error).message})`);
  }
  if (re.test('')) throw new InvalidTermsError(path, 'matches the empty string');
}

/**
 * Validates parsed JSON as term definitions.
 *
 * @example
 * parseTerms({ terms: [{ kind: 'customer', values: ['Acme Corp'] }] });
 * // [{ kind: 'customer', values: ['Acme Corp'] }]
 */
export function parseTerms(json: unknown): TermDefinition[] {
  const list: unknown =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { terms?: unknown }).terms : json;
  const root = Array.isArray(json) ? '' : 'terms';
  if (!Array.isArray(list)) throw new InvalidTermsError(root || '(root)', 'must be an array of term definitions');
  return list.map((item: unknown, index): TermDefinition => {
    const path = `${root}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InvalidTermsError(path, 'must be an object with "kind" and "values" or "pattern"');
    }
    const { kind, values, pattern, caseSensitive } = item as Record<string, unknown>;
    if (typeof kind !== 'string' || !KIND.test(kind)) {
      throw new InvalidTermsError(`${path}.kind`, 'must be lowercase letters, digits and dashes, e.g. "customer"');
    }
    const definition: TermDefinition = { kind };
    if (values !== undefined) {
      if (!Array.isArray(values) || values.some((v) => typeof v !== 'string' || v.trim() === '')) {
        throw new InvalidTermsError(`${path}.values`, 'must be an array of non-empty strings');
      }
      definition.values = (values as string[]).map((v) => v.trim());
    }
    if (pattern !== undefined) {
      if (typeof pattern !== 'string' || pattern === '') {
        throw new InvalidTermsError(`${path}.pattern`, 'must be a non-empty string');
      }
      checkPattern(pattern, `${path}.pattern`);
      definition.pattern = pattern;
    }
    if (definition.values === undefined && definition.pattern === undefined) {
      throw new InvalidTermsError(path, 'needs "values" or "pattern"');
    }
    if (caseSensitive !== undefined) {
      if (typeof caseSensitive !== 'boolean')
        throw new InvalidTermsError(`${path}.caseSensitive`, 'must be true or false');
      definition.caseSensitive = caseSensitive;
    }
    return definition;
  });
}

/** Word edges that also work for terms starting or ending with punctuation or non-Latin letters. */
const BEFORE = String.raw`(?<![\p{L}\p{N}_])`;
const AFTER = String.raw`(?![\p{L}\p{N}_])`;

export interface TermPattern {
  name: string;
  patterns: string[];
}

/**
 * The pattern rule's configuration for a list of terms: one named pattern group per kind, written as
 * RegExp-like strings (`/source/flags`). Values become one alternation with word edges, longest first.
 */
export function termPatterns(terms: readonly TermDefinition[]): TermPattern[] {
  const byKind = new Map<string, string[]>();
  for (const term of terms) {
    const flags = term.caseSensitive ? '' : 'i';
    const patterns = byKind.get(term.kind) ?? [];
    if (term.values && term.values.length > 0) {
      const alternatives = [...new Set(term.values)].sort((a, b) => b.length - a.length).map(escapeRegExp);
      patterns.push(`/${BEFORE}(?:${alternatives.join('|')})${AFTER}/${flags}`);
    }
    if (term.pattern) patterns.push(`/${term.pattern}/${flags}`);
    byKind.set(term.kind, patterns);
  }
  return [...byKind].map(([name, patterns]) => ({ name, patterns }));
}
