import { describe, expect, it } from 'vitest';
import { extractTimeline } from './extract.js';

const md = (...lines: string[]): string => lines.join('\n');
const times = (markdown: string, options?: Parameters<typeof extractTimeline>[1]): string[] =>
  extractTimeline(markdown, options).events.map((event) => event.at);

describe('extractTimeline: finding the section', () => {
  it('reports no section and no events when the document has no timeline', () => {
    const result = extractTimeline(md('# Outage', '', '## Summary', '- 14:05 UTC errors started'));
    expect(result).toEqual({
      hasTimelineSection: false,
      events: [],
      markers: {},
      durations: {},
      undatedEntries: 0,
    });
  });

  it('reports an empty timeline section as present', () => {
    const result = extractTimeline(md('# Outage', '## Timeline', 'See the status page.', '## Impact'));
    expect(result.hasTimelineSection).toBe(true);
    expect(result.events).toEqual([]);
  });

  it.each([
    ['## Timeline'],
    ['### Chronology'],
    ['# Timeline of events'],
    ['## Detailed timeline'],
    ['#### Incident Timeline'],
    ['## Sequence of events'],
    ['## 5. Timeline (all times UTC)'],
    ['**Timeline**'],
    ['**Timeline:**'],
  ])('recognises the heading %s', (heading) => {
    const result = extractTimeline(md('# Outage on 2024-01-02', heading, '- 10:00 UTC deploy started'));
    expect(result.hasTimelineSection).toBe(true);
    expect(result.events.map((event) => event.at)).toEqual(['2024-01-02T10:00:00.000Z']);
  });

  it('recognises a setext heading', () => {
    const result = extractTimeline(
      md('Outage 2024-01-02', '=================', '', 'Timeline', '--------', '- 10:00 UTC deploy'),
    );
    expect(result.events).toHaveLength(1);
  });

  it('ends the section at the next heading of the same or a higher level', () => {
    const markdown = md(
      '# Outage 2024-01-02',
      '## Timeline',
      '- 10:00 UTC deploy',
      '### Follow-up',
      '- 11:00 UTC still in the timeline',
      '## Root cause',
      '- 12:00 UTC not in the timeline',
    );
    expect(times(markdown)).toEqual(['2024-01-02T10:00:00.000Z', '2024-01-02T11:00:00.000Z']);
  });

  it('keeps timestamp headings of the same level inside the section', () => {
    const markdown = md(
      '# Outage 2024-01-02',
      '## Timeline',
      '## 10:00',
      'Deploy.',
      '## 10:30',
      'Rollback.',
      '## Impact',
    );
    expect(times(markdown)).toEqual(['2024-01-02T10:00:00.000Z', '2024-01-02T10:30:00.000Z']);
  });

  it('ends a bold pseudo-heading section at the next heading', () => {
    const markdown = md('# Outage 2024-01-02', '**Timeline:**', '- 10:00 deploy', '## Lessons', '- 11:00 retro');
    expect(times(markdown)).toEqual(['2024-01-02T10:00:00.000Z']);
  });

  it('uses the timeline section with the most events when there are several', () => {
    const markdown = md(
      '# Outage 2024-01-02',
      '## Timeline',
      'Summary only.',
      '## Detailed timeline',
      '- 10:00 deploy',
      '- 10:05 errors',
    );
    expect(times(markdown)).toHaveLength(2);
  });
});

