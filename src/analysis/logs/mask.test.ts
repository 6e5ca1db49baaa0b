import { describe, expect, it } from 'vitest';
import { maskLine, maskToken, tokenize } from './mask.js';

describe('maskToken', () => {
  it.each([
    ['42', '<NUM>'],
    ['-17', '<NUM>'],
    ['3.14159', '<NUM>'],
    ['1,024', '<NUM>'],
    ['1e-5', '<NUM>'],
    ['0x1F3a', '<HEX>'],
    ['4bf92f3577b34da6a3ce929d0e0e4736', '<HEX>'],
    ['9f86d08', '<HEX>'],
    ['550e8400-e29b-41d4-a716-446655440000', '<UUID>'],
    ['10.0.0.7', '<IP>'],
    ['10.0.0.7:5432', '<IP>'],
    ['10.0.0.0/8', '<IP>'],
    ['fe80::1ff:fe23:4567:890a', '<IP>'],
    ['2001:db8:0:0:0:0:0:1', '<IP>'],
    ['::1', '<IP>'],
    ['[::1]:8080', '<IP>'],
    ['2024-05-01T10:22:33.123Z', '<TS>'],
    ['2024-05-01T10:22:33+02:00', '<TS>'],
    ['2024-05-01', '<TS>'],
    ['2024/05/01', '<TS>'],
    ['10:22:33', '<TS>'],
    ['10:22:33,123', '<TS>'],
    ['alice@example.com', '<EMAIL>'],
    ['12ms', '<DUR>'],
    ['1.5s', '<DUR>'],
    ['250µs', '<DUR>'],
    ['1h30m', '<DUR>'],
    ['3d', '<DUR>'],
    ['512KiB', '<SIZE>'],
    ['3MB', '<SIZE>'],
  ])('masks %s as %s', (token, expected) => {
    expect(maskToken(token)).toBe(expected);
  });

  it.each(['checkout', 'ERROR', 'v1.2.3', 'pod-7f9c8d6b5-x2x4z', 'e2e', 'cafe', 'std::vector', 'a1b2', '2nd', 'TLS1'])(
    'leaves %s alone: not a variable it can recognise',
    (token) => {
      expect(maskToken(token)).toBe(token);
    },
  );

  it('keeps punctuation around a masked value', () => {
    expect(maskToken('(12ms)')).toBe('(<DUR>)');
    expect(maskToken('[2024-05-01T10:22:33Z]')).toBe('[<TS>]');
    expect(maskToken('42,')).toBe('<NUM>,');
    expect(maskToken('99.5%')).toBe('<NUM>%');
    expect(maskToken('#17')).toBe('#<NUM>');
    expect(maskToken('"10.1.2.3"')).toBe('"<IP>"');
    expect(maskToken('8080.')).toBe('<NUM>.');
  });

  it('keeps the key of key=value and key:value pairs', () => {
    expect(maskToken('user_id=42')).toBe('user_id=<NUM>');
    expect(maskToken('latency=12ms,')).toBe('latency=<DUR>,');
    expect(maskToken('request_id=550e8400-e29b-41d4-a716-446655440000')).toBe('request_id=<UUID>');
    expect(maskToken('at=2024-05-01T10:22:33Z')).toBe('at=<TS>');
    expect(maskToken('status:503')).toBe('status:<NUM>');
    expect(maskToken('host:8080')).toBe('host:<NUM>');
    expect(maskToken('mode=fast')).toBe('mode=fast');
  });

  it('masks the ids in a path but keeps its constant segments', () => {
    expect(maskToken('/api/users/42/orders')).toBe('/api/users/<NUM>/orders');
    expect(maskToken('/carts/550e8400-e29b-41d4-a716-446655440000/items')).toBe('/carts/<UUID>/items');
    expect(maskToken('/api/orders/7?page=2&sort=desc')).toBe('/api/orders/<NUM>?<*>');
    expect(maskToken('/var/lib/data')).toBe('/var/lib/data');
    expect(maskToken('path=/tmp/upload-3/9f86d08')).toBe('path=/tmp/upload-3/<HEX>');
  });

  it('masks the address host and the ids of a URL', () => {
    expect(maskToken('https://api.example.com/v1/users/42?token=abc')).toBe(
      'https://api.example.com/v1/users/<NUM>?<*>',
    );
    expect(maskToken('http://10.0.0.2:9000/health')).toBe('http://<IP>/health');
    expect(maskToken('http://[::1]:8080/metrics')).toBe('http://<IP>/metrics');
    expect(maskToken('http://inventory:8080/v1/stock')).toBe('http://inventory:<NUM>/v1/stock');
  });
});

describe('maskLine', () => {
  it('masks every variable of a line and joins the tokens with single spaces', () => {
    expect(maskLine('  GET /api/orders/8812   200 in 12ms\tfrom 10.1.2.3 ')).toBe(
      'GET /api/orders/<NUM> <NUM> in <DUR> from <IP>',
    );
  });

  it('returns the line itself when there is nothing to mask', () => {
    const line = 'connection reset by peer';
    expect(maskLine(line)).toBe(line);
  });

  it('gives the same string for lines that differ only in their variables', () => {
    expect(maskLine('user 17 logged in from 10.0.0.1 at 2024-05-01T10:00:00Z')).toBe(
      maskLine('user 90210 logged in from 192.168.7.254 at 2025-12-31T23:59:59.999Z'),
    );
  });

  it('leaves quoted strings alone unless asked', () => {
    const line = 'msg="cache miss for 42" name=\'x y\' "a b" don\'t stop';
    expect(maskLine(line)).toBe('msg="cache miss for <NUM>" name=\'x y\' "a b" don\'t stop');
    expect(maskLine(line, { maskQuoted: true })).toBe("msg=<STR> name=<STR> <STR> don't stop");
  });

  it('treats a quote without a closing partner as plain text', () => {
    expect(maskLine('unterminated "quote 42', { maskQuoted: true })).toBe('unterminated "quote <NUM>');
  });

  it('gives an empty string for a blank line', () => {
    expect(maskLine(' \t ')).toBe('');
    expect(tokenize('')).toEqual([]);
  });
});

describe('tokenize', () => {
  it('splits on whitespace after masking', () => {
    expect(tokenize('retry 3 of 5 after 250ms')).toEqual(['retry', '<NUM>', 'of', '<NUM>', 'after', '<DUR>']);
  });
});
