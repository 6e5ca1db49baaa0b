import { describe, expect, it } from 'vitest';
import { correlateChanges, formatSpan, type ChangeRecord, type DependencyGraph } from './change-correlation.js';

const IMPACT = '2026-01-01T10:00:00.000Z';
const at = (minutesBeforeImpact: number): string =>
  new Date(Date.parse(IMPACT) - minutesBeforeImpact * 60_000).toISOString();

const graph: DependencyGraph = {
  web: ['checkout'],
  checkout: ['payments', 'inventory'],
  payments: ['ledger'],
  ledger: ['postgres'],
  inventory: [],
  search: [],
};

const incident = { impactStartedAt: IMPACT, services: ['checkout'] };

/** Proximity before the other factors: 0.25 + 0.75 × 0.5^(minutes / 30). */
const proximity = (minutes: number): number => 0.25 + 0.75 * Math.pow(0.5, minutes / 30);

const changes: ChangeRecord[] = [
  { id: 'c-ledger', at: at(40), service: 'ledger', kind: 'config', version: null, description: 'pool size 20 -> 5' },
  { id: 'c-search', at: at(1), service: 'search', kind: 'deploy', version: 'v9' },
  { id: 'c-checkout', at: at(6), service: 'checkout', kind: 'deploy', version: 'v2.3.1' },
  { id: 'c-web-flag', at: at(2), service: 'web', kind: 'flag', version: null },
  { id: 'c-payments', at: at(12), service: 'payments', kind: 'deploy', version: 'v1.4.0' },
  { id: 'c-old', at: at(25 * 60), service: 'checkout', kind: 'deploy', version: 'v2.2.0' },
  { id: 'c-rollback', at: at(-1), service: 'checkout', kind: 'deploy', version: 'v2.3.0' },
  { id: 'c-later', at: at(-5), service: 'checkout', kind: 'config', version: null },
];

