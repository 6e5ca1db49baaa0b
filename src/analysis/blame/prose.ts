/**
 * The prose of a markdown postmortem, as the linter reads it: paragraphs, headings, list items, table cells and
 * blockquotes, each as a plain-text segment that remembers where every character came from in the document.
 *
 * Skipped: fenced and indented code, HTML, link reference definitions, front matter, blockquotes holding log
 * output, and lines that look like log output or stack traces wherever they appear. Inline code, links (their text
 * and target), images and autolinked URLs are replaced by the neutral word {@link PLACEHOLDER}, so the sentence
 * around them still parses but nothing inside them is ever flagged.
 */
import type { Nodes, PhrasingContent } from 'mdast';
import type { Root as NlcstRoot } from 'nlcst';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import retextEnglish from 'retext-english';
import { unified } from 'unified';

/** Stands in for code, links and images: a pronoun no rule treats as a person, a team or a phrase. */
export const PLACEHOLDER = 'it';

/** A run of prose and, for each of its characters, the document offset it came from. */
export interface ProseSegment {
  text: string;
  /** `offsets[i]` is the document offset of `text[i]`; `offsets[text.length]` is the offset just after the end. */
  offsets: number[];
}

/** A sentence of a segment: `text` is `segment.text.slice(start, end)`. */
export interface ProseSentence {
  segment: ProseSegment;
  start: number;
  end: number;
  text: string;
}

const markdownParser = unified().use(remarkParse).use(remarkGfm).freeze();
const englishParser = unified().use(retextEnglish).freeze();

const LEVEL =
  String.raw`(?:\b(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRIT|CRITICAL|PANIC|SEVERE)\b` +
  String.raw`|\[(?:trace|debug|info|notice|warn|warning|error|err|fatal|crit|critical|panic)\]|\blevel=\w+)`;
const TIMESTAMP =
  String.raw`(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?|\[?\d{2}:\d{2}:\d{2}(?:[.,]\d+)?` +
  String.raw`|[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}|\d{10}(?:\.\d+)?)`;

