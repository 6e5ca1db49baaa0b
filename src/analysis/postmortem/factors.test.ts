import { describe, expect, it } from 'vitest';
import { FACTOR_CATEGORIES } from '../../domain/postmortem/types.js';
import { FACTOR_CATEGORY_LABELS, factorCategoryOf, parseContributingFactors } from './factors.js';

const section = (body: string): string => `# INC-1\n\n## Contributing factors\n${body}\n\n## Lessons\n- not a factor\n`;
/** Factors as `[category, description, line]`. */
const read = (markdown: string): [string | null, string, number][] =>
  parseContributingFactors(markdown).map((factor) => [factor.category, factor.description, factor.line]);

describe('factorCategoryOf', () => {
  it('knows every category by id and by label', () => {
    for (const category of FACTOR_CATEGORIES) {
      expect(factorCategoryOf(category)).toBe(category);
      expect(factorCategoryOf(FACTOR_CATEGORY_LABELS[category])).toBe(category);
      expect(factorCategoryOf(FACTOR_CATEGORY_LABELS[category].toUpperCase())).toBe(category);
    }
  });

  it.each([
    ['deploy', 'change'],
    ['Release', 'change'],
    ['configuration', 'config'],
    ['Load', 'capacity'],
    ['traffic', 'capacity'],
    ['quota', 'capacity'],
    ['vendor', 'dependency'],
    ['Third-party', 'dependency'],
    ['upstream', 'dependency'],
    ['provider', 'dependency'],
    ['monitoring', 'detection_gap'],
    ['Alerting', 'detection_gap'],
    ['detection-gap', 'detection_gap'],
    ['runbook', 'process'],
    ['clock skew', 'time'],
    ['**Security**', 'security'],
  ])('reads the synonym %j as %s', (label, category) => {
    expect(factorCategoryOf(label)).toBe(category);
  });

  it('returns null for words that name no category', () => {
    expect(factorCategoryOf('Bad luck')).toBeNull();
    expect(factorCategoryOf('')).toBeNull();
  });
});

describe('parseContributingFactors', () => {
  it('reads the bold, bracket, dash and colon forms, with document line numbers', () => {
    const markdown = section(
      [
        '- **Change:** the v2.3 deploy halved the connection pool',
        '- **Detection gap**: no alert on 429 responses',
        '- [config] retry budget set to unlimited',
        '- Dependency — the DNS provider was slow',
        '- Capacity: node pool was at 95%',
      ].join('\n'),
    );
    expect(read(markdown)).toEqual([
      ['change', 'the v2.3 deploy halved the connection pool', 4],
      ['detection_gap', 'no alert on 429 responses', 5],
      ['config', 'retry budget set to unlimited', 6],
      ['dependency', 'the DNS provider was slow', 7],
      ['capacity', 'node pool was at 95%', 8],
    ]);
  });

  it('keeps factors without a recognised category, whole', () => {
    expect(read(section('- Slow paging: the rota was empty\n- **Bad luck:** two nodes failed\n- Plain text'))).toEqual([
      [null, 'Slow paging: the rota was empty', 4],
      [null, '**Bad luck:** two nodes failed', 5],
      [null, 'Plain text', 6],
    ]);
  });

  it('reads numbered items and joins wrapped lines, but not nested lists', () => {
    const markdown = section(
      [
        '1. **Capacity:** nodes were too small',
        '   for the pod requests',
        '   - nested detail',
        '2. [data] a bad row',
      ].join('\n'),
    );
    expect(read(markdown)).toEqual([
      ['capacity', 'nodes were too small for the pod requests', 4],
      ['data', 'a bad row', 7],
    ]);
  });

  it('reads "### Category: title" subsections as one factor each, their lists being details', () => {
    const markdown = section(
      [
        '### Change: the v2 rollout skipped canaries',
        'It went to all regions.',
        '- detail',
        '### Time: the certificate expired',
      ].join('\n'),
    );
    expect(read(markdown)).toEqual([
      ['change', 'the v2 rollout skipped canaries', 4],
      ['time', 'the certificate expired', 7],
    ]);
  });

  it('gives items under a "### Category" subsection its category unless they name their own', () => {
    const markdown = section(
      ['### Detection gap', '- no alert on 429s', '- **Process:** no runbook', '### Hardware', 'A disk failed.'].join(
        '\n',
      ),
    );
    expect(read(markdown)).toEqual([
      ['detection_gap', 'no alert on 429s', 5],
      ['process', 'no runbook', 6],
      ['hardware', 'A disk failed.', 7],
    ]);
  });

  it('reads items under a subsection that names no category, and such a subsection alone as a factor', () => {
    const markdown = section(
      ['### Technical', '- [change] v2 deploy', '- pool too small', '### Why did paging take 20 minutes?'].join('\n'),
    );
    expect(read(markdown)).toEqual([
      ['change', 'v2 deploy', 5],
      [null, 'pool too small', 6],
      [null, 'Why did paging take 20 minutes?', 7],
    ]);
  });

  it('reads a paragraph that starts with a category label, and ignores other prose', () => {
    expect(read(section('**Config:** the flag defaulted to on.\n\nSome context without a category.'))).toEqual([
      ['config', 'the flag defaulted to on.', 4],
    ]);
  });

  it('skips unconfirmed draft candidates, placeholders and bare labels', () => {
    const markdown = section(
      [
        '- **Change:** deploy payments v2.3.1 — suspect (7m before impact); confirm or delete',
        '-',
        '- TBD',
        '- {{ factor }}',
        '- **Change:**',
        '- **Change:** deploy payments v2.3.1 — confirmed',
      ].join('\n'),
    );
    expect(read(markdown)).toEqual([['change', 'deploy payments v2.3.1 — confirmed', 9]]);
  });

  it('ignores examples in prompts and code', () => {
    const markdown = section('<!--\n- **Change:** example\n-->\n```\n- [config] example\n```\n- [data] real');
    expect(read(markdown)).toEqual([['data', 'real', 10]]);
  });

  it('reads rows of a Category / Factor table', () => {
    const markdown = section(
      [
        '| Category | Factor |',
        '|---|---|',
        '| Capacity | pods per node too high |',
        '| luck | two disks \\| failed |',
      ].join('\n'),
    );
    expect(read(markdown)).toEqual([
      ['capacity', 'pods per node too high', 6],
      [null, 'two disks | failed', 7],
    ]);
    expect(read(section('| Name | Notes |\n|---|---|\n| a | b |'))).toEqual([]);
  });

  it('reads an alias section such as "Root causes"', () => {
    expect(read('## Root causes\n- [change] v2\n')).toEqual([['change', 'v2', 2]]);
  });

  it('returns nothing without a contributing-factors section', () => {
    expect(parseContributingFactors('## Summary\n- [change] not here\n')).toEqual([]);
    expect(parseContributingFactors('')).toEqual([]);
  });

  it('does not mistake a task checkbox or a link for a bracket label', () => {
    expect(read(section('- [ ] check the pool\n- [change](https://x.example) link text'))).toEqual([
      [null, '[ ] check the pool', 4],
      [null, '[change](https://x.example) link text', 5],
    ]);
  });
});
