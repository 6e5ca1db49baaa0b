import { z } from 'zod';
import { validationError } from '../domain/errors.js';
import { clip, compactLabels, digest, parsePayload } from './common.js';
import type { NormalizedEvent } from './types.js';

/** An OTLP `AnyValue` turned into plain JSON: kvlists become objects, arrays stay arrays, int64 beyond 2^53 stays text. */
export type OtlpValue = string | number | boolean | null | OtlpValue[] | { [key: string]: OtlpValue };

export const OTLP_SEVERITIES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type OtlpSeverity = (typeof OTLP_SEVERITIES)[number];

/** One log record, flattened out of resource -> scope -> record. */
export interface OtlpLogRecord {
  /** `service.name` of the resource, or null when the resource does not say. */
  service: string | null;
  at: string;
  /** The exact timestamp, for ordering and identity (ISO strings stop at milliseconds). */
  timeUnixNano: string;
  /** Level from `severityNumber`, else guessed from `severityText`; null when neither says. */
  severity: OtlpSeverity | null;
  severityText: string | null;
  severityNumber: number | null;
  body: string;
  attributes: Record<string, OtlpValue>;
  traceId: string | null;
  spanId: string | null;
}

/** One span, flattened out of resource -> scope -> span. */
export interface OtlpSpan {
  service: string | null;
  /** Start time. */
  at: string;
  startTimeUnixNano: string;
  durationMs: number;
  name: string;
  /** Status code 2 (`STATUS_CODE_ERROR`). */
  error: boolean;
  statusMessage: string | null;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  attributes: Record<string, OtlpValue>;
}

// OTLP/JSON writes 64-bit integers as strings, but some exporters send JSON numbers: both are accepted.
const nanos = z.union([
  z.string().regex(/^\d+$/, 'expected nanoseconds since the epoch as digits'),
  z.number().nonnegative().refine(Number.isInteger, 'expected whole nanoseconds'),
]);
const keyValue = z.looseObject({ key: z.string(), value: z.unknown().optional() });
const attributes = z.array(keyValue).default([]);
const resource = z.looseObject({ attributes }).optional();

const logsSchema = z.looseObject({
  resourceLogs: z.array(
    z.looseObject({
      resource,
      scopeLogs: z
        .array(
          z.looseObject({
            logRecords: z
              .array(
                z.looseObject({
                  timeUnixNano: nanos.optional(),
                  observedTimeUnixNano: nanos.optional(),
                  severityNumber: z.union([z.number().int().min(0).max(24), z.string()]).optional(),
                  severityText: z.string().optional(),
                  body: z.unknown().optional(),
                  attributes,
                  traceId: z.string().optional(),
                  spanId: z.string().optional(),
                }),
              )
              .default([]),
          }),
        )
        .default([]),
    }),
  ),
});

const tracesSchema = z.looseObject({
  resourceSpans: z.array(
    z.looseObject({
      resource,
      scopeSpans: z
        .array(
          z.looseObject({
            spans: z
              .array(
                z.looseObject({
                  traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, 'expected 32 hex digits'),
                  spanId: z.string().regex(/^[0-9a-fA-F]{16}$/, 'expected 16 hex digits'),
                  parentSpanId: z.string().optional(),
                  name: z.string(),
                  startTimeUnixNano: nanos,
                  endTimeUnixNano: nanos,
                  attributes,
                  status: z
                    .looseObject({
                      code: z.union([z.number().int(), z.string()]).optional(),
                      message: z.string().optional(),
                    })
                    .optional(),
                }),
              )
              .default([]),
          }),
        )
        .default([]),
    }),
  ),
});

const asBigInt = (value: string | number): bigint => BigInt(value);

/** Nanoseconds since the epoch to ISO-8601 UTC (milliseconds). */
export const isoFromNanos = (value: string | number): string =>
  new Date(Number(asBigInt(value) / 1_000_000n)).toISOString();

