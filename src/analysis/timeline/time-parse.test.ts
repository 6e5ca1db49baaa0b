import { describe, expect, it } from 'vitest';
import { completeYear, findDate, parseTimestamp, prefersDayFirst } from './time-parse.js';

const US = { dayFirst: false };

/** The parts of a timestamp as a compact string, and the text after it. */
function read(text: string): [string, string] | null {
  const stamp = parseTimestamp(text, US);
  if (!stamp) return null;
  const date = stamp.date ? `${stamp.date.year ?? '????'}-${stamp.date.month}-${stamp.date.day}` : '';
  const time = stamp.time ? `${stamp.time.hour}:${stamp.time.minute}:${stamp.time.second}` : '';
  const zone = stamp.zone ? (stamp.zone.kind === 'offset' ? `${stamp.zone.minutes}` : stamp.zone.timeZone) : '';
  return [[date, time, zone].join('|'), text.slice(stamp.end)];
}

describe('parseTimestamp', () => {
  it.each([
    ['14:05 UTC — errors', '|14:5:0|0', ' — errors'],
    ['2:54 PM PST: merged', '|14:54:0|America/Los_Angeles', ': merged'],
    ['12:00 AM midnight', '|0:0:0|', ' midnight'],
    ['12:30 pm lunch', '|12:30:0|', ' lunch'],
    ['13:55 PM stray meridiem', '|13:55:0|', ' stray meridiem'],
    ['7:56am UTC', '|7:56:0|0', ''],
    ['4pm deploy', '|16:0:0|', ' deploy'],
    ['09:15:04 UTC an edit', '|9:15:4|0', ' an edit'],
    ['2021-05-26 14:05: text', '2021-5-26|14:5:0|', ': text'],
    ['2021-05-09T23:02:01.463Z rest', '2021-5-9|23:2:1|0', ' rest'],
    ['2021-05-09T16:10:00-07:00 rest', '2021-5-9|16:10:0|-420', ' rest'],
    ['May 26, 2021 text', '2021-5-26||', ' text'],
    ['June 14th, 2022, 10:00 AM: text', '2022-6-14|10:0:0|', ': text'],
    ['Sun Oct 31 21:33', '????-10-31|21:33:0|', ''],
    ['12:45 PM PST Saturday Oct 30th: wave', '????-10-30|12:45:0|America/Los_Angeles', ': wave'],
    ['22:30 UTC (Oct 29) - reported', '????-10-29|22:30:0|0', ' - reported'],
    ['19. April, 11:00', '????-4-19|11:0:0|', ''],
    ['29 November 2019 outage', '2019-11-29||', ' outage'],
    ['07-27-2023 2:14 pm - PR approved', '2023-7-27|14:14:0|', ' - PR approved'],
    ['10/20/2022 - 15:38 CST - a user', '2022-10-20|15:38:0|America/Chicago', ' - a user'],
    ['5-26-21 outage', '2021-5-26||', ' outage'],
    ['19.04.2018 note', '2018-4-19||', ' note'],
    ['[03-26 23:04] drained', '????-3-26|23:4:0|', ' drained'],
    ['[08:47] merged', '|8:47:0|', ' merged'],
    ['~13:30-13:45', '|13:30:0|', ''],
    ['14:20-2:00 Through', '|14:20:0|', ' Through'],
    ['8:20 - 8:24 talk', '|8:20:0|', ' talk'],
    ['2018-07-08 ca. 18:30', '2018-7-8|18:30:0|', ''],
    ['2020-11-17 10:45~ KIAM', '2020-11-17|10:45:0|', ' KIAM'],
    ['10:00 UTC+2 x', '|10:0:0|120', ' x'],
    ['10:00 (UTC) x', '|10:0:0|0', ' x'],
    ['10:00 -0700 x', '|10:0:0|-420', ' x'],
    ['10:00 CET x', '|10:0:0|Europe/Berlin', ' x'],
  ])('reads %j', (text, parts, rest) => {
    expect(read(text)).toEqual([parts, rest]);
  });

  it.each([
    ['Monitoring showed errors'],
    ['Monday we deployed'],
    ['1.2.11 was released'],
    ['5 nodes were added'],
    ['3:1 split'],
    ['20202-01-16 12:00'],
    ['2022-02-?? ??:??'],
    ['[???] unknown'],
    ['`14:05` in code'],
    ['may 5 nodes fail'],
    ['25:00 is no time'],
    ['2023-02-30 no such day'],
  ])('finds no timestamp in %j', (text) => {
    expect(parseTimestamp(text, US)).toBeNull();
  });

  it('does not swallow words that merely start like weekdays or zones', () => {
    expect(read('14:05 Monitoring showed errors')).toEqual(['|14:5:0|', ' Monitoring showed errors']);
    expect(read('14:05 CI failed')).toEqual(['|14:5:0|', ' CI failed']);
  });

  it('reads all-numeric dates day first when asked, and whenever the first number exceeds 12', () => {
    expect(parseTimestamp('04/03/2024', { dayFirst: true })?.date).toEqual({ year: 2024, month: 3, day: 4 });
    expect(parseTimestamp('04/03/2024', US)?.date).toEqual({ year: 2024, month: 4, day: 3 });
    expect(parseTimestamp('25/03/2024', US)?.date).toEqual({ year: 2024, month: 3, day: 25 });
  });
});

describe('findDate', () => {
  it.each([
    ['On May 9th 2021 at 6:48AM PDT, blocks stopped', { year: 2021, month: 5, day: 9 }],
    ['## Timeline (PST) 4/21/23-4/25/23. All times approximations', { year: 2023, month: 4, day: 21 }],
    ['title = "Update on the October 15, 2018 incident"', { year: 2018, month: 10, day: 15 }],
    ['Unless otherwise noted all events happened on 2019-10-21.', { year: 2019, month: 10, day: 21 }],
  ])('finds the first full date in %j', (text, date) => {
    expect(findDate(text, US)).toEqual(date);
  });

  it('ignores dates without a year, versions and identifiers', () => {
    expect(findDate('On Monday, Oct 15, release 1.2.11 of PM2019-009', US)).toBeNull();
  });
});

describe('completeYear', () => {
  it('picks the year that puts the date nearest to the reference day', () => {
    const near = { year: 2019, month: 3, day: 26 };
    expect(completeYear({ month: 12, day: 5 }, near)).toEqual({ year: 2018, month: 12, day: 5 });
    expect(completeYear({ month: 3, day: 20 }, near)).toEqual({ year: 2019, month: 3, day: 20 });
    expect(completeYear({ month: 1, day: 2 }, { year: 2020, month: 12, day: 30 })).toEqual({
      year: 2021,
      month: 1,
      day: 2,
    });
  });

  it('falls back to the given year, or gives up', () => {
    expect(completeYear({ month: 2, day: 29 }, undefined, 2024)).toEqual({ year: 2024, month: 2, day: 29 });
    expect(completeYear({ month: 2, day: 29 }, undefined, 2023)).toBeNull();
    expect(completeYear({ month: 2, day: 1 }, undefined)).toBeNull();
  });
});

describe('prefersDayFirst', () => {
  it('is true only when some date can only be read day first and none only month first', () => {
    expect(prefersDayFirst('on 25/03/2024 and 04/03/2024')).toBe(true);
    expect(prefersDayFirst('on 04/03/2024')).toBe(false);
    expect(prefersDayFirst('on 25/03/2024 and 03/25/2024')).toBe(false);
  });
});
