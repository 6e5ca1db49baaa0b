/**
 * The OTLP buffer: logs and spans received over OTLP/HTTP JSON, kept per service for a bounded time so that the
 * minutes before an incident was declared can still be mined for evidence. Buffer writes are not audited: they are
 * telemetry, not decisions, and auditing every export batch would bury the audit log.
 */
import { validationError } from '../domain/errors.js';
import { parseOtlpLogs, parseOtlpTraces, type OtlpLogRecord, type OtlpSpan } from '../ingest/otlp.js';
import { newId } from '../store/ids.js';
import type { TelemetryKind, TelemetryRecord } from '../store/telemetry-repository.js';
import { read, transact, type AppContext } from './context.js';

export type { TelemetryKind, TelemetryRecord };

/** The service name OpenTelemetry SDKs report when none is configured; resources without one are kept under it. */
export const UNKNOWN_SERVICE = 'unknown_service';

const MINUTE_MS = 60_000;

/** The recurring job that applies the buffer's bounds. */
export const TELEMETRY_PRUNE_JOB = 'telemetry.prune';

/** The OTLP `partialSuccess` answer: empty when everything was accepted. */
export interface OtlpPartialSuccess {
  rejectedLogRecords?: string;
  rejectedSpans?: string;
  errorMessage?: string;
}

export interface IngestResult {
  accepted: number;
  rejected: number;
  partialSuccess: OtlpPartialSuccess;
}

/**
 * The adapter turns nanoseconds into dates without a range check; a time beyond year 275760 makes `Date` throw a
 * RangeError, which is the sender's mistake, not ours.
 */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof RangeError) throw validationError('(body)', 'a timestamp is outside the range of dates');
    throw error;
  }
}

const retentionCutoff = (ctx: AppContext, now: number): number =>
  now - ctx.settings.telemetry.retentionMinutes * MINUTE_MS;

function logRecord(log: OtlpLogRecord, receivedAt: string, id: string): TelemetryRecord {
  const attributes: Record<string, unknown> = { ...log.attributes };
  if (log.severityText !== null) attributes['otlp.severity_text'] = log.severityText;
  if (log.severityNumber !== null) attributes['otlp.severity_number'] = log.severityNumber;
  return {
    id,
    service: log.service ?? UNKNOWN_SERVICE,
    kind: 'log',
    at: log.at,
    severity: log.severity,
    body: log.body,
    attributes,
    traceId: log.traceId,
    spanId: log.spanId,
    durationMs: null,
    error: log.severity === 'error' || log.severity === 'fatal',
    receivedAt,
  };
}

function spanRecord(span: OtlpSpan, receivedAt: string, id: string): TelemetryRecord {
  return {
    id,
    service: span.service ?? UNKNOWN_SERVICE,
    kind: 'trace',
    at: span.at,
    severity: span.error ? 'error' : null,
    body: span.statusMessage ? `${span.name}: ${span.statusMessage}` : span.name,
    attributes: span.parentSpanId ? { ...span.attributes, 'otlp.parent_span_id': span.parentSpanId } : span.attributes,
    traceId: span.traceId,
    spanId: span.spanId,
    durationMs: Math.round(span.durationMs),
    error: span.error,
    receivedAt,
  };
}

async function store(
  ctx: AppContext,
  kind: TelemetryKind,
  build: (receivedAt: string, id: () => string) => TelemetryRecord[],
): Promise<IngestResult> {
  const now = ctx.now();
  const receivedAt = now.toISOString();
  const records = build(receivedAt, () => newId(now.getTime()));
  const cutoff = retentionCutoff(ctx, now.getTime());
  // Records already older than the retention would be pruned within the minute: say so instead of storing them.
  const kept = records.filter((r) => Date.parse(r.at) >= cutoff);
  if (kept.length > 0) await transact(ctx, (tx) => tx.repos.telemetry.insertMany(kept));
  const rejected = records.length - kept.length;
  const what = kind === 'log' ? 'log record' : 'span';
  const partialSuccess: OtlpPartialSuccess =
    rejected === 0
      ? {}
      : {
          [kind === 'log' ? 'rejectedLogRecords' : 'rejectedSpans']: String(rejected),
          errorMessage:
            `${rejected} ${what}${rejected === 1 ? ' was' : 's were'} older than the ` +
            `${ctx.settings.telemetry.retentionMinutes}-minute retention and dropped`,
        };
  return { accepted: kept.length, rejected, partialSuccess };
}

/**
 * Buffers an OTLP/HTTP JSON logs export (`ExportLogsServiceRequest`). All or nothing: a malformed record rejects
 * the whole request, naming its JSON path; records older than the retention are dropped and counted.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION naming the field, e.g. `resourceLogs[0].scopeLogs[0].logRecords[2].timeUnixNano`.
 * @example
 * await ingestOtlpLogs(ctx, JSON.parse(body)); // { accepted: 12, rejected: 0, partialSuccess: {} }
 */
export async function ingestOtlpLogs(ctx: AppContext, raw: unknown): Promise<IngestResult> {
  const logs = parsed(() => parseOtlpLogs(raw));
  return store(ctx, 'log', (receivedAt, id) => logs.map((log) => logRecord(log, receivedAt, id())));
}

/**
 * Buffers an OTLP/HTTP JSON traces export (`ExportTraceServiceRequest`), like {@link ingestOtlpLogs}.
 *
 * @example
 * await ingestOtlpTraces(ctx, JSON.parse(body)); // { accepted: 40, rejected: 0, partialSuccess: {} }
 */
export async function ingestOtlpTraces(ctx: AppContext, raw: unknown): Promise<IngestResult> {
  const spans = parsed(() => parseOtlpTraces(raw));
  return store(ctx, 'trace', (receivedAt, id) => spans.map((span) => spanRecord(span, receivedAt, id())));
}

/**
 * Applies the buffer's bounds (`settings.telemetry`): drops records older than `retentionMinutes`, then keeps only
 * the newest `maxRecordsPerService` of each service. One transaction per service, so a large prune never holds the
 * write lock for long. Runs every minute as the `telemetry.prune` job.
 *
 * @example
 * await pruneTelemetry(ctx); // { expired: 1200, overCap: 0, services: 3 }
 */
export async function pruneTelemetry(ctx: AppContext): Promise<{ expired: number; overCap: number; services: number }> {
  const { maxRecordsPerService } = ctx.settings.telemetry;
  const cutoff = new Date(retentionCutoff(ctx, ctx.now().getTime())).toISOString();
  const services = await read(ctx).telemetry.services();
  let expired = 0;
  let overCap = 0;
  for (const service of services) {
    await transact(ctx, async (tx) => {
      expired += await tx.repos.telemetry.deleteBefore(service, cutoff);
      overCap += await tx.repos.telemetry.trimTo(service, maxRecordsPerService);
    });
  }
  return { expired, overCap, services: services.length };
}
