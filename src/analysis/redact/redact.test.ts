/** The public API: findings, placeholders, options, and secretlint's part. Values are assembled from pieces. */
import { describe, expect, it } from 'vitest';
import { applyRedactions, categoryOf, findSensitive, mergeCandidates, redact } from './redact.js';
import { findWithSecretlint } from './secretlint.js';

const j = (...parts: string[]): string => parts.join('');
const GITHUB = j('ghp_', 'wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx');
const AWS_ID = j('AKIA', '2E0A8F3B244C9986');
const AWS_SECRET = j('9drTJvcXLB89', 'ZzXkLYwu9rgH0f4f9TvnqO2uaB1c');

describe('findSensitive', () => {
  it('reports kind, 1-based line and column, offsets, text and rule', async () => {
    const text = 'Summary\n\nDB_PASSWORD=Tr0ub4dor&3 owner: ana@example.com\n';
    const findings = await findSensitive(text);
    expect(findings).toEqual([
      { kind: 'password', line: 3, column: 13, start: 21, end: 32, text: 'Tr0ub4dor&3', rule: 'pattern:assignment' },
      { kind: 'email', line: 3, column: 32, start: 40, end: 55, text: 'ana@example.com', rule: 'pattern:email' },
    ]);
    for (const f of findings) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it('returns sorted findings that never overlap, named after the strongest detector', async () => {
    const jwt = j(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
      '.eyJzdWIiOiIxMjM0NTY3ODkwIn0',
      '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    );
    const findings = await findSensitive(`Authorization: Bearer ${jwt}\ntoken: ${jwt}`);
    expect(findings.map((f) => [f.kind, f.text])).toEqual([
      ['jwt', jwt],
      ['jwt', jwt],
    ]);
  });

  it('finds secrets inside fenced code blocks too', async () => {
    const { redacted } = await redact(['```sh', `export GITHUB_TOKEN=${GITHUB}`, '```'].join('\n'));
    expect(redacted).toBe(['```sh', 'export GITHUB_TOKEN=[REDACTED:github-token]', '```'].join('\n'));
  });

  it('keeps the look-alikes a postmortem is full of', async () => {
    const text = [
      'Reverted commit 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 (short abc1234, `git show 9fceb02`).',
      'Request 550e8400-e29b-41d4-a716-446655440000, trace 4bf92f3577b34da6a3ce929d0e0e4736, span 00f067aa0ba902b7.',
      'Image sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 at v1.2.3, version 10.2.0.1.',
      'Set GITHUB_TOKEN=<YOUR_TOKEN>, API_KEY=${API_KEY}, password: ********, token=xxxxxxxxxxxxxxxx.',
      'Also NPM_TOKEN: changeme, api_key: your-api-key-here, secret={{ .Values.secret }}, url https://user:password@host.',
      'Deploy key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@ci',
      'At 14:22:31 on 2024-03-05, 1200 of 4096 requests failed on 10.0.3.7 (build 20240305.1, pid 12345678).',
      'The token expired yesterday. Password: reset for everyone. The secret is out.',
    ].join('\n');
    expect(await findSensitive(text)).toEqual([]);
  });

  it('redacts a value in a vendor format even when its body is a mask, a repeated character or an example', async () => {
    const hf = j('hf_', 'x'.repeat(34));
    const stripe = j('sk_live_', 'A'.repeat(24));
    const text = [
      `hf_token = '${hf}'`,
      `STRIPE_SECRET_KEY=${stripe}`,
      `AWS documents ${j('AKIA', 'IOSFODNN7', 'EXAMPLE')} as its example key id.`,
    ].join('\n');
    expect((await redact(text)).redacted).toBe(
      [
        "hf_token = '[REDACTED:huggingface-token]'",
        'STRIPE_SECRET_KEY=[REDACTED:stripe-key]',
        'AWS documents [REDACTED:aws-access-key] as its example key id.',
      ].join('\n'),
    );
  });

  it('keeps private addresses unless asked, and values on the allow list', async () => {
    const text = 'from 10.0.3.7 and 203.0.113.9, mail support-lead@example.com';
    expect((await findSensitive(text)).map((f) => f.text)).toEqual(['203.0.113.9', 'support-lead@example.com']);
    expect((await findSensitive(text, { redactPrivateIps: true })).map((f) => f.text)).toEqual([
      '10.0.3.7',
      '203.0.113.9',
      'support-lead@example.com',
    ]);
    expect((await findSensitive(text, { allow: ['support-lead@example.com'] })).map((f) => f.text)).toEqual([
      '203.0.113.9',
    ]);
  });

  it('runs only the detector families asked for', async () => {
    const text = `token: ${GITHUB} by ana@example.com`;
    expect((await findSensitive(text, { detect: { personal: false } })).map((f) => f.kind)).toEqual(['github-token']);
    expect((await findSensitive(text, { detect: { secrets: false } })).map((f) => f.kind)).toEqual(['email']);
  });

  it('redacts a secret again wherever it is pasted, unless told not to', async () => {
    const text = 'password=Zx9!kLm2Qw\nlater someone pasted Zx9!kLm2Qw into the channel';
    const findings = await findSensitive(text);
    expect(findings.map((f) => [f.kind, f.text, f.rule])).toEqual([
      ['password', 'Zx9!kLm2Qw', 'pattern:assignment'],
      ['password', 'Zx9!kLm2Qw', 'propagated'],
    ]);
    expect(await findSensitive(text, { propagate: false })).toHaveLength(1);
    // Only whole tokens: a longer word that contains the value is not the value.
    expect(await findSensitive('password=Zx9kLm2Qw9\nXZx9kLm2Qw9Y')).toHaveLength(1);
  });

  it('handles empty text, CRLF line endings and astral characters', async () => {
    expect(await findSensitive('')).toEqual([]);
    const findings = await findSensitive('🚨 incident\r\npassword: hunter22\r\n');
    expect(findings.map((f) => [f.line, f.column, f.text])).toEqual([[2, 11, 'hunter22']]);
  });
});

describe('placeholders', () => {
  it('give the same value the same placeholder and number further values of a kind', async () => {
    const { redacted } = await redact('a@x.io, b@x.io, a@x.io; password=Zx9!kLm2Qw; pwd=Hj7#pQr4Ty');
    expect(redacted).toBe(
      '[REDACTED:email], [REDACTED:email-2], [REDACTED:email]; password=[REDACTED:password]; pwd=[REDACTED:password-2]',
    );
  });

  it('are applied to the findings given, e.g. all but the waived ones', () => {
    const text = 'a@x.io b@x.io';
    const findings = [
      { kind: 'email', start: 0, end: 6 },
      { kind: 'email', start: 7, end: 13 },
    ];
    expect(applyRedactions(text, findings)).toBe('[REDACTED:email] [REDACTED:email-2]');
    expect(applyRedactions(text, findings.slice(1))).toBe('a@x.io [REDACTED:email]');
  });

  it('put findings in categories for the publishing gate', () => {
    expect(categoryOf({ kind: 'email', rule: 'pattern:email' })).toBe('personal');
    expect(categoryOf({ kind: 'customer', rule: 'term:customer' })).toBe('term');
    expect(categoryOf({ kind: 'github-token', rule: 'secretlint:@secretlint/secretlint-rule-github' })).toBe('secret');
  });
});

describe('mergeCandidates', () => {
  it('unites overlapping spans under the highest-priority kind and keeps touching ones apart', () => {
    expect(
      mergeCandidates([
        { kind: 'secret', start: 5, end: 20, rule: 'pattern:assignment', priority: 40 },
        { kind: 'jwt', start: 0, end: 10, rule: 'pattern:jwt', priority: 70 },
        { kind: 'email', start: 20, end: 30, rule: 'pattern:email', priority: 20 },
      ]),
    ).toEqual([
      { kind: 'jwt', start: 0, end: 20, rule: 'pattern:jwt', priority: 70 },
      { kind: 'email', start: 20, end: 30, rule: 'pattern:email', priority: 20 },
    ]);
  });
});

describe("secretlint's part", () => {
  it('scans AWS access key ids and moves the secret-key range onto the whole value', async () => {
    const text = `id ${AWS_ID}\nAWS_SECRET_ACCESS_KEY = ${AWS_SECRET}\n`;
    const found = await findWithSecretlint(text, { secrets: true, terms: [] });
    expect(found.map((c) => [c.kind, text.slice(c.start, c.end), c.rule])).toEqual([
      ['aws-access-key', AWS_ID, 'secretlint:@secretlint/secretlint-rule-aws'],
      ['aws-secret-key', AWS_SECRET, 'secretlint:@secretlint/secretlint-rule-aws'],
    ]);
  });

  it('narrows URL reports to the password', async () => {
    const text = 'const URL = "https://deploy:r3alP4ssw0rd@api.example.com/v2";';
    const found = await findWithSecretlint(text, { secrets: true, terms: [] });
    expect(found.map((c) => [c.kind, text.slice(c.start, c.end)])).toEqual([['password', 'r3alP4ssw0rd']]);
  });

  it('does not let secretlint-disable comments hide a secret', async () => {
    const text = `<!-- secretlint-disable -->\ntoken: ${GITHUB}\n<!-- secretlint-enable -->`;
    expect((await findSensitive(text)).map((f) => f.kind)).toEqual(['github-token']);
  });

  it('keeps a masked vendor token and drops only placeholder syntax and placeholder URL passwords', async () => {
    const masked = j('ghp_', 'x'.repeat(36));
    const found = await findWithSecretlint(masked, { secrets: true, terms: [] });
    expect(found.map((c) => [c.kind, masked.slice(c.start, c.end)])).toEqual([['github-token', masked]]);
    for (const text of [
      '_authToken=<YOUR_NPM_TOKEN>',
      '_authToken=your token goes here',
      'const URL = "https://deploy:changeme@api.example.com/v2";',
    ]) {
      expect(await findWithSecretlint(text, { secrets: true, terms: [] }), text).toEqual([]);
    }
  });

  it("leaves no marks on the process's performance timeline (its profiler is switched off)", async () => {
    for (let i = 0; i < 5; i++)
      await findWithSecretlint(`line ${i}: password = Zx9!kLm2Qw`, { secrets: true, terms: [] });
    await new Promise((resolve) => setTimeout(resolve, 0));
    // With the profiler on, every run added a hundred marks, kept forever and scanned by every later run.
    expect(performance.getEntriesByType('mark').filter((mark) => mark.name.startsWith('@core>'))).toEqual([]);
  });
});
