import { validationError } from './errors.js';

const KEY_PREFIX = 'INC-';
const KEY_PATTERN = /^INC-([1-9][0-9]*)$/i;

/**
 * Formats an incident sequence number as its human key.
 *
 * @example
 * formatIncidentKey(42); // 'INC-42'
 * @throws DebriefError DEBRIEF_ERR_VALIDATION (field `number`) unless `n` is a positive safe integer.
 */
export function formatIncidentKey(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw validationError('number', `incident number must be a positive integer, got ${String(n)}`);
  }
  return `${KEY_PREFIX}${n}`;
}

/**
 * Parses an incident key back to its sequence number. Case-insensitive and tolerant of surrounding whitespace,
 * because people type keys into search boxes and chat; leading zeros are refused so that every number has exactly
 * one key.
 *
 * @example
 * parseIncidentKey('inc-42'); // 42
 * parseIncidentKey('INC-042'); // null
 * @returns the number, or null when `s` is not a key.
 */
export function parseIncidentKey(s: string): number | null {
  const match = KEY_PATTERN.exec(s.trim());
  if (!match?.[1]) return null;
  const n = Number(match[1]);
  return Number.isSafeInteger(n) ? n : null;
}
