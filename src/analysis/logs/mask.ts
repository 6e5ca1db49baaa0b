/**
 * Variable masking for log template mining: replaces the parts of a log line that change from one occurrence to the
 * next (numbers, ids, addresses, times, …) with typed placeholders, so lines written by the same log statement look
 * alike before they are clustered.
 *
 * Written as character scans rather than a regular expression per token: masking runs on every line mined, and the
 * benchmark (bench/log-mining.ts) holds it to a throughput target.
 */

/** Placeholders written in place of masked variables. `<*>` is what the miner writes where templates differ. */
export const PLACEHOLDER = {
  number: '<NUM>',
  hex: '<HEX>',
  uuid: '<UUID>',
  ip: '<IP>',
  timestamp: '<TS>',
  email: '<EMAIL>',
  duration: '<DUR>',
  size: '<SIZE>',
  string: '<STR>',
  any: '<*>',
} as const;

export interface MaskOptions {
  /**
   * Replace quoted strings (`"…"` or `'…'`, at the start of a token or after `=`, `:`, `(`, `[`) with `<STR>`, even
   * when they contain spaces. Off by default: quoted text is often a constant (`"GET /health"`), and the miner
   * generalises quoted values that do vary on its own.
   */
  maskQuoted?: boolean;
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const QUOTE = 34;
const APOSTROPHE = 39;
const BACKSLASH = 92;

/** Space, tab, line feed, vertical tab, form feed, carriage return. */
const isSpace = (c: number): boolean => c === SPACE || (c >= TAB && c <= CR);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isWordChar = (c: number): boolean => isLetter(c) || isDigit(c) || c === 95 /* _ */ || c === 45; /* - */

/** Characters peeled off the front of a token before it is classified: `(12ms` -> `(` + `12ms`. */
const isLeadingPunct = (c: number): boolean =>
  c === 40 /* ( */ ||
  c === 91 /* [ */ ||
  c === 123 /* { */ ||
  c === 60 /* < */ ||
  c === QUOTE ||
  c === APOSTROPHE ||
  c === 96 /* ` */ ||
  c === 35 /* # */ ||
  c === 36; /* $ */

/** Characters peeled off the end: `42,` -> `42` + `,`; `99%` -> `99` + `%`. */
const isTrailingPunct = (c: number): boolean =>
  c === 41 /* ) */ ||
  c === 93 /* ] */ ||
  c === 125 /* } */ ||
  c === 62 /* > */ ||
  c === QUOTE ||
  c === APOSTROPHE ||
  c === 96 /* ` */ ||
  c === 44 /* , */ ||
  c === 59 /* ; */ ||
  c === 58 /* : */ ||
  c === 46 /* . */ ||
  c === 33 /* ! */ ||
  c === 63 /* ? */ ||
  c === 37; /* % */

/** A token can only hold a maskable variable if it has a digit, an `@` (email) or a `/` (URL, path). */
const mayHoldVariable = (c: number): boolean => isDigit(c) || c === 64 /* @ */ || c === 47; /* / */

/**
 * Masks one whitespace-free token. Punctuation around it is kept (`(12ms)` -> `(<DUR>)`), as are keys of
 * `key=value` and `key:value` pairs (`user_id=42,` -> `user_id=<NUM>,`); paths and URLs keep their constant segments
 * (`/api/users/42/orders?page=2` -> `/api/users/<NUM>/orders?<*>`).
 *
 * @example
 * maskToken('10.0.0.7:5432'); // '<IP>'
 * maskToken('took=1.5s'); // 'took=<DUR>'
 * maskToken('checkout'); // 'checkout'
 */
export function maskToken(token: string): string {
  const n = token.length;
  let interesting = false;
  for (let i = 0; i < n; i++) {
    if (mayHoldVariable(token.charCodeAt(i))) {
      interesting = true;
      break;
    }
  }
  return interesting ? maskInteresting(token) : token;
}

function maskInteresting(token: string): string {
  let s = 0;
  let e = token.length;
  while (s < e && isLeadingPunct(token.charCodeAt(s))) s++;
  while (e > s && isTrailingPunct(token.charCodeAt(e - 1))) e--;
  if (s === e) return token;
  if (s > 0 && token.charCodeAt(s - 1) === 91 /* [ */) {
    const close = bracketedIpv6End(token, s - 1);
    if (close > 0) return token.slice(0, s - 1) + PLACEHOLDER.ip + token.slice(close);
  }
  const core = s === 0 && e === token.length ? token : token.slice(s, e);
  let masked = maskCore(core);
  if (masked === null || masked === core) masked = maskPair(core);
  if (masked === null || masked === core) return token;
  return s === 0 && e === token.length ? masked : token.slice(0, s) + masked + token.slice(e);
}

/** `key=value` / `key:value`: keeps the key, masks the value as a token of its own. */
function maskPair(core: string): string | null {
  const eq = core.indexOf('=');
  if (eq > 0 && eq < core.length - 1) {
    const value = core.slice(eq + 1);
    const masked = maskToken(value);
    return masked === value ? null : core.slice(0, eq + 1) + masked;
  }
  const colon = core.indexOf(':');
  if (colon > 0 && colon < core.length - 1) {
    for (let i = 0; i < colon; i++) if (!isWordChar(core.charCodeAt(i)) && core.charCodeAt(i) !== 46) return null;
    const value = core.slice(colon + 1);
    const masked = maskToken(value);
    return masked === value ? null : core.slice(0, colon + 1) + masked;
  }
  return null;
}

/** The masked form of a token without surrounding punctuation, or null when no rule applies. */
function maskCore(core: string): string | null {
  const schemeEnd = core.indexOf('://');
  if (schemeEnd > 0) return maskUrl(core, schemeEnd);
  if (core.charCodeAt(0) === 47 /* / */ && core.length > 1) return maskPath(core);
  const atom = classify(core);
  if (atom !== null) return atom;
  if (core.indexOf('/') > 0) return maskPath(core);
  return null;
}

/** `scheme://host[:port]/path?query`: an IP host becomes `<IP>`, the path is masked by segment, a query is `?<*>`. */
function maskUrl(url: string, schemeEnd: number): string {
  const hostStart = schemeEnd + 3;
  let hostEnd = hostStart;
  while (hostEnd < url.length) {
    const c = url.charCodeAt(hostEnd);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    hostEnd++;
  }
  const authority = url.slice(hostStart, hostEnd);
  const at = authority.lastIndexOf('@');
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  let host = classify(hostPort);
  if (host === null && hostPort.charCodeAt(0) === 91 && bracketedIpv6End(hostPort, 0) === hostPort.length) {
    host = PLACEHOLDER.ip;
  }
  if (host === null) {
    const colon = hostPort.lastIndexOf(':');
    host =
      colon > 0 && isAllDigits(hostPort, colon + 1, hostPort.length)
        ? (classify(hostPort.slice(0, colon)) ?? hostPort.slice(0, colon)) + ':' + PLACEHOLDER.number
        : hostPort;
  }
  const rest = hostEnd < url.length ? maskPath(url.slice(hostEnd)) : '';
  return url.slice(0, hostStart) + (at >= 0 ? authority.slice(0, at + 1) : '') + host + rest;
}

/** Masks each `/`-separated segment on its own; everything after `?` or `#` becomes `<*>`. */
function maskPath(path: string): string {
  let end = path.length;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 63 /* ? */ || c === 35 /* # */) {
      end = i;
      break;
    }
  }
  let out = '';
  let segmentStart = 0;
  for (let i = 0; i <= end; i++) {
    if (i === end || path.charCodeAt(i) === 47) {
      if (i > segmentStart) {
        const segment = path.slice(segmentStart, i);
        out += classify(segment) ?? segment;
      }
      if (i < end) out += '/';
      segmentStart = i + 1;
    }
  }
  return end < path.length ? out + path[end] + PLACEHOLDER.any : out;
}

