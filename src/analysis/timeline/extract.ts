/**
 * Extraction of the timestamped events of a postmortem's Timeline / Chronology section.
 */
import { plainText, stripInlineMarkup } from './inline.js';
import {
  hasPipe,
  isListItem,
  isTableDelimiter,
  scanMarkdown,
  tableCells,
  withoutListMarker,
  type MarkdownDocument,
} from './markdown.js';
import { durationsFrom, inferMarkers } from './markers.js';
import { findTimelineSections, type Section } from './sections.js';
import {
  addDays,
  completeYear,
  dayNumber,
  findDate,
  parseTimestamp,
  prefersDayFirst,
  type DateReading,
  type FullDate,
  type Timestamp,
} from './time-parse.js';
import type { ExtractTimelineOptions, ExtractedEvent, TimelineExtraction } from './types.js';
import { findZoneMention, localToUtc, UTC, type Zone } from './zones.js';

/** A time-only entry more than this far before the previous one is on the next day (23:55, then 00:40). */
const ROLLOVER_MINUTES = 6 * 60;

/** Zone statements are short sentences about times: "All times in PDT (UTC-7).", "Time (Pacific)". */
const ZONE_STATEMENT = /\btimes?\b|\bzone\b/i;
const ZONE_STATEMENT_MAX_LENGTH = 160;

/** Table columns that hold the timestamp, by their header. */
const TIME_COLUMN = /\b(?:time|date|day|when|timestamp|hour)s?\b/i;

/** What the document says outside the timeline that entries fall back on. */
interface DocumentFacts {
  reading: DateReading;
  /** Front matter date, else the title's date, else the first date in the text, else `referenceDate`. */
  date?: FullDate;
  /** Zone of a document-wide statement such as "All times PDT.". */
  zone?: Zone;
  defaultYear?: number;
  references: ReadonlySet<string>;
}

/**
 * A list item, or a paragraph line that starts with a timestamp, with the lines that continue it. Lines before the
 * first such line of a paragraph form an item without a timestamp (prose).
 */
interface Item {
  line: number;
  /** Inline markup already stripped (code spans kept). */
  content: string;
  stamp: Timestamp | null;
  continuation: string[];
}

type Block =
  | { kind: 'heading'; line: number; level: number; content: string; stamp: Timestamp | null }
  | { kind: 'table'; header: string[]; rows: { line: number; cells: string[] }[] }
  | { kind: 'group'; items: Item[] };

/** The reading position inside a section: the zone and day that time-only entries inherit. */
interface Cursor {
  zone: Zone;
  date?: FullDate;
  /** The day the section heading or its introduction states; entries dated before it are asides. */
  sectionDate?: FullDate;
  /** Minutes after midnight of the last time read on `date`, for day rollover. */
  lastMinutes?: number;
  seenEntry: boolean;
  undated: number;
  events: ExtractedEvent[];
}

/** Whether a block holds entries: a timestamped heading or line, or a table (whose rows are entries). */
function blockStamped(block: Block): boolean {
  if (block.kind === 'heading') return block.stamp !== null;
  if (block.kind === 'group') return block.items.some((item) => item.stamp !== null);
  return block.rows.length > 0;
}

function itemText(item: Item): string {
  const rest = item.stamp ? item.content.slice(item.stamp.end) : item.content;
  return plainText([rest, ...item.continuation].join(' '));
}

