import { describe, expect, it } from 'vitest';
import { scanMarkdown } from './markdown.js';
import { findTimelineSections, isTimelineHeading } from './sections.js';

const US = { dayFirst: false };

describe('isTimelineHeading', () => {
  it.each([
    ['Timeline'],
    ['timeline of events'],
    ['Chronology'],
    ['Detailed timeline'],
    ['Incident Timeline'],
    ['Full incident timeline'],
    ['Sequence of events'],
    ['3. Timeline'],
    ['Timeline (all times UTC) Monday May 10th, 2021. All times approximations'],
  ])('accepts %j', (text) => {
    expect(isTimelineHeading(text)).toBe(true);
  });

  it.each([['Timelines'], ['Lessons learned about our incident response timeline'], ['Impact'], ['What happened']])(
    'rejects %j',
    (text) => {
      expect(isTimelineHeading(text)).toBe(false);
    },
  );
});

describe('scanMarkdown', () => {
  it('classifies front matter, fences, headings and text', () => {
    const document = scanMarkdown(
      [
        '---',
        'title: x',
        '---',
        '# Title',
        '',
        '```',
        '## not a heading',
        '```',
        'Setext',
        '---',
        '**Bold line:**',
        'text',
        '[hook]: https://x',
      ].join('\n'),
    );
    expect(document.lines.map((line) => line.kind)).toEqual([
      'front-matter',
      'front-matter',
      'front-matter',
      'heading',
      'blank',
      'code',
      'code',
      'code',
      'heading',
      'underline',
      'heading',
      'text',
      'text',
    ]);
    expect(document.frontMatter).toEqual(['title: x']);
    expect(document.lines[8]?.heading).toEqual({ level: 2, text: 'Setext' });
    expect(document.lines[10]?.heading).toEqual({ level: 7, text: 'Bold line' });
    expect([...document.references]).toEqual(['hook']);
  });

  it('keeps an unclosed fence open to the end and needs a matching fence to close', () => {
    const document = scanMarkdown(['````', '```', '## still code', '````', '## heading'].join('\n'));
    expect(document.lines.map((line) => line.kind)).toEqual(['code', 'code', 'code', 'code', 'heading']);
  });
});

describe('findTimelineSections', () => {
  it('spans from the heading to the next heading of the same or a higher level', () => {
    const document = scanMarkdown(['# T', '## Timeline', '### 14:05', 'x', '### Detail', '## Impact'].join('\n'));
    expect(findTimelineSections(document, US)).toEqual([
      { headingIndex: 1, heading: { level: 2, text: 'Timeline' }, bodyStart: 2, end: 5 },
    ]);
  });

  it('returns only outermost sections', () => {
    const document = scanMarkdown(
      ['## Incident Timeline', '**Timeline:**', '- 10:00 x', '## Timeline', 'y'].join('\n'),
    );
    expect(findTimelineSections(document, US).map((section) => section.headingIndex)).toEqual([0, 3]);
  });

  it('starts the body of a setext heading after its underline', () => {
    const document = scanMarkdown(['Timeline', '--------', 'x'].join('\n'));
    expect(findTimelineSections(document, US)[0]?.bodyStart).toBe(2);
  });
});
