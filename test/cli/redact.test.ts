import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RedactOutput } from '../../src/cli/redact.js';
import { debrief, json, lines, tempDir } from './run.js';

// Assembled from pieces so this file does not look like a leaked credential; valid for nothing.
const TOKEN = ['ghp_', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx'].join('');

describe('debrief redact', () => {
  const dir = tempDir('debrief-redact-');
  afterAll(() => dir.remove());
  const file = (name: string, content: string | Buffer): string => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return path;
  };

  const doc = file(
    'postmortem.md',
    [
      '# Checkout outage',
      '',
      'Acme Corp saw errors from db-7.corp.example.com (10.0.3.7, 203.0.113.9).',
      '',
      '```sh',
      `export GITHUB_TOKEN=${TOKEN}`,
      '```',
      'Reported by ana@example.com; the same token was pasted again: ' + TOKEN,
      '',
    ].join('\n'),
  );

  it('prints the redacted document and exits 0 although it found something', async () => {
    const result = await debrief(['redact', doc]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      [
        '# Checkout outage',
        '',
        'Acme Corp saw errors from db-7.corp.example.com (10.0.3.7, [REDACTED:ip-address]).',
        '',
        '```sh',
        'export GITHUB_TOKEN=[REDACTED:github-token]',
        '```',
        'Reported by [REDACTED:email]; the same token was pasted again: [REDACTED:github-token]',
        '',
      ].join('\n'),
    );
  });

  it('prints findings and the redacted text as JSON', async () => {
    const output = json<RedactOutput>(await debrief(['redact', doc, '--format', 'json']));
    expect(Object.keys(output)).toEqual(['findings', 'redacted']);
    expect(output.findings.map((f) => Object.keys(f))).toEqual(
      output.findings.map(() => ['kind', 'line', 'column', 'start', 'end', 'text']),
    );
    expect(output.findings.map((f) => [f.kind, f.line, f.column, f.text])).toEqual([
      ['ip-address', 3, 60, '203.0.113.9'],
      ['github-token', 6, 21, TOKEN],
      ['email', 8, 13, 'ana@example.com'],
      ['github-token', 8, 63, TOKEN],
    ]);
    expect(output.redacted).toContain('export GITHUB_TOKEN=[REDACTED:github-token]');
  });

  it('redacts organisation terms from a terms file, and private addresses when asked', async () => {
    const terms = file(
      'terms.json',
      JSON.stringify({
        terms: [
          { kind: 'customer', values: ['Acme Corp'] },
          { kind: 'internal-host', pattern: '[\\w-]+\\.corp\\.example\\.com' },
        ],
      }),
    );
    const result = await debrief(['redact', doc, '--terms', terms, '--redact-private-ips']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[2]).toBe(
      '[REDACTED:customer] saw errors from [REDACTED:internal-host] ([REDACTED:ip-address], [REDACTED:ip-address-2]).',
    );
  });

  it('prints a clean document unchanged, with no findings', async () => {
    const clean = file(
      'clean.md',
      'Nothing to hide: commit 9fceb02, v1.2.3, request 550e8400-e29b-41d4-a716-446655440000.\n',
    );
    expect((await debrief(['redact', clean])).stdout).toBe(
      'Nothing to hide: commit 9fceb02, v1.2.3, request 550e8400-e29b-41d4-a716-446655440000.\n',
    );
    expect(json<RedactOutput>(await debrief(['redact', clean, '--format', 'json'])).findings).toEqual([]);
  });

  it.each([
    ['a missing file', () => join(dir.path, 'nope.md'), /^debrief: cannot read .*nope\.md: no such file\n$/],
    [
      'a binary file',
      () => file('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00])),
      /binary/,
    ],
    ['a file with NUL bytes', () => file('nul.txt', 'text\u0000more'), /looks binary/],
    ['a directory', () => dir.path, /is a directory/],
  ])('refuses %s with one line and exit 2', async (_, path, message) => {
    const result = await debrief(['redact', path()]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    ['not JSON', '{terms:', /--terms: .* is not JSON/],
    [
      'an invalid kind',
      JSON.stringify({ terms: [{ kind: 'Customer', values: ['Acme'] }] }),
      /terms\[0\]\.kind: must be lowercase/,
    ],
    [
      'an invalid pattern',
      JSON.stringify([{ kind: 'host', pattern: '([a-z' }]),
      /\[0\]\.pattern: not a valid regular expression/,
    ],
  ])('refuses a terms file with %s with one line and exit 2', async (name, content, message) => {
    const terms = file(`terms-${name.replace(/\W+/g, '-')}.json`, content);
    const result = await debrief(['redact', doc, '--terms', terms]);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('refuses a missing terms file and an unknown format', async () => {
    const missing = await debrief(['redact', doc, '--terms', join(dir.path, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^debrief: --terms: cannot read .*none\.json: no such file\n$/);
    const format = await debrief(['redact', doc, '--format', 'sarif']);
    expect(format.code).toBe(2);
    expect(lines(format.stderr)).toHaveLength(1);
  });
});
