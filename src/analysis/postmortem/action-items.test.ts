import { describe, expect, it } from 'vitest';
import type { ActionItem } from '../../domain/postmortem/types.js';
import { isPlaceholderValue, normalizeDueDate, parseActionItems } from './action-items.js';

const section = (body: string): string =>
  `# INC-1\n\n## Action items\n${body}\n\n## Supporting information\n- not an action\n`;
const item = (fields: Partial<ActionItem> & { description: string; line: number }): ActionItem => ({
  type: null,
  owner: null,
  due: null,
  priority: null,
  ticket: null,
  ...fields,
});

describe('parseActionItems from a table', () => {
  it('reads the default table, escaped pipes included', () => {
    const markdown = section(
      [
        '| Action | Type | Owner | Due | Priority | Ticket |',
        '| --- | --- | --- | --- | --- | --- |',
        '| Alert on 429 \\| 5xx ratio | Detect | @ana | 2026-12-01 | P1 | [OPS-12](https://jira.example.com/browse/OPS-12) |',
        '| Raise pool size | prevent | bo@example.com | Dec 15, 2026 | P2 | OPS-13 |',
      ].join('\n'),
    );
    expect(parseActionItems(markdown)).toEqual([
      item({
        description: 'Alert on 429 | 5xx ratio',
        type: 'detect',
        owner: '@ana',
        due: '2026-12-01',
        priority: 'P1',
        ticket: 'https://jira.example.com/browse/OPS-12',
        line: 6,
      }),
      item({
        description: 'Raise pool size',
        type: 'prevent',
        owner: 'bo@example.com',
        due: '2026-12-15',
        priority: 'P2',
        ticket: 'OPS-13',
        line: 7,
      }),
    ]);
  });

  it('recognises columns by header synonyms, in any order', () => {
    const markdown = section(
      [
        '| Deadline | Assignee | Task | Issue |',
        '|:--|:-:|--:|---|',
        '| 1 March 2027 | cy | Write runbook | #41 |',
      ].join('\n'),
    );
    expect(parseActionItems(markdown)).toEqual([
      item({ description: 'Write runbook', owner: 'cy', due: '2027-03-01', ticket: '#41', line: 6 }),
    ]);
  });

  it('uses the first unrecognised column as the action when no header names it', () => {
    const markdown = section(['| Change | Owner |', '|---|---|', '| Add canary stage | @ana |'].join('\n'));
    expect(parseActionItems(markdown)).toEqual([item({ description: 'Add canary stage', owner: '@ana', line: 6 })]);
  });

  it('reads placeholder cells as null and skips rows without an action', () => {
    const markdown = section(
      [
        '| Action | Owner | Due | Priority | Ticket |',
        '|---|---|---|---|---|',
        '| Fix retries | _owner_ | TBD | - | ? |',
        '| Add alert | {{ owner }} | YYYY-MM-DD | n/a | <ticket> |',
        '| | @ana | 2026-12-01 | | |',
        '| - | | | | |',
      ].join('\n'),
    );
    expect(parseActionItems(markdown)).toEqual([
      item({ description: 'Fix retries', line: 6 }),
      item({ description: 'Add alert', line: 7 }),
    ]);
  });

  it('reads an empty table header as no items', () => {
    expect(
      parseActionItems(
        section('| Action | Type | Owner | Due | Priority | Ticket |\n| --- | --- | --- | --- | --- | --- |'),
      ),
    ).toEqual([]);
  });
});

