/**
 * Dates and times as people write them at the start of a timeline entry: `14:05 UTC`, `2:54 PM PST`,
 * `2021-05-26 14:05`, `May 26, 2021, 10:00 AM`, `Sun Oct 31 21:33`, `[03-26 23:04]`, `19. April, 11:00`,
 * `2021-05-09T23:02:01Z`, `~13:30-13:45` (a range: its start counts).
 */
import { parseZoneToken, type Zone } from './zones.js';

/** A calendar day; `year` is absent when the text left it out ("Oct 30th"). */
export interface CalendarDate {
  year?: number;
  month: number;
  day: number;
}

/** A calendar day whose year is known. */
export type FullDate = Required<CalendarDate>;

/** A 24-hour wall-clock time. */
export interface ClockTime {
  hour: number;
  minute: number;
  second: number;
}

/** What a timestamp at the start of a text states, and where the text after it begins. */
export interface Timestamp {
  date?: CalendarDate;
  time?: ClockTime;
  zone?: Zone;
  /** Index in the input just past the timestamp. */
  end: number;
}

/** How to read an all-numeric date such as `04/05/2021`. */
export interface DateReading {
  /** Day before month (`31/12/2021`); otherwise month first, the US order, unless the first number exceeds 12. */
  dayFirst: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAME = String.raw`(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?`;
const ORDINAL = String.raw`(?:st|nd|rd|th)?`;

const ISO_DATE = /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/y;
const NUMERIC_DATE = /(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/])/y;
const DOTTED_DATE = /(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)/y;
/** Month and day without a year, accepted only right before a time: `[03-26 23:04]`. */
const SHORT_NUMERIC_DATE = /(\d{1,2})[/-](\d{1,2})(?=\s+\d{1,2}:\d{2})/y;
const MONTH_DAY = new RegExp(
  String.raw`(${MONTH_NAME})\s+(\d{1,2})${ORDINAL}(?:\s*[-–]\s*\d{1,2}${ORDINAL})?(?:,?\s+(\d{4}))?(?![\d\w])`,
  'iy',
);
const DAY_MONTH = new RegExp(
  String.raw`(\d{1,2})${ORDINAL}\.?\s+(?:of\s+)?(${MONTH_NAME})(?:,?\s+(\d{4}))?(?![\d\w])`,
  'iy',
);
const WEEKDAY =
  /(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)\.?(?!\w)/iy;
