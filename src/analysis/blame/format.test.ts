import { describe, expect, it } from 'vitest';
import { formatText, lintBenchmark, lintPostmortem, RULE_IDS, toSarif } from './index.js';

const markdown = '# INC-7\n\nThe root cause was human error.\n\nBob forgot to renew the certificate.\n';

describe('toSarif', () => {
  it('writes a SARIF 2.1.0 log with every rule and one result per finding', () => {
    const findings = lintPostmortem(markdown);
    const sarif = toSarif(findings, 'postmortems/inc-7.md', '0.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.version).toBe('2.1.0');
    const [run] = sarif.runs;
    expect(run?.tool.driver).toMatchObject({ name: 'debrief-lint', version: '0.1.0' });
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual([...RULE_IDS]);
    for (const rule of run?.tool.driver.rules ?? []) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.help.text).toMatch(/Suggestion: /);
    }
    expect(run?.results).toHaveLength(3);
    expect(run?.results[0]).toEqual({
      ruleId: 'root-cause',
      ruleIndex: RULE_IDS.indexOf('root-cause'),
      level: 'note',
      message: { text: '"The root cause was" frames the incident as having a single root cause' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'postmortems/inc-7.md' },
            region: {
              startLine: 3,
              startColumn: 1,
              endLine: 3,
              endColumn: 19,
              snippet: { text: 'The root cause was' },
            },
          },
        },
      ],
      properties: { suggestion: findings[0]?.suggestion },
    });
    expect(run?.results.map((result) => result.level)).toEqual(['note', 'error', 'error']);
    expect(JSON.parse(JSON.stringify(sarif))).toEqual(sarif);
  });

  it('covers several files in one run, and none at all', () => {
    const sarif = toSarif([
      { uri: 'a.md', findings: lintPostmortem('Bob forgot.') },
      { uri: 'b.md', findings: lintPostmortem('It was careless.') },
    ]);
    expect(
      sarif.runs[0]?.results.map((result) => [
        result.ruleId,
        result.locations[0]?.physicalLocation.artifactLocation.uri,
      ]),
    ).toEqual([
      ['person-as-cause', 'a.md'],
      ['judgmental', 'b.md'],
    ]);
    expect(toSarif([], 'clean.md').runs[0]?.results).toEqual([]);
  });
});

describe('formatText', () => {
  it('prints file:line:col severity ruleId message (suggestion), one line per finding', () => {
    const lines = formatText(lintPostmortem(markdown), 'inc-7.md').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^inc-7\.md:5:1 error person-as-cause "Bob forgot" makes a person the cause \(Make .+\)$/);
    expect(formatText([], 'inc-7.md')).toBe('');
  });
});

describe('lintBenchmark', () => {
  it('lints a generated postmortem of the requested size and reports the time', () => {
    const result = lintBenchmark({ bytes: 20_000, runs: 1 });
    expect(result.bytes).toBeGreaterThanOrEqual(20_000);
    expect(result.findings).toBeGreaterThan(0);
    expect(result.medianMs).toBeGreaterThan(0);
  });
});
