/**
 * The sections of a postmortem: its level-2 headings. Each section runs from its heading to the next heading of
 * level 1 or 2, so `###` subsections stay inside their section.
 */
import { isTableDelimiter } from '../timeline/markdown.js';
import { canonicalSectionId, canonicalTitle } from './aliases.js';
import {
  firstRangeEndingAfter,
  lineIndexAt,
  scanDocument,
  type DocLine,
  type Range,
  type ScannedDocument,
} from './scan.js';
import { plainHeadingText, sectionId } from './slug.js';

export interface ParsedSection {
  /** `sectionId(title)`, with `-2`, `-3`, … for repeated headings. */
  id: string;
  title: string;
  /** 1-based line of the heading (the text line of a setext heading). */
  line: number;
  /** Offset of the heading. */
  start: number;
  /** Offset of the next level-1 or level-2 heading, or the document length. */
  end: number;
  /** Everything after the heading line (after the underline of a setext heading) up to `end`. */
  content: string;
  /** The section has text beyond prompts (HTML comments), whitespace and an empty skeleton (subheadings, `-`). */
  filled: boolean;
}

/** A section with the scanned lines it covers, for the parsers of this module. */
export interface SectionLines {
  section: ParsedSection;
  /** Lines after the heading (and its underline), up to the section end. */
  body: DocLine[];
  document: ScannedDocument;
}

function headingTitle(text: string): string {
  return plainHeadingText(text).replace(/\s*:$/, '');
}

/** `base`, or `base-2`, `base-3`, … when taken; `next` remembers where each base's search stopped. */
function uniqueId(base: string, used: Set<string>, next: Map<string, number>): string {
  let id = base;
  let suffix = next.get(base) ?? 2;
  while (used.has(id)) id = `${base}-${suffix++}`;
  next.set(base, suffix);
  used.add(id);
  return id;
}

function contentStartLine(line: DocLine): number {
  return (line.underline ?? line.index) + 1;
}

/**
 * The sections with the lines each covers.
 *
 * @example
 * sectionsWithLines('## Impact\nNone.').map((entry) => entry.body.length); // [1]
 */
export function sectionsWithLines(markdown: string): SectionLines[] {
  const document = scanDocument(markdown);
  const { lines } = document;
  const boundaries = lines.filter((line) => line.kind === 'heading' && (line.level ?? 7) <= 2);
  const used = new Set<string>();
  const nextSuffix = new Map<string, number>();
  const result: SectionLines[] = [];
  for (const [position, heading] of boundaries.entries()) {
    if (heading.level !== 2) continue;
    const following = boundaries[position + 1];
    const end = following ? following.start : markdown.length;
    const bodyFrom = contentStartLine(heading);
    const bodyTo = following ? following.index : lines.length;
    const body = lines.slice(bodyFrom, bodyTo);
    const contentStart = lines[bodyFrom]?.start ?? markdown.length;
    const content = markdown.slice(Math.min(contentStart, end), end);
    const title = headingTitle(heading.text ?? '');
    const section: ParsedSection = {
      id: uniqueId(sectionId(title), used, nextSuffix),
      title,
      line: heading.index + 1,
      start: heading.start,
      end,
      content,
      filled: isFilled(body, document.comments, markdown),
    };
    result.push({ section, body, document });
  }
  return result;
}

/**
 * The level-2 sections of a postmortem (`## X` and setext `X` over `---`), in document order. Headings inside
 * fenced code, HTML comment blocks and YAML front matter are not sections. A repeated heading gets `-2`, `-3`, …
 *
 * @example
 * parseSections('# Title\n\n## Summary\n<!-- prompt -->\n\n## Impact\n12% of checkouts failed.\n')
 *   .map(({ id, line, filled }) => [id, line, filled]);
 * // [['summary', 3, false], ['impact', 6, true]]
 */
export function parseSections(markdown: string): ParsedSection[] {
  return sectionsWithLines(markdown).map((entry) => entry.section);
}

const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
/** A list marker with nothing after it, as templates leave them (`-`, `1.`, `- [ ]`). */
const EMPTY_LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])(?:\s+\[[ xX]?\])?\s*$/;

/**
 * Whether the body has text of its own: not just comments, blank lines, subheadings, thematic breaks, bare list
 * markers or a table header without rows (the skeleton a template leaves behind).
 */
function isFilled(body: readonly DocLine[], comments: readonly Range[], markdown: string): boolean {
  for (const [position, line] of body.entries()) {
    // Subheadings alone are a skeleton too ("### What went well" with nothing under it).
    if (line.kind === 'blank' || line.kind === 'front-matter' || line.kind === 'heading') continue;
    const text = withoutComments(markdown, line, comments).trim();
    if (text === '' || THEMATIC_BREAK.test(text) || EMPTY_LIST_ITEM.test(text)) continue;
    if (line.kind === 'code') return true;
    if (isTableDelimiter(text)) continue;
    const delimiter = body[position + 1];
    if (delimiter && isTableDelimiter(delimiter.raw)) {
      const row = body[position + 2];
      if (!row || row.kind !== 'text' || !row.raw.includes('|')) continue;
    }
    return true;
  }
  return false;
}

