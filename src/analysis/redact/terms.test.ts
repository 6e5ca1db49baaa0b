import { describe, expect, it } from 'vitest';
import { findSensitive, redact } from './redact.js';
import { InvalidTermsError, parseTerms, termPatterns } from './terms.js';

describe('parseTerms', () => {
  it('accepts an array or an object with a terms array', () => {
    const terms = [
      { kind: 'customer', values: ['Acme Corp', ' Globex '] },
      { kind: 'internal-host', pattern: '\\w+\\.corp\\.example\\.com', caseSensitive: true },
    ];
    expect(parseTerms({ terms })).toEqual([
      { kind: 'customer', values: ['Acme Corp', 'Globex'] },
      { kind: 'internal-host', pattern: '\\w+\\.corp\\.example\\.com', caseSensitive: true },
    ]);
    expect(parseTerms(terms)).toHaveLength(2);
  });

  it.each([
    [{ terms: 'Acme' }, 'terms'],
    [[{ kind: 'Customer', values: ['Acme'] }], '[0].kind'],
    [[{ kind: 'customer' }], '[0]'],
    [[{ kind: 'customer', values: ['Acme', ''] }], '[0].values'],
    [[{ kind: 'host', pattern: '([a-z' }], '[0].pattern'],
    [[{ kind: 'host', pattern: 'a*' }], '[0].pattern'],
    [{ terms: [{ kind: 'host', values: ['x'], caseSensitive: 'yes' }] }, 'terms[0].caseSensitive'],
  ])('refuses %j at %s', (json, path) => {
    try {
      parseTerms(json);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidTermsError);
      expect((error as InvalidTermsError).path).toBe(path);
    }
  });

  it('turns values into one whole-word alternation per kind, longest first', () => {
    expect(termPatterns([{ kind: 'customer', values: ['Acme', 'Acme Corp', 'a.b'] }])).toEqual([
      { name: 'customer', patterns: ['/(?<![\\p{L}\\p{N}_])(?:Acme Corp|Acme|a\\.b)(?![\\p{L}\\p{N}_])/i'] },
    ]);
  });
});

describe('organisation terms in documents', () => {
  const terms = parseTerms({
    terms: [
      { kind: 'customer', values: ['Acme Corp', 'Globex'] },
      { kind: 'internal-host', pattern: '\\w+(?:-\\w+)*\\.corp\\.example\\.com' },
      { kind: 'codename', values: ['Bluebird'], caseSensitive: true },
    ],
  });

  it('redacts values as whole words in any case, and pattern matches', async () => {
    const { redacted, findings } = await redact(
      'ACME CORP lost access to db-1.corp.example.com; Globex too. Acmecorp and Globexes are other words. Bluebird, not bluebird.',
      { terms },
    );
    expect(redacted).toBe(
      '[REDACTED:customer] lost access to [REDACTED:internal-host]; [REDACTED:customer-2] too. Acmecorp and Globexes are other words. [REDACTED:codename], not bluebird.',
    );
    expect(findings.map((f) => f.rule)).toEqual([
      'term:customer',
      'term:internal-host',
      'term:customer',
      'term:codename',
    ]);
  });

  it('runs terms even with the secret and personal-data detectors off', async () => {
    const findings = await findSensitive('Acme Corp paged ana@example.com', {
      terms,
      detect: { secrets: false, personal: false },
    });
    expect(findings.map((f) => [f.kind, f.text])).toEqual([['customer', 'Acme Corp']]);
  });

  it('matches terms in non-Latin scripts at word edges', async () => {
    const findings = await findSensitive('Клиент Ромашка сообщил; РомашкаПлюс нет', {
      terms: [{ kind: 'customer', values: ['Ромашка'] }],
    });
    expect(findings.map((f) => f.text)).toEqual(['Ромашка']);
  });
});