/** Converts an OTLP `AnyValue` (`stringValue`, `intValue`, `kvlistValue`, …) to plain JSON. */
export function anyValue(value: unknown, path: string): OtlpValue {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw validationError(path, 'expected an OTLP AnyValue object');
  const v = value as Record<string, unknown>;
  if ('stringValue' in v) {
    if (typeof v.stringValue !== 'string') throw validationError(`${path}.stringValue`, 'expected a string');
    return v.stringValue;
  }
  if ('boolValue' in v) {
    if (typeof v.boolValue !== 'boolean') throw validationError(`${path}.boolValue`, 'expected a boolean');
    return v.boolValue;
  }
  if ('intValue' in v) {
    const raw = v.intValue;
    if (typeof raw === 'number' && Number.isInteger(raw)) return raw;
    if (typeof raw === 'string' && /^-?\d+$/.test(raw)) {
      const n = Number(raw);
      return Number.isSafeInteger(n) ? n : raw;
    }
    throw validationError(`${path}.intValue`, 'expected an integer');
  }
  if ('doubleValue' in v) {
    const raw = v.doubleValue;
    if (typeof raw === 'number') return raw;
    // Proto3 JSON writes the non-finite doubles as strings.
    if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity') return raw;
    if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
    throw validationError(`${path}.doubleValue`, 'expected a number');
  }
  if ('bytesValue' in v) {
    if (typeof v.bytesValue !== 'string') throw validationError(`${path}.bytesValue`, 'expected base64 text');
    return v.bytesValue;
  }
  if ('arrayValue' in v) {
    const values = (v.arrayValue as { values?: unknown } | null)?.values ?? [];
    if (!Array.isArray(values)) throw validationError(`${path}.arrayValue.values`, 'expected an array');
    return values.map((item, i) => anyValue(item, `${path}.arrayValue.values[${i}]`));
  }
  if ('kvlistValue' in v) {
    const values = (v.kvlistValue as { values?: unknown } | null)?.values ?? [];
    if (!Array.isArray(values)) throw validationError(`${path}.kvlistValue.values`, 'expected an array');
    return keyValues(values, `${path}.kvlistValue.values`);
  }
  // An AnyValue with no field set is the empty value.
  return null;
}

function keyValues(list: readonly unknown[], path: string): Record<string, OtlpValue> {
  const out: Record<string, OtlpValue> = {};
  list.forEach((entry, i) => {
    const kv = entry as { key?: unknown; value?: unknown } | null;
    if (!kv || typeof kv.key !== 'string') throw validationError(`${path}[${i}].key`, 'expected a string');
    out[kv.key] = anyValue(kv.value, `${path}[${i}].value`);
  });
  return out;
}

/** Text of a value as a person reads it: strings as they are, the rest as JSON. */
export const valueText = (value: OtlpValue): string =>
  typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value);

function serviceOf(attrs: Record<string, OtlpValue>): string | null {
  const name = attrs['service.name'];
  return typeof name === 'string' && name.trim() !== '' ? name : null;
}

const hexId = (value: string | undefined): string | null =>
  value && /^[0-9a-fA-F]+$/.test(value) && !/^0+$/.test(value) ? value.toLowerCase() : null;

/** Severity number ranges from the OpenTelemetry log data model: 1–4 TRACE … 21–24 FATAL. */
function severityFromNumber(n: number): OtlpSeverity | null {
  if (n < 1 || n > 24) return null;
  return OTLP_SEVERITIES[Math.floor((n - 1) / 4)] ?? null;
}

const SEVERITY_NUMBER_NAMES: Readonly<Record<string, number>> = {
  SEVERITY_NUMBER_TRACE: 1,
  SEVERITY_NUMBER_DEBUG: 5,
  SEVERITY_NUMBER_INFO: 9,
  SEVERITY_NUMBER_WARN: 13,
  SEVERITY_NUMBER_ERROR: 17,
  SEVERITY_NUMBER_FATAL: 21,
};