describe('extractTimeline: entry formats', () => {
  it('reads a table with a time column and a description column', () => {
    const markdown = md(
      '# Checkout outage',
      '',
      '## Timeline',
      '',
      'All times in UTC.',
      '',
      '| Time             | Event                            |',
      '| :--------------- | -------------------------------- |',
      '| 2024-03-13 10:01 | Errors started for checkout      |',
      '| 2024-03-13 10:04 | Alert fired in #ops              |',
      '| 2024-03-13 10:20 | Deploy **rolled back**           |',
      '| 2024-03-13 10:45 | Incident resolved                |',
    );
    const result = extractTimeline(markdown);
    expect(result.events).toEqual([
      { at: '2024-03-13T10:01:00.000Z', text: 'Errors started for checkout', line: 9 },
      { at: '2024-03-13T10:04:00.000Z', text: 'Alert fired in #ops', line: 10 },
      { at: '2024-03-13T10:20:00.000Z', text: 'Deploy rolled back', line: 11 },
      { at: '2024-03-13T10:45:00.000Z', text: 'Incident resolved', line: 12 },
    ]);
    expect(result.markers).toEqual({
      impactStart: '2024-03-13T10:01:00.000Z',
      detected: '2024-03-13T10:04:00.000Z',
      mitigated: '2024-03-13T10:20:00.000Z',
      resolved: '2024-03-13T10:45:00.000Z',
    });
    expect(result.durations).toEqual({ timeToDetectMinutes: 3, timeToMitigateMinutes: 19, timeToResolveMinutes: 44 });
  });

  it('joins split day, date and time columns and takes the year and zone from their headers', () => {
    const markdown = md(
      '## Timeline',
      '| Day | Date (2021) | Time (PT) | Event |',
      '|-----|-------------|-----------|-------|',
      '| Sun | Oct 31 | 21:33 | User reports a strange transaction',
      '| Mon | Nov 1 | 17:00 | Hardware replaced |',
    );
    // Pacific daylight time (UTC-7) on Oct 31 and Nov 1 2021.
    expect(times(markdown)).toEqual(['2021-11-01T04:33:00.000Z', '2021-11-02T00:00:00.000Z']);
  });

  it('reads a table without outer pipes whose first column holds times', () => {
    const markdown = md(
      '### Timeline',
      'Time (Pacific) | Description',
      '--------------:|------------',
      '14:50          | Configuration change released.',
      '19:08          | Internal alerts generated.',
    );
    const result = extractTimeline(markdown, { referenceDate: '2016-04-11' });
    expect(result.events.map((event) => [event.at, event.text])).toEqual([
      ['2016-04-11T21:50:00.000Z', 'Configuration change released.'],
      ['2016-04-12T02:08:00.000Z', 'Internal alerts generated.'],
    ]);
  });

  it('reads bullet lists in their common spellings', () => {
    const markdown = md(
      '# Incident 2021-05-26',
      '## Timeline',
      '- 14:05 UTC — errors started',
      '* **14:09** alert fired',
      '- 2021-05-26 14:20: rolled back',
      '+ [14:30] all clear',
      '1. 14:40 - retro scheduled',
    );
    const result = extractTimeline(markdown);
    expect(result.events.map((event) => [event.at.slice(11, 16), event.text])).toEqual([
      ['14:05', 'errors started'],
      ['14:09', 'alert fired'],
      ['14:20', 'rolled back'],
      ['14:30', 'all clear'],
      ['14:40', 'retro scheduled'],
    ]);
  });

  it('reads HH:MM headings followed by paragraphs, with the day and zone stated once', () => {
    const markdown = md(
      '# 2017-09-27, Hub 403',
      '## Timeline',
      '',
      'All times in PST',
      '',
      '### Sep 27 2017 13:06',
      '',
      'Changes are deployed to staging.',
      '',
      '### 13:44',
      '',
      "'403 Forbidden' reported by others,",
      'and it does not clear on second try.',
      '',
      '### 15:25 - Fix deployed',
      '',
      'The outage ends.',
      '',
      '## Lessons learned',
    );
    const result = extractTimeline(markdown);
    // "PST" is Los Angeles time: daylight saving (UTC-7) in September.
    expect(result.events).toEqual([
      { at: '2017-09-27T20:06:00.000Z', text: 'Changes are deployed to staging.', line: 6 },
      {
        at: '2017-09-27T20:44:00.000Z',
        text: "'403 Forbidden' reported by others, and it does not clear on second try.",
        line: 10,
      },
      { at: '2017-09-27T22:25:00.000Z', text: 'Fix deployed', line: 15 },
    ]);
  });

  it('reads plain lines that start with a 12-hour time, carrying a date line forward', () => {
    const markdown = md(
      '## Timeline (PST) 4/21/23-4/25/23. All times approximations',
      '_4/21/23_',
      '',
      '11:12 AM: An email about a login attempt was received.',
      '',
      '12:18 PM: Questioning of the user began.',
      '1:31 PM: The laptop is left off',
      '           until a factory restore.',
      '',
      '_4/24/23_',
      '',
      '~9:00 AM: The MacBook was erased.',
    );
    const result = extractTimeline(markdown);
    expect(result.events.map((event) => [event.at, event.text, event.line])).toEqual([
      ['2023-04-21T18:12:00.000Z', 'An email about a login attempt was received.', 4],
      ['2023-04-21T19:18:00.000Z', 'Questioning of the user began.', 6],
      ['2023-04-21T20:31:00.000Z', 'The laptop is left off until a factory restore.', 7],
      ['2023-04-24T16:00:00.000Z', 'The MacBook was erased.', 12],
    ]);
  });

  it('reads a timestamp line whose description follows on the next lines', () => {
    const markdown = md(
      '## Timeline (all times UTC)',
      'February 15, 2024: 7:56am UTC',
      'An email reported a login from a new device.',
      '',
      '**14:05 UTC**',
      '',
      'Alert fired.',
    );
    expect(extractTimeline(markdown).events.map((event) => [event.at, event.text])).toEqual([
      ['2024-02-15T07:56:00.000Z', 'An email reported a login from a new device.'],
      ['2024-02-15T14:05:00.000Z', 'Alert fired.'],
    ]);
  });

  it('carries a date from a day sub-heading to the time-only entries under it', () => {
    const markdown = md(
      '## Timeline',
      '### May 26, 2021',
      '- 23:50 UTC deploy',
      '#### 2021-05-28',
      '- 09:00 UTC follow-up',
    );
    expect(times(markdown)).toEqual(['2021-05-26T23:50:00.000Z', '2021-05-28T09:00:00.000Z']);
  });

  it('carries the date of a table row to the following rows', () => {
    const markdown = md(
      '## Timeline',
      '| When | What |',
      '| --- | --- |',
      '| 2022-03-18 08:37 | Notified by social media |',
      '| 08:59 | Repositories searched |',
    );
    expect(times(markdown)).toEqual(['2022-03-18T08:37:00.000Z', '2022-03-18T08:59:00.000Z']);
  });

  it('reads ISO timestamps with their own zone', () => {
    const markdown = md(
      '## Timeline',
      '- 2021-05-09T23:02:01Z coin amount error',
      '- 2021-05-09T16:10:00-07:00 hotfix',
    );
    expect(times(markdown)).toEqual(['2021-05-09T23:02:01.000Z', '2021-05-09T23:10:00.000Z']);
  });

  it('reads dates written out with ordinals, weekdays and day-first month names', () => {
    const markdown = md(
      '## Timeline (all times PST)',
      '**June 14th, 2022, 10:00 AM:** A report arrived.',
      '12:45 PM PST Saturday Oct 30th 2021: First wave begins',
      '### 19. April 2018, 11:00',
      'Fix applied.',
    );
    expect(times(markdown)).toEqual([
      '2018-04-19T18:00:00.000Z',
      '2021-10-30T19:45:00.000Z',
      '2022-06-14T17:00:00.000Z',
    ]);
  });

  it('keeps a range by its start time', () => {
    const markdown = md('# 2020-10-06', '## Timeline', '- 09:00 - 11:00 troubleshooting', '- ~13:30-13:45 impact');
    expect(times(markdown)).toEqual(['2020-10-06T09:00:00.000Z', '2020-10-06T13:30:00.000Z']);
  });

  it('keeps entries that give a day but no time as date-only events at midnight in their zone', () => {
    const markdown = md(
      '## Timeline (all times PST) 10/14/2022 - 11/03/2022',
      '',
      '10/14/2022 - A researcher submitted a bug report.',
      '',
      '11/03/2022 - Version 1.6.1 was released.',
    );
    expect(extractTimeline(markdown).events).toEqual([
      { at: '2022-10-14T07:00:00.000Z', text: 'A researcher submitted a bug report.', line: 3, dateOnly: true },
      { at: '2022-11-03T07:00:00.000Z', text: 'Version 1.6.1 was released.', line: 5, dateOnly: true },
    ]);
  });

  it('reads a table cell with an unknown time (`14:??`, `HH:mm`) as a date-only entry', () => {
    const markdown = md(
      '## Timeline',
      '| Time | Event |',
      '| --- | --- |',
      '| 2024-03-13 14:?? | Scaled down |',
      '| 2024-03-13 HH:mm | Scaled up |',
      '| 2022-02-?? ??:?? | Unknown day |',
    );
    const events = extractTimeline(markdown).events;
    expect(events.map((event) => [event.text, event.dateOnly])).toEqual([
      ['Scaled down', true],
      ['Scaled up', true],
    ]);
  });
});