/** Splits a section body into headings, tables and groups of consecutive text lines. */
function readBlocks(document: MarkdownDocument, section: Section, facts: DocumentFacts): Block[] {
  const blocks: Block[] = [];
  const { lines } = document;
  const clean = (raw: string): string => stripInlineMarkup(raw, facts.references).trim();
  let group: Item[] | null = null;
  for (let index = section.bodyStart; index < section.end; index++) {
    const line = lines[index];
    if (!line) break;
    if (line.kind !== 'text') {
      group = null;
      if (line.heading) {
        const content = clean(line.heading.text);
        const stamp = parseTimestamp(content, facts.reading);
        blocks.push({ kind: 'heading', line: index + 1, level: line.heading.level, content, stamp });
      }
      continue;
    }
    const next = lines[index + 1];
    if (hasPipe(line.raw) && next?.kind === 'text' && isTableDelimiter(next.raw)) {
      group = null;
      const rows: { line: number; cells: string[] }[] = [];
      index += 2;
      for (; index < section.end && lines[index]?.kind === 'text' && hasPipe(lines[index]?.raw ?? ''); index++) {
        rows.push({ line: index + 1, cells: tableCells(lines[index]?.raw ?? '') });
      }
      index -= 1;
      blocks.push({ kind: 'table', header: tableCells(line.raw), rows });
      continue;
    }
    const content = clean(withoutListMarker(line.raw));
    const stamp = parseTimestamp(content, facts.reading);
    const current = group?.at(-1);
    if (current && !stamp && !isListItem(line.raw)) {
      current.continuation.push(content);
      continue;
    }
    if (!group) {
      group = [];
      blocks.push({ kind: 'group', items: group });
    }
    group.push({ line: index + 1, content, stamp, continuation: [] });
  }
  return blocks;
}

function minutesOf(stamp: Timestamp): number | undefined {
  return stamp.time ? stamp.time.hour * 60 + stamp.time.minute : undefined;
}

/**
 * Places a timestamp on the calendar, updating the cursor's inherited zone and day. Returns the UTC instant, or
 * null when no day can be found for it.
 */
function place(stamp: Timestamp, cursor: Cursor, facts: DocumentFacts, yearHint?: number): string | null {
  if (stamp.zone) cursor.zone = stamp.zone;
  let date: FullDate;
  const minutes = minutesOf(stamp);
  if (stamp.date) {
    const written =
      stamp.date.year === undefined && yearHint !== undefined ? { ...stamp.date, year: yearHint } : stamp.date;
    const completed = completeYear(written, cursor.date ?? facts.date, facts.defaultYear);
    if (!completed) return null;
    date = completed;
    const aside =
      minutes !== undefined && cursor.sectionDate !== undefined && dayNumber(date) < dayNumber(cursor.sectionDate);
    if (!aside) {
      cursor.date = date;
      cursor.lastMinutes = minutes;
    }
  } else {
    if (!cursor.date || minutes === undefined) return null;
    if (cursor.lastMinutes !== undefined && minutes < cursor.lastMinutes - ROLLOVER_MINUTES) {
      cursor.date = addDays(cursor.date, 1);
    }
    cursor.lastMinutes = minutes;
    date = cursor.date;
  }
  const time = stamp.time ?? { hour: 0, minute: 0, second: 0 };
  const local = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, time.second);
  return new Date(localToUtc(local, cursor.zone)).toISOString();
}

/** Records an entry as an event, or counts it as undated. */
function emit(
  stamp: Timestamp,
  text: string,
  line: number,
  cursor: Cursor,
  facts: DocumentFacts,
  yearHint?: number,
): void {
  cursor.seenEntry = true;
  const at = place(stamp, cursor, facts, yearHint);
  if (at === null) {
    cursor.undated += 1;
    return;
  }
  cursor.events.push(stamp.time ? { at, text, line } : { at, text, line, dateOnly: true });
}

/** Applies a sentence that is not an entry: a zone statement anywhere, a date in the section's introduction. */
function readProse(text: string, cursor: Cursor, facts: DocumentFacts): void {
  if (text.length <= ZONE_STATEMENT_MAX_LENGTH && ZONE_STATEMENT.test(text)) {
    const zone = findZoneMention(text);
    if (zone) cursor.zone = zone;
  }
  if (!cursor.seenEntry) {
    const date = findDate(text, facts.reading);
    if (date) {
      cursor.sectionDate = date;
      cursor.date = date;
      cursor.lastMinutes = undefined;
    }
  }
}

