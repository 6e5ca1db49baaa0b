import { describe, it, expect } from 'vitest';
import { DebriefError } from './errors.js';
import { formatIncidentKey, parseIncidentKey } from './incident-key.js';

describe('formatIncidentKey', () => {
  it('prefixes the number with INC-', () => {
    expect(formatIncidentKey(42)).toBe('INC-42');
    expect(formatIncidentKey(1)).toBe('INC-1');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s as a number', (n) => {
    expect(() => formatIncidentKey(n)).toThrow(DebriefError);
    try {
      formatIncidentKey(n);
    } catch (error) {
      expect((error as DebriefError).code).toBe('DEBRIEF_ERR_VALIDATION');
      expect((error as DebriefError).field).toBe('number');
    }
  });
});

describe('parseIncidentKey', () => {
  it('reads the number from a key in any case', () => {
    expect(parseIncidentKey('INC-42')).toBe(42);
    expect(parseIncidentKey('inc-42')).toBe(42);
    expect(parseIncidentKey('Inc-7')).toBe(7);
    expect(parseIncidentKey('  INC-9 ')).toBe(9);
  });

  it.each(['INC-0', 'INC-x', 'INC-01', 'INC-', 'INC--1', 'INC-4.2', 'INC 42', 'XINC-42', 'INC-42x', '42', ''])(
    'returns null for %j',
    (s) => {
      expect(parseIncidentKey(s)).toBeNull();
    },
  );

  it('returns null for numbers beyond the safe integer range', () => {
    expect(parseIncidentKey('INC-99999999999999999999')).toBeNull();
  });

  it('round-trips with formatIncidentKey', () => {
    for (const n of [1, 9, 10, 12345]) expect(parseIncidentKey(formatIncidentKey(n))).toBe(n);
  });
});
