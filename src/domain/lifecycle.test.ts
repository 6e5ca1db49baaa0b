import { describe, it, expect } from 'vitest';
import { DebriefError } from './errors.js';
import {
  allowedTransitions,
  lifecycleFieldForMarker,
  markerForLifecycleField,
  normalizeTimestamp,
  planStatusChange,
  validateLifecycle,
} from './lifecycle.js';
import {
  INCIDENT_STATUSES,
  LIFECYCLE_FIELDS,
  MARKERS,
  type Incident,
  type LifecycleField,
  type LifecycleTimes,
} from './types.js';

type Snapshot = Pick<Incident, 'status' | LifecycleField | 'closedAt'>;

const T0 = '2026-01-01T10:00:00.000Z';
const T1 = '2026-01-01T10:05:00.000Z';
const T2 = '2026-01-01T10:30:00.000Z';
const AT = '2026-01-01T11:00:00.000Z';

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    status: 'investigating',
    impactStartedAt: T0,
    detectedAt: T0,
    acknowledgedAt: T1,
    mitigatedAt: null,
    resolvedAt: null,
    closedAt: null,
    ...overrides,
  };
}

function times(overrides: Partial<LifecycleTimes> = {}): LifecycleTimes {
  return {
    impactStartedAt: null,
    detectedAt: null,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    ...overrides,
  };
}

function caught(fn: () => unknown): DebriefError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DebriefError);
    return error as DebriefError;
  }
  throw new Error('expected a DebriefError');
}

describe('allowedTransitions', () => {
  it('follows investigating -> mitigated -> resolved -> closed with regressions and reopen', () => {
    expect(allowedTransitions('investigating')).toEqual(['mitigated', 'resolved']);
    expect(allowedTransitions('mitigated')).toEqual(['resolved', 'investigating']);
    expect(allowedTransitions('resolved')).toEqual(['closed', 'investigating']);
    expect(allowedTransitions('closed')).toEqual(['investigating']);
  });

  it('never allows staying in the same status', () => {
    for (const status of INCIDENT_STATUSES) expect(allowedTransitions(status)).not.toContain(status);
  });
});

describe('planStatusChange', () => {
  it('records mitigation time and a mitigated marker when moving to mitigated', () => {
    expect(planStatusChange(snapshot(), 'mitigated', AT)).toEqual({
      patch: { status: 'mitigated', mitigatedAt: AT },
      marker: 'mitigated',
      reopened: false,
    });
  });

  it('keeps an already recorded mitigation time and adds no second marker', () => {
    expect(planStatusChange(snapshot({ mitigatedAt: T2 }), 'mitigated', AT)).toEqual({
      patch: { status: 'mitigated' },
      marker: null,
      reopened: false,
    });
  });

  it('fills mitigatedAt with the resolution time when resolving straight from investigating', () => {
    expect(planStatusChange(snapshot(), 'resolved', AT)).toEqual({
      patch: { status: 'resolved', resolvedAt: AT, mitigatedAt: AT },
      marker: 'resolved',
      reopened: false,
    });
  });

  it('keeps the mitigation time when resolving a mitigated incident', () => {
    expect(planStatusChange(snapshot({ status: 'mitigated', mitigatedAt: T2 }), 'resolved', AT)).toEqual({
      patch: { status: 'resolved', resolvedAt: AT },
      marker: 'resolved',
      reopened: false,
    });
  });

  it('keeps a resolution time already marked on the timeline', () => {
    const plan = planStatusChange(snapshot({ status: 'mitigated', mitigatedAt: T1, resolvedAt: T2 }), 'resolved', AT);
    expect(plan).toEqual({ patch: { status: 'resolved' }, marker: null, reopened: false });
  });

  it('sets closedAt without a marker when closing', () => {
    const plan = planStatusChange(snapshot({ status: 'resolved', mitigatedAt: T1, resolvedAt: T2 }), 'closed', AT);
    expect(plan).toEqual({ patch: { status: 'closed', closedAt: AT }, marker: null, reopened: false });
  });

  it.each(['resolved', 'closed'] as const)('reopens a %s incident, clearing resolvedAt and closedAt', (status) => {
    const plan = planStatusChange(
      snapshot({ status, mitigatedAt: T1, resolvedAt: T2, closedAt: status === 'closed' ? T2 : null }),
      'investigating',
      AT,
    );
    expect(plan).toEqual({
      patch: { status: 'investigating', resolvedAt: null, closedAt: null },
      marker: null,
      reopened: true,
    });
  });

  it('clears mitigatedAt when a mitigation regresses, without counting it as a reopen', () => {
    expect(planStatusChange(snapshot({ status: 'mitigated', mitigatedAt: T1 }), 'investigating', AT)).toEqual({
      patch: { status: 'investigating', mitigatedAt: null },
      marker: null,
      reopened: false,
    });
  });

  it('normalises the change time to UTC', () => {
    const plan = planStatusChange(snapshot(), 'mitigated', '2026-01-01T12:00:00+01:00');
    expect(plan.patch.mitigatedAt).toBe(AT);
  });

  it('refuses a transition that is not allowed and lists the allowed ones', () => {
    const error = caught(() =>
      planStatusChange(snapshot({ status: 'closed', resolvedAt: T2, closedAt: T2 }), 'mitigated', AT),
    );
    expect(error.code).toBe('DEBRIEF_ERR_INVALID_TRANSITION');
    expect(error.field).toBe('status');
    expect(error.message).toBe('cannot move from closed to mitigated; allowed: investigating');
  });

  it('refuses closing an incident that is not resolved', () => {
    const error = caught(() => planStatusChange(snapshot(), 'closed', AT));
    expect(error.code).toBe('DEBRIEF_ERR_INVALID_TRANSITION');
    expect(error.message).toContain('allowed: mitigated, resolved');
  });

  it.each(INCIDENT_STATUSES)('refuses moving from %s to itself', (status) => {
    const error = caught(() => planStatusChange(snapshot({ status }), status, AT));
    expect(error.code).toBe('DEBRIEF_ERR_INVALID_TRANSITION');
    expect(error.message).toContain(`it is already ${status}`);
  });

  it('refuses a change time without a zone', () => {
    const error = caught(() => planStatusChange(snapshot(), 'mitigated', '2026-01-01T11:00:00'));
    expect(error.code).toBe('DEBRIEF_ERR_VALIDATION');
    expect(error.field).toBe('at');
  });
});