function readTable(block: Extract<Block, { kind: 'table' }>, cursor: Cursor, facts: DocumentFacts): void {
  let timeColumns = block.header.flatMap((cell, index) => (TIME_COLUMN.test(cell) ? [index] : []));
  if (timeColumns.length === 0) {
    const firstRow = block.rows[0]?.cells ?? [];
    const stamped = firstRow.findIndex((cell) =>
      parseTimestamp(stripInlineMarkup(cell, facts.references), facts.reading),
    );
    timeColumns = stamped < 0 ? [] : [stamped];
  }
  if (timeColumns.length === 0) return;
  const timeHeaders = timeColumns.map((index) => block.header[index] ?? '').join(' ');
  const headerZone = findZoneMention(timeHeaders);
  if (headerZone) cursor.zone = headerZone;
  const headerYear = /\b(?:19|20)\d{2}\b/.exec(timeHeaders);
  const yearHint = headerYear ? Number(headerYear[0]) : undefined;
  for (const row of block.rows) {
    const source = timeColumns.map((index) => stripInlineMarkup(row.cells[index] ?? '', facts.references)).join(' ');
    const stamp = parseTimestamp(source, facts.reading);
    if (!stamp) continue;
    const description = row.cells.filter((_, index) => !timeColumns.includes(index)).join(' ');
    const text = plainText(stripInlineMarkup(description, facts.references));
    if (text) emit(stamp, text, row.line, cursor, facts, yearHint);
  }
}

/**
 * The text an entry with an empty description borrows: the next group of lines, when none of them is an entry
 * itself. Returns '' when there is nothing to borrow.
 */
function borrowText(blocks: Block[], index: number, consumed: Set<number>): string {
  const next = blocks[index + 1];
  if (next?.kind !== 'group' || blockStamped(next)) return '';
  consumed.add(index + 1);
  return plainText(next.items.map((item) => [item.content, ...item.continuation].join(' ')).join(' '));
}

/** Whether a date-only heading introduces timed entries (a day heading) rather than being an entry itself. */
function headsEntries(blocks: Block[], index: number, level: number): boolean {
  for (const block of blocks.slice(index + 1)) {
    if (block.kind === 'heading' && block.level <= level) return false;
    if (blockStamped(block)) return true;
  }
  return false;
}

function readSection(document: MarkdownDocument, section: Section, facts: DocumentFacts): Cursor {
  const headingText = stripInlineMarkup(section.heading.text, facts.references);
  const cursor: Cursor = {
    zone: findZoneMention(headingText) ?? facts.zone ?? UTC,
    seenEntry: false,
    undated: 0,
    events: [],
  };
  if (facts.date) cursor.date = facts.date;
  const headingDate = findDate(headingText, facts.reading);
  if (headingDate) {
    cursor.sectionDate = headingDate;
    cursor.date = headingDate;
  }
  const blocks = readBlocks(document, section, facts);
  const consumed = new Set<number>();
  for (const [index, block] of blocks.entries()) {
    if (consumed.has(index)) continue;
    if (block.kind === 'table') {
      readTable(block, cursor, facts);
    } else if (block.kind === 'heading') {
      if (!block.stamp) {
        readProse(block.content, cursor, facts);
        continue;
      }
      const isDayHeading = !block.stamp.time && headsEntries(blocks, index, block.level);
      const text = isDayHeading
        ? ''
        : plainText(block.content.slice(block.stamp.end)) || borrowText(blocks, index, consumed);
      if (text) emit(block.stamp, text, block.line, cursor, facts);
      else place(block.stamp, cursor, facts);
    } else {
      for (const [position, item] of block.items.entries()) {
        if (!item.stamp) {
          readProse([item.content, ...item.continuation].join(' '), cursor, facts);
          continue;
        }
        const isLast = position === block.items.length - 1;
        const text = itemText(item) || (isLast ? borrowText(blocks, index, consumed) : '');
        if (text) emit(item.stamp, text, item.line, cursor, facts);
        else place(item.stamp, cursor, facts);
      }
    }
  }
  return cursor;
}

