import { describe, expect, it } from 'vitest';
import { findZoneMention, localToUtc, parseZoneToken, UTC } from './zones.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('parseZoneToken', () => {
  it.each([
    ['UTC', { kind: 'offset', minutes: 0 }, 3],
    ['utc then text', { kind: 'offset', minutes: 0 }, 3],
    ['GMT+1 text', { kind: 'offset', minutes: 60 }, 5],
    ['UTC-7)', { kind: 'offset', minutes: -420 }, 5],
    ['UTC+05:30', { kind: 'offset', minutes: 330 }, 9],
    ['+02:00', { kind: 'offset', minutes: 120 }, 6],
    ['-0700', { kind: 'offset', minutes: -420 }, 5],
    ['(PDT) text', { kind: 'region', timeZone: 'America/Los_Angeles' }, 5],
    ['CEST', { kind: 'region', timeZone: 'Europe/Berlin' }, 4],
    ['ET', { kind: 'region', timeZone: 'America/New_York' }, 2],
  ])('reads %j', (text, zone, length) => {
    expect(parseZoneToken(text)).toEqual({ zone, length });
  });

  it.each([['et al'], ['CI'], ['UTCX'], ['(UTC'], ['+25:00']])('reads no zone in %j', (text) => {
    expect(parseZoneToken(text)).toBeNull();
  });
});

describe('findZoneMention', () => {
  it.each([
    ['All times in PDT (UTC-7).', { kind: 'region', timeZone: 'America/Los_Angeles' }],
    ['All times in UTC+1 (Zurich time)', { kind: 'offset', minutes: 60 }],
    ['Time (Pacific)', { kind: 'region', timeZone: 'America/Los_Angeles' }],
    ['All times in UC/Pacific', { kind: 'region', timeZone: 'America/Los_Angeles' }],
    ['All times in Central European Time (CET)', { kind: 'region', timeZone: 'Europe/Berlin' }],
    ['Timeline (all times PST ) DATE RANGE', { kind: 'region', timeZone: 'America/Los_Angeles' }],
  ])('finds the zone in %j', (text, zone) => {
    expect(findZoneMention(text)).toEqual(zone);
  });

  it('finds nothing in a sentence without a zone', () => {
    expect(findZoneMention('All times are approximate')).toBeNull();
  });
});

describe('localToUtc', () => {
  it('applies a fixed offset', () => {
    expect(iso(localToUtc(Date.UTC(2024, 0, 15, 10, 0), { kind: 'offset', minutes: 120 }))).toBe(
      '2024-01-15T08:00:00.000Z',
    );
    expect(iso(localToUtc(Date.UTC(2024, 0, 15, 10, 0), UTC))).toBe('2024-01-15T10:00:00.000Z');
  });

  it("follows a region's daylight-saving rules", () => {
    const losAngeles = { kind: 'region', timeZone: 'America/Los_Angeles' } as const;
    expect(iso(localToUtc(Date.UTC(2021, 0, 10, 14, 0), losAngeles))).toBe('2021-01-10T22:00:00.000Z');
    expect(iso(localToUtc(Date.UTC(2021, 6, 10, 14, 0), losAngeles))).toBe('2021-07-10T21:00:00.000Z');
    const berlin = { kind: 'region', timeZone: 'Europe/Berlin' } as const;
    expect(iso(localToUtc(Date.UTC(2020, 5, 9, 12, 20), berlin))).toBe('2020-06-09T10:20:00.000Z');
    // 02:30 on the night clocks go back happens twice; the first (summer-time) instant is used.
    expect(iso(localToUtc(Date.UTC(2021, 9, 31, 2, 30), berlin))).toBe('2021-10-31T00:30:00.000Z');
    // 02:30 on the night clocks go forward does not exist; it is read as winter time, i.e. 03:30 summer time.
    expect(iso(localToUtc(Date.UTC(2021, 2, 28, 2, 30), berlin))).toBe('2021-03-28T01:30:00.000Z');
  });
});