function isAllDigits(s: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** Single-value variables: UUID, timestamp, IP, number, duration, size, hex id, email. */
function classify(core: string): string | null {
  const n = core.length;
  const c0 = core.charCodeAt(0);
  if (n === 36 && isUuid(core)) return PLACEHOLDER.uuid;
  if (isDigit(c0)) {
    const ts = classifyTimestamp(core);
    if (ts !== null) return ts;
  }
  if (isDigit(c0) || ((c0 === 45 || c0 === 43 || c0 === 46) && n > 1 && isDigit(core.charCodeAt(1)))) {
    const numeric = classifyNumeric(core);
    if (numeric !== null) return numeric;
  }
  if (c0 === 48 && n > 2 && (core.charCodeAt(1) === 120 || core.charCodeAt(1) === 88)) {
    let allHex = true;
    for (let i = 2; i < n && allHex; i++) allHex = isHex(core.charCodeAt(i));
    if (allHex) return PLACEHOLDER.hex;
  }
  if (n >= 7 && isHexId(core)) return PLACEHOLDER.hex;
  if (isIpv6(core)) return PLACEHOLDER.ip;
  if (isEmail(core)) return PLACEHOLDER.email;
  return null;
}

function isUuid(s: string): boolean {
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!isHex(c)) return false;
  }
  return true;
}

