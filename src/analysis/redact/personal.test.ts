import { describe, expect, it } from 'vitest';
import { cardNetwork, findCards, findEmails, findIpAddresses, findPhones, luhn, parseIpv6 } from './personal.js';
import type { Candidate } from './types.js';

const texts = (text: string, candidates: Candidate[]): string[] => candidates.map((c) => text.slice(c.start, c.end));

describe('findEmails', () => {
  it('finds addresses of people, including in mailto links and query strings', () => {
    const text =
      'Reach ana.garcia@acme.io or <bo+oncall@Example.co.uk>; mailto:cy@example.org; https://x.test/?to=dee@example.net';
    expect(texts(text, findEmails(text))).toEqual([
      'ana.garcia@acme.io',
      'bo+oncall@Example.co.uk',
      'cy@example.org',
      'dee@example.net',
    ]);
  });

  it('keeps role mailboxes, git remotes, URL user names, asset names and package specs', () => {
    const text = [
      'noreply@github.com, security@example.com, git@github.com:org/repo.git',
      'postgres://user:password@db.example.com:5432/app, ssh://deploy@host.example.com',
      'logo@2x.png, strict-uri-encode@npm:^2.0.0, aws-cli@sha256:eaaa7b11, pnpm@10.4.1',
      'svc@acme-prod.iam.gserviceaccount.com, your-service@your-project.example.com',
    ].join('\n');
    expect(texts(text, findEmails(text))).toEqual([]);
  });
});

describe('findPhones', () => {
  it.each([
    ['call +44 20 7946 0958 now', '+44 20 7946 0958'],
    ['+1 (415) 555-0132', '+1 (415) 555-0132'],
    ['+4930123456789', '+4930123456789'],
    ['office (415) 555-0132', '(415) 555-0132'],
    ['415-555-0132', '415-555-0132'],
    ['415.555.0132', '415.555.0132'],
    ['UK 020 7946 0958', '020 7946 0958'],
    ['mobile 07700 900123', '07700 900123'],
    ['Paris 01 23 45 67 89', '01 23 45 67 89'],
    ['phone: 555 0132 44', '555 0132 44'],
    ['the processor (+44 20 7946 0958) answered', '+44 20 7946 0958'],
    ['support line (phone: 415 555 0132)', '415 555 0132'],
  ])('finds the number in %s', (text, number) => {
    expect(texts(text, findPhones(text))).toContain(number);
    expect(texts(text, findPhones(text)).every((found) => !found.endsWith(')') || found.includes('('))).toBe(true);
  });

  it.each([
    'incident 2024-03-05 14:22:31 lasted 12:30:45',
    'version 10.15.7 and 1.2.3.4, build 20240305.1',
    'order 2024-0001-7788 and ISBN 978-3-16-148410-0',
    'HTTP 503 for 415 requests, 555 retries, p99 1234 ms',
    '| 2021 | 415 | 555 | 0132 |',
    'pid 12345678, port 8080, epoch 1700000000',
    'trace 4bf92f3577b34da6a3ce929d0e0e4736 and 555-0100 short',
    '<tel:28919.8689279|28919.8689279>',
    'rollout +1 500 errors',
  ])('keeps %s', (text) => {
    expect(texts(text, findPhones(text))).toEqual([]);
  });
});

describe('findCards', () => {
  it('checks the Luhn digit and the issuer range', () => {
    expect(luhn('4111111111111111')).toBe(true);
    expect(luhn('4111111111111112')).toBe(false);
    expect(cardNetwork('4111111111111111')).toBe('visa');
    expect(cardNetwork('378282246310005')).toBe('amex');
    expect(cardNetwork('5555555555554444')).toBe('mastercard');
    expect(cardNetwork('2223003122003222')).toBe('mastercard');
    expect(cardNetwork('1234567890123452')).toBeNull();
  });

  it.each([
    ['card 4111 1111 1111 1111 declined', '4111 1111 1111 1111'],
    ['4012-8888-8888-1881', '4012-8888-8888-1881'],
    ['amex 3782 822463 10005', '3782 822463 10005'],
    ['pan=5555555555554444;', '5555555555554444'],
  ])('finds %s', (text, card) => {
    expect(texts(text, findCards(text))).toEqual([card]);
  });

  it.each([
    'order 1234567890123456',
    'ts 1700000000000 and 1700000000000123',
    '4111 1111 1111 1112',
    '4111-1111 1111-1111',
    '411 1111 1111 11111',
    'id 0000000000000000',
    'version 4.111.111.111.111',
    'uuid 41111111-1111-1111-1111-111111111111',
    'ports 2226 2227 2228 2229 2230',
  ])('keeps %s', (text) => {
    expect(findCards(text)).toEqual([]);
  });
});

describe('findIpAddresses', () => {
  const text =
    'from 203.0.113.7:443 via 10.0.0.5, 172.16.4.2, 192.168.1.1, 127.0.0.1, 169.254.169.254, 100.64.0.1; ' +
    'v6 2001:db8::1 and [2001:db8:0:0:0:0:2:1]:8080, fe80::1%eth0, fd00::5, ::1, ::ffff:10.1.2.3, ::ffff:8.8.8.8';

  it('redacts public addresses and keeps private, loopback, link-local and shared ones', () => {
    expect(texts(text, findIpAddresses(text, false))).toEqual([
      '203.0.113.7',
      '2001:db8::1',
      '2001:db8:0:0:0:0:2:1',
      '::ffff:8.8.8.8',
    ]);
  });

  it('redacts private ranges too when asked', () => {
    const found = texts(text, findIpAddresses(text, true));
    expect(found).toEqual(expect.arrayContaining(['10.0.0.5', '192.168.1.1', '127.0.0.1', 'fe80::1%eth0', '::1']));
  });

  it.each([
    'version 1.2.3.4',
    'v1.2.3.4',
    'Chrome/120.0.0.1',
    'node v18.1.0.0',
    '1.2.3.4.5.6',
    '1.2.3',
    '256.256.256.256',
    '1.2.3.04',
    'netmask 255.255.255.0 and 0.0.0.0',
    'network 8.8.0.0',
    'mac 00:1a:2b:3c:4d:5e',
    'time 12:30:45',
    'std::vector<int> and Foo::Bar',
    'sha1 16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48',
  ])('keeps %s', (sample) => {
    expect(findIpAddresses(sample, false)).toEqual([]);
  });

  it('parses IPv6 forms', () => {
    expect(parseIpv6('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(parseIpv6('1:2:3')).toBeNull();
    expect(parseIpv6('1::2::3')).toBeNull();
  });
});
