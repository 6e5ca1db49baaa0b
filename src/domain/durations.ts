import { validationError } from './errors.js';
import type { IncidentDurations, LifecycleField, LifecycleTimes } from './types.js';

/**
 * Whole seconds from `start` to `end`, or null when either end is unknown or unparseable, or when the end is
 * before the start: a negative duration in stored data is an ordering mistake, and letting it into averages
 * would make an organisation look faster than it is.
 */
function secondsBetween(times: LifecycleTimes, start: LifecycleField, end: LifecycleField): number | null {
  const from = times[start];
  const to = times[end];
  if (from === null || to === null) return null;
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return null;
  return Math.floor(ms / 1000);
}

/**
 * Response durations of one incident, in whole seconds (rounded down). Detection, mitigation and resolution are
 * measured from impact start; acknowledgement from detection.
 *
 * @example
 * computeDurations({ impactStartedAt: '2026-01-01T10:00:00Z', detectedAt: '2026-01-01T10:04:00Z', ... });
 * // { timeToDetectSeconds: 240, ... }
 */
export function computeDurations(times: LifecycleTimes): IncidentDurations {
  return {
    timeToDetectSeconds: secondsBetween(times, 'impactStartedAt', 'detectedAt'),
    timeToAcknowledgeSeconds: secondsBetween(times, 'detectedAt', 'acknowledgedAt'),
    timeToMitigateSeconds: secondsBetween(times, 'impactStartedAt', 'mitigatedAt'),
    timeToResolveSeconds: secondsBetween(times, 'impactStartedAt', 'resolvedAt'),
  };
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Formats a duration for people, with at most two units, rounding down. A zero second unit is left out.
 *
 * @example
 * formatDuration(45); // '45s'
 * formatDuration(720); // '12m'
 * formatDuration(3900); // '1h 05m'
 * formatDuration(183600); // '2d 3h'
 * @throws DebriefError DEBRIEF_ERR_VALIDATION (field `seconds`) when `seconds` is not a finite number.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    throw validationError('seconds', `duration must be a finite number, got ${String(seconds)}`);
  }
  if (seconds < 0) return `-${formatDuration(-seconds)}`;
  const s = Math.floor(seconds);
  if (s < MINUTE) return `${s}s`;
  if (s < HOUR) return `${Math.floor(s / MINUTE)}m`;
  if (s < DAY) {
    const minutes = Math.floor((s % HOUR) / MINUTE);
    const hours = `${Math.floor(s / HOUR)}h`;
    return minutes === 0 ? hours : `${hours} ${String(minutes).padStart(2, '0')}m`;
  }
  const hours = Math.floor((s % DAY) / HOUR);
  const days = `${Math.floor(s / DAY)}d`;
  return hours === 0 ? days : `${days} ${hours}h`;
}