const CLOCK = /(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s?([AaPp])\.?[Mm]\.?)?(?!(?!Z)\w|:\d)/y;
const CLOCK_HOUR_ONLY = /(\d{1,2})\s?([AaPp])\.?[Mm]\.?(?![\w])/y;
const ZULU = /Z(?![\w])/y;
/** The end of a range (`-2:00`, ` - 8:24`, `-12:??`, ` to 18:00`); only its start is kept. */
const RANGE_END = /\s*(?:-|–|—|to\b)\s*~?\d{1,2}:(?:\d{2}|\?{1,2})(?:\s?[AaPp]\.?[Mm]\.?)?(?![\w:])/y;
/** What may stand between the parts of one timestamp, including "about" words before a time. */
const SEPARATOR =
  /(?:\s*[-–—]\s+|[\s,:]*(?:@|\bat\b|\bon\b|T(?=\d)|\()?)\s*(?:(?:~|≈|\bca\.|\bcirca\b|\bapprox(?:\.|imately)?|\baround\b)\s*)?/iy;
const LEADING = /\s*(?:[[(~≈]\s*|(?:ca\.|circa|approx(?:\.|imately)?|around)\s+)*/iy;

function stickyMatch(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

function validDate(year: number | undefined, month: number, day: number): CalendarDate | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (year !== undefined) {
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCMonth() !== month - 1) return null;
    return { year, month, day };
  }
  return { month, day };
}

function monthIndex(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function startsUpperCase(text: string): boolean {
  return text[0] !== undefined && text[0] === text[0].toUpperCase();
}

function expandYear(text: string): number {
  const year = Number(text);
  return text.length === 2 ? 2000 + year : year;
}

/** A date starting exactly at `at`, with its end index. */
function dateAt(text: string, at: number, reading: DateReading): { date: CalendarDate; end: number } | null {
  let m = stickyMatch(ISO_DATE, text, at);
  if (m) {
    const date = validDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return date ? { date, end: at + m[0].length } : null;
  }
  m = stickyMatch(NUMERIC_DATE, text, at);
  if (m) {
    const first = Number(m[1]);
    const second = Number(m[3]);
    const dayFirst = first > 12 || (reading.dayFirst && second <= 12);
    const date = validDate(expandYear(m[4] ?? ''), dayFirst ? second : first, dayFirst ? first : second);
    return date ? { date, end: at + m[0].length } : null;
  }
  m = stickyMatch(DOTTED_DATE, text, at);
  if (m) {
    const date = validDate(Number(m[3]), Number(m[2]), Number(m[1]));
    return date ? { date, end: at + m[0].length } : null;
  }
  m = stickyMatch(MONTH_DAY, text, at);
  if (m && startsUpperCase(m[1] ?? '')) {
    const date = validDate(m[3] ? Number(m[3]) : undefined, monthIndex(m[1] ?? ''), Number(m[2]));
    return date ? { date, end: at + m[0].length } : null;
  }
  m = stickyMatch(DAY_MONTH, text, at);
  if (m && startsUpperCase(m[2] ?? '')) {
    const date = validDate(m[3] ? Number(m[3]) : undefined, monthIndex(m[2] ?? ''), Number(m[1]));
    return date ? { date, end: at + m[0].length } : null;
  }
  m = stickyMatch(SHORT_NUMERIC_DATE, text, at);
  if (m) {
    const first = Number(m[1]);
    const second = Number(m[2]);
    const dayFirst = first > 12 || (reading.dayFirst && second <= 12);
    const date = validDate(undefined, dayFirst ? second : first, dayFirst ? first : second);
    return date ? { date, end: at + m[0].length } : null;
  }
  return null;
}

function to24Hour(hour: number, meridiem: string | undefined): number {
  // "13:55 PM" happens: a 24-hour time with a stray meridiem keeps its hour.
  if (!meridiem || hour > 12) return hour;
  const pm = meridiem.toLowerCase() === 'p';
  return (hour % 12) + (pm ? 12 : 0);
}

/** A time of day starting exactly at `at`, with its end index (a trailing range end is consumed). */
function timeAt(text: string, at: number): { time: ClockTime; end: number } | null {
  let end: number;
  let time: ClockTime;
  const clock = stickyMatch(CLOCK, text, at);
  if (clock) {
    time = { hour: to24Hour(Number(clock[1]), clock[4]), minute: Number(clock[2]), second: Number(clock[3] ?? '0') };
    end = at + clock[0].length;
  } else {
    const hourOnly = stickyMatch(CLOCK_HOUR_ONLY, text, at);
    if (!hourOnly) return null;
    time = { hour: to24Hour(Number(hourOnly[1]), hourOnly[2]), minute: 0, second: 0 };
    end = at + hourOnly[0].length;
  }
  if (time.hour > 23 || time.minute > 59 || time.second > 59) return null;
  // `16:10:00-07:00` is an ISO offset, not a range.
  const range = clock?.[3] === undefined ? stickyMatch(RANGE_END, text, end) : null;
  if (range) end += range[0].length;
  if (text[end] === '~') end += 1;
  return { time, end };
}

/**
 * Reads the timestamp at the start of `text`: any combination of weekday, date, time and zone, in any order, each
 * at most once. Returns null when the text does not start with a date or a time.
 *
 * @example
 * parseTimestamp('12:45 PM PST Saturday Oct 30th: First wave', { dayFirst: false });
 * // { time: { hour: 12, minute: 45, second: 0 }, zone: <Los Angeles>, date: { month: 10, day: 30 }, end: 33 }
 */
export function parseTimestamp(text: string, reading: DateReading): Timestamp | null {
  const result: Timestamp = { end: 0 };
  let at = stickyMatch(LEADING, text, 0)?.[0].length ?? 0;
  let first = true;
  for (;;) {
    const from = first ? at : at + (stickyMatch(SEPARATOR, text, at)?.[0].length ?? 0);
    const part = partAt(text, from, result, reading);
    if (!part) break;
    at = part;
    result.end = part;
    first = false;
  }
  if (!result.date && !result.time) return null;
  const closing = /[\])]*/y;
  closing.lastIndex = result.end;
  result.end += closing.exec(text)?.[0].length ?? 0;
  return result;
}

/** Reads one more part of a timestamp at `at` into `result`; returns its end, or null when nothing fits. */
function partAt(text: string, at: number, result: Timestamp, reading: DateReading): number | null {
  const weekday = stickyMatch(WEEKDAY, text, at);
  if (weekday) {
    const end = at + weekday[0].length;
    const next = end + (stickyMatch(SEPARATOR, text, end)?.[0].length ?? 0);
    if ((!result.date && dateAt(text, next, reading)) || (!result.time && timeAt(text, next))) return end;
  }
  if (!result.date) {
    const date = dateAt(text, at, reading);
    if (date) {
      result.date = date.date;
      return date.end;
    }
  }
  if (!result.time) {
    const time = timeAt(text, at);
    if (time) {
      result.time = time.time;
      const zulu = stickyMatch(ZULU, text, time.end);
      if (zulu) {
        result.zone = { kind: 'offset', minutes: 0 };
        return time.end + 1;
      }
      return time.end;
    }
  }
  if (!result.zone && (result.time || result.date)) {
    const zone = parseZoneToken(text.slice(at));
    if (zone) {
      result.zone = zone.zone;
      return at + zone.length;
    }
  }
  return null;
}

/**
 * The first complete date (one with a year) anywhere in `text`, e.g. in "On May 9th 2021 at 6:48AM PDT" or
 * "## Timeline (PST) 4/21/23-4/25/23".
 */
export function findDate(text: string, reading: DateReading): FullDate | null {
  const candidates = /(?<![\w.:/-])(?:\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))/g;
  for (const match of text.matchAll(candidates)) {
    const found = dateAt(text, match.index, reading);
    if (found?.date.year !== undefined) return found.date as FullDate;
  }
  return null;
}

