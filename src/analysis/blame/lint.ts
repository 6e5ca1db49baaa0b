/**
 * `lintPostmortem`: blame language in a markdown postmortem, as findings with rule ids, positions and rewrite
 * advice. Pure: a function of its arguments, no I/O.
 */
import { analyzeSentence } from './detect.js';
import { escapeRegExp } from './lexicon.js';
import { peopleNamedIn } from './people.js';
import { lineIndexAt, lineStarts, proseSegments, sentencesOf } from './prose.js';
import { RULES } from './rules.js';
import { RULE_IDS, SEVERITIES, type Finding, type LintOptions, type RuleId, type Severity } from './types.js';

/** A configuration the linter cannot use: an unknown rule, a severity that does not exist, a malformed allowlist. */
export class LintConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LintConfigError';
  }
}

interface Resolved {
  enabled: Set<RuleId>;
  severity: Record<RuleId, Severity>;
  allow: RegExp | null;
}

function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/**
 * Checks a configuration read from outside (a JSON file, a request body) and returns it typed.
 *
 * @example
 * parseLintOptions({ rules: { 'root-cause': { enabled: false } }, allow: ['Simply'] });
 * parseLintOptions({ rules: { 'no-such-rule': {} } }); // throws LintConfigError
 */
export function parseLintOptions(value: unknown): LintOptions {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new LintConfigError('configuration must be an object');
  const { rules, allow, ...rest } = value as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length)
    throw new LintConfigError(`unknown configuration key "${unknownKeys[0]}"; expected rules, allow`);
  const options: LintOptions = {};
  if (rules !== undefined) {
    if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
      throw new LintConfigError('"rules" must be an object of rule id to { enabled, severity }');
    }
    options.rules = {};
    for (const [id, setting] of Object.entries(rules)) {
      if (!isRuleId(id)) throw new LintConfigError(`unknown rule "${id}"; rules are ${RULE_IDS.join(', ')}`);
      if (typeof setting !== 'object' || setting === null || Array.isArray(setting)) {
        throw new LintConfigError(`rules.${id} must be an object with "enabled" and/or "severity"`);
      }
      const { enabled, severity, ...extra } = setting as Record<string, unknown>;
      const extraKey = Object.keys(extra)[0];
      if (extraKey !== undefined)
        throw new LintConfigError(`rules.${id}: unknown key "${extraKey}"; expected enabled, severity`);
      if (enabled !== undefined && typeof enabled !== 'boolean')
        throw new LintConfigError(`rules.${id}.enabled must be true or false`);
      if (severity !== undefined && !isSeverity(severity)) {
        throw new LintConfigError(`rules.${id}.severity must be one of ${SEVERITIES.join(', ')}`);
      }
      options.rules[id] = {
        ...(enabled !== undefined ? { enabled } : {}),
        ...(severity !== undefined ? { severity } : {}),
      };
    }
  }
  if (allow !== undefined) {
    if (!Array.isArray(allow) || !allow.every((entry) => typeof entry === 'string')) {
      throw new LintConfigError('"allow" must be a list of words or phrases');
    }
    options.allow = allow;
  }
  return options;
}

function resolve(options: LintOptions): Resolved {
  const checked = parseLintOptions(options);
  const enabled = new Set<RuleId>();
  const severity = {} as Record<RuleId, Severity>;
  for (const id of RULE_IDS) {
    const setting = checked.rules?.[id];
    if (setting?.enabled !== false) enabled.add(id);
    severity[id] = setting?.severity ?? RULES[id].defaultSeverity;
  }
  const phrases = (checked.allow ?? []).map((phrase) => phrase.trim()).filter((phrase) => phrase !== '');
  const allow = phrases.length
    ? new RegExp(
        `(?<![\\w'])(?:${phrases.map((phrase) => escapeRegExp(normalize(phrase)).replace(/\s+/g, '\\s+')).join('|')})(?![\\w])`,
        'gi',
      )
    : null;
  return { enabled, severity, allow };
}

/** Straight quotes and plain spaces, with the length unchanged so offsets still line up. */
function normalize(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u2010\u2011]/g, '-');
}

const RULE_ORDER = new Map(RULE_IDS.map((id, index) => [id, index]));

/**
 * Blame language in a markdown postmortem. Only prose is read: code, link targets and text, HTML and quoted log
 * output are skipped. Findings are sorted by position.
 *
 * @example
 * lintPostmortem('The root cause was human error: Bob forgot to renew the certificate.');
 * // [
 * //   { ruleId: 'root-cause', severity: 'info', line: 1, column: 1, text: 'The root cause was', … },
 * //   { ruleId: 'human-error', severity: 'error', line: 1, column: 20, text: 'human error', … },
 * //   { ruleId: 'person-as-cause', severity: 'error', line: 1, column: 33, text: 'Bob forgot', … },
 * // ]
 */
export function lintPostmortem(markdown: string, options: LintOptions = {}): Finding[] {
  const config = resolve(options);
  if (config.enabled.size === 0) return [];
  const segments = proseSegments(markdown);
  const knownPeople = peopleNamedIn(segments.map((segment) => normalize(segment.text)));
  const starts = lineStarts(markdown);
  const located: { start: number; end: number; finding: Finding }[] = [];

  for (const segment of segments) {
    for (const sentence of sentencesOf(segment)) {
      let text = normalize(sentence.text);
      if (config.allow) text = text.replace(config.allow, (phrase) => phrase.replace(/\S/g, 'x'));
      for (const match of analyzeSentence(text, knownPeople, config.enabled)) {
        const offsets = segment.offsets;
        const start = offsets[sentence.start + match.start] ?? 0;
        const last = offsets[sentence.start + match.end - 1] ?? start;
        const end = Math.max(start + 1, last + 1);
        const flagged = markdown.slice(start, end);
        const startLine = lineIndexAt(starts, start);
        const endLine = lineIndexAt(starts, end - 1);
        const rule = RULES[match.ruleId];
        located.push({
          start,
          end,
          finding: {
            ruleId: match.ruleId,
            severity: config.severity[match.ruleId],
            message: rule.message(flagged),
            line: startLine + 1,
            column: start - (starts[startLine] ?? 0) + 1,
            endLine: endLine + 1,
            endColumn: end - (starts[endLine] ?? 0) + 1,
            text: flagged,
            suggestion: match.suggestion ?? rule.suggestion,
          },
        });
      }
    }
  }

  located.sort(
    (a, b) =>
      a.start - b.start ||
      (RULE_ORDER.get(a.finding.ruleId) ?? 0) - (RULE_ORDER.get(b.finding.ruleId) ?? 0) ||
      b.end - a.end,
  );
  // One finding per rule for overlapping text: the first and longest.
  const kept: typeof located = [];
  for (const item of located) {
    const overlapping = kept.some(
      (other) => other.finding.ruleId === item.finding.ruleId && other.start < item.end && item.start < other.end,
    );
    if (!overlapping) kept.push(item);
  }
  return kept.map((item) => item.finding);
}