describe('extractTimeline: dates, days and zones', () => {
  it('rolls a time-only entry over to the next day when times jump back by hours', () => {
    const markdown = md(
      '# Update on the October 15, 2018 incident',
      '## Timeline of events',
      '- 23:58 UTC: packages deleted',
      '- 00:40 UTC: packages removed from the index',
    );
    expect(times(markdown)).toEqual(['2018-10-15T23:58:00.000Z', '2018-10-16T00:40:00.000Z']);
  });

  it('does not roll over for an entry a few minutes out of order, and sorts it', () => {
    const markdown = md('# 2018-04-18', '## Timeline', '### 14:49', 'Deploy.', '### 14:43', 'Earlier note.');
    const result = extractTimeline(markdown);
    expect(result.events.map((event) => [event.at, event.line])).toEqual([
      ['2018-04-18T14:43:00.000Z', 5],
      ['2018-04-18T14:49:00.000Z', 3],
    ]);
  });

  it('keeps document order for events at the same time', () => {
    const markdown = md('# 2024-01-02', '## Timeline', '- 10:00 first', '- 10:00 second', '- 09:00 earlier');
    expect(extractTimeline(markdown).events.map((event) => event.text)).toEqual(['earlier', 'first', 'second']);
  });

  it('takes the day from the front matter, the title or the first date in the document, in that order', () => {
    const timeline = md('## Timeline', '- 10:00 UTC deploy');
    expect(times(md('---', 'date: 2020-02-20', 'title: Incident', '---', '# Outage 2020-03-01', timeline))).toEqual([
      '2020-02-20T10:00:00.000Z',
    ]);
    expect(times(md('+++', 'title = "The October 15, 2018 incident"', '+++', timeline))).toEqual([
      '2018-10-15T10:00:00.000Z',
    ]);
    expect(times(md('# Outage 5-26-21', 'Reported on 2021-06-01.', timeline))).toEqual(['2021-05-26T10:00:00.000Z']);
    expect(times(md('# Outage', 'On May 9th 2021 at 6:48AM PDT blocks stopped.', timeline))).toEqual([
      '2021-05-09T10:00:00.000Z',
    ]);
  });

  it('prefers a date stated in the section heading or its introduction', () => {
    const markdown = md(
      '# Outage 2019-10-24',
      '## Timeline of events',
      'Unless otherwise noted all events happened on 2019-10-21, and all times are in UTC.',
      '- **2019-10-20 00:55: builds started failing**',
      '- 01:38: alerts fired',
    );
    // The entry dated the day before is an aside: the next time-only entry is still on the 21st.
    expect(times(markdown)).toEqual(['2019-10-20T00:55:00.000Z', '2019-10-21T01:38:00.000Z']);
  });

  it('completes a date without a year with the nearest year to the document date', () => {
    const markdown = md('# March 26th, 2019 Boskos Outage', '## Timeline', '- [12-05 16:21] bug introduced');
    expect(times(markdown)).toEqual(['2018-12-05T16:21:00.000Z']);
  });

  it('uses `defaultYear` for dates without a year when the document has none', () => {
    const markdown = md('## Timeline', '- Oct 30th 12:45 UTC: first wave');
    expect(times(markdown, { defaultYear: 2021 })).toEqual(['2021-10-30T12:45:00.000Z']);
  });

  it('counts time-only entries as undated when no date is known, unless `referenceDate` is given', () => {
    const markdown = md('## Timeline', '- 10:00 deploy', '- 10:05 errors');
    const undated = extractTimeline(markdown);
    expect(undated.events).toEqual([]);
    expect(undated.undatedEntries).toBe(2);
    const dated = extractTimeline(markdown, { referenceDate: '2024-02-29' });
    expect(dated.events.map((event) => event.at)).toEqual(['2024-02-29T10:00:00.000Z', '2024-02-29T10:05:00.000Z']);
    expect(dated.undatedEntries).toBe(0);
  });

  it('prefers a date in the document over `referenceDate`', () => {
    expect(times(md('# 2021-01-01', '## Timeline', '- 10:00 deploy'), { referenceDate: '2024-02-29' })).toEqual([
      '2021-01-01T10:00:00.000Z',
    ]);
  });

  it('rejects a `referenceDate` that is not a calendar date', () => {
    expect(() => extractTimeline('## Timeline', { referenceDate: '2023-02-29' })).toThrow(RangeError);
    expect(() => extractTimeline('## Timeline', { referenceDate: '29.02.2024' })).toThrow(RangeError);
  });

  it('applies a zone stated in the first entry to the entries after it', () => {
    const markdown = md(
      '# 2024-01-15',
      '## Timeline',
      '- 10:00 CET deploy',
      '- 10:30 rollback',
      '- 11:00 UTC all clear',
    );
    expect(times(markdown)).toEqual([
      '2024-01-15T09:00:00.000Z',
      '2024-01-15T09:30:00.000Z',
      '2024-01-15T11:00:00.000Z',
    ]);
  });

  it('reads CET as Central European local time, daylight saving included', () => {
    const markdown = md('# 2020-06-09', '## Timeline', 'All times in CET.', '- 12:20 attachments removed');
    expect(times(markdown)).toEqual(['2020-06-09T10:20:00.000Z']);
  });

  it.each([
    ['## Timeline (all times UTC+2)', '- 10:00 deploy', '2024-01-15T08:00:00.000Z'],
    ['## Timeline', '- 10:00 +05:30 deploy', '2024-01-15T04:30:00.000Z'],
    ['## Timeline', '- 10:00 -0700 deploy', '2024-01-15T17:00:00.000Z'],
    ['## Timeline (ET)', '- 10:00 deploy', '2024-01-15T15:00:00.000Z'],
    ['## Timeline', '- 10:00 GMT deploy', '2024-01-15T10:00:00.000Z'],
    ['## Timeline', '- 10:00 CEST deploy', '2024-01-15T09:00:00.000Z'],
  ])('reads the zone in "%s" / "%s"', (heading, entry, expected) => {
    expect(times(md('# 2024-01-15', heading, entry))).toEqual([expected]);
  });

  it('applies a document-wide zone statement outside the section', () => {
    const markdown = md('# May 30th, 2019 Prow Flakiness', '', 'All times PDT.', '', '## Timeline', '* [13:26] report');
    expect(times(markdown)).toEqual(['2019-05-30T20:26:00.000Z']);
  });

  it('reads day-first numeric dates when the document writes them so', () => {
    const markdown = md('# Outage 25/03/2024', '## Timeline', '- 04/03/2024 10:00 UTC deploy');
    expect(times(markdown)).toEqual(['2024-03-04T10:00:00.000Z']);
  });
});

