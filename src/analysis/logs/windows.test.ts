import { describe, expect, it } from 'vitest';
import { compareWindows, mineIncidentLogs, type LogLine } from './windows.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const sameLength = { baselineDurationMs: HOUR, incidentDurationMs: HOUR };

describe('compareWindows', () => {
  it('reports a template absent from the baseline as new', () => {
    expect(compareWindows({ T1: 10 }, { T1: 10, T2: 2 }, sameLength)).toEqual([
      {
        templateId: 'T2',
        template: null,
        status: 'new',
        baselineCount: 0,
        incidentCount: 2,
        baselineRatePerMinute: 0,
        incidentRatePerMinute: 2 / 60,
        ratio: 2,
        samples: [],
      },
    ]);
  });

  it('compares rates, not counts, when the windows differ in length', () => {
    const baseline = { T1: 60 };
    // 40 in 10 minutes against 60 in an hour: 4/min against (60 + 1)/60 per min.
    const [spiking] = compareWindows(
      baseline,
      { T1: 40 },
      { baselineDurationMs: HOUR, incidentDurationMs: 10 * MINUTE },
    );
    expect(spiking).toMatchObject({ status: 'spiking', baselineRatePerMinute: 1, incidentRatePerMinute: 4 });
    expect(spiking?.ratio).toBeCloseTo(240 / 61, 10);
    // The same 40 spread over 30 minutes is no spike.
    expect(compareWindows(baseline, { T1: 40 }, { baselineDurationMs: HOUR, incidentDurationMs: 30 * MINUTE })).toEqual(
      [],
    );
  });

  it('needs a minimum count before calling a template spiking', () => {
    const options = { baselineDurationMs: HOUR, incidentDurationMs: 10 * MINUTE };
    expect(compareWindows({ T1: 1 }, { T1: 4 }, options)).toEqual([]);
    expect(compareWindows({ T1: 1 }, { T1: 5 }, options)).toHaveLength(1);
    expect(compareWindows({ T1: 1 }, { T1: 4 }, { ...options, minCount: 4 })).toHaveLength(1);
  });

  it('smooths the baseline so a template seen once needs a real rise', () => {
    // Raw ratio 6; smoothed (1 + 1) it is 3, exactly the threshold.
    expect(compareWindows({ T1: 1 }, { T1: 6 }, sameLength)).toMatchObject([{ templateId: 'T1', ratio: 3 }]);
    expect(compareWindows({ T1: 1 }, { T1: 6 }, { ...sameLength, smoothing: 2 })).toEqual([]);
    expect(compareWindows({ T1: 1 }, { T1: 6 }, { ...sameLength, smoothing: 0, ratioThreshold: 6 })).toHaveLength(1);
  });

  it('honours the ratio threshold', () => {
    expect(compareWindows({ T1: 9 }, { T1: 20 }, sameLength)).toEqual([]);
    expect(compareWindows({ T1: 9 }, { T1: 20 }, { ...sameLength, ratioThreshold: 2 })).toHaveLength(1);
  });

  it('can ask more of new templates than one line', () => {
    expect(compareWindows({}, { T1: 2 }, { ...sameLength, minNewCount: 3 })).toEqual([]);
  });

  it('gives new templates an infinite ratio without smoothing', () => {
    expect(compareWindows({}, { T1: 2 }, { ...sameLength, smoothing: 0 })[0]?.ratio).toBe(Infinity);
  });

  it('lists new templates by count, then spiking ones by ratio, ties by count, then id', () => {
    const baseline = { T1: 1, T2: 1, T3: 2, T4: 100 };
    const incident = { T1: 20, T2: 40, T3: 30, T4: 100, T10: 7, T9: 7, T11: 50 };
    expect(compareWindows(baseline, incident, sameLength).map((f) => `${f.templateId}:${f.status}`)).toEqual([
      'T11:new',
      'T9:new',
      'T10:new',
      'T2:spiking', // ratio 20
      'T3:spiking', // ratio 10, 30 lines
      'T1:spiking', // ratio 10, 20 lines
    ]);
  });

  it('accepts maps as well as records, and copies template text and up to three samples', () => {
    const findings = compareWindows(
      new Map([['T1', 1]]),
      new Map([
        ['T1', 1],
        ['T2', 8],
      ]),
      {
        ...sameLength,
        templates: new Map([['T2', 'upstream <*> timed out']]),
        samples: { T2: ['a', 'b', 'c', 'd'] },
      },
    );
    expect(findings).toMatchObject([
      { templateId: 'T2', template: 'upstream <*> timed out', samples: ['a', 'b', 'c'] },
    ]);
  });

  it('ignores templates that did not occur in the incident window', () => {
    expect(compareWindows({ T1: 50 }, { T1: 0 }, sameLength)).toEqual([]);
  });

  it('rejects windows without a length', () => {
    expect(() => compareWindows({}, {}, { baselineDurationMs: 0, incidentDurationMs: HOUR })).toThrow(RangeError);
    expect(() => compareWindows({}, {}, { baselineDurationMs: HOUR, incidentDurationMs: NaN })).toThrow(RangeError);
    expect(() => compareWindows({}, {}, { ...sameLength, smoothing: -1 })).toThrow(RangeError);
  });
});