describe('validateLifecycle', () => {
  const NOW = '2026-01-01T12:00:00.000Z';

  it('accepts times in the usual order and missing times', () => {
    expect(() =>
      validateLifecycle(
        times({ impactStartedAt: T0, detectedAt: T0, acknowledgedAt: T1, mitigatedAt: T2, resolvedAt: AT }),
        NOW,
      ),
    ).not.toThrow();
    expect(() => validateLifecycle(times(), NOW)).not.toThrow();
    expect(() => validateLifecycle(times({ resolvedAt: T0 }), NOW)).not.toThrow();
  });

  it('allows mitigation before detection (automation can fix things before anyone notices)', () => {
    expect(() => validateLifecycle(times({ impactStartedAt: T0, mitigatedAt: T1, detectedAt: T2 }), NOW)).not.toThrow();
  });

  it('names the field that is before impact start', () => {
    const error = caught(() =>
      validateLifecycle(times({ impactStartedAt: '2026-01-01T11:00:00Z', detectedAt: '2026-01-01T10:00:00Z' }), NOW),
    );
    expect(error.code).toBe('DEBRIEF_ERR_LIFECYCLE_ORDER');
    expect(error.field).toBe('detectedAt');
    expect(error.message).toBe(
      'detectedAt (2026-01-01T10:00:00.000Z) is before impactStartedAt (2026-01-01T11:00:00.000Z)',
    );
  });

  it.each(['detectedAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt'] as const)(
    'rejects %s before impact start',
    (field) => {
      const error = caught(() => validateLifecycle(times({ impactStartedAt: T1, [field]: T0 }), NOW));
      expect(error.field).toBe(field);
    },
  );

  it('rejects acknowledgement before detection', () => {
    const error = caught(() => validateLifecycle(times({ detectedAt: T1, acknowledgedAt: T0 }), NOW));
    expect(error.code).toBe('DEBRIEF_ERR_LIFECYCLE_ORDER');
    expect(error.field).toBe('acknowledgedAt');
    expect(error.message).toContain('is before detectedAt');
  });

  it('rejects resolution before mitigation', () => {
    const error = caught(() => validateLifecycle(times({ mitigatedAt: T2, resolvedAt: T1 }), NOW));
    expect(error.field).toBe('resolvedAt');
    expect(error.message).toContain('is before mitigatedAt');
  });

  it('rejects resolution before detection', () => {
    const error = caught(() => validateLifecycle(times({ detectedAt: T2, resolvedAt: T1 }), NOW));
    expect(error.field).toBe('resolvedAt');
    expect(error.message).toContain('is before detectedAt');
  });

  it('accepts equal times', () => {
    expect(() =>
      validateLifecycle(
        times({ impactStartedAt: T0, detectedAt: T0, acknowledgedAt: T0, mitigatedAt: T0, resolvedAt: T0 }),
        NOW,
      ),
    ).not.toThrow();
  });

  it('compares instants, not the text of differently zoned inputs', () => {
    // 10:30+01:00 is 09:30Z, before the 10:00Z impact start, although it sorts after it as text.
    const error = caught(() =>
      validateLifecycle(times({ impactStartedAt: T0, detectedAt: '2026-01-01T10:30:00+01:00' }), NOW),
    );
    expect(error.field).toBe('detectedAt');
  });

  it('tolerates up to five minutes of clock skew into the future', () => {
    expect(() => validateLifecycle(times({ resolvedAt: '2026-01-01T12:05:00Z' }), NOW)).not.toThrow();
    const error = caught(() => validateLifecycle(times({ resolvedAt: '2026-01-01T12:05:00.001Z' }), NOW));
    expect(error.code).toBe('DEBRIEF_ERR_LIFECYCLE_ORDER');
    expect(error.field).toBe('resolvedAt');
    expect(error.message).toBe(
      'resolvedAt (2026-01-01T12:05:00.001Z) is more than 5 minutes after now (2026-01-01T12:00:00.000Z)',
    );
  });

  it('reports an unparseable time as a validation error on that field', () => {
    const error = caught(() => validateLifecycle(times({ detectedAt: 'yesterday' }), NOW));
    expect(error.code).toBe('DEBRIEF_ERR_VALIDATION');
    expect(error.field).toBe('detectedAt');
  });
});

