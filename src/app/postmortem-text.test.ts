import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RedactionWaiver } from '../domain/postmortem/types.js';
import { checkText, externalVersion, redactionFingerprint } from './postmortem-text.js';
import { DEFAULT_SETTINGS, parseSettings } from './settings.js';

const KEY = 'AKIAQYLPMN5HHHFPZAM2';
const defaults = { settings: DEFAULT_SETTINGS };

function waiverFor(kind: string, text: string): RedactionWaiver {
  return {
    id: 'w1',
    postmortemId: 'p1',
    fingerprint: redactionFingerprint(kind, text),
    kind,
    reason: 'revoked',
    waivedBy: 'ana@example.com',
    createdAt: '2026-05-04T10:00:00.000Z',
  };
}

describe('redactionFingerprint', () => {
  it('is the sha256 of kind, NUL and text, so the same value under another kind differs', () => {
    const expected = createHash('sha256').update(`aws-access-key\u0000${KEY}`).digest('hex');
    expect(redactionFingerprint('aws-access-key', KEY)).toBe(expected);
    expect(redactionFingerprint('password', KEY)).not.toBe(expected);
  });
});

describe('checkText', () => {
  it('reports blame language and sensitive values with positions, categories and matching waivers', async () => {
    const body = `# Outage\n\nBob forgot to rotate the key.\n\nKey: ${KEY}, contact ana@example.com\n`;
    const view = await checkText(defaults, body, [waiverFor('email', 'ana@example.com')]);
    expect(view.lint).toEqual([
      expect.objectContaining({ ruleId: 'person-as-cause', severity: 'error', line: 3, column: 1, text: 'Bob forgot' }),
    ]);
    expect(view.redaction).toEqual([
      expect.objectContaining({
        kind: 'aws-access-key',
        category: 'secret',
        line: 5,
        column: 6,
        text: KEY,
        waiver: null,
      }),
      expect.objectContaining({
        kind: 'email',
        category: 'personal',
        text: 'ana@example.com',
        waiver: { id: 'w1', reason: 'revoked', waivedBy: 'ana@example.com', createdAt: '2026-05-04T10:00:00.000Z' },
      }),
    ]);
    expect(body.slice(view.redaction[0]?.start, view.redaction[0]?.end)).toBe(KEY);
  });

  it('applies the organisation lint rules, allowlist, private address and term settings', async () => {
    const settings = parseSettings({
      postmortems: {
        lint: { rules: { 'person-as-cause': { enabled: false } }, allow: [] },
        redaction: { redactPrivateIps: true, terms: [{ kind: 'customer', values: ['Globex'] }] },
      },
    });
    const view = await checkText({ settings }, 'Bob forgot. Globex saw errors from 10.0.3.7.\n');
    expect(view.lint).toEqual([]);
    expect(view.redaction.map((f) => [f.kind, f.category, f.text])).toEqual([
      ['customer', 'term', 'Globex'],
      ['ip-address', 'personal', '10.0.3.7'],
    ]);
  });

  it('names a broken lint or terms setting instead of failing inside the check', async () => {
    const lint = parseSettings({ postmortems: { lint: { rules: { 'no-such-rule': {} } } } });
    await expect(checkText({ settings: lint }, 'text')).rejects.toMatchObject({
      code: 'DEBRIEF_ERR_NOT_CONFIGURED',
      field: 'settings.postmortems.lint',
    });
    const terms = parseSettings({ postmortems: { redaction: { terms: [{ kind: 'x', pattern: '(' }] } } });
    await expect(checkText({ settings: terms }, 'text')).rejects.toMatchObject({
      code: 'DEBRIEF_ERR_NOT_CONFIGURED',
      field: 'settings.postmortems.redaction.terms[0].pattern',
    });
  });

  it('checks a large document in a worker with the same results', async () => {
    const filler = 'The queue drained slowly while consumers restarted.\n'.repeat(5_000);
    const body = `Bob forgot the key ${KEY}.\n\n${filler}`;
    expect(body.length).toBeGreaterThan(200_000);
    const view = await checkText(defaults, body);
    expect(view.lint.map((f) => f.ruleId)).toContain('person-as-cause');
    expect(view.redaction.map((f) => f.text)).toEqual([KEY]);
  }, 60_000);
});

describe('externalVersion', () => {
  it('removes hidden sections and prompts and redacts every finding', async () => {
    const body = [
      '# Outage',
      '',
      '## Impact',
      '',
      '<!-- Who was affected? -->',
      `Key ${KEY} leaked; ana@example.com rotated it.`,
      '',
      '## Where we got lucky',
      '',
      'The on-call engineer was awake.',
      '',
    ].join('\n');
    const { text, redactions } = await externalVersion(defaults, body, ['where-we-got-lucky']);
    expect(text).toContain('Key [REDACTED:aws-access-key] leaked; [REDACTED:email] rotated it.');
    expect(text).not.toContain('Who was affected');
    expect(text).not.toContain('lucky');
    expect(text).not.toContain('awake');
    expect(redactions).toBe(2);
  });
});
