/**
 * The blocks of one section body, as the structured-fact parsers read them: subheadings, top-level list items
 * (with their wrapped continuation lines, without nested lists), paragraphs and pipe tables. Comments and code are
 * left out; line numbers are 1-based in the whole document.
 */
import { hasPipe, isTableDelimiter, tableCells } from '../timeline/markdown.js';
import { plainHeadingText } from './slug.js';
import type { SectionLines } from './sections.js';
import { withoutComments } from './sections.js';

export type Block =
  | { kind: 'heading'; level: number; text: string; line: number }
  | { kind: 'item'; text: string; line: number }
  | { kind: 'paragraph'; text: string; line: number }
  | { kind: 'table'; header: string[]; rows: { cells: string[]; line: number }[]; line: number };

interface ItemState {
  text: string[];
  line: number;
  /** Lines indented at least this far belong to the item. */
  contentIndent: number;
  /** A nested list or a second paragraph has begun: later lines are no longer the item's own text. */
  closed: boolean;
}

/** A list marker, also with nothing after it (an empty item, as templates leave them). */
const LIST_MARKER = /^(\s*)((?:[-*+]|\d{1,3}[.)])(?:\s+|$))/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

function indentOf(raw: string): number {
  return (/^\s*/.exec(raw)?.[0] ?? '').replace(/\t/g, '    ').length;
}

/** Table cells with escaped pipes (`\|`) read back as pipes. */
export function cellsOf(raw: string): string[] {
  return tableCells(raw).map((cell) => cell.replace(/\\\|/g, '|'));
}

/**
 * The blocks of a section body.
 *
 * @example
 * const markdown = '## Factors\n- one\n  wrapped\n- two';
 * sectionBlocks(findSectionLines(markdown, 'factors')!, markdown).map((block) => [block.kind, block.line]);
 * // [['item', 2], ['item', 4]]
 */
export function sectionBlocks(entry: SectionLines, markdown: string): Block[] {
  const { body, document } = entry;
  const blocks: Block[] = [];
  let item: ItemState | null = null;
  let paragraph: { text: string[]; line: number } | null = null;
  let blankSince = false;

  const flush = (): void => {
    if (item) blocks.push({ kind: 'item', text: item.text.join(' ').trim(), line: item.line });
    if (paragraph) blocks.push({ kind: 'paragraph', text: paragraph.text.join(' ').trim(), line: paragraph.line });
    item = null;
    paragraph = null;
  };

  for (let position = 0; position < body.length; position++) {
    const line = body[position];
    if (!line) continue;
    if (line.kind === 'code' || line.kind === 'front-matter' || line.kind === 'underline') continue;
    const raw = line.kind === 'comment' ? '' : withoutComments(markdown, line, document.comments);
    if (raw.trim() === '') {
      if (line.kind === 'blank') blankSince = true;
      continue;
    }
    const lineNumber = line.index + 1;
    if (line.kind === 'heading') {
      flush();
      const atx = ATX_HEADING.exec(raw);
      blocks.push({
        kind: 'heading',
        level: line.level ?? atx?.[1]?.length ?? 3,
        text: plainHeadingText(line.text ?? atx?.[2] ?? raw).replace(/\s*:$/, ''),
        line: lineNumber,
      });
      blankSince = false;
      continue;
    }
    const indent = indentOf(raw);
    const current = item;
    if (current && indent >= current.contentIndent) {
      // Nested lists and later paragraphs belong to the item, but only its first paragraph is its text.
      if (blankSince || LIST_MARKER.test(raw) || hasPipe(raw)) current.closed = true;
      else if (!current.closed) current.text.push(raw.trim());
      blankSince = false;
      continue;
    }
    const marker = LIST_MARKER.exec(raw);
    if (marker) {
      flush();
      item = {
        text: [raw.slice(marker[0].length).trim()],
        line: lineNumber,
        contentIndent: (marker[1] ?? '').length + (marker[2] ?? '').length,
        closed: false,
      };
      blankSince = false;
      continue;
    }
    const next = body[position + 1];
    if (hasPipe(raw) && next && isTableDelimiter(next.raw)) {
      flush();
      const rows: { cells: string[]; line: number }[] = [];
      let at = position + 2;
      for (; at < body.length; at++) {
        const row = body[at];
        if (!row || row.kind !== 'text' || !hasPipe(row.raw)) break;
        rows.push({ cells: cellsOf(row.raw), line: row.index + 1 });
      }
      blocks.push({ kind: 'table', header: cellsOf(raw), rows, line: lineNumber });
      position = at - 1;
      blankSince = false;
      continue;
    }
    if (current && !blankSince) {
      // A lazy continuation line of the item's paragraph.
      if (!current.closed) current.text.push(raw.trim());
      continue;
    }
    if (paragraph && !blankSince) {
      paragraph.text.push(raw.trim());
      continue;
    }
    flush();
    paragraph = { text: [raw.trim()], line: lineNumber };
    blankSince = false;
  }
  flush();
  return blocks;
}