/** The text of one line with the parts inside comments left out. */
export function withoutComments(markdown: string, line: DocLine, comments: readonly Range[]): string {
  let text = '';
  let position = line.start;
  for (let index = firstRangeEndingAfter(comments, position); index < comments.length; index++) {
    const range = comments[index];
    if (!range || range.start >= line.end) break;
    if (range.start > position) text += markdown.slice(position, range.start);
    position = Math.max(position, range.end);
  }
  if (position < line.end) text += markdown.slice(position, line.end);
  return text;
}

/**
 * The section that stands for `canonicalId`: the one with exactly that id, else the first whose heading is an
 * alias of it ("Root causes" for `contributing-factors`, "Follow-ups" for `action-items`).
 *
 * @example
 * findSection(parseSections('## Root causes\n- [change] v2 deploy'), 'contributing-factors')?.title; // 'Root causes'
 */
export function findSection(sections: readonly ParsedSection[], canonicalId: string): ParsedSection | undefined {
  return (
    sections.find((section) => section.id === canonicalId) ??
    sections.find((section) => canonicalSectionId(section.title) === canonicalId)
  );
}

/** Like {@link findSection}, with the section's lines. */
export function findSectionLines(markdown: string, canonicalId: string): SectionLines | undefined {
  const all = sectionsWithLines(markdown);
  const found = findSection(
    all.map((entry) => entry.section),
    canonicalId,
  );
  return found ? all.find((entry) => entry.section === found) : undefined;
}

/**
 * `markdown` without the sections whose ids are in `ids` (heading and content), e.g. for the external version.
 * Ids are matched exactly, as {@link parseSections} gives them.
 *
 * @example
 * removeSections('## Summary\nOK\n\n## Internal notes\nhost db-7\n', ['internal-notes']); // '## Summary\nOK\n'
 */
export function removeSections(markdown: string, ids: readonly string[]): string {
  if (ids.length === 0) return markdown;
  const remove = new Set(ids);
  const sections = parseSections(markdown).filter((section) => remove.has(section.id));
  if (sections.length === 0) return markdown;
  let result = '';
  let position = 0;
  for (const section of sections) {
    result += markdown.slice(position, section.start);
    position = section.end;
  }
  const rest = markdown.slice(position);
  if (rest !== '') return result + rest;
  const trimmed = result.replace(/\s+$/, '');
  return trimmed === '' ? '' : `${trimmed}\n`;
}

/**
 * `markdown` with the content of section `id` (exact id or alias, see {@link findSection}) replaced by `content`;
 * the heading is kept. When there is no such section, it is appended at the end under `title` (by default the
 * canonical title of `id`, e.g. "Action items").
 *
 * @example
 * replaceSectionContent('## Impact\nTBD\n\n## Timeline\n', 'impact', '40% of logins failed for 12 minutes.');
 * // '## Impact\n\n40% of logins failed for 12 minutes.\n\n## Timeline\n'
 */
export function replaceSectionContent(markdown: string, id: string, content: string, title?: string): string {
  const text = content.replace(/^\s*\n|\s+$/g, '');
  const section = findSection(parseSections(markdown), id);
  if (!section) {
    const head = markdown.replace(/\s+$/, '');
    const heading = `## ${title ?? canonicalTitle(id)}`;
    const block = text === '' ? `${heading}\n` : `${heading}\n\n${text}\n`;
    return head === '' ? block : `${head}\n\n${block}`;
  }
  const contentStart = section.end - section.content.length;
  const headingEnd = markdown.slice(section.start, contentStart).replace(/(?:\r\n|\r|\n)$/, '');
  const before = markdown.slice(0, section.start) + headingEnd;
  const after = markdown.slice(section.end);
  const body = text === '' ? '\n' : `\n\n${text}\n`;
  return after === '' ? before + body : `${before}${body}\n${after}`;
}

/** Whether `markdown` holds only whitespace from `from` to `to`; stops at the first other character. */
function isBlank(markdown: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) if (!/\s/.test(markdown.charAt(index))) return false;
  return true;
}

/**
 * `markdown` without HTML comments outside code (the writing prompts). A comment on lines of its own is removed
 * with its lines, so no gap of blank lines is left behind.
 *
 * @example
 * stripPrompts('## Impact\n\n<!-- Who was affected? -->\n\n12% of checkouts failed.\n');
 * // '## Impact\n\n12% of checkouts failed.\n'
 */
export function stripPrompts(markdown: string): string {
  const { lines, comments } = scanDocument(markdown);
  if (comments.length === 0) return markdown;
  const lineAt = (offset: number): DocLine | undefined => lines[lineIndexAt(lines, offset)];
  let result = '';
  let position = 0;
  for (const comment of comments) {
    let { start, end } = comment;
    const first = lineAt(start);
    const last = lineAt(end);
    if (first && last && isBlank(markdown, first.start, start) && isBlank(markdown, end, last.end)) {
      // The comment fills its lines: remove them, and one blank line after when one is left before.
      start = first.start;
      end = last.next;
      const previous = lines[first.index - 1];
      const following = lines[last.index + 1];
      const blankBefore = !previous || previous.raw.trim() === '' || previous.start < position;
      if (blankBefore && following && following.raw.trim() === '' && following.index !== lines.length - 1) {
        end = following.next;
      }
    }
    if (start < position) start = position;
    result += markdown.slice(position, start);
    position = Math.max(position, end);
  }
  return result + markdown.slice(position);
}
