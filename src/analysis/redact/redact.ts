/**
 * Finding and redacting sensitive text in a document: secrets (secretlint's recommended preset plus own patterns),
 * personal data, and an organisation's own terms. Pure: strings in, findings and strings out.
 */
import {
  findAssignments,
  findAuthHeaders,
  findCurlUserPasswords,
  findJwts,
  findPrivateKeys,
  findUrlPasswords,
} from './credentials.js';
import { findCards, findEmails, findIpAddresses, findPhones } from './personal.js';
import { findWithSecretlint } from './secretlint.js';
import { findBlockValues, findNamedValues } from './structured.js';
import { findTokens } from './tokens.js';
import type { Candidate, Finding, RedactOptions, RedactResult } from './types.js';

/** Kinds that are personal data rather than credentials. */
export const PERSONAL_KINDS: ReadonlySet<string> = new Set(['email', 'phone', 'payment-card', 'ip-address']);

export type FindingCategory = 'secret' | 'personal' | 'term';

export function categoryOf(finding: Pick<Finding, 'kind' | 'rule'>): FindingCategory {
  if (finding.rule?.startsWith('term:')) return 'term';
  return PERSONAL_KINDS.has(finding.kind) ? 'personal' : 'secret';
}

const PROPAGATED_PRIORITY = 10;
/** Shorter values are too likely to occur by chance elsewhere in the document. */
const MIN_PROPAGATED_LENGTH = 8;
/**
 * Each propagated value is one scan of the whole text; a document with more distinct secrets than this (a dump,
 * not a postmortem) gets the first ones propagated, so time stays linear in its length.
 */
const MAX_PROPAGATED_VALUES = 64;

/** Overlapping candidates become one span covering all of them, named after the highest-priority one. */
export function mergeCandidates(candidates: readonly Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Candidate[] = [];
  for (const next of sorted) {
    const last = merged[merged.length - 1];
    if (last && next.start < last.end) {
      const end = Math.max(last.end, next.end);
      const winner = next.priority > last.priority ? next : last;
      merged[merged.length - 1] = { ...winner, start: last.start, end };
    } else {
      merged.push({ ...next });
    }
  }
  return merged;
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Every other place a found secret value occurs, as whole tokens. */
function propagate(text: string, found: readonly Candidate[]): Candidate[] {
  const extra: Candidate[] = [];
  const seen = new Set<string>();
  for (const candidate of found) {
    if (candidate.rule.startsWith('term:') || PERSONAL_KINDS.has(candidate.kind)) continue;
    const value = text.slice(candidate.start, candidate.end);
    if (value.length < MIN_PROPAGATED_LENGTH || seen.has(value)) continue;
    if (seen.size >= MAX_PROPAGATED_VALUES) break;
    seen.add(value);
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
      if (isWordChar(value[0]) && isWordChar(text[at - 1])) continue;
      if (isWordChar(value[value.length - 1]) && isWordChar(text[at + value.length])) continue;
      extra.push({
        kind: candidate.kind,
        start: at,
        end: at + value.length,
        rule: 'propagated',
        priority: PROPAGATED_PRIORITY,
      });
    }
  }
  return extra;
}

/** Start offset of every line, for turning offsets into 1-based line and column numbers. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

function locate(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}

/**
 * Finds secrets, personal data and organisation terms in `text`. Findings are sorted, never overlap, and carry
 * offsets into `text` with 1-based line and column numbers.
 *
 * @example
 * await findSensitive('DB_PASSWORD=Tr0ub4dor&3 owner: ana@example.com');
 * // [{ kind: 'password', line: 1, column: 13, start: 12, end: 23, text: 'Tr0ub4dor&3', rule: 'pattern:assignment' },
 * //  { kind: 'email', line: 1, column: 32, start: 31, end: 46, text: 'ana@example.com', rule: 'pattern:email' }]
 */
export async function findSensitive(text: string, options: RedactOptions = {}): Promise<Finding[]> {
  const secrets = options.detect?.secrets ?? true;
  const personal = options.detect?.personal ?? true;
  const terms = options.terms ?? [];
  const candidates: Candidate[] = await findWithSecretlint(text, { secrets, terms });
  if (secrets) {
    candidates.push(
      ...findPrivateKeys(text),
      ...findTokens(text),
      ...findJwts(text),
      ...findUrlPasswords(text),
      ...findAuthHeaders(text),
      ...findCurlUserPasswords(text),
      ...findAssignments(text),
      ...findNamedValues(text),
      ...findBlockValues(text),
    );
  }
  if (personal) {
    candidates.push(
      ...findEmails(text),
      ...findPhones(text),
      ...findCards(text),
      ...findIpAddresses(text, options.redactPrivateIps ?? false),
    );
  }
  const allowed = new Set(options.allow ?? []);
  const kept = allowed.size > 0 ? candidates.filter((c) => !allowed.has(text.slice(c.start, c.end))) : candidates;
  let merged = mergeCandidates(kept);
  if (options.propagate ?? true) {
    const extra = propagate(text, merged).filter((c) => !allowed.has(text.slice(c.start, c.end)));
    if (extra.length > 0) merged = mergeCandidates([...merged, ...extra]);
  }
  const starts = lineStarts(text);
  return merged.map((c) => ({
    kind: c.kind,
    ...locate(starts, c.start),
    start: c.start,
    end: c.end,
    text: text.slice(c.start, c.end),
    rule: c.rule,
  }));
}

/**
 * Replaces each finding with `[REDACTED:<kind>]`. Within one document the same text always gets the same
 * placeholder; the second distinct value of a kind is `[REDACTED:<kind>-2]`, the third `-3`, in order of first
 * appearance. Findings must not overlap (as `findSensitive` returns them); a caller may pass a subset, e.g. without
 * the ones a reviewer waived.
 *
 * @example
 * applyRedactions('a@x.io b@x.io a@x.io', findings); // '[REDACTED:email] [REDACTED:email-2] [REDACTED:email]'
 */
export function applyRedactions(text: string, findings: readonly Pick<Finding, 'kind' | 'start' | 'end'>[]): string {
  const placeholders = new Map<string, string>();
  const counts = new Map<string, number>();
  const ordered = [...findings].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const finding of ordered) {
    if (finding.start < at) continue;
    const value = text.slice(finding.start, finding.end);
    let placeholder = placeholders.get(value);
    if (placeholder === undefined) {
      const n = (counts.get(finding.kind) ?? 0) + 1;
      counts.set(finding.kind, n);
      placeholder = n === 1 ? `[REDACTED:${finding.kind}]` : `[REDACTED:${finding.kind}-${n}]`;
      placeholders.set(value, placeholder);
    }
    out += text.slice(at, finding.start) + placeholder;
    at = finding.end;
  }
  return out + text.slice(at);
}

/**
 * Finds and replaces everything sensitive in `text`.
 *
 * @example
 * const { redacted } = await redact('export GITHUB_TOKEN=ghp_…');
 */
export async function redact(text: string, options: RedactOptions = {}): Promise<RedactResult> {
  const findings = await findSensitive(text, options);
  return { redacted: applyRedactions(text, findings), findings };
}
