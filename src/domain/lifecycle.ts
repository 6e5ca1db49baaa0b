import { DebriefError, validationError } from './errors.js';
import {
  LIFECYCLE_FIELDS,
  type Incident,
  type IncidentStatus,
  type LifecycleField,
  type LifecycleTimes,
  type Marker,
} from './types.js';

const TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  investigating: ['mitigated', 'resolved'],
  // Back to investigating when the mitigation did not hold (a regression).
  mitigated: ['resolved', 'investigating'],
  resolved: ['closed', 'investigating'],
  closed: ['investigating'],
};

/**
 * Statuses an incident may move to from `from`. Staying in the same status is not a transition.
 *
 * @example
 * allowedTransitions('closed'); // ['investigating']
 */
export function allowedTransitions(from: IncidentStatus): readonly IncidentStatus[] {
  return TRANSITIONS[from];
}

/** Fields a status change may write. */
export type StatusPatch = Partial<LifecycleTimes & { status: IncidentStatus; closedAt: string | null }>;

/** What a status change does to an incident, computed before anything is written. */
export interface StatusChangePlan {
  patch: StatusPatch;
  /** Marker for the `status` timeline event, when this change records a lifecycle moment. */
  marker: Marker | null;
  /** True when a resolved or closed incident goes back to investigating. */
  reopened: boolean;
}

/**
 * Plans moving an incident to status `to` at time `at`.
 *
 * Lifecycle times already recorded (for example from a marked timeline event) are kept: they are usually more
 * precise than the moment someone clicked the status button. The marker is only returned when this change
 * records the time, so the timeline never carries two `mitigated` or `resolved` markers.
 *
 * @example
 * planStatusChange({ status: 'investigating', mitigatedAt: null, resolvedAt: null, closedAt: null, ... }, 'resolved', at);
 * // { patch: { status: 'resolved', resolvedAt: at, mitigatedAt: at }, marker: 'resolved', reopened: false }
 * @throws DebriefError DEBRIEF_ERR_INVALID_TRANSITION (field `status`) when the move is not allowed;
 *   DEBRIEF_ERR_VALIDATION (field `at`) when `at` is not a zoned ISO-8601 timestamp.
 */
export function planStatusChange(
  incident: Pick<Incident, 'status' | LifecycleField | 'closedAt'>,
  to: IncidentStatus,
  at: string,
): StatusChangePlan {
  const from = incident.status;
  const allowed = allowedTransitions(from);
  if (!allowed.includes(to)) {
    const already = from === to ? ` (it is already ${to})` : '';
    throw new DebriefError(
      'DEBRIEF_ERR_INVALID_TRANSITION',
      `cannot move from ${from} to ${to}${already}; allowed: ${allowed.join(', ')}`,
      { field: 'status' },
    );
  }
  const time = normalizeTimestamp(at, 'at');

  switch (to) {
    case 'mitigated':
      if (incident.mitigatedAt !== null) return { patch: { status: to }, marker: null, reopened: false };
      return { patch: { status: to, mitigatedAt: time }, marker: 'mitigated', reopened: false };
    case 'resolved': {
      const patch: StatusPatch = { status: to };
      if (incident.mitigatedAt === null) patch.mitigatedAt = time;
      if (incident.resolvedAt !== null) return { patch, marker: null, reopened: false };
      patch.resolvedAt = time;
      return { patch, marker: 'resolved', reopened: false };
    }
    case 'closed':
      return { patch: { status: to, closedAt: time }, marker: null, reopened: false };
    case 'investigating':
      if (from === 'mitigated') {
        return { patch: { status: to, mitigatedAt: null }, marker: null, reopened: false };
      }
      return { patch: { status: to, resolvedAt: null, closedAt: null }, marker: null, reopened: true };
  }
}

/** How far ahead of the server clock a lifecycle time may be, to absorb clock skew between machines. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Pairs (later, earlier) that must not be out of order, beyond "nothing before impact start". */
const ORDER_RULES: readonly (readonly [LifecycleField, LifecycleField])[] = [
  ['acknowledgedAt', 'detectedAt'],
  ['resolvedAt', 'mitigatedAt'],
  ['resolvedAt', 'detectedAt'],
];

/**
 * Checks that lifecycle times are in a possible order: nothing before impact start, acknowledgement not before
 * detection, resolution not before mitigation or detection, and nothing more than five minutes ahead of `now`.
 * Mitigation before detection is allowed: automation sometimes fixes things before a human notices.
 * Fields are checked in lifecycle order, so the first offending field is the one reported.
 *
 * @example
 * validateLifecycle({ impactStartedAt: '2026-01-01T11:00:00Z', detectedAt: '2026-01-01T10:00:00Z', ... }, now);
 * // throws: detectedAt (2026-01-01T10:00:00.000Z) is before impactStartedAt (2026-01-01T11:00:00.000Z)
 * @throws DebriefError DEBRIEF_ERR_LIFECYCLE_ORDER with `field` set to the offending field;
 *   DEBRIEF_ERR_VALIDATION when a time is not a zoned ISO-8601 timestamp.
 */