describe('correlateChanges', () => {
  it('ranks by proximity, relation and kind, and explains each suspect in one line', () => {
    const suspects = correlateChanges(changes, incident, graph);
    expect(suspects.map((s) => [s.rank, s.change.id, s.explanation])).toEqual([
      [1, 'c-checkout', 'deploy checkout v2.3.1, 6 min before impact start, same service'],
      [2, 'c-payments', 'deploy payments v1.4.0, 12 min before impact start, on payments, which checkout depends on'],
      [
        3,
        'c-rollback',
        'deploy checkout v2.3.0, 1 min after impact start (within the clock-skew grace; may be a response), same service',
      ],
      [4, 'c-web-flag', 'flag change web, 2 min before impact start, on web, which depends on checkout'],
      [
        5,
        'c-ledger',
        'config change ledger, 40 min before impact start, on ledger, which checkout depends on through payments',
      ],
      [6, 'c-search', 'deploy search v9, 1 min before impact start, on search, not linked to the impacted services'],
    ]);
  });

  it('scores as the product of the factors, rounded to 4 decimals', () => {
    const byId = new Map(correlateChanges(changes, incident, graph).map((s) => [s.change.id, s]));
    expect(byId.get('c-checkout')?.score).toBeCloseTo(proximity(6), 4);
    expect(byId.get('c-payments')?.score).toBeCloseTo(proximity(12) * 0.7, 4);
    expect(byId.get('c-rollback')?.score).toBeCloseTo(proximity(1) * 0.5, 4);
    expect(byId.get('c-web-flag')?.score).toBeCloseTo(proximity(2) * 0.3 * 0.8, 4);
    expect(byId.get('c-ledger')?.score).toBeCloseTo(proximity(40) * 0.45 * 0.9, 4);
    expect(byId.get('c-search')?.score).toBeCloseTo(proximity(1) * 0.15, 4);
    expect(byId.get('c-checkout')?.factors).toEqual({
      proximity: Math.round(proximity(6) * 10_000) / 10_000,
      relation: 1,
      kind: 1,
      errorOnset: 0,
    });
  });

  it('leaves out changes before the lookback and after the grace', () => {
    const ids = correlateChanges(changes, incident, graph).map((s) => s.change.id);
    expect(ids).not.toContain('c-old');
    expect(ids).not.toContain('c-later');
    const wider = correlateChanges(changes, incident, graph, { lookbackMs: 26 * 3_600_000, graceMs: 6 * 60_000 });
    expect(wider.map((s) => s.change.id)).toEqual(expect.arrayContaining(['c-old', 'c-later']));
  });

  it('keeps a change exactly at the lookback edge', () => {
    const edge: ChangeRecord = { id: 'edge', at: at(24 * 60), service: 'checkout', kind: 'deploy', version: null };
    const [suspect] = correlateChanges([edge], incident, graph);
    expect(suspect?.explanation).toBe('deploy checkout, 24 h before impact start, same service');
    expect(suspect?.score).toBeCloseTo(0.25, 4);
  });

  it('lifts a change followed by an error onset on its service', () => {
    const suspects = correlateChanges(changes, incident, graph, {
      errorOnsets: { payments: [at(30), at(10), at(5)], search: at(-20) },
    });
    const payments = suspects.find((s) => s.change.id === 'c-payments');
    const base = proximity(12) * 0.7;
    expect(payments?.score).toBeCloseTo(base + (1 - base) / 2, 4);
    expect(payments?.errorOnsetAfterMs).toBe(2 * 60_000);
    expect(payments?.explanation).toBe(
      'deploy payments v1.4.0, 12 min before impact start, on payments, which checkout depends on, ' +
        'error rate on payments rose 2 min after',
    );
    expect(payments?.reasons).toContain('error rate on payments rose 2 min after: score moved halfway to 1');
    // The search onset came 21 minutes after its deploy: outside the 10-minute window.
    expect(suspects.find((s) => s.change.id === 'c-search')?.errorOnsetAfterMs).toBeNull();
    expect(
      correlateChanges(changes, incident, graph, { errorOnsets: { search: at(-20) }, onsetWindowMs: 30 * 60_000 }).find(
        (s) => s.change.id === 'c-search',
      )?.factors.errorOnset,
    ).toBe(1);
  });

  it('can name the reference point as the first alert', () => {
    const [top] = correlateChanges(changes, incident, graph, { referenceLabel: 'the first alert' });
    expect(top?.explanation).toBe('deploy checkout v2.3.1, 6 min before the first alert, same service');
  });

  it('lists its reasons, description included', () => {
    const ledger = correlateChanges(changes, incident, graph).find((s) => s.change.id === 'c-ledger');
    expect(ledger?.reasons).toEqual([
      'config change ledger (pool size 20 -> 5)',
      '40 min before impact start: proximity 0.55',
      'on ledger, which checkout depends on through payments: relation 0.45',
      'config change: kind 0.90',
    ]);
    expect(ledger).toMatchObject({ relation: 'transitive', relatedService: 'checkout', via: ['payments'] });
  });

  it('relates a change to the nearest impacted service', () => {
    const suspects = correlateChanges(
      [
        { id: 'a', at: at(10), service: 'ledger', kind: 'deploy', version: null },
        { id: 'b', at: at(10), service: 'postgres', kind: 'deploy', version: null },
        { id: 'c', at: at(10), service: 'payments', kind: 'deploy', version: null },
      ],
      { impactStartedAt: IMPACT, services: ['checkout', 'payments'] },
      graph,
    );
    expect(suspects.map((s) => [s.change.id, s.relation, s.relatedService, s.via])).toEqual([
      ['c', 'same', 'payments', []],
      ['a', 'dependency', 'payments', []],
      ['b', 'transitive', 'payments', ['ledger']],
    ]);
    expect(suspects[2]?.explanation).toBe(
      'deploy postgres, 10 min before impact start, on postgres, which payments depends on through ledger',
    );
  });

  it('follows long chains and survives cycles in the graph', () => {
    const cyclic: DependencyGraph = { a: ['b'], b: ['c'], c: ['a', 'd'], d: [] };
    const [suspect] = correlateChanges(
      [{ id: 'x', at: at(5), service: 'd', kind: 'deploy', version: null }],
      { impactStartedAt: IMPACT, services: ['a'] },
      cyclic,
    );
    expect(suspect).toMatchObject({ relation: 'transitive', via: ['b', 'c'] });
    expect(suspect?.explanation).toContain('which a depends on through b -> c');
  });

  it('breaks ties by the later change, then by id', () => {
    const tied: ChangeRecord[] = [
      { id: 'b', at: at(5), service: 'search', kind: 'deploy', version: null },
      { id: 'a', at: at(5), service: 'search', kind: 'deploy', version: null },
      { id: 'older', at: at(22 * 60), service: 'checkout', kind: 'deploy', version: null },
      { id: 'newer', at: at(20 * 60), service: 'checkout', kind: 'deploy', version: null },
    ];
    const suspects = correlateChanges(tied, incident, graph);
    expect(suspects.map((s) => [s.change.id, s.score])).toEqual([
      ['newer', 0.25],
      ['older', 0.25],
      ['a', expect.any(Number) as number],
      ['b', expect.any(Number) as number],
    ]);
    expect(suspects[2]?.score).toBe(suspects[3]?.score);
  });

  it('gives the same ranking whatever the input order', () => {
    const forward = correlateChanges(changes, incident, graph);
    expect(correlateChanges([...changes].reverse(), incident, graph)).toEqual(forward);
  });

  it('accepts epoch milliseconds as well as ISO strings', () => {
    const numeric = correlateChanges(
      changes.map((c) => ({ ...c, at: Date.parse(c.at as string) })),
      { impactStartedAt: Date.parse(IMPACT), services: ['checkout'] },
      graph,
    );
    expect(numeric.map((s) => [s.change.id, s.score, s.explanation])).toEqual(
      correlateChanges(changes, incident, graph).map((s) => [s.change.id, s.score, s.explanation]),
    );
  });

  it('takes weight overrides', () => {
    const [top] = correlateChanges(changes, incident, graph, { relationWeights: { unrelated: 1 } });
    expect(top?.change.id).toBe('c-search');
    const flagsFirst = correlateChanges(changes, incident, graph, { kindWeights: { deploy: 0.1 } });
    expect(flagsFirst[0]?.change.id).toBe('c-web-flag');
  });

  it('returns nothing when there are no changes in the window', () => {
    expect(correlateChanges([], incident, graph)).toEqual([]);
  });

  it('rejects times it cannot read and options out of range', () => {
    expect(() => correlateChanges([], { impactStartedAt: 'yesterday', services: [] }, graph)).toThrow(RangeError);
    const bad: ChangeRecord = { id: 'x', at: 'soon', service: 'a', kind: 'deploy', version: null };
    expect(() => correlateChanges([bad], incident, graph)).toThrow(/change x/);
    expect(() => correlateChanges([], incident, graph, { halfLifeMs: 0 })).toThrow(RangeError);
    expect(() => correlateChanges([], incident, graph, { lookbackMs: -1 })).toThrow(RangeError);
  });
});

describe('formatSpan', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [6 * 60_000, '6 min'],
    [-6 * 60_000, '6 min'],
    [119 * 60_000, '119 min'],
    [120 * 60_000, '2 h'],
    [125 * 60_000, '2 h 5 min'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });
});
