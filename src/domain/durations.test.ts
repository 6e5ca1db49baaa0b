import { describe, it, expect } from 'vitest';
import { DebriefError } from './errors.js';
import { computeDurations, formatDuration } from './durations.js';
import type { LifecycleTimes } from './types.js';

const full: LifecycleTimes = {
  impactStartedAt: '2026-01-01T10:00:00.000Z',
  detectedAt: '2026-01-01T10:04:00.000Z',
  acknowledgedAt: '2026-01-01T10:06:30.000Z',
  mitigatedAt: '2026-01-01T10:45:00.000Z',
  resolvedAt: '2026-01-01T12:00:00.000Z',
};

describe('computeDurations', () => {
  it('measures detection, mitigation and resolution from impact start and acknowledgement from detection', () => {
    expect(computeDurations(full)).toEqual({
      timeToDetectSeconds: 240,
      timeToAcknowledgeSeconds: 150,
      timeToMitigateSeconds: 2700,
      timeToResolveSeconds: 7200,
    });
  });

  it('returns null for each duration whose end point is missing', () => {
    expect(computeDurations({ ...full, impactStartedAt: null })).toEqual({
      timeToDetectSeconds: null,
      timeToAcknowledgeSeconds: 150,
      timeToMitigateSeconds: null,
      timeToResolveSeconds: null,
    });
    expect(computeDurations({ ...full, detectedAt: null, resolvedAt: null })).toEqual({
      timeToDetectSeconds: null,
      timeToAcknowledgeSeconds: null,
      timeToMitigateSeconds: 2700,
      timeToResolveSeconds: null,
    });
  });

  it('rounds down to whole seconds', () => {
    const d = computeDurations({ ...full, detectedAt: '2026-01-01T10:00:01.999Z' });
    expect(d.timeToDetectSeconds).toBe(1);
  });

  it('compares instants across zones', () => {
    const d = computeDurations({ ...full, detectedAt: '2026-01-01T11:04:00+01:00' });
    expect(d.timeToDetectSeconds).toBe(240);
  });

  it('returns null rather than a negative duration for out-of-order times', () => {
    const d = computeDurations({ ...full, detectedAt: '2026-01-01T09:00:00.000Z' });
    expect(d.timeToDetectSeconds).toBeNull();
    expect(d.timeToAcknowledgeSeconds).toBe(3990);
  });

  it('returns zero when both ends are the same moment', () => {
    expect(computeDurations({ ...full, detectedAt: full.impactStartedAt }).timeToDetectSeconds).toBe(0);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [59.9, '59s'],
    [60, '1m'],
    [720, '12m'],
    [779, '12m'],
    [3599, '59m'],
    [3600, '1h'],
    [3900, '1h 05m'],
    [36000 + 59 * 60, '10h 59m'],
    [86399, '23h 59m'],
    [86400, '1d'],
    [2 * 86400 + 3 * 3600, '2d 3h'],
    [2 * 86400 + 3 * 3600 + 3599, '2d 3h'],
    [40 * 86400, '40d'],
    [-90, '-1m'],
  ])('formats %s seconds as %s', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (seconds) => {
    expect(() => formatDuration(seconds)).toThrow(DebriefError);
  });
});
