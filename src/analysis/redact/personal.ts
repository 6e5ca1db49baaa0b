/**
 * Personal data: email addresses, phone numbers, payment card numbers and IP addresses. Each detector is written
 * against the look-alikes that fill postmortems: versions (`1.2.3.4` after "version"), dates and times, build and
 * trace ids, `git@github.com:org/repo`, `logo@2x.png`, netmasks and private addresses.
 */
import type { Candidate } from './types.js';

export const PERSONAL_PRIORITY = 20;

const candidate = (kind: string, start: number, end: number, rule: string): Candidate => ({
  kind,
  start,
  end,
  rule: `pattern:${rule}`,
  priority: PERSONAL_PRIORITY,
});

// ---------------------------------------------------------------------------------------------------------------
// Email

const EMAIL =
  /(?<![\w.+%/-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])/g;

/** Role and robot mailboxes: addresses of a function, not a person. */
const ROLE_MAILBOXES =
  /^(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|abuse|hostmaster|webmaster|noc|security|support|help|info|notifications?|alerts?|git)$/i;
const FILE_SUFFIX = /\.(?:png|jpe?g|gif|svg|webp|ico|css|js|mjs|ts|tsx|json|md|html?|lock|ya?ml|txt|log)$/i;

/** Service identities and documentation stand-ins rather than people. */
const NOT_A_PERSON = /\.gserviceaccount\.com$|^your[._-]|[@.]your[._-]/i;

