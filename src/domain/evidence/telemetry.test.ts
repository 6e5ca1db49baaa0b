import { describe, expect, it } from 'vitest';
import { findGaps, telemetryCompleteness } from './telemetry.js';

const S = 1000;
const MIN = 60 * S;

/** Points every `step` ms from `from` (inclusive) to `to` (exclusive). */
const every = (step: number, from: number, to: number): number[] => {
  const points: number[] = [];
  for (let t = from; t < to; t += step) points.push(t);
  return points;
};

describe('findGaps', () => {
  const window = { start: 0, end: 60 * MIN };

  it('finds a silence in a source that was reporting', () => {
    const scrape = [...every(15 * S, 0, 20 * MIN), ...every(15 * S, 30 * MIN, 60 * MIN)];
    expect(findGaps({ 'prometheus:checkout': scrape }, window)).toEqual([
      {
        source: 'prometheus:checkout',
        from: 20 * MIN - 15 * S,
        to: 30 * MIN,
        durationMs: 10 * MIN + 15 * S,
        ongoing: false,
        intervalMs: 15 * S,
      },
    ]);
  });

  it('reports a source that stopped and had not resumed by the window end', () => {
    expect(findGaps({ logs: every(10 * S, 0, 40 * MIN) }, window)).toEqual([
      {
        source: 'logs',
        from: 40 * MIN - 10 * S,
        to: 60 * MIN,
        durationMs: 20 * MIN + 10 * S,
        ongoing: true,
        intervalMs: 10 * S,
      },
    ]);
  });

  it('ignores silences shorter than the minimum gap, even for a chatty source', () => {
    const points = [...every(1 * S, 0, 10 * MIN), ...every(1 * S, 10 * MIN + 50 * S, 60 * MIN)];
    expect(findGaps({ fast: points }, window)).toEqual([]);
    expect(findGaps({ fast: points }, window, { minGapMs: 30 * S })).toHaveLength(1);
  });

  it('judges a slow source by its own interval', () => {
    // Every 5 minutes: a 12-minute pause is under 3 intervals, a 20-minute one is not.
    const points = [0, 5, 10, 15, 27, 32, 52, 57].map((m) => m * MIN);
    expect(findGaps({ batch: points }, window).map((g) => [g.from / MIN, g.to / MIN])).toEqual([[32, 52]]);
    expect(
      findGaps({ batch: points }, window, { intervalMultiplier: 2 }).map((g) => [g.from / MIN, g.to / MIN]),
    ).toEqual([
      [15, 27],
      [32, 52],
    ]);
  });

  it('uses an expected interval when given, for all sources or per source', () => {
    const points = every(2 * MIN, 0, 20 * MIN).concat(every(2 * MIN, 27 * MIN, 60 * MIN));
    expect(findGaps({ a: points }, window)).toHaveLength(1);
    expect(findGaps({ a: points }, window, { expectedIntervalMs: 5 * MIN })).toEqual([]);
    expect(
      findGaps({ a: points, b: points }, window, { expectedIntervalMs: { b: 5 * MIN } }).map((g) => g.source),
    ).toEqual(['a']);
  });

  it('says nothing about a source until it has reported enough points', () => {
    const points = [0, 10 * S, 30 * MIN, 30 * MIN + 10 * S, 30 * MIN + 20 * S];
    expect(findGaps({ young: points }, window, { minGapMs: 0 })).toEqual([
      expect.objectContaining({ from: 30 * MIN + 20 * S, ongoing: true }),
    ]);
    expect(findGaps({ young: points }, window, { minPoints: 2, minGapMs: 0 }).map((g) => g.from)).toEqual([
      10 * S,
      30 * MIN + 20 * S,
    ]);
    expect(findGaps({ sparse: [0, 10 * S] }, window)).toEqual([]);
    expect(findGaps({ empty: [] }, window)).toEqual([]);
  });

  it('keeps gaps that overlap the window and drops those wholly outside it', () => {
    const points = [...every(10 * S, -60 * MIN, -40 * MIN), ...every(10 * S, -30 * MIN, 90 * MIN)];
    expect(findGaps({ s: points }, window)).toEqual([]);
    const straddling = [...every(10 * S, -60 * MIN, -5 * MIN), ...every(10 * S, 5 * MIN, 90 * MIN)];
    expect(findGaps({ s: straddling }, window)).toMatchObject([
      { from: -5 * MIN - 10 * S, to: 5 * MIN, ongoing: false },
    ]);
  });

  it('reads unsorted input with duplicates', () => {
    const points = [...every(15 * S, 0, 20 * MIN), ...every(15 * S, 30 * MIN, 60 * MIN)];
    const messy = [...points, ...points.slice(0, 10)].reverse();
    expect(findGaps({ s: messy }, window)).toEqual(findGaps({ s: points }, window));
  });

  it('orders gaps by start, then source', () => {
    const a = [...every(10 * S, 0, 10 * MIN), ...every(10 * S, 20 * MIN, 60 * MIN)];
    const b = [...every(10 * S, 0, 5 * MIN), ...every(10 * S, 15 * MIN, 60 * MIN)];
    const c = [...every(10 * S, 0, 10 * MIN), ...every(10 * S, 20 * MIN, 60 * MIN)];
    expect(findGaps({ c, a, b }, window).map((g) => g.source)).toEqual(['b', 'a', 'c']);
  });

  it('rejects an empty window and options out of range', () => {
    expect(() => findGaps({}, { start: 10, end: 10 })).toThrow(RangeError);
    expect(() => findGaps({}, window, { minGapMs: -1 })).toThrow(RangeError);
    expect(() => findGaps({}, window, { intervalMultiplier: 0 })).toThrow(RangeError);
  });
});

describe('telemetryCompleteness', () => {
  it('scores the share of evidence kinds present and lists the missing ones', () => {
    expect(telemetryCompleteness(new Set(['alert', 'metrics', 'chat'] as const))).toEqual({
      score: 0.5,
      present: ['alerts', 'metrics', 'chat'],
      missing: ['logs', 'traces', 'changes'],
    });
  });

  it('accepts timeline event kinds and ignores those that are not evidence', () => {
    expect(telemetryCompleteness(['log', 'trace', 'note', 'status', 'page', 'log'])).toEqual({
      score: 0.33,
      present: ['logs', 'traces'],
      missing: ['alerts', 'metrics', 'changes', 'chat'],
    });
  });

  it('gives 1 when everything is there and 0 when nothing is', () => {
    expect(telemetryCompleteness(['alerts', 'metric', 'logs', 'trace', 'change', 'chat']).score).toBe(1);
    expect(telemetryCompleteness([])).toEqual({
      score: 0,
      present: [],
      missing: ['alerts', 'metrics', 'logs', 'traces', 'changes', 'chat'],
    });
  });
});
