/**
 * Precision and recall of every rule on the labelled evaluation set (`labelled.jsonl`): sentences and short passages
 * from the real postmortems and blameless-postmortem guides in the shared corpus (each names its file and quotes
 * it) and sentences of our own, positives for every rule and traps that must stay clean.
 *
 * A row is a true positive for a rule when the rule flags it and the row expects that rule; a false positive when
 * the rule flags a row that does not expect it. Rows noted "held out" were written and scored once before the rules
 * saw them; they are reported on their own as well.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintPostmortem, RULE_IDS, type RuleId } from './index.js';

interface Row {
  text: string;
  expect: RuleId[];
  /** `own`, or a file under the shared corpus, e.g. `postmortems/rust__cargo-postmortem.md`. */
  source: string;
  /** For corpus rows: a passage of the source file the row is taken or adapted from. */
  quote?: string;
  note?: string;
}

interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

const rows: Row[] = readFileSync(new URL('./labelled.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Row);

const corpus = new URL('../../../../shared/corpus/', import.meta.url);
const corpusAvailable = existsSync(corpus);

const results = rows.map((row) => ({ row, flagged: new Set(lintPostmortem(row.text).map((f) => f.ruleId)) }));

function score(subset: typeof results, rule: RuleId): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const { row, flagged } of subset) {
    const expected = row.expect.includes(rule);
    if (flagged.has(rule) && expected) tp++;
    else if (flagged.has(rule)) fp++;
    else if (expected) fn++;
  }
  return { tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}

const scores = new Map(RULE_IDS.map((rule) => [rule, score(results, rule)]));
const heldOut = results.filter(({ row }) => row.note?.startsWith('held out'));
const figures = (s: Score): string =>
  `precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;

console.log(
  [
    `Blameless lint on ${rows.length} labelled rows (${rows.filter((r) => r.source !== 'own').length} from the corpus):`,
    ...RULE_IDS.map((rule) => `  ${rule.padEnd(16)} ${figures(scores.get(rule) ?? score([], rule))}`),
    `Held-out rows only (${heldOut.length}):`,
    ...RULE_IDS.map((rule) => `  ${rule.padEnd(16)} ${figures(score(heldOut, rule))}`),
  ].join('\n'),
);

/** The rows a rule gets wrong, for the failure message. */
function mistakes(rule: RuleId): string[] {
  return results
    .filter(({ row, flagged }) => flagged.has(rule) !== row.expect.includes(rule))
    .map(({ row, flagged }) => `${flagged.has(rule) ? 'FP' : 'FN'}: ${row.text}`);
}

describe('the labelled evaluation set', () => {
  it('has well over a hundred rows, positives for every rule, and traps', () => {
    expect(rows.length).toBeGreaterThanOrEqual(120);
    for (const rule of RULE_IDS) {
      expect(rows.filter((row) => row.expect.includes(rule)).length, rule).toBeGreaterThanOrEqual(10);
    }
    expect(rows.filter((row) => row.expect.length === 0).length).toBeGreaterThanOrEqual(60);
    for (const row of rows) {
      for (const rule of row.expect) expect(RULE_IDS, row.text).toContain(rule);
      expect(row.source === 'own' || (row.quote !== undefined && /^(postmortems|templates)\//.test(row.source))).toBe(
        true,
      );
    }
  });

  it.skipIf(!corpusAvailable)('quotes the corpus file each corpus row is taken from', () => {
    const squash = (text: string): string =>
      text
        .replace(/[\u2018\u2019]/g, "'")
        .replace(/[\u201c\u201d]/g, '"')
        .replace(/\s+/g, ' ')
        .trim();
    for (const row of rows.filter((r) => r.source !== 'own')) {
      const file = new URL(row.source, corpus);
      expect(existsSync(file), row.source).toBe(true);
      const quoted = squash(readFileSync(file, 'utf8')).includes(squash(row.quote ?? ''));
      expect(quoted, `${row.source} does not contain: ${row.quote}`).toBe(true);
    }
  });

  for (const rule of RULE_IDS) {
    const s = scores.get(rule) ?? score([], rule);
    it(`${rule}: ${figures(s)}`, () => {
      expect(s.precision, mistakes(rule).join('\n')).toBeGreaterThanOrEqual(0.9);
      expect(s.recall, mistakes(rule).join('\n')).toBeGreaterThanOrEqual(0.9);
    });
  }
});
