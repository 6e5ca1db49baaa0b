/**
 * Credentials found by their surroundings rather than their shape: PEM private keys, JWTs, passwords in URLs and
 * connection strings, `Authorization` headers and bearer tokens, `curl -u user:pass`, and values assigned to
 * secret-sounding keys (`password=`, `secret:`, `api_key =`, `token:`, `--api-key X`, `if (secret == "…")`).
 * Only the secret part is redacted: the key, the user name and the host stay readable.
 */
import { classifyKey, keyWords, type KeyClass } from './keys.js';
import type { Candidate } from './types.js';
import { entropy, hasPlaceholderSyntax, isObviousPlaceholder, isReference, looksLikeSecretValue } from './values.js';

export const PRIORITY = {
  privateKey: 100,
  jwt: 70,
  urlPassword: 60,
  header: 55,
  assignment: 40,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// PEM private keys

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;
const PEM_END = /-{2,5}END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-{0,5}/g;
const MAX_KEY_BLOCK = 64_000;
/** Lines that are each one base64 run: the body of a key whose END line is missing. */
const BASE64_RUN = /^(?:(?:\r?\n|\\[nr])[ \t]*[A-Za-z0-9+/=]{4,}[ \t]*(?=\r?\n|\\[nr]|$))+/;

/** The whole block, BEGIN to END line; a key cut off before its END line is redacted up to where its body stops. */
export function findPrivateKeys(text: string): Candidate[] {
  const found: Candidate[] = [];
  const begins = [...text.matchAll(PEM_BEGIN)];
  if (begins.length === 0) return found;
  // Hand-edited keys lose a dash or two of their END line: any END … PRIVATE KEY line closes the block.
  const ends = [...text.matchAll(PEM_END)];
  let nextEnd = 0;
  begins.forEach((match, i) => {
    const bodyStart = match.index + match[0].length;
    const nextBegin = begins[i + 1]?.index ?? text.length;
    while (nextEnd < ends.length && (ends[nextEnd]?.index ?? 0) < bodyStart) nextEnd++;
    const end = ends[nextEnd];
    let bodyEnd: number;
    let blockEnd: number;
    // Keys are a few kilobytes at most, so a body never reaches further than MAX_KEY_BLOCK.
    if (end && end.index < nextBegin && end.index - bodyStart < MAX_KEY_BLOCK) {
      bodyEnd = end.index;
      blockEnd = end.index + end[0].length;
    } else {
      const run = BASE64_RUN.exec(text.slice(bodyStart, Math.min(nextBegin, bodyStart + MAX_KEY_BLOCK)));
      bodyEnd = bodyStart + (run?.[0].trimEnd().length ?? 0);
      blockEnd = bodyEnd;
    }
    const body = text
      .slice(bodyStart, bodyEnd)
      .replace(/\\[nr]/g, '\n')
      .split('\n')
      .filter((line) => !/^[\w-]+:/.test(line.trim()))
      .join('')
      .replace(/\s+/g, '');
    // The BEGIN line is strong evidence on its own: only a stub (`...`, `xxx`) or a body with placeholder syntax
    // (`***`, `<key>`) is let go. A long body of one repeated character is a key's format, redacted like a key.
    if (body.length < 40 || hasPlaceholderSyntax(body)) return;
    if ((body.match(/[A-Za-z0-9+/=]/g)?.length ?? 0) < body.length * 0.9) return;
    found.push({
      kind: 'private-key',
      start: match.index,
      end: blockEnd,
      rule: 'pattern:private-key',
      priority: PRIORITY.privateKey,
    });
  });
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// JWTs

const JWT = /(?<![A-Za-z0-9-])eyJ[A-Za-z0-9_-]{8,}\.e[yw][A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g;

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Header and payload must decode to JSON objects, the header naming an algorithm or a type. */
export function findJwts(text: string): Candidate[] {
  const found: Candidate[] = [];
  JWT.lastIndex = 0;
  for (const match of text.matchAll(JWT)) {
    const [header = '', payload = ''] = match[0].split('.');
    const decodedHeader = decodeSegment(header);
    if (!isObject(decodedHeader) || !('alg' in decodedHeader || 'typ' in decodedHeader || 'enc' in decodedHeader))
      continue;
    if (!isObject(decodeSegment(payload))) continue;
    found.push({
      kind: 'jwt',
      start: match.index,
      end: match.index + match[0].length,
      rule: 'pattern:jwt',
      priority: PRIORITY.jwt,
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Passwords in URLs and connection strings

const URL_CREDENTIALS =
  /\b([a-z][a-z0-9+.-]{1,20}):\/\/([^\s:@/?#"'`<>[\]{}]*):([^\s/?#"'`<>]*)@(?=[A-Za-z0-9[_.-]*[A-Za-z0-9\]])/gi;

/** What people write in documentation where a password would go. */
const URL_PASSWORD_PLACEHOLDERS = new Set([
  'password',
  'passwd',
  'pass',
  'pwd',
  'secret',
  'mypassword',
  'yourpassword',
  'changeme',
  'changeit',
  'user',
  'username',
  'root',
  'admin',
  'token',
  'apikey',
  'api_key',
  'example',
  'test',
  'demo',
  'foo',
  'bar',
  'placeholder',
  'redacted',
]);

function isTemplate(value: string): boolean {
  return isReference(value) || /^\$|\$\{|\{\{|\$\(|%[A-Za-z_]+%/.test(value);
}

export interface UrlCredential {
  user: string;
  password: string;
  /** Offsets of the password. */
  start: number;
  end: number;
}

/** Every `scheme://user:password@host` in `text`, unjudged. */
export function urlCredentials(text: string): UrlCredential[] {
  const found: UrlCredential[] = [];
  URL_CREDENTIALS.lastIndex = 0;
  for (const match of text.matchAll(URL_CREDENTIALS)) {
    const user = match[2] ?? '';
    const password = match[3] ?? '';
    const start = match.index + (match[1] ?? '').length + 3 + user.length + 1;
    found.push({ user, password, start, end: start + password.length });
  }
  return found;
}

/** A URL password that is a reference or repeats the user name (`postgres:postgres@`) is not a secret. */
export function isTrivialUrlPassword({ user, password }: UrlCredential): boolean {
  return password === '' || password === user || isTemplate(password) || isTemplate(user);
}

/** The password of `scheme://user:password@host`; `user:pass@` in documentation and `${PASSWORD}` stay. */
export function findUrlPasswords(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const credential of urlCredentials(text)) {
    const { password } = credential;
    if (password.length < 4 || isTrivialUrlPassword(credential)) continue;
    if (URL_PASSWORD_PLACEHOLDERS.has(password.toLowerCase())) continue;
    if (/^(.)\1*$/.test(password) || isObviousPlaceholder(password)) continue;
    found.push({
      kind: 'password',
      start: credential.start,
      end: credential.end,
      rule: 'pattern:url-password',
      priority: PRIORITY.urlPassword,
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Authorization headers, bearer tokens, curl -u

const AUTHORIZATION =
  /\b(?:Proxy-)?Authori[sz]ation["']?[ \t]*[:=][ \t]*["']?(?:(?:Bearer|Basic|Token|Digest|Negotiate|NTLM|Api-?Token|Api-?Key|JWT|OAuth|SSWS|GenieKey|Splunk|Hawk|Key)[ \t]+)?([^\s"'`,;]+)/gi;
const BEARER = /\bBearer[ \t]+([A-Za-z0-9\-._~+/]+=*)(?![A-Za-z0-9\-._~+/=])/g;

/** Credentials in headers are generated: they carry digits or base64 padding, or are long (`Bearer/Basic` is not). */
function headerValueIsSecret(value: string): boolean {
  if (/^[$%{<[(]/.test(value)) return false;
  if (!/[\d=]/.test(value) && value.length < 20) return false;
  return value.length >= 8 && looksLikeSecretValue(value, 'password', { quoted: true });
}

export function findAuthHeaders(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const [re, kind] of [
    [AUTHORIZATION, 'auth-header'],
    [BEARER, 'bearer-token'],
  ] as const) {
    re.lastIndex = 0;
    for (const match of text.matchAll(re)) {
      const raw = match[1] ?? '';
      // The end of a sentence is not part of the token.
      const value = raw.replace(/\.+$/, '');
      if (!headerValueIsSecret(value)) continue;
      if (kind === 'bearer-token' && (value.length < 16 || entropy(value) < 3)) continue;
      const start = match.index + match[0].length - raw.length;
      found.push({ kind, start, end: start + value.length, rule: `pattern:${kind}`, priority: PRIORITY.header });
    }
  }
  return found;
}

/** `-u user:pass`, `--user "user:pass"`, `--user kevin:'pass'`: one shell word, quotes stripped. */
const CURL_USER = /(?:^|[\s"'])(?:-u|--user)(?:[ \t]+|=)((?:"[^"\n]*"|'[^'\n]*'|[^\s"'])+)/g;

export function findCurlUserPasswords(text: string): Candidate[] {
  const found: Candidate[] = [];
  CURL_USER.lastIndex = 0;
  for (const match of text.matchAll(CURL_USER)) {
    const word = match[1] ?? '';
    const wordStart = match.index + match[0].length - word.length;
    // Characters of the word without its quotes, each with its index in the text.
    const chars: { c: string; at: number }[] = [];
    let quote: string | null = null;
    for (let i = 0; i < word.length; i++) {
      const c = word[i] as string;
      if (quote === null && (c === '"' || c === "'")) quote = c;
      else if (quote !== null && c === quote) quote = null;
      else chars.push({ c, at: wordStart + i });
    }
    const colon = chars.findIndex((ch) => ch.c === ':');
    if (colon === -1) continue;
    const user = chars.slice(0, colon);
    const password = chars.slice(colon + 1);
    const userText = user.map((ch) => ch.c).join('');
    const passwordText = password.map((ch) => ch.c).join('');
    let secret = password;
    if (passwordText === '') {
      // `-u sk_live_…:` — an API key passed as the user name, the way Stripe and others take it.
      if (!/\d/.test(userText) || !/[A-Za-z]/.test(userText) || userText.length < 8 || entropy(userText) < 3) continue;
      secret = user;
    } else if (
      passwordText === userText ||
      isTemplate(passwordText) ||
      URL_PASSWORD_PLACEHOLDERS.has(passwordText.toLowerCase()) ||
      !looksLikeSecretValue(passwordText, 'password', { quoted: true })
    ) {
      continue;
    }
    const first = secret[0];
    const last = secret[secret.length - 1];
    if (!first || !last) continue;
    found.push({
      kind: 'password',
      start: first.at,
      end: last.at + 1,
      rule: 'pattern:curl-user',
      priority: PRIORITY.header,
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Values assigned to secret-sounding keys

const KEY_HINT = /pass|pwd|pw|secret|token|key|cred/gi;
const MAX_KEY = 200;
const isKeyChar = (c: string | undefined): boolean => c !== undefined && /[\w.\-$]/.test(c);
const OPERATOR = /[ \t]*(:=|=>|===|!==|==|!=|=|:)(?![=:/])[ \t]*/y;
const QUOTES = new Set(['"', "'", '`']);

export interface Span {
  value: string;
  start: number;
  end: number;
}

/** A quoted string starting at `at` (the opening quote), closed on the same line; null when it never closes. */
export function readQuoted(text: string, at: number): Span | null {
  const quote = text[at] as string;
  for (let i = at + 1; i < text.length && i - at < 2_000; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '\n') return null;
    if (c === quote) return { value: text.slice(at + 1, i), start: at + 1, end: i };
  }
  return null;
}

/** How far an unquoted value may reach: the end of its line, but never further than a value could be long. */
const MAX_VALUE = 1_000;

function lineEnd(text: string, from: number): number {
  const window = text.slice(from, from + MAX_VALUE);
  const end = window.indexOf('\n');
  return from + (end === -1 ? window.length : end);
}

/** An unquoted value: YAML-style (rest of the line) after `:` on a machine key, else one word. */
export function readUnquoted(text: string, at: number, operator: string, machineKey: boolean): Span | null {
  const stop = lineEnd(text, at);
  let raw = text.slice(at, stop);
  if (operator === ':' && machineKey) {
    // The value ends where a comment or the next `key: value` on the same line starts.
    raw = raw.replace(/\s+(?:#|\/\/).*$/, '').replace(/\s+[\w.-]+[ \t]*[:=]\s.*$/, '');
    // Several words are a YAML value only when nothing in them is code: `sessionToken: string): Promise<…>`.
    if (/[(){}<>|;]/.test(raw) || /,\s*["']?[\w-]+["']?\s*[:=]/.test(raw)) raw = raw.split(/\s/)[0] ?? '';
  } else {
    raw = raw.split(/\s/)[0] ?? '';
  }
  // A YAML tag (`!!binary …`) is not part of the value; a quote inside an unquoted value closes something around
  // it (`` `token:alertmanager` ``, `passwd: x'`).
  raw = (raw.replace(/^!!?[\w/]+\s+/, '').split(/[`'"]/)[0] ?? '').replace(/[\s,;]+$/, '').replace(/\\$/, '');
  // `initialize(token: abc123)`: a closing bracket that belongs to the code around the value.
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
    ['{', '}'],
  ] as const) {
    while (raw.endsWith(close) && raw.split(close).length > raw.split(open).length) raw = raw.slice(0, -1);
  }
  raw = raw.replace(/[,;]+$/, '');
  if (raw === '') return null;
  const lead = text.slice(at, stop).indexOf(raw);
  return { value: raw, start: at + lead, end: at + lead + raw.length };
}

/**
 * A constant whose value repeats its own name: `SN_id_Gost…_KeyMeshing = "id-Gost…-KeyMeshing"`,
 * `'1password': '1password-token'`. A name with digits or symbols added (`password = Password1$`) is a password.
 */
function repeatsKey(value: string, key: string): boolean {
  const v = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (v.length < 6) return false;
  return k.includes(v) || (v.includes(k) && /^[a-z]{0,10}$/.test(v.replace(k, '')));
}

/** Whether `value`, assigned to `key`, is a secret: see {@link looksLikeSecretValue}. */
export function valueIsSecret(value: string, keyClass: KeyClass, key: string, quoted: boolean): boolean {
  if (repeatsKey(value, key)) return false;
  return looksLikeSecretValue(value, keyClass.strength, { quoted });
}

function assignmentCandidate(keyClass: KeyClass, start: number, end: number): Candidate {
  return { kind: keyClass.kind, start, end, rule: 'pattern:assignment', priority: PRIORITY.assignment };
}

/**
 * A call that stores its argument under the key's name: a declaration (`std::string secret("…")`), a setter
 * (`setPassword("…")`, `secret.assign("…")`). Any other call (`maskToken('…')`, `getSecret("name")`) merely
 * mentions a secret word.
 */
function isSetter(text: string, keyStart: number, keyEnd: number): boolean {
  const key = text.slice(keyStart, keyEnd);
  if (/(?:^|\.)(?:set|assign|put|store)(?=[A-Z_]|$)/.test(key) || /\.(?:assign|set)$/.test(key)) return true;
  const before = text.slice(Math.max(0, keyStart - 40), keyStart);
  return /\b(?!return|await|new|yield|throw|typeof|case|else|in|of|do)[A-Za-z_][\w:<>]*[ \t]+$/.test(before);
}

/** Where the value after a key starts and how it is introduced, or null when nothing is assigned. */
function readAssignmentOperator(
  text: string,
  keyStart: number,
  keyEnd: number,
  isFlag: boolean,
): { at: number; operator: string; keyQuoted: boolean; spaced: boolean } | null {
  let at = keyEnd;
  const keyQuoted = QUOTES.has(text[keyStart - 1] ?? '') && text[at] === text[keyStart - 1];
  if (keyQuoted) at++;
  const index = /\[[^\]\n]{0,12}\]/y;
  index.lastIndex = at;
  if (index.exec(text)) at = index.lastIndex;
  OPERATOR.lastIndex = at;
  const op = OPERATOR.exec(text);
  if (op) return { at: OPERATOR.lastIndex, operator: op[1] ?? '', keyQuoted, spaced: false };
  // No operator: `secret("…")`, `password "…";`, or a command-line flag `--api-key value`. A word inside a string
  // literal (`'token ' + os.environ[…]`) is text, not a key.
  if (QUOTES.has(text[keyStart - 1] ?? '') && !keyQuoted) return null;
  const call = /\([ \t]*(?=["'`])|[ \t]+(?=["'`])/y;
  call.lastIndex = at;
  if (call.exec(text)) {
    const spaced = text[at] !== '(';
    if (!spaced && !isSetter(text, keyStart, keyEnd)) return null;
    return { at: call.lastIndex, operator: ' ', keyQuoted, spaced };
  }
  if (!isFlag || !/[ \t]/.test(text[at] ?? '')) return null;
  while (text[at] === ' ' || text[at] === '\t') at++;
  return { at, operator: ' ', keyQuoted, spaced: false };
}

/** The value of the key at `keyStart..keyEnd`, if one is assigned, with whether it was quoted. */
function readAssignedValue(
  text: string,
  keyStart: number,
  keyEnd: number,
  key: string,
  isFlag: boolean,
): (Span & { quoted: boolean }) | null {
  const head = readAssignmentOperator(text, keyStart, keyEnd, isFlag);
  if (!head) return null;
  const { operator, keyQuoted, spaced } = head;
  let at = head.at;
  if (text[at] === '@' && QUOTES.has(text[at + 1] ?? '')) at++;
  if (QUOTES.has(text[at] ?? '')) {
    const value = readQuoted(text, at);
    // A shell command substitution (`` `vault read -field=x secret/db` ``), not a literal.
    if (!value || (text[at] === '`' && /\s/.test(value.value))) return null;
    // `password "…";` must end its statement there, or it is prose that happens to quote something.
    if (spaced && !/^[ \t]*[;,)]?[ \t]*(?:\n|$)/.test(text.slice(value.end + 1, value.end + 40))) return null;
    return { ...value, quoted: true };
  }
  const comparison = operator.length >= 2 && operator !== ':=' && operator !== '=>';
  if (comparison || (operator === ' ' && !isFlag)) return null;
  // A bare machine key (`aws_secret_access_key: two words`) may take a YAML value with spaces; a quoted JSON key
  // with an unquoted value, or a word of prose (`Token: expired yesterday`), takes one word.
  const machineKey = !keyQuoted && (/[_.-]/.test(key) || /[a-z][A-Z]/.test(key));
  const value = readUnquoted(text, at, operator, machineKey);
  return value && { ...value, quoted: false };
}

/**
 * `password = "…"`, `api_key: …`, `"client_secret": "…"`, `--api-key …`, `secret("…")`, `if (token == "…")`,
 * `password "…";` — found by looking around every occurrence of a secret word.
 */
export function findAssignments(text: string): Candidate[] {
  const found: Candidate[] = [];
  let scannedTo = -1;
  KEY_HINT.lastIndex = 0;
  for (const hint of text.matchAll(KEY_HINT)) {
    if (hint.index < scannedTo) continue;
    let keyStart = hint.index;
    while (keyStart > 0 && isKeyChar(text[keyStart - 1])) keyStart--;
    let keyEnd = hint.index + hint[0].length;
    while (keyEnd < text.length && isKeyChar(text[keyEnd])) keyEnd++;
    scannedTo = keyEnd;
    // A run of identifier characters this long is data (a blob, a hash list), not a key name.
    if (keyEnd - keyStart > MAX_KEY) continue;
    // Part of a URL path (`/path/token`, `…/:_authToken`) rather than a key.
    if (/[/@]/.test(text[keyStart - 1] ?? '') || text.slice(keyStart - 2, keyStart) === '/:') continue;
    const rawKey = text.slice(keyStart, keyEnd);
    const key = rawKey.replace(/^[-$@.]+|[-.]+$/g, '');
    const keyClass = classifyKey(key);
    if (!keyClass) continue;
    const trailing = rawKey.length - rawKey.replace(/[-.]+$/, '').length;
    const value = readAssignedValue(text, keyStart, keyEnd - trailing, key, /^--?[A-Za-z]/.test(rawKey));
    if (!value) continue;
    // Secret words inside a value (`key: key:key:…`) are not keys of their own.
    scannedTo = Math.max(scannedTo, value.end);
    if (!valueIsSecret(value.value, keyClass, key, value.quoted)) continue;
    // Keep only the value's own characters (no surrounding whitespace).
    const lead = value.value.length - value.value.trimStart().length;
    const trimmed = value.value.trim();
    found.push(assignmentCandidate(keyClass, value.start + lead, value.start + lead + trimmed.length));
  }
  found.push(...findReversedComparisons(text));
  return found;
}

/** `if ("…" == password)`: the literal comes first. */
const REVERSED = /(["'`])((?:\\.|(?!\1)[^\\\n]){1,300})\1[ \t]*(?:===?|!==?)[ \t]*([A-Za-z_$][\w$.-]*)/g;

function findReversedComparisons(text: string): Candidate[] {
  const found: Candidate[] = [];
  REVERSED.lastIndex = 0;
  for (const match of text.matchAll(REVERSED)) {
    const value = match[2] ?? '';
    const key = match[3] ?? '';
    if (keyWords(key).length === 0) continue;
    const keyClass = classifyKey(key);
    if (!keyClass || !valueIsSecret(value, keyClass, key, true)) continue;
    const start = match.index + 1;
    found.push(assignmentCandidate(keyClass, start, start + value.length));
  }
  return found;
}