describe('parseActionItems from lists', () => {
  it('reads task-list items with key: value metadata in parentheses', () => {
    const markdown = section(
      [
        '- [ ] Add a 429 alert (owner: @ana, due: 2026-12-01, priority: P1)',
        '- [x] Roll back v2.3.1 (owner: bo; ticket: https://github.com/acme/pay/issues/7)',
      ].join('\n'),
    );
    expect(parseActionItems(markdown)).toEqual([
      item({ description: 'Add a 429 alert', owner: '@ana', due: '2026-12-01', priority: 'P1', line: 4 }),
      item({ description: 'Roll back v2.3.1', owner: 'bo', ticket: 'https://github.com/acme/pay/issues/7', line: 5 }),
    ]);
  });

  it('reads metadata after a dash and dates with commas', () => {
    expect(parseActionItems(section('- Document the failover — owner: @cy, due: Jan 5, 2027'))).toEqual([
      item({ description: 'Document the failover', owner: '@cy', due: '2027-01-05', line: 4 }),
    ]);
  });

  it('takes a tracker link in the text as the ticket', () => {
    const markdown = section(
      '1. Cap Envoy retries [#40885](https://github.com/PostHog/posthog/issues/40885)\n2. Read [the docs](https://docs.example.com/retries)',
    );
    expect(parseActionItems(markdown).map((entry) => entry.ticket)).toEqual([
      'https://github.com/PostHog/posthog/issues/40885',
      null,
    ]);
  });

  it('reads placeholder owners as null', () => {
    expect(parseActionItems(section('- [ ] Fix the pool (owner: TBD, due: ?)'))).toEqual([
      item({ description: 'Fix the pool', line: 4 }),
    ]);
  });

  it('takes the type from a subheading such as "### Prevention"', () => {
    const markdown = section(
      '### Prevention\n- Cap retries\n### Process improvements\n- Review alerts\n### Other\n- Tidy',
    );
    expect(parseActionItems(markdown).map((entry) => [entry.description, entry.type])).toEqual([
      ['Cap retries', 'prevent'],
      ['Review alerts', 'process'],
      ['Tidy', null],
    ]);
  });

  it('skips template slots and empty items, and ignores nested lists and prompts', () => {
    const markdown = section(
      [
        '<!-- - [ ] example (owner: @x) -->',
        '1. {{ summary }} [link to github issue]',
        '-',
        '- Real action',
        '  - a sub-step',
      ].join('\n'),
    );
    expect(parseActionItems(markdown)).toEqual([item({ description: 'Real action', line: 7 })]);
  });

  it('reads an alias section such as "Follow-ups" and returns nothing without one', () => {
    expect(parseActionItems('## Follow-ups\n- [ ] Rotate keys\n')).toEqual([
      item({ description: 'Rotate keys', line: 2 }),
    ]);
    expect(parseActionItems('## Summary\n- [ ] not an action\n')).toEqual([]);
  });
});

describe('normalizeDueDate', () => {
  it.each([
    ['2026-12-01', '2026-12-01'],
    ['2026/12/1', '2026-12-01'],
    ['2026-12-01T17:00:00Z', '2026-12-01'],
    ['Dec 1, 2026', '2026-12-01'],
    ['December 1st 2026', '2026-12-01'],
    ['1 Dec 2026', '2026-12-01'],
    ['Tue, 1 December 2026', '2026-12-01'],
    ['31/12/2026', '2026-12-31'],
    ['12/31/2026', '2026-12-31'],
    ['**2026-12-01**', '2026-12-01'],
  ])('reads %j as %s', (value, expected) => {
    expect(normalizeDueDate(value)).toBe(expected);
  });

  it('keeps ambiguous, impossible or vague dates as written', () => {
    expect(normalizeDueDate('03/04/2026')).toBe('03/04/2026');
    expect(normalizeDueDate('2026-02-30')).toBe('2026-02-30');
    expect(normalizeDueDate('Q3')).toBe('Q3');
    expect(normalizeDueDate('next sprint')).toBe('next sprint');
  });
});

describe('isPlaceholderValue', () => {
  it.each([
    '',
    ' ',
    '-',
    '—',
    '?',
    '??',
    '...',
    'TBD',
    'tba',
    'N/A',
    'none',
    '_owner_',
    '*Owner*',
    '<owner>',
    '{{ owner }}',
    '[owner]',
    'YYYY-MM-DD',
  ])('treats %j as a placeholder', (value) => {
    expect(isPlaceholderValue(value)).toBe(true);
  });

  it.each(['@ana', 'ana@example.com', 'Platform team', '<https://x.example/1>', '#12', '2026-12-01'])(
    'treats %j as a value',
    (value) => {
      expect(isPlaceholderValue(value)).toBe(false);
    },
  );
});