export function validateLifecycle(times: LifecycleTimes, now: string): void {
  const nowIso = normalizeTimestamp(now, 'now');
  const latest = Date.parse(nowIso) + FUTURE_TOLERANCE_MS;
  const normalized: Partial<Record<LifecycleField, string>> = {};
  for (const field of LIFECYCLE_FIELDS) {
    const value = times[field];
    if (value !== null) normalized[field] = normalizeTimestamp(value, field);
  }

  for (const field of LIFECYCLE_FIELDS) {
    const value = normalized[field];
    if (value === undefined) continue;
    const earlierFields: LifecycleField[] = [];
    if (field !== 'impactStartedAt') earlierFields.push('impactStartedAt');
    for (const [later, earlier] of ORDER_RULES) if (later === field) earlierFields.push(earlier);
    for (const earlier of earlierFields) {
      const bound = normalized[earlier];
      if (bound !== undefined && value < bound) {
        throw orderError(field, `${field} (${value}) is before ${earlier} (${bound})`);
      }
    }
    if (Date.parse(value) > latest) {
      throw orderError(field, `${field} (${value}) is more than 5 minutes after now (${nowIso})`);
    }
  }
}

function orderError(field: LifecycleField, message: string): DebriefError {
  return new DebriefError('DEBRIEF_ERR_LIFECYCLE_ORDER', message, { field });
}

const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))$/i;

/**
 * Parses an ISO-8601 timestamp that carries a zone (`Z` or `±hh:mm`) and returns it in UTC `toISOString()` form.
 * Times without a zone are refused: guessing the zone of an incident timestamp silently shifts the timeline.
 * Fractions beyond milliseconds are truncated.
 *
 * @example
 * normalizeTimestamp('2026-01-01T12:00:00+02:00', 'detectedAt'); // '2026-01-01T10:00:00.000Z'
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with `field` when the value is not a valid zoned timestamp.
 */
export function normalizeTimestamp(value: string, field: string): string {
  const match = TIMESTAMP_PATTERN.exec(value.trim());
  if (!match) {
    throw validationError(
      field,
      `expected an ISO-8601 timestamp with a time zone (e.g. 2026-01-01T10:00:00Z), got ${JSON.stringify(value)}`,
    );
  }
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone = 'Z', sign, oh = '0', om = '0'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMinutes > 59
  ) {
    throw validationError(field, `${JSON.stringify(value)} is not a valid date and time`);
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const offset = zone.toUpperCase() === 'Z' ? 0 : (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute - offset, second, millis);
  return utc.toISOString();
}

/** How people read each marker: on the timeline, in drafts and in exports. */
export const MARKER_LABELS: Readonly<Record<Marker, string>> = {
  impact_start: 'Impact start',
  detected: 'Detected',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  key_moment: 'Key moment',
};

/** Markers that stand for a lifecycle time (every marker except `key_moment`). */
export type LifecycleMarker = Exclude<Marker, 'key_moment'>;

const MARKER_BY_FIELD: Readonly<Record<LifecycleField, LifecycleMarker>> = {
  impactStartedAt: 'impact_start',
  detectedAt: 'detected',
  acknowledgedAt: 'acknowledged',
  mitigatedAt: 'mitigated',
  resolvedAt: 'resolved',
};

const FIELD_BY_MARKER: Readonly<Record<Marker, LifecycleField | null>> = {
  impact_start: 'impactStartedAt',
  detected: 'detectedAt',
  acknowledged: 'acknowledgedAt',
  mitigated: 'mitigatedAt',
  resolved: 'resolvedAt',
  key_moment: null,
};

/**
 * The timeline marker that records a lifecycle field.
 *
 * @example
 * markerForLifecycleField('impactStartedAt'); // 'impact_start'
 */
export function markerForLifecycleField(field: LifecycleField): LifecycleMarker {
  return MARKER_BY_FIELD[field];
}

/**
 * The lifecycle field a timeline marker sets, or null for markers that set none (`key_moment`).
 *
 * @example
 * lifecycleFieldForMarker('detected'); // 'detectedAt'
 */
export function lifecycleFieldForMarker(marker: Marker): LifecycleField | null {
  return FIELD_BY_MARKER[marker];
}