describe('extractTimeline: what is not an entry', () => {
  it('ignores timestamps inside fenced code blocks and inline code', () => {
    const markdown = md(
      '# 2024-01-02',
      '## Timeline',
      '- 10:00 deploy',
      '```',
      '10:05 log line that looks like an entry',
      '```',
      '~~~text',
      '## 10:06 not a heading either',
      '~~~',
      '- `10:10` in inline code',
      '- 10:15 rollback completed',
    );
    expect(extractTimeline(markdown).events.map((event) => event.line)).toEqual([3, 11]);
  });

  it('ignores lines that only mention a time later on', () => {
    const markdown = md(
      '# 2024-01-02',
      '## Timeline',
      'The deploy at 10:00 went fine.',
      '**Duration:** 10:00 to 11:00 UTC',
    );
    expect(extractTimeline(markdown).events).toEqual([]);
  });
});

describe('extractTimeline: text', () => {
  it('strips emphasis, links and code marks and removes the timestamp', () => {
    const markdown = md(
      '# 2024-01-02',
      '## Timeline',
      '- **10:00 UTC:** [PR 42](https://example.com/42) merged by _someone_, see [hook] and `kubectl get pods`',
      '- 10:05 S&amp;O notified <img src="x.png" />',
      '',
      '[hook]: https://example.com/hook',
    );
    expect(extractTimeline(markdown).events.map((event) => event.text)).toEqual([
      'PR 42 merged by someone, see hook and kubectl get pods',
      'S&O notified',
    ]);
  });
});