/**
 * Whether a document writes its all-numeric dates day first: true when some date such as `26/05/2021` can only be
 * read that way and none can only be read month first.
 */
export function prefersDayFirst(text: string): boolean {
  let dayFirst = false;
  for (const match of text.matchAll(/(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(?:\d{4}|\d{2})(?![\d/.-])/g)) {
    const first = Number(match[1]);
    const second = Number(match[3]);
    if (second > 12 && first <= 12) return false;
    if (first > 12 && second <= 12) dayFirst = true;
  }
  return dayFirst;
}

/** Days since 1970-01-01 of a full date; convenient for comparing and shifting dates. */
export function dayNumber(date: FullDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / 86_400_000;
}

/** The full date `days` days after `date`. */
export function addDays(date: FullDate, days: number): FullDate {
  const shifted = new Date((dayNumber(date) + days) * 86_400_000);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/**
 * Completes a date without a year with the year that puts it closest to `near` ("Dec 5" near 2019-03-26 is
 * 2018-12-05), or with `fallbackYear` when there is nothing to be near.
 */
export function completeYear(date: CalendarDate, near: FullDate | undefined, fallbackYear?: number): FullDate | null {
  if (date.year !== undefined) return date as FullDate;
  if (!near) {
    if (fallbackYear === undefined) return null;
    return validDate(fallbackYear, date.month, date.day) as FullDate | null;
  }
  let best: FullDate | null = null;
  for (const year of [near.year - 1, near.year, near.year + 1]) {
    const candidate = validDate(year, date.month, date.day) as FullDate | null;
    if (!candidate) continue;
    if (!best || Math.abs(dayNumber(candidate) - dayNumber(near)) < Math.abs(dayNumber(best) - dayNumber(near))) {
      best = candidate;
    }
  }
  return best;
}