export function findEmails(text: string): Candidate[] {
  const found: Candidate[] = [];
  EMAIL.lastIndex = 0;
  for (const match of text.matchAll(EMAIL)) {
    const address = match[0];
    const at = address.indexOf('@');
    // `scheme://user:password@host` is a URL's user information, not an address; `mailto:` is an address.
    if (text[match.index - 1] === ':' && !/mailto:$/i.test(text.slice(Math.max(0, match.index - 7), match.index)))
      continue;
    if (/:\/\/[^\s/?#]*$/.test(text.slice(Math.max(0, match.index - 200), match.index))) continue;
    if (ROLE_MAILBOXES.test(address.slice(0, at)) || FILE_SUFFIX.test(address) || NOT_A_PERSON.test(address)) continue;
    found.push(candidate('email', match.index, match.index + address.length, 'email'));
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers

const digitCount = (value: string): number => value.replace(/\D/g, '').length;

/** Drops closing parentheses that close text around the number, as in `(+44 20 7946 0958)`. */
function balanced(value: string): string {
  let out = value;
  const count = (c: string): number => out.split(c).length - 1;
  while (out.endsWith(')') && count(')') > count('(')) out = out.slice(0, -1);
  return out;
}

/** `+44 20 7946 0958`, `+1 (415) 555-0132`, `+4930123456`. */
const E164 = /(?<![\w+])\+[1-9]\d{0,3}(?:[ .-]?\(?\d{1,5}\)?){1,6}(?![\w])/g;
/** North American numbers with separators: `(415) 555-0132`, `415-555-0132`, `415.555.0132`. */
const NANP = /(?<![\w.+/-])(?:\([2-9]\d{2}\)[ ]?|[2-9]\d{2}([-.]))[2-9]\d{2}(?:\1|[-.])\d{4}(?![\w/-]|\.\d)/g;
/** Numbers with a trunk prefix: `020 7946 0958`, `07700 900123`, `030 12345678`, `01 23 45 67 89`. */
const TRUNK = /(?<![\w.+/:-])0\d{1,4}(?:[ -]\d{2,8}){1,4}(?![\w/:-]|\.\d)/g;
/** After a label: `phone: 415 555 0132`, `Tel. 555 0132`. */
const LABELLED =
  /\b(?:phone|tel|telephone|mobile|cell|fax|sms|whatsapp|call(?:ed)?(?: me)? (?:at|on))\b(?:[ \t]*(?:number|no\.?|#))?[ \t]*[:.=]?[ \t]*(\+?\(?\d[\d ().-]{5,18}\d)/gi;

export function findPhones(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const [re, min, max] of [
    [E164, 9, 15],
    [NANP, 10, 10],
    [TRUNK, 10, 11],
  ] as const) {
    re.lastIndex = 0;
    for (const match of text.matchAll(re)) {
      const value = balanced(match[0].replace(/[ .-]+$/, ''));
      const digits = digitCount(value);
      if (digits < min || digits > max) continue;
      if (re === TRUNK && !/^0\d{1,4}(?: \d{2}){4}$|^0\d{1,4}[ -]\d{3,8}(?:[ -]\d{3,4})?$/.test(value)) continue;
      found.push(candidate('phone', match.index, match.index + value.length, 'phone'));
    }
  }
  LABELLED.lastIndex = 0;
  for (const match of text.matchAll(LABELLED)) {
    const raw = match[1] ?? '';
    const value = balanced(raw);
    const digits = digitCount(value);
    // `tel:28919.8689279`: chat tools link decimal numbers as phone numbers too.
    if (digits < 7 || digits > 15 || /^\d+\.\d+$/.test(value)) continue;
    const start = match.index + match[0].length - raw.length;
    found.push(candidate('phone', start, start + value.length, 'phone'));
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Payment cards

const CARD = /(?<![\w.+/:-])\d(?:[ -]?\d){12,18}(?![\w/:-]|\.\d)/g;

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Card network for an issuer identification number prefix and length; null when none issues such numbers. */
export function cardNetwork(digits: string): string | null {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  const p6 = Number(digits.slice(0, 6));
  if (digits[0] === '4' && (n === 13 || n === 16 || n === 19)) return 'visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n === 16) return 'mastercard';
  if ((p2 === 34 || p2 === 37) && n === 15) return 'amex';
  if ((p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) && n >= 16 && n <= 19)
    return 'discover';
  if ((p2 === 36 || (p3 >= 300 && p3 <= 305) || p2 === 38 || p2 === 39) && n >= 14 && n <= 19) return 'diners';
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return 'jcb';
  if (p2 === 62 && n >= 16 && n <= 19) return 'unionpay';
  if ((p2 === 50 || (p2 >= 56 && p2 <= 69)) && n >= 13 && n <= 19) return 'maestro';
  return null;
}

/** Groups as printed on cards: 4-4-4-4(-3), Amex/Diners 4-6-5 or 4-6-4. */
function plausibleGrouping(value: string): boolean {
  if (!/[ -]/.test(value)) return true;
  if (/[ -].*[ -]/.test(value) && new Set(value.match(/[ -]/g)).size > 1) return false;
  const groups = value.split(/[ -]/).map((g) => g.length);
  const [first, ...rest] = groups;
  if (first !== 4) return false;
  if (rest.length === 2 && rest[0] === 6 && (rest[1] === 5 || rest[1] === 4)) return true;
  return (
    rest.slice(0, -1).every((g) => g === 4) && (rest[rest.length - 1] ?? 0) >= 1 && (rest[rest.length - 1] ?? 0) <= 4
  );
}

/** `2226 2227 2228 2229`: a run of counted numbers in a list, grouped like a card by accident. */
function isCountingSequence(value: string): boolean {
  const groups = value.split(/[ -]/).map(Number);
  if (groups.length < 3) return false;
  const step = (groups[1] ?? 0) - (groups[0] ?? 0);
  return groups.every((g, i) => i === 0 || g - (groups[i - 1] ?? 0) === step);
}

export function findCards(text: string): Candidate[] {
  const found: Candidate[] = [];
  CARD.lastIndex = 0;
  for (const match of text.matchAll(CARD)) {
    const value = match[0];
    const digits = value.replace(/\D/g, '');
    if (!plausibleGrouping(value) || !cardNetwork(digits) || !luhn(digits)) continue;
    if (/^(\d)\1+$/.test(digits) || isCountingSequence(value)) continue;
    found.push(candidate('payment-card', match.index, match.index + value.length, 'payment-card'));
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const IPV4 = new RegExp(String.raw`(?<![\w.-])${OCTET}(?:\.${OCTET}){3}(?![\w-]|\.\d)`, 'g');
const IPV6_CANDIDATE =
  /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4}|:)(?:%[\w.]+)?(?![\w:]|\.\d)/g;
/** What precedes a dotted quad that is a version number: `version 1.2.3.4`, `Chrome/120.0.0.1`, `v1.0.0.0`. */
const VERSION_CONTEXT =
  /(?:\b(?:version|ver|v|release|build|firmware|rev|revision|tag|chrome|chromium|firefox|safari|edge|os|ios|android|windows|node|python|java|openssl|kernel|release|agent|sdk|api)[ \t]*[:=/]?[ \t]*|[/@])$/i;

function ipv4Octets(value: string): number[] {
  return value.split('.').map(Number);
}

/** Private, loopback, link-local and shared (CGNAT) ranges: kept unless `redactPrivateIps`. */
export function isPrivateIpv4(value: string): boolean {
  const [a = 0, b = 0] = ipv4Octets(value);
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/** Addresses that identify no host: unspecified, netmasks and broadcast, multicast, network numbers `x.y.0.0`. */
function isNonHostIpv4(value: string): boolean {
  const [a = 0, , c = 0, d = 0] = ipv4Octets(value);
  return a === 0 || a === 255 || (a >= 224 && a <= 239) || (c === 0 && d === 0);
}

/** Parses an IPv6 address into eight 16-bit groups, or null when it is not one. */
export function parseIpv6(value: string): number[] | null {
  let address = value.replace(/%[\w.]+$/, '');
  const v4 = /:(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((o) => o > 255)) return null;
    const hex = (high: number, low: number): string => ((high << 8) | low).toString(16);
    address = `${address.slice(0, v4.index + 1)}${hex(a, b)}:${hex(c, d)}`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return null;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (!head || !tail) return null;
  const total = head.length + tail.length;
  if (halves.length === 1) return total === 8 ? head : null;
  if (total > 7) return null;
  return [...head, ...new Array<number>(8 - total).fill(0), ...tail];
}

function isPrivateIpv6(groups: number[]): boolean {
  const first = groups[0] ?? 0;
  const allZeroPrefix = groups.slice(0, 7).every((g) => g === 0);
  if (allZeroPrefix && (groups[7] ?? 0) <= 1) return true; // :: and ::1
  if ((first & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((first & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const a = (groups[6] ?? 0) >> 8;
    const b = (groups[6] ?? 0) & 0xff;
    return isPrivateIpv4(`${a}.${b}.0.1`);
  }
  return false;
}

export function findIpAddresses(text: string, redactPrivate: boolean): Candidate[] {
  const found: Candidate[] = [];
  IPV4.lastIndex = 0;
  for (const match of text.matchAll(IPV4)) {
    const value = match[0];
    if (VERSION_CONTEXT.test(text.slice(Math.max(0, match.index - 24), match.index))) continue;
    // The tail of an IPv6 address (`::ffff:8.8.8.8`) is judged with the whole address below.
    if (/(?:^|[^\w:.])[0-9A-Fa-f]*:[0-9A-Fa-f:]*:$/.test(text.slice(Math.max(0, match.index - 40), match.index)))
      continue;
    if (isNonHostIpv4(value)) continue;
    if (!redactPrivate && isPrivateIpv4(value)) continue;
    found.push(candidate('ip-address', match.index, match.index + value.length, 'ip-address'));
  }
  IPV6_CANDIDATE.lastIndex = 0;
  for (const match of text.matchAll(IPV6_CANDIDATE)) {
    const value = match[0];
    if (!/\d/.test(value)) continue;
    const groups = parseIpv6(value);
    if (!groups || groups.every((g) => g === 0)) continue;
    if (!redactPrivate && isPrivateIpv6(groups)) continue;
    found.push(candidate('ip-address', match.index, match.index + value.length, 'ip-address'));
  }
  return found;
}