function severityFromText(text: string): OtlpSeverity | null {
  const t = text.trim().toLowerCase();
  if (/^(trace|finest|finer)/.test(t)) return 'trace';
  if (/^(debug|fine)/.test(t)) return 'debug';
  if (/^(info|notice)/.test(t)) return 'info';
  if (/^warn/.test(t)) return 'warn';
  if (/^(err|severe)/.test(t)) return 'error';
  if (/^(fatal|crit|alert|emerg|panic)/.test(t)) return 'fatal';
  return null;
}

/**
 * Flattens an OTLP/HTTP JSON logs export (`resourceLogs[].scopeLogs[].logRecords[]`) into compact records.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with the JSON path (e.g.
 * `resourceLogs[0].scopeLogs[0].logRecords[2].timeUnixNano`) of a malformed field.
 */
export function parseOtlpLogs(raw: unknown): OtlpLogRecord[] {
  const payload = parsePayload(logsSchema, raw, 'OTLP logs');
  const out: OtlpLogRecord[] = [];
  payload.resourceLogs.forEach((rl, r) => {
    const service = serviceOf(keyValues(rl.resource?.attributes ?? [], `resourceLogs[${r}].resource.attributes`));
    rl.scopeLogs.forEach((sl, s) => {
      sl.logRecords.forEach((record, i) => {
        const path = `resourceLogs[${r}].scopeLogs[${s}].logRecords[${i}]`;
        // Per the data model, a record without its own time is placed at the time the collector observed it.
        const time = [record.timeUnixNano, record.observedTimeUnixNano].find(
          (t) => t !== undefined && t !== '0' && t !== 0,
        );
        if (time === undefined) throw validationError(`${path}.timeUnixNano`, 'a log record needs a time');
        const severityNumber =
          typeof record.severityNumber === 'string'
            ? (SEVERITY_NUMBER_NAMES[record.severityNumber] ?? null)
            : (record.severityNumber ?? null);
        const severityText = record.severityText?.trim() ? record.severityText : null;
        out.push({
          service,
          at: isoFromNanos(time),
          timeUnixNano: asBigInt(time).toString(),
          severity:
            (severityNumber ? severityFromNumber(severityNumber) : null) ??
            (severityText ? severityFromText(severityText) : null),
          severityText,
          severityNumber: severityNumber || null,
          body: valueText(anyValue(record.body, `${path}.body`)),
          attributes: keyValues(record.attributes, `${path}.attributes`),
          traceId: hexId(record.traceId),
          spanId: hexId(record.spanId),
        });
      });
    });
  });
  return out;
}

/**
 * Flattens an OTLP/HTTP JSON traces export (`resourceSpans[].scopeSpans[].spans[]`) into compact spans.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with the JSON path (e.g.
 * `resourceSpans[0].scopeSpans[0].spans[0].endTimeUnixNano`) of a malformed field.
 */
export function parseOtlpTraces(raw: unknown): OtlpSpan[] {
  const payload = parsePayload(tracesSchema, raw, 'OTLP traces');
  const out: OtlpSpan[] = [];
  payload.resourceSpans.forEach((rs, r) => {
    const service = serviceOf(keyValues(rs.resource?.attributes ?? [], `resourceSpans[${r}].resource.attributes`));
    rs.scopeSpans.forEach((ss, s) => {
      ss.spans.forEach((span, i) => {
        const path = `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`;
        const start = asBigInt(span.startTimeUnixNano);
        const end = asBigInt(span.endTimeUnixNano);
        if (end < start) throw validationError(`${path}.endTimeUnixNano`, 'a span cannot end before it starts');
        const code = span.status?.code;
        out.push({
          service,
          at: isoFromNanos(span.startTimeUnixNano),
          startTimeUnixNano: start.toString(),
          // Microsecond resolution is plenty for a timeline and keeps the number exact.
          durationMs: Number((end - start) / 1000n) / 1000,
          name: span.name,
          error: code === 2 || code === 'STATUS_CODE_ERROR',
          statusMessage: span.status?.message?.trim() ? span.status.message : null,
          traceId: span.traceId.toLowerCase(),
          spanId: span.spanId.toLowerCase(),
          parentSpanId: hexId(span.parentSpanId),
          attributes: keyValues(span.attributes, `${path}.attributes`),
        });
      });
    });
  });
  return out;
}

