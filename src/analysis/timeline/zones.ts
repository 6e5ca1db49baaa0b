/**
 * Time zones as postmortem authors write them, and the conversion of a local wall-clock time to UTC.
 *
 * Named abbreviations resolve to the region they belong to, not to a fixed offset: authors write "all times PST"
 * or "all times in CET" all year round and mean their local time, so "14:00 PST" on a July day is 14:00 in Los
 * Angeles (UTC-7). Where an author spells out an offset (`UTC+2`, `-0700`) that offset is used as given.
 * `CST`/`CT` are read as US Central time, the common meaning in English-language incident reports.
 */

/** A zone is either a fixed offset from UTC or an IANA region whose offset follows its daylight-saving rules. */
export type Zone = { kind: 'offset'; minutes: number } | { kind: 'region'; timeZone: string };

/** UTC, the zone of a timestamp that states none and follows no zone statement. */
export const UTC: Zone = { kind: 'offset', minutes: 0 };

const REGIONS: Record<string, string> = {
  PT: 'America/Los_Angeles',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  MT: 'America/Denver',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  CT: 'America/Chicago',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  ET: 'America/New_York',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CET: 'Europe/Berlin',
  CEST: 'Europe/Berlin',
  BST: 'Europe/London',
};

const SPELLED_OUT: [RegExp, string][] = [
  [/\bPacific\b/i, 'America/Los_Angeles'],
  [/\bMountain\b/i, 'America/Denver'],
  [/\bEastern\b/i, 'America/New_York'],
  [/\bCentral European\b/i, 'Europe/Berlin'],
];

/**
 * A zone token: `UTC`, `GMT`, `UTC+2`, `GMT-07:00`, `+02:00`, `-0700`, or an upper-case abbreviation such as `PST`
 * or `CEST`. Abbreviations are matched in upper case only, so that words like "et" or "pt" never read as zones.
 */
const ZONE_TOKEN =
  /^(?:(?<utc>UTC|GMT)(?:\s*(?<utcOffset>[+\-\u2212]\s*\d{1,2}(?::?\d{2})?))?|(?<offset>[+\-\u2212]\d{2}:?\d{2})|(?<abbr>[A-Z]{2,4}))(?!\w)/;

/**
 * Parses a zone token at the start of `text`, optionally in parentheses (`(UTC)`); returns the zone and the number
 * of characters it spans.
 */
export function parseZoneToken(text: string): { zone: Zone; length: number } | null {
  const parenthesised = /^\(\s*/.exec(text);
  const start = parenthesised ? parenthesised[0].length : 0;
  const match = ZONE_TOKEN.exec(text.slice(start).replace(/^(utc|gmt)/i, (word) => word.toUpperCase()));
  const groups = match?.groups;
  if (!match || !groups) return null;
  let length = start + match[0].length;
  if (parenthesised) {
    const closing = /^\s*\)/.exec(text.slice(length));
    if (!closing) return null;
    length += closing[0].length;
  }
  let zone: Zone | null = null;
  if (groups.utc) zone = groups.utcOffset ? offsetZone(groups.utcOffset) : UTC;
  else if (groups.offset) zone = offsetZone(groups.offset);
  else if (groups.abbr) {
    const region = REGIONS[groups.abbr];
    zone = region ? { kind: 'region', timeZone: region } : null;
  }
  return zone ? { zone, length } : null;
}

function offsetZone(text: string): Zone | null {
  const match = /^([+\-\u2212])\s*(\d{1,2}):?(\d{2})?$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? '0');
  if (hours > 14 || minutes > 59) return null;
  const sign = match[1] === '+' ? 1 : -1;
  return { kind: 'offset', minutes: sign * (hours * 60 + minutes) };
}

/**
 * The zone a sentence such as "All times in PDT (UTC-7)" or "Time (Pacific)" states, or null. The first zone
 * mentioned wins; spelled-out region names ("Pacific", "Central European Time") are recognised too.
 */
export function findZoneMention(text: string): Zone | null {
  const token = /(?<![\w+-])(?:[Uu][Tt][Cc]|[Gg][Mm][Tt]|[A-Z]{2,4}|[+-]\d{2}:?\d{2})(?!\w)/g;
  let earliest: { index: number; zone: Zone } | null = null;
  for (const match of text.matchAll(token)) {
    const parsed = parseZoneToken(text.slice(match.index));
    if (parsed) {
      earliest = { index: match.index, zone: parsed.zone };
      break;
    }
  }
  for (const [pattern, timeZone] of SPELLED_OUT) {
    const match = pattern.exec(text);
    if (match && (!earliest || match.index < earliest.index))
      earliest = { index: match.index, zone: { kind: 'region', timeZone } };
  }
  return earliest?.zone ?? null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Minutes the region's clocks are ahead of UTC at the instant `utcMs`. */
function regionOffsetMinutes(timeZone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wallClock = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return Math.round((wallClock - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

const DAY_MS = 86_400_000;

/**
 * The UTC instant of a wall-clock time in `zone`. `localMs` is the wall-clock time encoded as if it were UTC
 * (`Date.UTC(year, month - 1, day, hour, minute, second)`). A time that happens twice when clocks go back is read
 * as the first of the two; a time skipped when clocks go forward is read with the offset in force before the skip.
 */
export function localToUtc(localMs: number, zone: Zone): number {
  if (zone.kind === 'offset') return localMs - zone.minutes * 60_000;
  const before = regionOffsetMinutes(zone.timeZone, localMs - DAY_MS);
  const after = regionOffsetMinutes(zone.timeZone, localMs + DAY_MS);
  for (const offset of [before, after]) {
    const instant = localMs - offset * 60_000;
    if (regionOffsetMinutes(zone.timeZone, instant) === offset) return instant;
  }
  return localMs - before * 60_000;
}
