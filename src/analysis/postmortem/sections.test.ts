import { describe, expect, it } from 'vitest';
import { findSection, parseSections, removeSections, replaceSectionContent, stripPrompts } from './sections.js';

const summarize = (markdown: string): [string, string, number, boolean][] =>
  parseSections(markdown).map((section) => [section.id, section.title, section.line, section.filled]);

describe('parseSections', () => {
  it('finds level-2 headings with their 1-based lines, ignoring the title and subsections', () => {
    const markdown = '# INC-7\n\n## Summary\nCheckout failed.\n\n### Details\nMore.\n\n## Impact\n12% of orders.\n';
    expect(summarize(markdown)).toEqual([
      ['summary', 'Summary', 3, true],
      ['impact', 'Impact', 9, true],
    ]);
  });

  it('gives offsets from the heading to the next section, and the content after the heading line', () => {
    const markdown = '## Summary\nA.\n\n## Impact\nB.';
    const [summary, impact] = parseSections(markdown);
    expect(summary).toMatchObject({ start: 0, end: markdown.indexOf('## Impact'), content: 'A.\n\n' });
    expect(impact).toMatchObject({ start: markdown.indexOf('## Impact'), end: markdown.length, content: 'B.' });
    expect(markdown.slice(summary?.start, summary?.end)).toBe('## Summary\nA.\n\n');
  });

  it('ignores headings inside fenced code', () => {
    const markdown = '## Timeline\n```sh\n## not a heading\n```\n~~~\nSummary\n---\n~~~\n## Impact\n';
    expect(summarize(markdown).map(([id]) => id)).toEqual(['timeline', 'impact']);
  });

  it('ignores headings inside HTML comment blocks, fences in them included', () => {
    const markdown = '## Impact\n<!--\n## Hidden\n```\n-->\n## Timeline\n';
    expect(summarize(markdown).map(([id]) => id)).toEqual(['impact', 'timeline']);
  });

  it('ignores YAML front matter', () => {
    const markdown = '---\ntitle: x\n---\n## Summary\nok\n';
    expect(summarize(markdown)).toEqual([['summary', 'Summary', 4, true]]);
  });

  it('reads setext headings, with the line of their text', () => {
    const markdown = 'Title\n=====\n\nWhat went well\n--------------\nAlerts fired.\n\n## Lessons\n';
    expect(summarize(markdown)).toEqual([
      ['what-went-well', 'What went well', 4, true],
      ['lessons', 'Lessons', 8, false],
    ]);
    expect(parseSections(markdown)[0]?.content).toBe('Alerts fired.\n\n');
  });

  it('does not take a thematic break under a list item for a setext heading', () => {
    const markdown = '## Summary\n- one item\n---\nmore\n';
    expect(summarize(markdown).map(([id]) => id)).toEqual(['summary']);
  });

  it('ends a section at a level-1 heading', () => {
    const markdown = '## Summary\nA.\n# Appendix\nB.\n';
    expect(parseSections(markdown)[0]?.content).toBe('A.\n');
  });

  it('numbers repeated headings -2, -3 without colliding with a literal "-2" heading', () => {
    const markdown = '## Timeline\n## Timeline\n## Timeline 2\n## Timeline\n';
    expect(summarize(markdown).map(([id]) => id)).toEqual(['timeline', 'timeline-2', 'timeline-2-2', 'timeline-3']);
  });

  it('keeps the title as written, without inline markdown or a trailing colon', () => {
    expect(summarize('## **Root cause(s):**\nx\n')[0]?.slice(0, 2)).toEqual(['root-causes', 'Root cause(s)']);
  });

  it('reads CRLF documents', () => {
    expect(summarize('## Summary\r\nA.\r\n## Impact\r\n')).toEqual([
      ['summary', 'Summary', 1, true],
      ['impact', 'Impact', 3, false],
    ]);
  });

  describe('filled', () => {
    it('is false for prompts, blank lines and an empty skeleton', () => {
      const markdown = [
        '## Impact',
        '<!-- Who was affected? -->',
        '',
        '## Action items',
        '<!-- One row per action -->',
        '| Action | Owner | Due |',
        '| --- | --- | --- |',
        '',
        '## Contributing factors',
        '-',
        '- [ ] ',
        '---',
        '',
      ].join('\n');
      expect(summarize(markdown).map(([id, , , filled]) => [id, filled])).toEqual([
        ['impact', false],
        ['action-items', false],
        ['contributing-factors', false],
      ]);
    });

    it('is true for a table with a row, a code block or text beside a comment', () => {
      expect(parseSections('## A\n| x |\n|---|\n| 1 |\n')[0]?.filled).toBe(true);
      expect(parseSections('## A\n```\nlog line\n```\n')[0]?.filled).toBe(true);
      expect(parseSections('## A\n<!-- prompt --> Checkout failed.\n')[0]?.filled).toBe(true);
    });
  });
});

