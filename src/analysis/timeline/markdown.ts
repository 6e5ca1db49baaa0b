/**
 * A line-based reading of a markdown document, enough to find sections and timeline entries: front matter,
 * fenced code, ATX and setext headings, bold-line pseudo-headings, pipe tables, list items and link reference
 * definitions. Text inside fenced code is never interpreted.
 */

/** How one line of the document reads. */
export type LineKind = 'blank' | 'code' | 'front-matter' | 'heading' | 'underline' | 'text';

/** A heading: ATX (`## Timeline`), setext (`Timeline` over `---`) or a line that is only bold (`**Timeline:**`). */
export interface Heading {
  /** 1–6 for real headings; {@link PSEUDO_HEADING_LEVEL} for bold-line pseudo-headings. */
  level: number;
  /** The heading's text without `#`s, emphasis markers or a trailing colon. */
  text: string;
}

/** Bold-line pseudo-headings rank below every real heading. */
export const PSEUDO_HEADING_LEVEL = 7;

/** One line of the document and how it reads. */
export interface Line {
  /** 0-based index in the document. */
  index: number;
  raw: string;
  kind: LineKind;
  heading?: Heading;
}

/** A scanned document. */
export interface MarkdownDocument {
  lines: Line[];
  /** Front matter lines (YAML `---` or TOML `+++`), without the delimiters. */
  frontMatter: string[];
  /** Lower-case labels of link reference definitions (`[label]: url`). */
  references: Set<string>;
}

const FENCE = /^\s*(`{3,}|~{3,})/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const BOLD_LINE = /^\s*(\*\*|__)(?![\s*_])(.+?)\1\s*:?\s*$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
const REFERENCE_DEFINITION = /^ {0,3}\[([^\]]+)\]:\s*\S/;

/** Whether `raw` starts a list item (`- `, `* `, `1. `). */
export function isListItem(raw: string): boolean {
  return LIST_ITEM.test(raw);
}

/** `raw` without a leading list marker. */
export function withoutListMarker(raw: string): string {
  return raw.replace(LIST_ITEM, '');
}

/** Whether `raw` is a table row candidate (contains an unescaped pipe). */
export function hasPipe(raw: string): boolean {
  return /(?<!\\)\|/.test(raw);
}

/** Whether `raw` is a table delimiter row such as `|:---|---|` or `---:|---`. */
export function isTableDelimiter(raw: string): boolean {
  return hasPipe(raw) && /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/.test(raw);
}

/** The cells of a table row, trimmed, without the outer pipes. */
export function tableCells(raw: string): string[] {
  return raw
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

function headingText(text: string): string {
  return text
    .replace(/\*\*|__/g, '')
    .replace(/^[*_\s]+|[*_\s]+$/g, '')
    .replace(/:$/, '')
    .trim();
}

function frontMatterEnd(raws: string[]): number {
  const delimiter = raws[0]?.trim();
  if (delimiter !== '---' && delimiter !== '+++') return 0;
  const close = raws.findIndex((raw, index) => index > 0 && raw.trim() === delimiter);
  return close < 0 ? 0 : close + 1;
}

/**
 * Classifies every line of `markdown`.
 *
 * @example
 * scanMarkdown('## Timeline\n```\n14:05 not an entry\n```').lines.map((line) => line.kind);
 * // ['heading', 'code', 'code', 'code']
 */
export function scanMarkdown(markdown: string): MarkdownDocument {
  const raws = markdown.split(/\r\n|\r|\n/);
  const frontEnd = frontMatterEnd(raws);
  const lines: Line[] = [];
  const references = new Set<string>();
  let fence: string | null = null;
  for (const [index, raw] of raws.entries()) {
    if (index < frontEnd) {
      lines.push({ index, raw, kind: 'front-matter' });
      continue;
    }
    const fenceMatch = FENCE.exec(raw);
    if (fence !== null) {
      const closing = fenceMatch?.[1];
      if (closing && closing[0] === fence[0] && closing.length >= fence.length && raw.trim() === closing) fence = null;
      lines.push({ index, raw, kind: 'code' });
      continue;
    }
    if (fenceMatch?.[1]) {
      fence = fenceMatch[1];
      lines.push({ index, raw, kind: 'code' });
      continue;
    }
    if (raw.trim() === '') {
      lines.push({ index, raw, kind: 'blank' });
      continue;
    }
    const reference = REFERENCE_DEFINITION.exec(raw);
    if (reference?.[1]) references.add(reference[1].toLowerCase());
    const atx = ATX.exec(raw);
    if (atx?.[1]) {
      lines.push({ index, raw, kind: 'heading', heading: { level: atx[1].length, text: headingText(atx[2] ?? '') } });
      continue;
    }
    const previous = lines[index - 1];
    const underline = SETEXT_UNDERLINE.exec(raw);
    if (underline?.[1] && previous && isSetextCandidate(previous, lines[index - 2])) {
      previous.kind = 'heading';
      previous.heading = { level: underline[1].startsWith('=') ? 1 : 2, text: headingText(previous.raw) };
      lines.push({ index, raw, kind: 'underline' });
      continue;
    }
    const bold = BOLD_LINE.exec(raw);
    if (bold?.[2]) {
      lines.push({ index, raw, kind: 'heading', heading: { level: PSEUDO_HEADING_LEVEL, text: headingText(bold[2]) } });
      continue;
    }
    lines.push({ index, raw, kind: 'text' });
  }
  return { lines, frontMatter: raws.slice(1, Math.max(frontEnd - 1, 1)), references };
}

/** A one-line paragraph directly above `---`/`===` makes a setext heading; anything else above it does not. */
function isSetextCandidate(line: Line, before: Line | undefined): boolean {
  return (
    line.kind === 'text' &&
    !isListItem(line.raw) &&
    !hasPipe(line.raw) &&
    !line.raw.trimStart().startsWith('>') &&
    before?.kind !== 'text'
  );
}