const SEVERITY_RANK: Readonly<Record<OtlpSeverity, number>> = {
  trace: 0,
  debug: 1,
  info: 2,
  warn: 3,
  error: 4,
  fatal: 5,
};

function attributeLabels(attrs: Record<string, OtlpValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(attrs)) {
    const text = valueText(value);
    if (text !== '') out[key] = text;
  }
  return out;
}

/**
 * Turns the telemetry that matters for a timeline into events: log records at `minSeverity` or above (`warn` by
 * default) become `log` events, spans with an error status become `trace` events. Everything else is left out:
 * Debrief keeps evidence, not telemetry.
 *
 * Dedupe keys: `otlp:span:<traceId>:<spanId>` for spans, `otlp:log:<digest of service, time, ids and body>` for logs.
 */
export function otlpEvents(
  input: { logs?: readonly OtlpLogRecord[]; spans?: readonly OtlpSpan[] },
  options: { minSeverity?: OtlpSeverity } = {},
): NormalizedEvent[] {
  const threshold = SEVERITY_RANK[options.minSeverity ?? 'warn'];
  const events: NormalizedEvent[] = [];
  for (const log of input.logs ?? []) {
    if (log.severity === null || SEVERITY_RANK[log.severity] < threshold) continue;
    events.push({
      at: log.at,
      kind: 'log',
      source: 'otlp',
      title: clip(`${log.service ?? 'unknown service'}: ${log.body || '(empty log record)'}`),
      body: log.body,
      labels: {
        ...attributeLabels(log.attributes),
        ...compactLabels({
          'service.name': log.service,
          severity_text: log.severityText,
          trace_id: log.traceId,
          span_id: log.spanId,
        }),
      },
      dedupeKey: `otlp:log:${digest(log.service, log.timeUnixNano, log.traceId, log.spanId, log.body)}`,
      service: log.service,
      severity: log.severity,
    });
  }
  for (const span of input.spans ?? []) {
    if (!span.error) continue;
    events.push({
      at: span.at,
      kind: 'trace',
      source: 'otlp',
      title: clip(
        `${span.service ?? 'unknown service'}: ${span.name} failed${span.statusMessage ? `: ${span.statusMessage}` : ''}`,
      ),
      body: [span.statusMessage, `Duration: ${span.durationMs} ms`, `Trace: ${span.traceId}`]
        .filter((l) => l)
        .join('\n'),
      labels: {
        ...attributeLabels(span.attributes),
        ...compactLabels({
          'service.name': span.service,
          trace_id: span.traceId,
          span_id: span.spanId,
          duration_ms: span.durationMs,
        }),
      },
      dedupeKey: `otlp:span:${span.traceId}:${span.spanId}`,
      service: span.service,
      severity: 'error',
    });
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * Parses an OTLP/HTTP JSON export of logs (`resourceLogs`) or traces (`resourceSpans`) straight to events, with
 * {@link otlpEvents}' filter. Metrics exports are refused: Debrief links to the metrics store instead.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION when the payload is neither, or is malformed.
 */
export function parseOtlp(raw: unknown, options: { minSeverity?: OtlpSeverity } = {}): NormalizedEvent[] {
  const body = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if ('resourceLogs' in body) return otlpEvents({ logs: parseOtlpLogs(raw) }, options);
  if ('resourceSpans' in body) return otlpEvents({ spans: parseOtlpTraces(raw) }, options);
  throw validationError('(body)', 'expected an OTLP JSON export with resourceLogs or resourceSpans');
}
