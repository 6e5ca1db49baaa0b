import { describe, expect, it } from 'vitest';
import { scanDocument } from './scan.js';

const kinds = (markdown: string): string[] => scanDocument(markdown).lines.map((line) => line.kind);
const comments = (markdown: string): string[] =>
  scanDocument(markdown).comments.map((range) => markdown.slice(range.start, range.end));

describe('scanDocument', () => {
  it('classifies front matter, code, comments, headings and text', () => {
    expect(kinds('---\na: 1\n---\n# T\n\n```\n## x\n```\n<!--\n## y\n-->\ntext')).toEqual([
      'front-matter',
      'front-matter',
      'front-matter',
      'heading',
      'blank',
      'code',
      'code',
      'code',
      'comment',
      'comment',
      'comment',
      'text',
    ]);
  });

  it('gives each line its offsets, across CRLF and CR line breaks', () => {
    const markdown = 'a\r\nbb\rccc\n';
    expect(scanDocument(markdown).lines.map(({ start, end, next }) => [start, end, next])).toEqual([
      [0, 1, 3],
      [3, 5, 6],
      [6, 9, 10],
      [10, 10, 10],
    ]);
  });

  it('turns a paragraph over an underline into one setext heading', () => {
    const { lines } = scanDocument('What went\nwell\n---\n');
    expect(lines[0]).toMatchObject({ kind: 'heading', level: 2, text: 'What went well', underline: 2 });
    expect(lines.slice(1, 3).map((line) => line.kind)).toEqual(['underline', 'underline']);
  });

  it('finds block, inline and multi-line comments, but not those in code', () => {
    const markdown = '<!-- a -->\ntext <!-- b --> `<!-- c -->`\n<!-- d\nstill d -->\n```\n<!-- e -->\n```\n';
    expect(comments(markdown)).toEqual(['<!-- a -->', '<!-- b -->', '<!-- d\nstill d -->']);
  });

  it('runs an unclosed comment block to the end of the document', () => {
    expect(comments('a\n<!-- open\n## b\n')).toEqual(['<!-- open\n## b\n']);
    expect(kinds('a\n<!-- open\n## b\n')).toEqual(['text', 'comment', 'comment', 'comment']);
  });
});