describe('normalizeTimestamp', () => {
  it.each([
    ['2026-01-01T10:00:00Z', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T10:00:00.123Z', '2026-01-01T10:00:00.123Z'],
    ['2026-01-01T10:00:00.123456789Z', '2026-01-01T10:00:00.123Z'],
    ['2026-01-01T10:00:00.5Z', '2026-01-01T10:00:00.500Z'],
    ['2026-01-01T10:00Z', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T12:00:00+02:00', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T12:00:00+0200', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T05:30:00-04:30', '2026-01-01T10:00:00.000Z'],
    ['2026-01-01T00:30:00+01:00', '2025-12-31T23:30:00.000Z'],
    ['2024-02-29T10:00:00z', '2024-02-29T10:00:00.000Z'],
    ['2026-01-01t10:00:00Z', '2026-01-01T10:00:00.000Z'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normalizeTimestamp(input, 'detectedAt')).toBe(expected);
  });

  it.each([
    '2026-01-01T10:00:00',
    '2026-01-01',
    '2026-01-01 10:00:00Z',
    'not a date',
    '',
    '1767261600000',
    '2026-02-29T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T10:60:00Z',
    '2026-01-01T10:00:61Z',
    '2026-01-01T10:00:00+25:00',
  ])('rejects %j with the field named', (input) => {
    const error = caught(() => normalizeTimestamp(input, 'impactStartedAt'));
    expect(error.code).toBe('DEBRIEF_ERR_VALIDATION');
    expect(error.field).toBe('impactStartedAt');
    expect(error.message).toMatch(/^impactStartedAt: /);
  });
});

describe('lifecycle markers', () => {
  it('maps each lifecycle field to its marker and back', () => {
    expect(markerForLifecycleField('impactStartedAt')).toBe('impact_start');
    expect(markerForLifecycleField('detectedAt')).toBe('detected');
    expect(markerForLifecycleField('acknowledgedAt')).toBe('acknowledged');
    expect(markerForLifecycleField('mitigatedAt')).toBe('mitigated');
    expect(markerForLifecycleField('resolvedAt')).toBe('resolved');
    for (const field of LIFECYCLE_FIELDS) expect(lifecycleFieldForMarker(markerForLifecycleField(field))).toBe(field);
  });

  it('has no lifecycle field for key moments', () => {
    expect(lifecycleFieldForMarker('key_moment')).toBeNull();
    expect(MARKERS.filter((m) => lifecycleFieldForMarker(m) === null)).toEqual(['key_moment']);
  });
});
