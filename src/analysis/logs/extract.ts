/** Reading the message and severity out of a log line, structured (JSON lines) or plain text. */

export const LOG_SEVERITIES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogSeverity = (typeof LOG_SEVERITIES)[number];

export interface ExtractedMessage {
  /** What to mine: the message field of a JSON record, or the line itself. */
  message: string;
  severity: LogSeverity | null;
  /** The line was a JSON object. */
  structured: boolean;
}

/** Message fields, in order of preference (pino/bunyan `msg`, most loggers `message`, Docker `log`, OTel `body`). */
const MESSAGE_FIELDS = ['msg', 'message', 'log', 'body'] as const;
/** Severity fields: most loggers, OTel, Python's `levelname`, ECS's `log.level`. */
const SEVERITY_FIELDS = [
  'level',
  'severity',
  'lvl',
  'levelname',
  'log.level',
  'severity_text',
  'severityText',
] as const;

const SEVERITY_NAMES: Record<string, LogSeverity> = {
  trace: 'trace',
  debug: 'debug',
  dbg: 'debug',
  info: 'info',
  information: 'info',
  informational: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'fatal',
  critical: 'fatal',
  crit: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  panic: 'fatal',
};

/**
 * A severity from a level name (any case: `WARNING`, `err`, `Critical`) or a number: pino/bunyan levels (10 trace …
 * 60 fatal) or syslog priorities (0 emergency … 7 debug).
 *
 * @example
 * normaliseSeverity('WARNING'); // 'warn'
 * normaliseSeverity(50); // 'error'
 */
export function normaliseSeverity(value: unknown): LogSeverity | null {
  if (typeof value === 'string') return SEVERITY_NAMES[value.toLowerCase()] ?? null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (value >= 10) {
    if (value >= 60) return 'fatal';
    if (value >= 50) return 'error';
    if (value >= 40) return 'warn';
    if (value >= 30) return 'info';
    return value >= 20 ? 'debug' : 'trace';
  }
  if (value < 0 || !Number.isInteger(value)) return null;
  if (value <= 2) return 'fatal';
  if (value === 3) return 'error';
  if (value === 4) return 'warn';
  return value <= 6 ? 'info' : 'debug';
}

function messageOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  // OTLP JSON carries the body as an AnyValue: { "stringValue": "…" }.
  if (typeof value === 'object' && value !== null && 'stringValue' in value) {
    const text = value.stringValue;
    if (typeof text === 'string') return text;
  }
  return null;
}

/**
 * Severity of a plain-text line, from a `level=…` pair or a level word among the first four tokens written in
 * capitals (`ERROR`, `WARN:`) or in brackets (`[warn]`, `<error>`): a lowercase `error` may just start a sentence.
 * Kubernetes components (klog) start lines with the level letter and the date: `E0501 10:00:00.000000 …`.
 */
function textSeverity(line: string): LogSeverity | null {
  let tokens = 0;
  let i = 0;
  const n = line.length;
  while (i < n && tokens < 4) {
    while (i < n && line.charCodeAt(i) <= 32) i++;
    const start = i;
    let eq = -1;
    while (i < n && line.charCodeAt(i) > 32) {
      if (eq < 0 && line.charCodeAt(i) === 61 /* = */) eq = i;
      i++;
    }
    if (i === start) break;
    tokens++;
    if (tokens === 1 && i - start === 5) {
      const klog = klogSeverity(line, start);
      if (klog !== null) return klog;
    }
    let s = start;
    let e = i;
    let explicit = false;
    if (eq > s) {
      const key = line.slice(s, eq).toLowerCase();
      if (key !== 'level' && key !== 'lvl' && key !== 'severity') continue;
      s = eq + 1;
      explicit = true;
    }
    const bracketed = s < e && (line.charCodeAt(s) === 91 /* [ */ || line.charCodeAt(s) === 60); /* < */
    while (s < e && !isLetter(line.charCodeAt(s))) s++;
    while (e > s && !isLetter(line.charCodeAt(e - 1))) e--;
    if (e - s < 3 || e - s > 13) continue;
    const word = line.slice(s, e);
    if (!explicit && !bracketed && word !== word.toUpperCase()) continue;
    const severity = SEVERITY_NAMES[word.toLowerCase()];
    if (severity !== undefined) return severity;
  }
  return null;
}

const KLOG_LEVELS: Record<string, LogSeverity> = { I: 'info', W: 'warn', E: 'error', F: 'fatal' };

function klogSeverity(line: string, start: number): LogSeverity | null {
  for (let i = start + 1; i < start + 5; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return KLOG_LEVELS[line.charAt(start)] ?? null;
}

const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * The message and severity of a log line. A JSON object line gives its first string field among `msg`, `message`,
 * `log`, `body` (a trailing newline, as Docker writes, is dropped) and its severity from `level`, `severity`, `lvl`,
 * `levelname`, `log.level` or `severity_text`. Anything else — plain text, JSON without a message field, malformed
 * JSON — gives the line itself, with the severity read from a `level=` pair or a leading level word.
 *
 * @example
 * extractMessage('{"level":50,"msg":"payment declined","orderId":7}'); // { message: 'payment declined', severity: 'error', structured: true }
 * extractMessage('2024-05-01 10:00:01 WARN pool exhausted'); // { message: '2024-05-01 10:00:01 WARN pool exhausted', severity: 'warn', structured: false }
 */
export function extractMessage(line: string): ExtractedMessage {
  const first = firstNonSpace(line);
  if (first >= 0 && line.charCodeAt(first) === 123 /* { */ && line.charCodeAt(lastNonSpace(line)) === 125 /* } */) {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      record = null;
    }
    if (typeof record === 'object' && record !== null && !Array.isArray(record)) {
      const fields = record as Record<string, unknown>;
      let severity: LogSeverity | null = null;
      for (const key of SEVERITY_FIELDS) {
        const value = fields[key];
        if (value !== undefined) {
          severity = normaliseSeverity(value);
          if (severity !== null) break;
        }
      }
      if (severity === null && typeof fields.log === 'object' && fields.log !== null) {
        severity = normaliseSeverity((fields.log as Record<string, unknown>).level);
      }
      for (const key of MESSAGE_FIELDS) {
        const message = messageOf(fields[key]);
        if (message !== null) return { message: trimNewline(message), severity, structured: true };
      }
      return { message: line, severity, structured: true };
    }
  }
  return { message: line, severity: textSeverity(line), structured: false };
}

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 32) return i;
  return -1;
}

function lastNonSpace(s: string): number {
  for (let i = s.length - 1; i >= 0; i--) if (s.charCodeAt(i) > 32) return i;
  return -1;
}

function trimNewline(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 10 || s.charCodeAt(end - 1) === 13)) end--;
  return end === s.length ? s : s.slice(0, end);
}
