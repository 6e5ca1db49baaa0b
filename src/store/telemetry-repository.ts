import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from './json.js';
import type { DB, TelemetryRecordsTable } from './schema.js';

export const TELEMETRY_KINDS = ['log', 'trace'] as const;
export type TelemetryKind = (typeof TELEMETRY_KINDS)[number];

/** One buffered OTLP log record or span. */
export interface TelemetryRecord {
  id: string;
  service: string;
  kind: TelemetryKind;
  at: string;
  /** Log level (`trace` … `fatal`), `error` for failed spans, null when unknown. */
  severity: string | null;
  /** Log body, or span name (with its status message). */
  body: string;
  attributes: Record<string, unknown>;
  traceId: string | null;
  spanId: string | null;
  /** Spans only, whole milliseconds. */
  durationMs: number | null;
  error: boolean;
  receivedAt: string;
}

export interface TelemetryQuery {
  /** Services to read; undefined reads every service. */
  services?: readonly string[] | undefined;
  kind?: TelemetryKind | undefined;
  /** Inclusive. */
  from: string;
  /** Exclusive. */
  to: string;
  /** At most this many rows, oldest first unless `newestFirst`. */
  limit?: number | undefined;
  newestFirst?: boolean | undefined;
}

export interface TelemetrySourceStats {
  service: string;
  kind: TelemetryKind;
  count: number;
  first: string;
  last: string;
}

/** Rows per INSERT: 12 columns × 500 stays far below both dialects' bound-parameter limits. */
const INSERT_CHUNK = 500;

function toRecord(row: Selectable<TelemetryRecordsTable>): TelemetryRecord {
  return {
    id: row.id,
    service: row.service,
    kind: row.kind as TelemetryKind,
    at: row.at,
    severity: row.severity,
    body: row.body,
    attributes: fromJson<Record<string, unknown>>(row.attributes, {}),
    traceId: row.trace_id,
    spanId: row.span_id,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    error: Number(row.error) === 1,
    receivedAt: row.received_at,
  };
}

function toRow(r: TelemetryRecord): TelemetryRecordsTable {
  return {
    id: r.id,
    service: r.service,
    kind: r.kind,
    at: r.at,
    severity: r.severity,
    body: r.body,
    attributes: toJson(r.attributes),
    trace_id: r.traceId,
    span_id: r.spanId,
    duration_ms: r.durationMs,
    error: r.error ? 1 : 0,
    received_at: r.receivedAt,
  };
}

/**
 * The bounded OTLP buffer: recent logs and spans per service, so evidence from before an incident was declared is
 * still there when someone asks. Not a telemetry store: rows are pruned by age and by a per-service cap.
 */
export class TelemetryRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insertMany(records: readonly TelemetryRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += INSERT_CHUNK) {
      await this.db
        .insertInto('telemetry_records')
        .values(records.slice(i, i + INSERT_CHUNK).map(toRow))
        .execute();
    }
  }

  async list(query: TelemetryQuery): Promise<TelemetryRecord[]> {
    let q = this.db
      .selectFrom('telemetry_records')
      .selectAll()
      .where('at', '>=', query.from)
      .where('at', '<', query.to);
    if (query.services) {
      if (query.services.length === 0) return [];
      q = q.where('service', 'in', [...query.services]);
    }
    if (query.kind) q = q.where('kind', '=', query.kind);
    const direction = query.newestFirst ? 'desc' : 'asc';
    q = q.orderBy('at', direction).orderBy('id', direction);
    if (query.limit !== undefined) q = q.limit(query.limit);
    return (await q.execute()).map(toRecord);
  }

  /** Time, severity and body of the log records in the range: what template mining reads, without the rest. */
  async logLines(
    query: Omit<TelemetryQuery, 'kind'>,
  ): Promise<{ at: string; severity: string | null; body: string }[]> {
    let q = this.db
      .selectFrom('telemetry_records')
      .select(['at', 'severity', 'body'])
      .where('kind', '=', 'log')
      .where('at', '>=', query.from)
      .where('at', '<', query.to);
    if (query.services) {
      if (query.services.length === 0) return [];
      q = q.where('service', 'in', [...query.services]);
    }
    const direction = query.newestFirst ? 'desc' : 'asc';
    q = q.orderBy('at', direction).orderBy('id', direction);
    if (query.limit !== undefined) q = q.limit(query.limit);
    return q.execute();
  }

  /** Just the time, service and kind of each row in the range: what gap detection needs, and nothing more. */
  async timestamps(
    query: Omit<TelemetryQuery, 'limit' | 'newestFirst'>,
  ): Promise<{ service: string; kind: TelemetryKind; at: string }[]> {
    let q = this.db
      .selectFrom('telemetry_records')
      .select(['service', 'kind', 'at'])
      .where('at', '>=', query.from)
      .where('at', '<', query.to);
    if (query.services) {
      if (query.services.length === 0) return [];
      q = q.where('service', 'in', [...query.services]);
    }
    if (query.kind) q = q.where('kind', '=', query.kind);
    const rows = await q.orderBy('at').execute();
    return rows.map((r) => ({ service: r.service, kind: r.kind as TelemetryKind, at: r.at }));
  }

  /** Count and time range per service and kind in the range. */
  async stats(query: Omit<TelemetryQuery, 'limit' | 'newestFirst' | 'kind'>): Promise<TelemetrySourceStats[]> {
    let q = this.db
      .selectFrom('telemetry_records')
      .select((eb) => [
        'service',
        'kind',
        eb.fn.countAll<number | string>().as('count'),
        eb.fn.min('at').as('first'),
        eb.fn.max('at').as('last'),
      ])
      .where('at', '>=', query.from)
      .where('at', '<', query.to);
    if (query.services) {
      if (query.services.length === 0) return [];
      q = q.where('service', 'in', [...query.services]);
    }
    const rows = await q.groupBy(['service', 'kind']).orderBy('service').orderBy('kind').execute();
    return rows.map((r) => ({
      service: r.service,
      kind: r.kind as TelemetryKind,
      count: Number(r.count),
      first: r.first,
      last: r.last,
    }));
  }

  /** Every service with buffered rows. */
  async services(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('telemetry_records')
      .select('service')
      .distinct()
      .orderBy('service')
      .execute();
    return rows.map((r) => r.service);
  }

  async count(service?: string): Promise<number> {
    let q = this.db.selectFrom('telemetry_records').select((eb) => eb.fn.countAll<number | string>().as('n'));
    if (service !== undefined) q = q.where('service', '=', service);
    const row = await q.executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Deletes a service's rows timestamped before `cutoff`; returns how many. */
  async deleteBefore(service: string, cutoff: string): Promise<number> {
    const result = await this.db
      .deleteFrom('telemetry_records')
      .where('service', '=', service)
      .where('at', '<', cutoff)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Keeps a service's newest `keep` rows (by time, then id) and deletes the rest; returns how many went. */
  async trimTo(service: string, keep: number): Promise<number> {
    const boundary = await this.db
      .selectFrom('telemetry_records')
      .select(['at', 'id'])
      .where('service', '=', service)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .offset(keep)
      .executeTakeFirst();
    if (!boundary) return 0;
    const result = await this.db
      .deleteFrom('telemetry_records')
      .where('service', '=', service)
      .where((eb) =>
        eb.or([eb('at', '<', boundary.at), eb.and([eb('at', '=', boundary.at), eb('id', '<=', boundary.id)])]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
