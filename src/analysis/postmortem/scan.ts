/**
 * A line-based reading of a postmortem document with character offsets: front matter, fenced code, HTML comments
 * (where the prompts live), ATX and setext headings. Text inside fenced code is never interpreted, and a heading
 * inside an HTML comment block is no heading, as in CommonMark.
 */
import { hasPipe, isListItem } from '../timeline/markdown.js';

export type DocLineKind = 'blank' | 'code' | 'front-matter' | 'comment' | 'heading' | 'underline' | 'text';

export interface DocLine {
  /** 0-based line index. */
  index: number;
  raw: string;
  /** Offset of the first character. */
  start: number;
  /** Offset just past the last character, before the line break. */
  end: number;
  /** Offset of the next line (past the line break). */
  next: number;
  kind: DocLineKind;
  /** For headings: 1–6. */
  level?: number;
  /** For headings: the raw heading text (without `#`s, or the paragraph above a setext underline). */
  text?: string;
  /** For setext headings: index of the underline. */
  underline?: number;
}

/** A character range `[start, end)`. */
export interface Range {
  start: number;
  end: number;
}

export interface ScannedDocument {
  lines: DocLine[];
  /** HTML comments outside code, in document order, not overlapping. */
  comments: Range[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const COMMENT_BLOCK_START = /^ {0,3}<!--/;

function splitLines(markdown: string): { raw: string; start: number; end: number; next: number }[] {
  const result: { raw: string; start: number; end: number; next: number }[] = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let match = breaks.exec(markdown); match; match = breaks.exec(markdown)) {
    result.push({ raw: markdown.slice(start, match.index), start, end: match.index, next: breaks.lastIndex });
    start = breaks.lastIndex;
  }
  result.push({ raw: markdown.slice(start), start, end: markdown.length, next: markdown.length });
  return result;
}

function frontMatterEnd(raws: readonly string[]): number {
  const delimiter = raws[0]?.trim();
  if (delimiter !== '---' && delimiter !== '+++') return 0;
  const close = raws.findIndex((raw, index) => index > 0 && (raw.trim() === delimiter || raw.trim() === '...'));
  return close < 0 ? 0 : close + 1;
}

/**
 * Inline comments on one line of text: `<!-- … -->` outside code spans. An unclosed `<!--` in running text is
 * literal text, as in CommonMark.
 */
function inlineComments(raw: string, offset: number): Range[] {
  const ranges: Range[] = [];
  let position = 0;
  let tick = raw.indexOf('`');
  while (position < raw.length) {
    if (tick >= 0 && tick < position) tick = raw.indexOf('`', position);
    const open = raw.indexOf('<!--', position);
    if (open < 0) break;
    if (tick >= 0 && tick < open) {
      const run = /^`+/.exec(raw.slice(tick))?.[0] ?? '`';
      const close = raw.indexOf(run, tick + run.length);
      position = close < 0 ? tick + run.length : close + run.length;
      continue;
    }
    const close = raw.indexOf('-->', open + 4);
    if (close < 0) break;
    ranges.push({ start: offset + open, end: offset + close + 3 });
    position = close + 3;
  }
  return ranges;
}

/**
 * Classifies every line of `markdown` and finds its HTML comments.
 *
 * @example
 * scanDocument('## Impact\n<!--\n## not a heading\n-->').lines.map((line) => line.kind);
 * // ['heading', 'comment', 'comment', 'comment']
 */
export function scanDocument(markdown: string): ScannedDocument {
  const split = splitLines(markdown);
  const frontEnd = frontMatterEnd(split.map((line) => line.raw));
  const lines: DocLine[] = [];
  const comments: Range[] = [];
  let fence: string | null = null;
  let commentStart: number | null = null;

  for (const [index, { raw, start, end, next }] of split.entries()) {
    const line: DocLine = { index, raw, start, end, next, kind: 'text' };
    lines.push(line);
    if (index < frontEnd) {
      line.kind = 'front-matter';
      continue;
    }
    if (commentStart !== null) {
      line.kind = 'comment';
      const close = raw.indexOf('-->');
      if (close >= 0) {
        comments.push({ start: commentStart, end: start + close + 3 });
        commentStart = null;
        comments.push(...inlineComments(raw.slice(close + 3), start + close + 3));
      }
      continue;
    }
    const fenceMatch = FENCE.exec(raw);
    if (fence !== null) {
      line.kind = 'code';
      const closing = fenceMatch?.[1];
      if (closing && closing[0] === fence[0] && closing.length >= fence.length && raw.trim() === closing) fence = null;
      continue;
    }
    if (fenceMatch?.[1]) {
      line.kind = 'code';
      fence = fenceMatch[1];
      continue;
    }
    if (raw.trim() === '') {
      line.kind = 'blank';
      continue;
    }
    if (COMMENT_BLOCK_START.test(raw)) {
      // An HTML block: everything up to the line holding `-->` is comment, headings and fences included.
      line.kind = 'comment';
      const open = raw.indexOf('<!--');
      const close = raw.indexOf('-->', open + 4);
      if (close < 0) {
        commentStart = start + open;
      } else {
        comments.push({ start: start + open, end: start + close + 3 });
        comments.push(...inlineComments(raw.slice(close + 3), start + close + 3));
      }
      continue;
    }
    const atx = ATX.exec(raw);
    if (atx?.[1]) {
      line.kind = 'heading';
      line.level = atx[1].length;
      line.text = atx[2] ?? '';
      comments.push(...inlineComments(raw, start));
      continue;
    }
    const underline = SETEXT_UNDERLINE.exec(raw);
    const paragraph = underline?.[1] ? setextParagraph(lines, index) : null;
    if (underline?.[1] && paragraph) {
      const first = paragraph[0];
      if (first) {
        first.kind = 'heading';
        first.level = underline[1].startsWith('=') ? 1 : 2;
        first.text = paragraph.map((part) => part.raw.trim()).join(' ');
        first.underline = index;
        for (const part of paragraph.slice(1)) part.kind = 'underline';
      }
      line.kind = 'underline';
      continue;
    }
    comments.push(...inlineComments(raw, start));
  }
  if (commentStart !== null) comments.push({ start: commentStart, end: markdown.length });
  return { lines, comments };
}

/** The lines of the paragraph a setext underline at `index` turns into a heading, or null when there is none. */
function setextParagraph(lines: readonly DocLine[], index: number): DocLine[] | null {
  const paragraph: DocLine[] = [];
  for (let at = index - 1; at >= 0; at--) {
    const line = lines[at];
    if (!line || line.kind !== 'text' || !isParagraphText(line.raw)) break;
    paragraph.unshift(line);
  }
  if (paragraph.length === 0) return null;
  // A list item or table row directly above means the underline is a thematic break or part of that block.
  const before = lines[index - paragraph.length - 1];
  if (before?.kind === 'text') return null;
  return paragraph;
}

function isParagraphText(raw: string): boolean {
  return !isListItem(raw) && !hasPipe(raw) && !raw.trimStart().startsWith('>') && !/^ {4,}|^\t/.test(raw);
}

/** Index of the first of `ranges` (sorted, not overlapping) that ends after `offset`; `ranges.length` if none. */
export function firstRangeEndingAfter(ranges: readonly Range[], offset: number): number {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ranges[middle]?.end ?? Infinity) <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of the line holding `offset` (a line's end, before its break, counts as on it). */
export function lineIndexAt(lines: readonly DocLine[], offset: number): number {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((lines[middle]?.start ?? Infinity) <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
