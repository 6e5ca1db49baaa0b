import type { Kysely, Selectable } from 'kysely';
import type { EventKind, Marker, TimelineEvent } from '../domain/types.js';
import { fromJson, toJson } from './json.js';
import type { DB, TimelineEventsTable } from './schema.js';

export interface TimelineFilter {
  kind?: EventKind[] | undefined;
  source?: string[] | undefined;
  pinned?: boolean | undefined;
}

function toEvent(row: Selectable<TimelineEventsTable>): TimelineEvent {
  return {
    id: row.id,
    incidentId: row.incident_id,
    at: row.at,
    kind: row.kind as EventKind,
    source: row.source,
    title: row.title,
    body: row.body,
    labels: fromJson<Record<string, string>>(row.labels, {}),
    dedupeKey: row.dedupe_key,
    marker: row.marker as Marker | null,
    pinned: Number(row.pinned) === 1,
    artifactId: row.artifact_id,
    count: Number(row.count),
    actor: row.actor,
    createdAt: row.created_at,
  };
}

function toRow(e: TimelineEvent): TimelineEventsTable {
  return {
    id: e.id,
    incident_id: e.incidentId,
    at: e.at,
    kind: e.kind,
    source: e.source,
    title: e.title,
    body: e.body,
    labels: toJson(e.labels),
    dedupe_key: e.dedupeKey,
    marker: e.marker,
    pinned: e.pinned ? 1 : 0,
    artifact_id: e.artifactId,
    count: e.count,
    actor: e.actor,
    created_at: e.createdAt,
  };
}

export class TimelineRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(event: TimelineEvent): Promise<void> {
    await this.db.insertInto('timeline_events').values(toRow(event)).execute();
  }

  async insertMany(events: TimelineEvent[]): Promise<void> {
    const chunk = 200;
    for (let i = 0; i < events.length; i += chunk) {
      await this.db
        .insertInto('timeline_events')
        .values(events.slice(i, i + chunk).map(toRow))
        .execute();
    }
  }

  async findByDedupeKey(incidentId: string, dedupeKey: string): Promise<TimelineEvent | null> {
    const row = await this.db
      .selectFrom('timeline_events')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('dedupe_key', '=', dedupeKey)
      .executeTakeFirst();
    return row ? toEvent(row) : null;
  }

  async findById(incidentId: string, id: string): Promise<TimelineEvent | null> {
    const row = await this.db
      .selectFrom('timeline_events')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toEvent(row) : null;
  }

  async update(event: TimelineEvent): Promise<void> {
    const { id: _id, incident_id: _incident, ...row } = toRow(event);
    await this.db.updateTable('timeline_events').set(row).where('id', '=', event.id).execute();
  }

  async delete(incidentId: string, id: string): Promise<void> {
    await this.db.deleteFrom('timeline_events').where('incident_id', '=', incidentId).where('id', '=', id).execute();
  }

  /** Removes a lifecycle marker from every other event of the incident, so each marker appears once. */
  async clearMarker(incidentId: string, marker: Marker, exceptId?: string): Promise<void> {
    let query = this.db
      .updateTable('timeline_events')
      .set({ marker: null })
      .where('incident_id', '=', incidentId)
      .where('marker', '=', marker);
    if (exceptId) query = query.where('id', '!=', exceptId);
    await query.execute();
  }

  /** Oldest first. */
  async list(incidentId: string, filter: TimelineFilter = {}): Promise<TimelineEvent[]> {
    let query = this.db.selectFrom('timeline_events').selectAll().where('incident_id', '=', incidentId);
    if (filter.kind?.length) query = query.where('kind', 'in', filter.kind);
    if (filter.source?.length) query = query.where('source', 'in', filter.source);
    if (filter.pinned !== undefined) query = query.where('pinned', '=', filter.pinned ? 1 : 0);
    const rows = await query.orderBy('at').orderBy('id').execute();
    return rows.map(toEvent);
  }

  /** Whether any event of the incident is pinned or links an artifact: evidence a postmortem can point to. */
  async hasLinkedEvidence(incidentId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('timeline_events')
      .select('id')
      .where('incident_id', '=', incidentId)
      .where((eb) => eb.or([eb('pinned', '=', 1), eb('artifact_id', 'is not', null)]))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Incidents with a timeline event that links this artifact. */
  async incidentsReferencingArtifact(artifactId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('timeline_events')
      .select('incident_id')
      .distinct()
      .where('artifact_id', '=', artifactId)
      .execute();
    return rows.map((r) => r.incident_id);
  }
}