function readFacts(document: MarkdownDocument, options: ExtractTimelineOptions): DocumentFacts {
  const prose = document.lines.filter((line) => line.kind === 'text' || line.kind === 'heading');
  const reading: DateReading = { dayFirst: prefersDayFirst(prose.map((line) => line.raw).join('\n')) };
  const frontMatterDate =
    document.frontMatter
      .filter((line) => /^\s*(?:date|incident[_-]?date)\s*[:=]/i.test(line))
      .concat(document.frontMatter.filter((line) => /^\s*title\s*[:=]/i.test(line)))
      .map((line) => findDate(line, reading))
      .find((date) => date !== null) ?? null;
  const title = document.lines.find((line) => line.heading?.level === 1)?.heading?.text ?? '';
  const firstDate = prose.map((line) => findDate(line.raw, reading)).find((date) => date !== null) ?? null;
  const date = frontMatterDate ?? findDate(title, reading) ?? firstDate ?? parseReferenceDate(options.referenceDate);
  const zoneStatement = prose.find(
    (line) =>
      line.raw.length <= ZONE_STATEMENT_MAX_LENGTH && ZONE_STATEMENT.test(line.raw) && findZoneMention(line.raw),
  );
  const facts: DocumentFacts = { reading, references: document.references };
  if (date) facts.date = date;
  const zone = zoneStatement ? findZoneMention(zoneStatement.raw) : null;
  if (zone) facts.zone = zone;
  if (options.defaultYear !== undefined) facts.defaultYear = options.defaultYear;
  return facts;
}

function parseReferenceDate(text: string | undefined): FullDate | null {
  if (text === undefined) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : null;
  const roundTrip = date ? addDays(date, 0) : null;
  if (!date || roundTrip?.month !== date.month || roundTrip.day !== date.day) {
    throw new RangeError(`referenceDate must be a YYYY-MM-DD calendar date, got "${text}"`);
  }
  return date;
}

/**
 * Extracts the timeline of a postmortem written in markdown: the timestamped events of its Timeline / Chronology
 * section, the lifecycle markers their wording implies, and the response durations measured from impact start.
 *
 * Entries may be table rows, list items, `HH:MM` sub-headings or plain lines that start with a time; a day stated
 * once (a day heading, a table row, the section heading, the front matter, the title or the first date in the
 * document) carries forward to time-only entries, rolling over to the next day when times jump back by more than
 * six hours. A zone stated in the section heading, its introduction, a table header or an entry applies to the
 * entries after it; without one, times are UTC. Timestamps in fenced or inline code are ignored.
 *
 * @example
 * extractTimeline('# Outage 2021-05-26\n## Timeline\n- 14:05 UTC: errors started\n- 14:09 alert fired\n- 14:30 rolled back');
 * // events: 3; markers: { impactStart: '2021-05-26T14:05:00.000Z', detected: '…T14:09…', mitigated: '…T14:30…' }
 * // durations: { timeToDetectMinutes: 4, timeToMitigateMinutes: 25 }
 * @throws RangeError when `options.referenceDate` is not a `YYYY-MM-DD` calendar date.
 */
export function extractTimeline(markdown: string, options: ExtractTimelineOptions = {}): TimelineExtraction {
  const document = scanMarkdown(markdown);
  const facts = readFacts(document, options);
  const sections = findTimelineSections(document, facts.reading);
  if (sections.length === 0) {
    return { hasTimelineSection: false, events: [], markers: {}, durations: {}, undatedEntries: 0 };
  }
  // A document with a summary timeline and a detailed one: the section with the most events wins.
  const best = sections
    .map((section) => readSection(document, section, facts))
    .reduce((winner, candidate) => (candidate.events.length > winner.events.length ? candidate : winner));
  const events = best.events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const timed = events.filter((event) => !event.dateOnly);
  const markers = inferMarkers(timed.length > 0 ? timed : events);
  return { hasTimelineSection: true, events, markers, durations: durationsFrom(markers), undatedEntries: best.undated };
}