/** Hex ids (commit SHAs, trace and span ids): hex digits only, at least one decimal digit and one letter. */
function isHexId(s: string): boolean {
  let digit = false;
  let letter = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) digit = true;
    else if (isHex(c)) letter = true;
    else return false;
  }
  return digit && letter;
}

function digitsAt(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/**
 * Dates and times: `2024-05-01`, `2024/05/01`, `2024-05-01T10:22:33.123Z`, `2024-05-01T10:22:33+02:00`, `10:22:33`,
 * `10:22:33,123`. Only digits and `-/:.,+TZ` may follow the leading pattern.
 */
function classifyTimestamp(s: string): string | null {
  const n = s.length;
  let rest: number;
  if (n >= 10 && digitsAt(s, 0, 4) && digitsAt(s, 5, 7) && digitsAt(s, 8, 10)) {
    const sep = s.charCodeAt(4);
    if ((sep !== 45 && sep !== 47) || s.charCodeAt(7) !== sep) return null;
    rest = 10;
  } else if (n >= 5 && digitsAt(s, 0, 2) && s.charCodeAt(2) === 58 && digitsAt(s, 3, 5)) {
    if (n === 5) return null; // 12:30 is as often a ratio or a port pair as a time
    rest = 5;
  } else {
    return null;
  }
  let colons = 0;
  for (let i = rest; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) colons++;
    else if (!(isDigit(c) || c === 45 || c === 46 || c === 44 || c === 43 || c === 84 || c === 90)) return null;
  }
  return colons <= 4 ? PLACEHOLDER.timestamp : null;
}

const DURATION_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'm', 'h', 'd', 'sec', 'secs', 'min', 'mins']);
const SIZE_UNITS = new Set(['b', 'kb', 'mb', 'gb', 'tb', 'pb', 'kib', 'mib', 'gib', 'tib', 'pib', 'bytes']);

/**
 * Numbers (`42`, `-3.5`, `1,024`, `1e-3`, `1.2.3`), IPv4 addresses (with optional `:port` or `/prefix`), durations
 * (`12ms`, `1.5s`, `1h30m`) and sizes (`512KiB`, `3MB`).
 */
function classifyNumeric(s: string): string | null {
  const n = s.length;
  let i = s.charCodeAt(0) === 45 || s.charCodeAt(0) === 43 ? 1 : 0;
  let dots = 0;
  let groups = 1;
  let groupLength = 0;
  let ipv4 = isDigit(s.charCodeAt(0));
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      groupLength++;
      if (groupLength > 3) ipv4 = false;
    } else if (c === 46 || c === 44) {
      if (c === 44) ipv4 = false;
      if (groupLength === 0 && i > 0) return null;
      if (c === 46) dots++;
      groups++;
      groupLength = 0;
    } else break;
    i++;
  }
  if (groupLength === 0) return null;
  if (i === n) return ipv4 && dots === 3 && groups === 4 ? PLACEHOLDER.ip : PLACEHOLDER.number;
  const c = s.charCodeAt(i);
  if (ipv4 && dots === 3 && groups === 4 && (c === 58 || c === 47) && isAllDigits(s, i + 1, n)) return PLACEHOLDER.ip;
  if ((c === 101 || c === 69) && dots <= 1) {
    let j = i + 1;
    if (j < n && (s.charCodeAt(j) === 45 || s.charCodeAt(j) === 43)) j++;
    if (isAllDigits(s, j, n)) return PLACEHOLDER.number;
  }
  if (dots > 1) return null;
  if (isDurationTail(s, i)) return PLACEHOLDER.duration;
  return SIZE_UNITS.has(s.slice(i).toLowerCase()) ? PLACEHOLDER.size : null;
}

/** A unit, optionally followed by more number+unit parts: `ms`, `h30m`, `m2.5s`. */
function isDurationTail(s: string, from: number): boolean {
  const n = s.length;
  let i = from;
  while (i < n) {
    const unitStart = i;
    while (i < n && !isDigit(s.charCodeAt(i)) && s.charCodeAt(i) !== 46) i++;
    if (!DURATION_UNITS.has(s.slice(unitStart, i))) return false;
    if (i === n) return true;
    const numberStart = i;
    while (i < n && (isDigit(s.charCodeAt(i)) || s.charCodeAt(i) === 46)) i++;
    if (i === numberStart || i === n) return false;
  }
  return true;
}

