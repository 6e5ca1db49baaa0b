import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DebriefError, type ErrorDetail } from '../domain/errors.js';
import { normalizeTimestamp } from '../domain/lifecycle.js';

/** Turns a zod issue path into the dotted field path clients see, e.g. `alerts[0].startsAt`. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(body)' : out;
}

function zodDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const base = fieldPath(issue.path, prefix);
      return {
        field: issue.keys.map((k) => (base === '(body)' ? k : `${base}.${k}`)).join(', '),
        message: `unknown field${issue.keys.length > 1 ? 's' : ''}`,
      };
    }
    return { field: fieldPath(issue.path, prefix), message: issue.message };
  });
}

/**
 * Validates a source payload; throws DEBRIEF_ERR_VALIDATION naming every offending field by its JSON path.
 * `prefix` places a nested value back in its payload (`event.data`), so paths always start at the payload root.
 */
export function parsePayload<S extends z.ZodType>(schema: S, raw: unknown, what: string, prefix = ''): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const details = zodDetails(result.error, prefix);
  const first = details[0] ?? { field: prefix || '(body)', message: 'invalid' };
  throw new DebriefError(
    'DEBRIEF_ERR_VALIDATION',
    `invalid ${what} payload: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
    { field: first.field, details },
  );
}

// GitLab writes `2021-04-28 21:50:00 +0200` and `2020-11-02 12:55:12 UTC`; everything else here is RFC 3339.
const SPACED_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) ?(UTC|Z|[+-]\d{2}:?\d{2})$/i;

/** A zoned timestamp in UTC `toISOString()` form, or null when the text is not one. */
export function toIsoTimestamp(value: string): string | null {
  const spaced = SPACED_TIMESTAMP.exec(value.trim());
  const text = spaced ? `${spaced[1]}T${spaced[2]}${spaced[3]?.toUpperCase() === 'UTC' ? 'Z' : spaced[3]}` : value;
  try {
    return normalizeTimestamp(text, 'at');
  } catch {
    return null;
  }
}

/** A string holding a zoned timestamp, normalised to UTC. */
export const zTimestamp = z.string().transform((value, ctx) => {
  const iso = toIsoTimestamp(value);
  if (iso === null) {
    ctx.issues.push({
      code: 'custom',
      input: value,
      message: `expected a timestamp with a time zone (e.g. 2026-01-01T10:00:00Z), got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return iso;
});

/**
 * Go's zero `time.Time` (`0001-01-01T00:00:00Z`) is how Alertmanager and Grafana say "not ended yet"; it reads as
 * null here so that no event lands in year 1.
 */
export const isZeroTime = (iso: string): boolean => iso.startsWith('0001-01-01T');

/** First line of a text, cut to `max` characters with an ellipsis, at a word boundary when one is near. */
export function clip(text: string, max = 120): string {
  const line = (text.trim().split('\n')[0] ?? '').trim();
  if (line.length <= max) return line;
  let cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  if (space > max * 0.6) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/** Short, stable digest for dedupe keys built from content rather than a source id. */
export const digest = (...parts: readonly (string | number | null | undefined)[]): string =>
  createHash('sha256')
    .update(parts.map((p) => (p === null || p === undefined ? '' : String(p))).join('\u0000'))
    .digest('hex')
    .slice(0, 32);

/** Constant-time string equality; the length of the expected value is not leaked either. */
export function safeEqual(actual: string, expected: string): boolean {
  const a = createHash('sha256').update(actual).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Lower-case hex HMAC-SHA256 of a raw body. */
export const hmacSha256Hex = (secret: string, rawBody: string | Buffer): string =>
  createHmac('sha256', secret).update(rawBody).digest('hex');

/** Keeps only the entries that have a value, so labels never carry empty strings. */
export function compactLabels(entries: Record<string, string | number | null | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value === null || value === undefined || value === '') continue;
    out[key] = String(value);
  }
  return out;
}

/** A non-empty string or null. */
export const nonEmpty = (value: string | null | undefined): string | null =>
  value === null || value === undefined || value.trim() === '' ? null : value;

/** A deploy's version: `v1.4.2@f95f852`, or the short sha alone when there is no ref or the ref is the sha. */
export function refVersion(ref: string | null | undefined, sha: string): string {
  const short = sha.slice(0, 7);
  if (!ref || ref === sha || sha.startsWith(ref)) return short;
  return `${ref}@${short}`;
}
