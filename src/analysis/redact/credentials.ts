/**
 * Credentials found by their surroundings rather than their shape: PEM private keys, JWTs, passwords in URLs and
 * connection strings, `Authorization` headers and bearer tokens, `curl -u user:pass`, and values assigned to
 * secret-sounding keys (`password=`, `secret:`, `api_key =`, `token:`, `--api-key X`, `if (secret == "…")`).
 * Only the secret part is redacted: the key, the user name and the host stay readable.
 */
import { classifyKey, keyWords, type KeyClass } from './keys.js';
import type { Candidate } from './types.js';
import { entropy, isMaskedValue, isObviousPlaceholder, isReference, looksLikeSecretValue } from './values.js';

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
const BASE64_RUN = /^(?:[A-Za-z0-9+/=\s]|\\[nr])*/;

/** The whole block, BEGIN to END line; a key cut off before its END line is redacted up to where its body stops. */
export function findPrivateKeys(text: string): Candidate[] {
  const found: Candidate[] = [];
  PEM_BEGIN.lastIndex = 0;
  for (const match of text.matchAll(PEM_BEGIN)) {
    const bodyStart = match.index + match[0].length;
    // Hand-edited keys lose a dash or two of their END line; any END … PRIVATE KEY line closes the block.
    PEM_END.lastIndex = bodyStart;
    const end = PEM_END.exec(text);
    const nextBegin = text.indexOf('-----BEGIN ', bodyStart);
    let bodyEnd: number;
    let blockEnd: number;
    if (end && (nextBegin === -1 || end.index < nextBegin) && end.index - bodyStart < 64_000) {
      bodyEnd = end.index;
      blockEnd = end.index + end[0].length;
    } else {
      const run = BASE64_RUN.exec(text.slice(bodyStart, bodyStart + 64_000));
      bodyEnd = bodyStart + (run?.[0].length ?? 0);
      blockEnd = bodyEnd;
    }
    const body = text
      .slice(bodyStart, bodyEnd)
      .replace(/\\[nr]/g, '\n')
      .split('\n')
      .filter((line) => !/^[\w-]+:/.test(line.trim()))
      .join('')
      .replace(/\s+/g, '');
    // The BEGIN line is strong evidence on its own, so only a masked body (`...`, `xxx`, `***`) or a stub is let go.
    if (body.length < 40 || isMaskedValue(body)) continue;
    if ((body.match(/[A-Za-z0-9+/=]/g)?.length ?? 0) < body.length * 0.9) continue;
    found.push({ kind: 'private-key', start: match.index, end: blockEnd, rule: 'pattern:private-key', priority: PRIORITY.privateKey });
  }
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
    if (!isObject(decodedHeader) || !('alg' in decodedHeader || 'typ' in decodedHeader || 'enc' in decodedHeader)) continue;
    if (!isObject(decodeSegment(payload))) continue;
    found.push({ kind: 'jwt', start: match.index, end: match.index + match[0].length, rule: 'pattern:jwt', priority: PRIORITY.jwt });
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

function headerValueIsSecret(value: string): boolean {
  if (/^[$%{<[(]/.test(value)) return false;
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
      const value = match[1] ?? '';
      if (!headerValueIsSecret(value)) continue;
      if (kind === 'bearer-token' && (value.length < 16 || entropy(value) < 3)) continue;
      const start = match.index + match[0].length - value.length;
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
    found.push({ kind: 'password', start: first.at, end: last.at + 1, rule: 'pattern:curl-user', priority: PRIORITY.header });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Values assigned to secret-sounding keys

const KEY_HINT = /pass|pwd|pw|secret|token|key|cred/gi;
const isKeyChar = (c: string | undefined): boolean => c !== undefined && /[\w.\-$]/.test(c);
const OPERATOR = /[ \t]*(:=|=>|===|!==|==|!=|=|:)(?![=:/])[ \t]*/y;
const QUOTES = new Set(['"', "'", '`']);

/** A quoted string starting at `at` (the opening quote), closed on the same line; null when it never closes. */
function readQuoted(text: string, at: number): { value: string; start: number; end: number } | null {
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

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/** An unquoted value: YAML-style (rest of the line) after `:` on a machine key, else one word. */
function readUnquoted(text: string, at: number, operator: string, machineKey: boolean): { value: string; start: number; end: number } | null {
  const stop = lineEnd(text, at);
  let raw = text.slice(at, stop);
  if (operator === ':' && machineKey) {
    raw = raw.replace(/\s+(?:#|\/\/).*$/, '');
    if (/,\s*["']?[\w-]+["']?\s*[:=]/.test(raw)) raw = raw.split(/\s/)[0] ?? '';
  } else {
    raw = raw.split(/\s/)[0] ?? '';
  }
  raw = raw
    .replace(/^!!?[\w/]+\s+/, '') // a YAML tag: `!!binary …`
    .replace(/[\s,;'"`]+$/, '')
    .replace(/\\$/, '');
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

/** `SN_id_Gost…_KeyMeshing = "id-Gost…-KeyMeshing"`: a constant whose value repeats its own name. */
function repeatsKey(value: string, key: string): boolean {
  const v = value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return v.length >= 6 && k.includes(v);
}

function valueIsSecret(value: string, keyClass: KeyClass, key: string, quoted: boolean): boolean {
  if (repeatsKey(value, key)) return false;
  return looksLikeSecretValue(value, keyClass.strength, { quoted });
}

function assignmentCandidate(keyClass: KeyClass, start: number, end: number): Candidate {
  return { kind: keyClass.kind, start, end, rule: 'pattern:assignment', priority: PRIORITY.assignment };
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
    // Part of a URL path (`/path/token`, `…/:_authToken`) rather than a key.
    if (/[/@]/.test(text[keyStart - 1] ?? '') || text.slice(keyStart - 2, keyStart) === '/:') continue;
    const rawKey = text.slice(keyStart, keyEnd);
    const key = rawKey.replace(/^[-$@.]+|[-.]+$/g, '');
    const keyClass = classifyKey(key);
    if (!keyClass) continue;
    const isFlag = /^--?[A-Za-z]/.test(rawKey);
    let at = keyEnd - (rawKey.length - rawKey.replace(/[-.]+$/, '').length);
    const keyQuoted = QUOTES.has(text[keyStart - 1] ?? '') && text[at] === text[keyStart - 1];
    if (keyQuoted) at++;
    const index = /\[[^\]\n]{0,12}\]/y;
    index.lastIndex = at;
    if (index.exec(text)) at = index.lastIndex;
    OPERATOR.lastIndex = at;
    const op = OPERATOR.exec(text);
    let operator = '';
    let spaced = false;
    if (op) {
      operator = op[1] ?? '';
      at = OPERATOR.lastIndex;
    } else {
      // No operator: `secret("…")`, `password "…";`, or a command-line flag `--api-key value`.
      // A word inside a string literal (`'token ' + os.environ[…]`) is text, not a key.
      if (QUOTES.has(text[keyStart - 1] ?? '') && !keyQuoted) continue;
      const call = /\([ \t]*(?=["'`])|[ \t]+(?=["'`])/y;
      call.lastIndex = at;
      if (call.exec(text)) {
        spaced = text[at] !== '(';
        at = call.lastIndex;
      }
      else if (isFlag && /[ \t]/.test(text[at] ?? '')) {
        while (text[at] === ' ' || text[at] === '\t') at++;
      } else continue;
      operator = ' ';
    }
    if (text[at] === '@' && QUOTES.has(text[at + 1] ?? '')) at++;
    const comparison = operator.length >= 2 && operator !== ':=' && operator !== '=>';
    let value: { value: string; start: number; end: number } | null;
    let quoted = false;
    if (QUOTES.has(text[at] ?? '')) {
      value = readQuoted(text, at);
      quoted = true;
      // A shell command substitution (`` `vault read -field=x secret/db` ``), not a literal.
      if (value && text[at] === '`' && /\s/.test(value.value)) value = null;
    } else if (comparison || (operator === ' ' && !isFlag)) {
      value = null;
    } else {
      // A bare machine key (`aws_secret_access_key: two words`) may take a YAML value with spaces; a quoted JSON
      // key with an unquoted value, or a word of prose (`Token: expired yesterday`), takes one word.
      const machineKey = !keyQuoted && (/[_.-]/.test(key) || /[a-z][A-Z]/.test(key));
      value = readUnquoted(text, at, operator, machineKey);
    }
    // `password "…";` must end its statement there, or it is prose that happens to quote something.
    if (value && spaced && !/^[ \t]*[;,)]?[ \t]*(?:\n|$)/.test(text.slice(value.end + 1, value.end + 40))) value = null;
    if (!value || !valueIsSecret(value.value, keyClass, key, quoted)) continue;
    // Keep only the value's own characters (no surrounding whitespace).
    const lead = value.value.length - value.value.trimStart().length;
    const trimmed = value.value.trim();
    found.push(assignmentCandidate(keyClass, value.start + lead, value.start + lead + trimmed.length));
    scannedTo = Math.max(scannedTo, value.end);
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