/** Full (`2001:db8:0:0:0:0:0:1`) or compressed (`fe80::1`, `::ffff:10.0.0.1`) IPv6 addresses. */
function isIpv6(s: string): boolean {
  let colons = 0;
  let hexDigits = 0;
  let compressed = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) {
      colons++;
      if (i > 0 && s.charCodeAt(i - 1) === 58) compressed = true;
    } else if (isHex(c)) hexDigits++;
    else if (c !== 46) return false;
  }
  return hexDigits > 0 && colons <= 8 && (colons === 7 || (compressed && colons >= 2));
}

/** `[v6]` or `[v6]:port` starting at `open`: where it ends, or -1. */
function bracketedIpv6End(s: string, open: number): number {
  const close = s.indexOf(']', open);
  if (close < 0 || !isIpv6(s.slice(open + 1, close))) return -1;
  let end = close + 1;
  if (s.charCodeAt(end) === 58 /* : */) {
    end++;
    while (end < s.length && isDigit(s.charCodeAt(end))) end++;
  }
  return end;
}

function isEmail(s: string): boolean {
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@')) return false;
  const lastDot = s.lastIndexOf('.');
  if (lastDot < at + 2 || s.length - lastDot < 3) return false;
  for (let i = lastDot + 1; i < s.length; i++) if (!isLetter(s.charCodeAt(i))) return false;
  for (let i = at + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(isLetter(c) || isDigit(c) || c === 45 || c === 46)) return false;
  }
  return true;
}

/** Where the quoted string opening at `open` closes: the matching quote followed by the end, a space or punctuation. */
function closingQuote(line: string, open: number): number {
  const quote = line.charCodeAt(open);
  for (let i = open + 1; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === quote) {
      const next = i + 1 < line.length ? line.charCodeAt(i + 1) : SPACE;
      if (isSpace(next) || isTrailingPunct(next)) return i;
    }
  }
  return -1;
}

const opensQuotedValue = (c: number): boolean => c === 61 /* = */ || c === 58 /* : */ || c === 40 || c === 91;

/**
 * Splits a line on whitespace, masks each token, and joins the result with single spaces. Two lines from one log
 * statement that differ only in masked variables give the same string, which the miner uses as a cache key.
 *
 * @example
 * maskLine('GET /api/orders/8812 200 in 12ms from 10.1.2.3'); // 'GET /api/orders/<NUM> <NUM> in <DUR> from <IP>'
 */
export function maskLine(line: string, options: MaskOptions = {}): string {
  const quoted = options.maskQuoted === true;
  const n = line.length;
  // Unchanged tokens are not copied one by one: `[keepStart, keepEnd)` is a run of them, already single-spaced,
  // that is sliced from the line in one piece. A line that needs no masking comes back as the same string.
  let out = '';
  let keepStart = -1;
  let keepEnd = -1;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i === n) break;
    const start = i;
    let interesting = false;
    let token: string | null = null;
    let pieceStart = start;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (isSpace(c)) break;
      if (quoted && (c === QUOTE || c === APOSTROPHE) && (i === start || opensQuotedValue(line.charCodeAt(i - 1)))) {
        const close = closingQuote(line, i);
        if (close > 0) {
          token = (token ?? '') + line.slice(pieceStart, i) + PLACEHOLDER.string;
          i = close + 1;
          pieceStart = i;
          continue;
        }
      }
      if (!interesting && mayHoldVariable(c)) interesting = true;
      i++;
    }
    let replacement: string | null = null;
    if (token !== null) {
      const raw = token + line.slice(pieceStart, i);
      replacement = interesting ? maskInteresting(raw) : raw;
    } else if (interesting) {
      const raw = line.slice(start, i);
      const masked = maskInteresting(raw);
      if (masked !== raw) replacement = masked;
    }
    if (replacement === null) {
      if (keepStart >= 0 && start === keepEnd + 1 && line.charCodeAt(keepEnd) === SPACE) {
        keepEnd = i;
        continue;
      }
      if (keepStart >= 0) out = appendToken(out, line.slice(keepStart, keepEnd));
      keepStart = start;
      keepEnd = i;
    } else {
      if (keepStart >= 0) out = appendToken(out, line.slice(keepStart, keepEnd));
      keepStart = -1;
      out = appendToken(out, replacement);
    }
  }
  if (keepStart === 0 && keepEnd === n) return line;
  return keepStart >= 0 ? appendToken(out, line.slice(keepStart, keepEnd)) : out;
}

const appendToken = (out: string, piece: string): string => (out.length === 0 ? piece : out + ' ' + piece);

/**
 * The masked tokens of a line.
 *
 * @example
 * tokenize('user 42 logged in'); // ['user', '<NUM>', 'logged', 'in']
 */
export function tokenize(line: string, options: MaskOptions = {}): string[] {
  const masked = maskLine(line, options);
  return masked.length === 0 ? [] : masked.split(' ');
}
