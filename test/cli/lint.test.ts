import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SarifLog } from '../../src/analysis/blame/index.js';
import type { LintJsonFinding } from '../../src/cli/lint.js';
import { debrief, json, lines, tempDir } from './run.js';

const BLAMEFUL = [
  '# INC-9: checkout errors',
  '',
  '## Summary',
  '',
  'Checkout failed for 20 minutes. The root cause was human error.',
  '',
  '```',
  'Bob forgot to renew the certificate (in code: not flagged)',
  '```',
  '',
  'Bob forgot to renew the certificate.',
].join('\n');

const CLEAN = '# INC-10\n\nAlice noticed the alert and paged Bob, who rolled back at 14:41. We failed over.\n';

describe('debrief lint', () => {
  const dir = tempDir('debrief-lint-');
  const dataDir = join(dir.path, 'data');
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return path;
  };
  const blameful = file('blameful.md', BLAMEFUL);
  const clean = file('clean.md', CLEAN);
  // Only the given environment: a data dir that must stay empty, since lint never opens a database.
  const run = (...args: string[]) => debrief(['lint', ...args], { env: { DEBRIEF_DATA_DIR: dataDir } });
  afterAll(() => dir.remove());

  it('exits 0 and prints nothing for a clean postmortem', async () => {
    const result = await run(clean);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(json(await run(clean, '--format', 'json'))).toEqual({ findings: [] });
  });

  it('prints file:line:col severity rule message (suggestion) and exits 1 with a one-line summary', async () => {
    const result = await run(blameful);
    expect(result.code).toBe(1);
    const out = lines(result.stdout);
    expect(out).toHaveLength(3);
    expect(out[0]).toContain(`${blameful}:5:33 info root-cause "The root cause was" frames the incident`);
    expect(out[0]).toMatch(/ \(List contributing factors .+\)$/);
    expect(out[1]).toContain(':5:52 error human-error "human error"');
    expect(out[2]).toContain(':11:1 error person-as-cause "Bob forgot" makes a person the cause (');
    expect(lines(result.stderr)).toEqual(['debrief: 3 blame-language findings in 1 of 1 file (2 errors, 1 info)']);
  });

  it('prints the JSON findings with line numbers of the file given', async () => {
    const result = await run(blameful, '--format', 'json');
    expect(result.code).toBe(1);
    const { findings } = json<{ findings: LintJsonFinding[] }>(result);
    expect(findings.map((f) => Object.keys(f))).toEqual(
      Array(3).fill(['ruleId', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn', 'text', 'suggestion']),
    );
    expect(findings[2]).toMatchObject({
      ruleId: 'person-as-cause',
      severity: 'error',
      line: 11,
      column: 1,
      endLine: 11,
      endColumn: 11,
      text: 'Bob forgot',
    });
    expect(BLAMEFUL.split('\n')[10]?.slice(0, 10)).toBe('Bob forgot');
  });

  it('names the file of each finding when given several', async () => {
    const other = file('other.md', 'It was careless.\n');
    const result = await run(blameful, clean, other, '--format', 'json');
    expect(result.code).toBe(1);
    const { findings } = json<{ findings: LintJsonFinding[] }>(result);
    expect(findings.map((f) => [f.file, f.ruleId, f.line])).toEqual([
      [blameful, 'root-cause', 5],
      [blameful, 'human-error', 5],
      [blameful, 'person-as-cause', 11],
      [other, 'judgmental', 1],
    ]);
    expect(Object.keys(findings[0] ?? {})[0]).toBe('file');
    expect(result.stderr).toBe('debrief: 4 blame-language findings in 2 of 3 files (3 errors, 1 info)\n');
  });

  it('writes SARIF 2.1.0 for code scanning', async () => {
    const result = await run(blameful, clean, '--format', 'sarif');
    expect(result.code).toBe(1);
    const sarif = json<SarifLog>(result);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.tool.driver.name).toBe('debrief-lint');
    expect(
      sarif.runs[0]?.results.map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation.region.startLine]),
    ).toEqual([
      ['root-cause', 'note', 5],
      ['human-error', 'error', 5],
      ['person-as-cause', 'error', 11],
    ]);
    expect(sarif.runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(blameful);
  });

  it('takes rule settings and an allowlist from --config', async () => {
    const config = file(
      'lint.json',
      JSON.stringify({
        rules: { 'root-cause': { enabled: false }, 'human-error': { severity: 'warning' } },
        allow: ['Bob'],
      }),
    );
    const result = await run(blameful, '--config', config, '--format', 'json');
    expect(result.code).toBe(1);
    expect(json<{ findings: LintJsonFinding[] }>(result).findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['human-error', 'warning'],
    ]);
    const off = file(
      'off.json',
      JSON.stringify({
        rules: {
          'root-cause': { enabled: false },
          'human-error': { enabled: false },
          'person-as-cause': { enabled: false },
        },
      }),
    );
    expect((await run(blameful, '--config', off)).code).toBe(0);
  });

  it.each([
    ['a missing file', (): string[] => [join(dir.path, 'nope.md')], /^debrief: cannot read .*nope\.md: no such file$/],
    ['a directory', (): string[] => [dir.path], /is a directory, not a file$/],
    [
      'a binary file',
      (): string[] => [file('image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]))],
      /is not a text file/,
    ],
    [
      'invalid UTF-8',
      (): string[] => [file('latin1.md', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))],
      /is not a text file/,
    ],
    [
      'a missing file among good ones',
      (): string[] => [blameful, join(dir.path, 'gone.md')],
      /gone\.md: no such file$/,
    ],
    ['an unknown format', (): string[] => [blameful, '--format', 'xml'], /argument 'xml' is invalid/],
    ['no file at all', (): string[] => [], /missing required argument 'files'/],
    [
      'a config that is not JSON',
      (): string[] => [blameful, '--config', file('bad.json', '{rules:')],
      /^debrief: --config: .*bad\.json is not valid JSON/,
    ],
    [
      'a config naming an unknown rule',
      (): string[] => [blameful, '--config', file('unknown.json', '{"rules":{"blame":{}}}')],
      /unknown rule "blame"; rules are human-error, counterfactual/,
    ],
    [
      'a missing config',
      (): string[] => [blameful, '--config', join(dir.path, 'none.json')],
      /^debrief: --config: cannot read/,
    ],
  ])('exits 2 with one line for %s, printing no findings', async (_what, args, message) => {
    const result = await run(...args());
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toHaveLength(1);
    expect(lines(result.stderr)[0]).toMatch(message);
  });

  it.skipIf(process.getuid?.() === 0)('exits 2 for a file it may not read', async () => {
    const locked = file('locked.md', 'Bob forgot.');
    chmodSync(locked, 0o000);
    const result = await run(locked);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/permission denied/);
  });

  it('never opens a database', async () => {
    mkdirSync(dataDir, { recursive: true });
    await run(blameful, clean, '--format', 'sarif');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