describe('extractTimeline: markers and durations', () => {
  it('takes the earliest event as impact start when no event says impact began', () => {
    const markdown = md(
      '# 2025-10-03',
      '## Timeline',
      'All times in UTC.',
      '- **10:45** - SDK version deployed',
      '- **14:59** - Support engineer notices customer reports',
      '- **16:11** - Reverts deployed, issue mitigated',
      '- **22:28** - Incident closed',
    );
    const result = extractTimeline(markdown);
    expect(result.markers).toEqual({
      impactStart: '2025-10-03T10:45:00.000Z',
      detected: '2025-10-03T14:59:00.000Z',
      mitigated: '2025-10-03T16:11:00.000Z',
      resolved: '2025-10-03T22:28:00.000Z',
    });
    expect(result.durations).toEqual({
      timeToDetectMinutes: 254,
      timeToMitigateMinutes: 326,
      timeToResolveMinutes: 703,
    });
  });

  it('leaves out markers and durations nothing supports', () => {
    const result = extractTimeline(md('# 2024-01-02', '## Timeline', '- 10:00 deploy', '- 10:05 errors started'));
    expect(result.markers).toEqual({ impactStart: '2024-01-02T10:05:00.000Z' });
    expect(result.durations).toEqual({});
  });

  it('ignores date-only events for markers when timed events exist', () => {
    const markdown = md(
      '## Timeline',
      '- 2024-01-01: bug introduced',
      '- 2024-01-02 10:00 UTC: page fired',
      '- 2024-01-02 10:30 UTC: resolved',
    );
    const result = extractTimeline(markdown);
    expect(result.markers).toEqual({
      impactStart: '2024-01-02T10:00:00.000Z',
      detected: '2024-01-02T10:00:00.000Z',
      resolved: '2024-01-02T10:30:00.000Z',
    });
  });
});
