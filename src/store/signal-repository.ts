import { sql, type Kysely, type Selectable } from 'kysely';
import { fromJson, toJson } from './json.js';
import type { Dialect } from './migrations.js';
import type { DB, SignalsTable } from './schema.js';

/** One alert identity (source + fingerprint) and what Debrief knows about it, however often it was delivered. */
export interface Signal {
  id: string;
  source: string;
  /** Alertmanager's / Grafana's fingerprint, or the PagerDuty incident id. */
  fingerprint: string;
  groupKey: string | null;
  service: string | null;
  severity: string | null;
  /** `firing` / `resolved`, or `triggered` / `acknowledged` / `resolved` for pages. */
  status: string;
  title: string;
  labels: Record<string, string>;
  /** Start of the current episode. */
  startsAt: string;
  endsAt: string | null;
  lastReceivedAt: string;
  deliveries: number;
  incidentId: string | null;
  /** Id of the maintenance window that kept this alert from declaring an incident. */
  suppressedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SignalFilter {
  status?: string[] | undefined;
  service?: string | undefined;
  incidentId?: string | undefined;
  source?: string | undefined;
}

export interface SignalStatsRow {
  source: string;
  signals: number;
  deliveries: number;
  incidents: number;
  suppressed: number;
}

/** Fields of an aggregated timeline event that later deliveries rewrite. */
export interface TimelineAggregatePatch {
  at: string;
  title: string;
  body: string;
  labels: Record<string, string>;
  count: number;
}

const OPEN_STATUSES = ['investigating', 'mitigated'];

/** Key for `pg_advisory_xact_lock`: one ingestion at a time decides "declare or attach". */
const INGEST_LOCK = 0x44_42_41_4c;

/** Rows per statement: 18 columns stay far below both dialects' bound-parameter limits. */
const CHUNK = 200;

function toSignal(row: Selectable<SignalsTable>): Signal {
  return {
    id: row.id,
    source: row.source,
    fingerprint: row.fingerprint,
    groupKey: row.group_key,
    service: row.service,
    severity: row.severity,
    status: row.status,
    title: row.title,
    labels: fromJson<Record<string, string>>(row.labels, {}),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    lastReceivedAt: row.last_received_at,
    deliveries: Number(row.deliveries),
    incidentId: row.incident_id,
    suppressedBy: row.suppressed_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRow(s: Signal): SignalsTable {
  return {
    id: s.id,
    source: s.source,
    fingerprint: s.fingerprint,
    group_key: s.groupKey,
    service: s.service,
    severity: s.severity,
    status: s.status,
    title: s.title,
    labels: toJson(s.labels),
    starts_at: s.startsAt,
    ends_at: s.endsAt,
    last_received_at: s.lastReceivedAt,
    deliveries: s.deliveries,
    incident_id: s.incidentId,
    suppressed_by: s.suppressedBy,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Alert signals: the dedupe state of every alert identity, and the lookups that route alerts to incidents. */
export class SignalRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Serialises alert ingestion for the rest of the caller's transaction, so two deliveries of one alert group
   * (Alertmanager in HA sends duplicates at the same moment) cannot both declare an incident. SQLite transactions
   * are serialised already.
   */
  async lockIngestion(): Promise<void> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${INGEST_LOCK})`.execute(this.db);
  }

  async findByFingerprints(source: string, fingerprints: readonly string[]): Promise<Signal[]> {
    const out: Signal[] = [];
    for (const part of chunks([...new Set(fingerprints)], 500)) {
      const rows = await this.db
        .selectFrom('signals')
        .selectAll()
        .where('source', '=', source)
        .where('fingerprint', 'in', part)
        .execute();
      out.push(...rows.map(toSignal));
    }
    return out;
  }

  /** Inserts new signals and overwrites known ones (matched on source + fingerprint), in batches. */
  async upsertMany(signals: readonly Signal[]): Promise<void> {
    for (const part of chunks(signals)) {
      await this.db
        .insertInto('signals')
        .values(part.map(toRow))
        .onConflict((oc) =>
          oc.columns(['source', 'fingerprint']).doUpdateSet((eb) => ({
            group_key: eb.ref('excluded.group_key'),
            service: eb.ref('excluded.service'),
            severity: eb.ref('excluded.severity'),
            status: eb.ref('excluded.status'),
            title: eb.ref('excluded.title'),
            labels: eb.ref('excluded.labels'),
            starts_at: eb.ref('excluded.starts_at'),
            ends_at: eb.ref('excluded.ends_at'),
            last_received_at: eb.ref('excluded.last_received_at'),
            deliveries: eb.ref('excluded.deliveries'),
            incident_id: eb.ref('excluded.incident_id'),
            suppressed_by: eb.ref('excluded.suppressed_by'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .execute();
    }
  }

  /** Counts one more delivery on signals whose state did not change. */
  async addDeliveries(ids: readonly string[], by: number, at: string): Promise<void> {
    for (const part of chunks(ids, 500)) {
      await this.db
        .updateTable('signals')
        .set({ deliveries: sql<number>`deliveries + ${by}`, last_received_at: at, updated_at: at })
        .where('id', 'in', part)
        .execute();
    }
  }

  /** Open incidents (newest first) that already hold a signal of this alert group. */
  async openIncidentIdsForGroup(source: string, groupKey: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('incidents')
      .select(['id', 'number'])
      .where('status', 'in', OPEN_STATUSES)
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('signals')
          .select('incident_id')
          .where('source', '=', source)
          .where('group_key', '=', groupKey)
          .where('incident_id', 'is not', null)
          .$narrowType<{ incident_id: string }>(),
      )
      .orderBy('number', 'desc')
      .limit(20)
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Open incidents (newest first) of a service: named in the incident, or holding a signal of that service. Driven
   * from the open incidents, which are few, so only their signals are looked at rather than every signal ever
   * received.
   */
  async openIncidentIdsForService(service: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('incidents')
      .select(['id', 'number'])
      .where('status', 'in', OPEN_STATUSES)
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom('incident_services')
              .select(sql<number>`1`.as('one'))
              .whereRef('incident_services.incident_id', '=', 'incidents.id')
              .where('incident_services.service_name', '=', service),
          ),
          eb.exists(
            eb
              .selectFrom('signals')
              .select(sql<number>`1`.as('one'))
              .whereRef('signals.incident_id', '=', 'incidents.id')
              .where('signals.service', '=', service),
          ),
        ]),
      )
      .orderBy('number', 'desc')
      .limit(20)
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Rewrites an aggregated alert event on an incident's timeline (its count, time, title, body and common labels)
   * when more alerts of its group fold into it, instead of inserting one row per alert.
   */
  async updateTimelineAggregate(eventId: string, patch: TimelineAggregatePatch): Promise<void> {
    await this.db
      .updateTable('timeline_events')
      .set({
        at: patch.at,
        title: patch.title,
        body: patch.body,
        labels: toJson(patch.labels),
        count: patch.count,
      })
      .where('id', '=', eventId)
      .execute();
  }

  /** Newest first (by first sight), keyset-paginated on the id. */
  async list(filter: SignalFilter, limit: number, before?: string): Promise<{ items: Signal[]; next: string | null }> {
    let query = this.db.selectFrom('signals').selectAll();
    if (filter.status?.length) query = query.where('status', 'in', filter.status);
    if (filter.service) query = query.where('service', '=', filter.service);
    if (filter.source) query = query.where('source', '=', filter.source);
    if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
    if (before) query = query.where('id', '<', before);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toSignal);
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? last.id : null };
  }

  /** Signals that started in [from, to), per source, with the incidents they landed in. */
  async stats(from: string, to: string): Promise<{ bySource: SignalStatsRow[]; incidents: number }> {
    const rows = await this.db
      .selectFrom('signals')
      .select((eb) => [
        'source',
        eb.fn.countAll<number>().as('signals'),
        eb.fn.sum<number>('deliveries').as('deliveries'),
        eb.fn.count<number>('incident_id').distinct().as('incidents'),
        eb.fn.sum<number>(eb.case().when('suppressed_by', 'is not', null).then(1).else(0).end()).as('suppressed'),
      ])
      .where('starts_at', '>=', from)
      .where('starts_at', '<', to)
      .groupBy('source')
      .orderBy('source')
      .execute();
    const total = await this.db
      .selectFrom('signals')
      .select((eb) => eb.fn.count<number>('incident_id').distinct().as('n'))
      .where('starts_at', '>=', from)
      .where('starts_at', '<', to)
      .executeTakeFirst();
    return {
      bySource: rows.map((r) => ({
        source: r.source,
        signals: Number(r.signals),
        deliveries: Number(r.deliveries ?? 0),
        incidents: Number(r.incidents),
        suppressed: Number(r.suppressed ?? 0),
      })),
      incidents: Number(total?.n ?? 0),
    };
  }
}