describe('mineIncidentLogs', () => {
  const impact = Date.UTC(2026, 0, 1, 10, 0, 0);
  const window = { start: impact, end: impact + 30 * MINUTE };
  const baseline = { start: impact - 2 * HOUR, end: impact };

  const json = (at: number, level: string, msg: string): LogLine => ({
    at,
    text: JSON.stringify({ time: new Date(at).toISOString(), level, msg }),
  });

  /** Steady traffic for 2.5 h, a spike of pool timeouts and a new upstream error after impact start. */
  function logs(): LogLine[] {
    const lines: LogLine[] = [];
    let n = 0;
    for (let at = baseline.start - HOUR; at < window.end + HOUR; at += 10_000) {
      n++;
      lines.push(json(at, 'info', `GET /api/orders/${n} 200 ${10 + (n % 50)}ms`));
      if (n % 12 === 0) lines.push(json(at + 1, 'warn', `db pool timeout after ${n % 7}s waiting=${n % 9}`));
      if (at >= window.start && at < window.end) {
        if (n % 2 === 0) lines.push(json(at + 2, 'warn', `db pool timeout after ${n % 7}s waiting=${n % 9}`));
        if (n % 3 === 0) {
          lines.push(
            json(at + 3, 'error', `upstream inventory responded 503 request_id=${(n * 7919).toString(16)}abc`),
          );
        }
      }
      if (at < baseline.start && n % 100 === 0) lines.push(json(at + 4, 'info', 'legacy sweeper finished'));
    }
    lines.push({ at: window.start + 5, text: 'FATAL plain text panic: nil map' });
    return lines;
  }

  it('finds the new error and the spiking warning, not the steady traffic', () => {
    const analysis = mineIncidentLogs(logs(), window, baseline);
    expect(analysis.findings.map((f) => [f.template, f.status, f.severity])).toEqual([
      ['upstream inventory responded <NUM> request_id=<HEX>', 'new', 'error'],
      ['FATAL plain text panic: nil map', 'new', 'fatal'],
      ['db pool timeout after <DUR> waiting=<NUM>', 'spiking', 'warn'],
    ]);
    const spike = analysis.findings[2];
    // Baseline: one per 12 lines over 2 h (60); incident: 15 + 90 in 30 min.
    expect(spike).toMatchObject({ baselineCount: 60, incidentCount: 105 });
    expect(spike?.ratio).toBeCloseTo(105 / 30 / (61 / 120), 10);
  });

  it('counts lines per window and ignores lines outside both', () => {
    const analysis = mineIncidentLogs(logs(), window, baseline);
    expect(analysis.baselineLines).toBe(720 + 60);
    expect(analysis.incidentLines).toBe(180 + 15 + 90 + 60 + 1);
    expect(analysis.templates.map((t) => t.template)).not.toContain('legacy sweeper finished');
  });

  it('samples distinct incident-window messages', () => {
    const [upstream] = mineIncidentLogs(logs(), window, baseline).findings;
    expect(upstream?.samples).toHaveLength(3);
    expect(new Set(upstream?.samples).size).toBe(3);
    for (const sample of upstream?.samples ?? []) expect(sample).toMatch(/^upstream inventory responded 503 /);
  });

  it('does not depend on the order the lines come in', () => {
    const ordered = mineIncidentLogs(logs(), window, baseline);
    const reversed = mineIncidentLogs([...logs()].reverse(), window, baseline);
    expect(reversed).toEqual(ordered);
  });

  it('passes thresholds through', () => {
    const analysis = mineIncidentLogs(logs(), window, baseline, { ratioThreshold: 20, minNewCount: 2 });
    expect(analysis.findings.map((f) => f.template)).toEqual(['upstream inventory responded <NUM> request_id=<HEX>']);
  });

  it('rejects empty or inverted windows', () => {
    expect(() => mineIncidentLogs([], { start: impact, end: impact }, baseline)).toThrow(RangeError);
    expect(() => mineIncidentLogs([], window, { start: impact, end: impact - 1 })).toThrow(RangeError);
  });
});