const LOG_LINE: readonly RegExp[] = [
  new RegExp(String.raw`^\W{0,2}${TIMESTAMP}.{0,60}?${LEVEL}`),
  new RegExp(String.raw`^\W{0,2}${LEVEL}.{0,40}?${TIMESTAMP}`),
  // glog / klog: I0102 15:04:05.000000 …
  /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}/,
  // Stack frames: JavaScript, Java, Python, Go.
  /^at [\w$.<>[\]/ ]+\(.*:\d+(?::\d+)?\)$/,
  /^at \S+:\d+:\d+$/,
  /^Traceback \(most recent call last\):/,
  /^File "[^"]+", line \d+/,
  /^(?:Caused by: |Exception in thread ")/,
  /^(?:[a-z_$][\w$]*\.)+[A-Z]\w*(?:Exception|Error)(?::|$)/,
  /^goroutine \d+ \[/,
  /^panic: /,
  // Structured logs.
  /^\{\s*"(?:level|lvl|severity|ts|time|timestamp|msg|message|@timestamp)"\s*:/,
  /\blevel=(?:trace|debug|info|warn|warning|error|fatal)\b.*\bmsg=/i,
  /\bts=\S+ .*\blevel=\w+/,
];

/** Whether a line of the document reads as log output or a stack trace (quote markers and list bullets aside). */
export function isLogLine(line: string): boolean {
  const body = line.replace(/^\s*(?:>\s?)*\s*(?:[-*+]\s+|\d{1,3}[.)]\s+)?/, '').trimEnd();
  if (body === '') return false;
  return LOG_LINE.some((pattern) => pattern.test(body));
}

/** Start offset of every line; a line ends at `\n`, `\r\n` or `\r`. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** Index of the line holding `offset` in `starts` (binary search). */
export function lineIndexAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

function frontMatterLines(lines: readonly string[]): number {
  const first = lines[0]?.trim();
  if (first !== '---' && first !== '+++') return 0;
  const close = lines.findIndex((line, index) => index > 0 && line.trim() === first);
  return close < 0 ? 0 : close + 1;
}

/** Builds one segment; characters on skipped lines are dropped and leave a paragraph break behind. */
class SegmentBuilder {
  text = '';
  offsets: number[] = [];

  constructor(
    private readonly source: string,
    private readonly skipped: (offset: number) => boolean,
  ) {}

  private push(ch: string, offset: number): void {
    if (this.skipped(offset)) {
      if (!this.text.endsWith('\n\n')) this.pushRaw('\n\n', offset);
      return;
    }
    this.pushRaw(ch, offset);
  }

  private pushRaw(chars: string, offset: number): void {
    for (const ch of chars) {
      this.text += ch;
      this.offsets.push(offset);
    }
  }

  /** Text whose characters appear, in order, in the source between `start` and `end` (escapes and quote markers aside). */
  aligned(value: string, start: number, end: number): void {
    let cursor = start;
    for (const ch of value) {
      const limit = Math.min(end, cursor + 16);
      let at = cursor;
      while (at < limit && this.source[at] !== ch) at++;
      if (at < limit) {
        this.push(ch, at);
        cursor = at + 1;
      } else {
        this.push(ch, Math.max(start, Math.min(cursor, end - 1)));
      }
    }
  }

  placeholder(offset: number): void {
    if (this.skipped(offset)) return this.push(' ', offset);
    this.pushRaw(` ${PLACEHOLDER} `, offset);
  }

  space(offset: number): void {
    this.push(' ', offset);
  }

  finish(end: number): ProseSegment | null {
    if (this.text.trim() === '') return null;
    return { text: this.text, offsets: [...this.offsets, end] };
  }
}

function startOf(node: Nodes): number | undefined {
  return node.position?.start.offset;
}

function endOf(node: Nodes): number | undefined {
  return node.position?.end.offset;
}

function phrasing(node: PhrasingContent, builder: SegmentBuilder): void {
  const start = startOf(node);
  const end = endOf(node);
  if (start === undefined || end === undefined) return;
  switch (node.type) {
    case 'text':
      builder.aligned(node.value, start, end);
      return;
    case 'inlineCode':
    case 'link':
    case 'linkReference':
    case 'image':
    case 'imageReference':
      builder.placeholder(start);
      return;
    case 'html':
    case 'break':
      builder.space(start);
      return;
    case 'footnoteReference':
      return;
    default:
      if ('children' in node) for (const child of node.children) phrasing(child, builder);
  }
}

/**
 * The prose of `markdown`, segment by segment.
 *
 * @example
 * proseSegments('Alice ran `rm -rf /tmp/x`.\n\n```\nnot prose\n```').map((s) => s.text);
 * // ['Alice ran  it .']
 */
export function proseSegments(markdown: string): ProseSegment[] {
  const starts = lineStarts(markdown);
  const lines = starts.map((start, index) =>
    markdown.slice(start, (starts[index + 1] ?? markdown.length + 1) - 1).replace(/\r$/, ''),
  );
  const front = frontMatterLines(lines);
  const skipLine = lines.map((line, index) => index < front || isLogLine(line));
  const skipped = (offset: number): boolean => skipLine[lineIndexAt(starts, offset)] ?? false;
  const tree = markdownParser.parse(markdown);
  const segments: ProseSegment[] = [];

  const visit = (node: Nodes): void => {
    switch (node.type) {
      case 'paragraph':
      case 'heading':
      case 'tableCell': {
        const builder = new SegmentBuilder(markdown, skipped);
        for (const child of node.children) phrasing(child, builder);
        const segment = builder.finish(endOf(node) ?? markdown.length);
        if (segment) segments.push(segment);
        return;
      }
      case 'blockquote': {
        const first = node.position?.start.line ?? 1;
        const last = node.position?.end.line ?? first;
        for (let line = first - 1; line < last; line++) if (skipLine[line] && line >= front) return;
        for (const child of node.children) visit(child);
        return;
      }
      case 'code':
      case 'html':
      case 'definition':
      case 'thematicBreak':
      case 'yaml':
        return;
      default:
        if ('children' in node) for (const child of node.children) visit(child);
    }
  };
  visit(tree);
  return segments;
}

/**
 * The sentences of a segment, as retext-english splits them (it knows abbreviations, decimals and initials).
 *
 * @example
 * sentencesOf({ text: 'Bob paged Alice. She rolled back v1.2.3 at 10:05.', offsets: [] }).map((s) => s.text);
 * // ['Bob paged Alice.', 'She rolled back v1.2.3 at 10:05.']
 */
export function sentencesOf(segment: ProseSegment): ProseSentence[] {
  const tree: NlcstRoot = englishParser.parse(segment.text);
  const sentences: ProseSentence[] = [];
  for (const paragraph of tree.children) {
    if (paragraph.type !== 'ParagraphNode') continue;
    for (const sentence of paragraph.children) {
      if (sentence.type !== 'SentenceNode') continue;
      const start = sentence.position?.start.offset;
      const end = sentence.position?.end.offset;
      if (start === undefined || end === undefined) continue;
      sentences.push({ segment, start, end, text: segment.text.slice(start, end) });
    }
  }
  return sentences;
}