describe('findSection', () => {
  const sections = parseSections('## Summary\n\n## Root causes\n- x\n\n## Contributing factors\n- y\n');

  it('prefers the exact id over an alias', () => {
    expect(findSection(sections, 'contributing-factors')?.title).toBe('Contributing factors');
  });

  it('falls back to an alias', () => {
    expect(findSection(parseSections('## Root causes\n- x\n'), 'contributing-factors')?.title).toBe('Root causes');
    expect(findSection(parseSections('## 4. Follow-ups\n'), 'action-items')?.title).toBe('4. Follow-ups');
  });

  it('finds custom sections by exact id and returns undefined when absent', () => {
    expect(findSection(parseSections('## Customer comms\n'), 'customer-comms')?.line).toBe(1);
    expect(findSection(sections, 'impact')).toBeUndefined();
  });
});

describe('removeSections', () => {
  const markdown = '# T\n\n## Summary\nOK\n\n## Internal notes\nhost db-7\n\n## Impact\n3 users\n';

  it('removes the heading and content of each listed section', () => {
    expect(removeSections(markdown, ['internal-notes'])).toBe('# T\n\n## Summary\nOK\n\n## Impact\n3 users\n');
    expect(removeSections(markdown, ['summary', 'impact'])).toBe('# T\n\n## Internal notes\nhost db-7\n');
  });

  it('leaves the text alone when no id matches', () => {
    expect(removeSections(markdown, ['nope'])).toBe(markdown);
    expect(removeSections(markdown, [])).toBe(markdown);
  });

  it('matches ids exactly, not by alias', () => {
    expect(removeSections('## Root causes\nx\n', ['contributing-factors'])).toBe('## Root causes\nx\n');
  });

  it('removes a repeated section by its numbered id only', () => {
    expect(removeSections('## Notes\na\n## Notes\nb\n', ['notes-2'])).toBe('## Notes\na\n');
  });
});

describe('replaceSectionContent', () => {
  it('replaces the content and keeps the heading and the next section', () => {
    expect(replaceSectionContent('## Impact\nTBD\n\n## Timeline\n', 'impact', '40% of logins failed.')).toBe(
      '## Impact\n\n40% of logins failed.\n\n## Timeline\n',
    );
  });

  it('replaces the last section', () => {
    expect(replaceSectionContent('## Summary\nA\n## Impact\nold', 'impact', 'new\n')).toBe(
      '## Summary\nA\n## Impact\n\nnew\n',
    );
  });

  it('replaces the content under a setext heading', () => {
    expect(replaceSectionContent('Impact\n---\nold\n', 'impact', 'new')).toBe('Impact\n---\n\nnew\n');
  });

  it('finds the section by alias', () => {
    expect(replaceSectionContent('## Root causes\nold\n', 'contributing-factors', '- [change] v2')).toBe(
      '## Root causes\n\n- [change] v2\n',
    );
  });

  it('appends the section when absent, with the canonical or the given title', () => {
    expect(replaceSectionContent('# T\n\n## Summary\nA\n', 'action-items', '- x')).toBe(
      '# T\n\n## Summary\nA\n\n## Action items\n\n- x\n',
    );
    expect(replaceSectionContent('', 'comms', 'Sent.', 'Customer comms')).toBe('## Customer comms\n\nSent.\n');
  });

  it('empties a section when the content is blank', () => {
    expect(replaceSectionContent('## A\nx\n## B\n', 'a', '  ')).toBe('## A\n\n## B\n');
  });
});

describe('stripPrompts', () => {
  it('removes comment lines without leaving a gap', () => {
    expect(stripPrompts('## Impact\n\n<!-- Who was affected? -->\n\n12% of checkouts failed.\n')).toBe(
      '## Impact\n\n12% of checkouts failed.\n',
    );
  });

  it('removes multi-line comments and inline comments', () => {
    expect(stripPrompts('A <!-- x --> B\n<!--\nline\n-->\nC\n')).toBe('A  B\nC\n');
  });

  it('keeps comments inside fenced code and code spans', () => {
    const markdown = '```html\n<!-- kept -->\n```\nUse `<!-- kept -->` here.\n';
    expect(stripPrompts(markdown)).toBe(markdown);
  });

  it('keeps an unclosed comment in running text but drops an unclosed comment block to the end', () => {
    expect(stripPrompts('a <!-- b\n')).toBe('a <!-- b\n');
    expect(stripPrompts('a\n\n<!-- b\nc\n')).toBe('a\n\n');
  });

  it('returns text without comments unchanged', () => {
    expect(stripPrompts('## A\n\ntext\n')).toBe('## A\n\ntext\n');
  });
});
