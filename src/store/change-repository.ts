import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from './json.js';
import type { ChangesTable, ChangeVerdictsTable, DB } from './schema.js';

/** A deploy, config change or flag flip, as stored: one row per deployment, whatever the number of its deliveries. */
export interface Change {
  id: string;
  /** `github`, `gitlab`, or `change` for the generic endpoint and the CLI. */
  source: string;
  /** The source's identity for the change (`github:deployment:<id>`, `change:<sender id>`): re-deliveries match it. */
  dedupeKey: string;
  kind: 'deploy' | 'config' | 'flag';
  service: string;
  version: string | null;
  environment: string | null;
  author: string | null;
  url: string | null;
  /** Latest deployment state in Debrief's vocabulary (`pending`, `in_progress`, `success`, `failure`, …), or null. */
  status: string | null;
  description: string;
  labels: Record<string, string>;
  /** sha256 of the diff artifact, when a diff came with the change. */
  diffArtifactId: string | null;
  /** When the change started: the earliest time any delivery of it carried. */
  at: string;
  createdAt: string;
}

export const VERDICTS = ['confirmed', 'dismissed'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface ChangeVerdict {
  incidentId: string;
  changeId: string;
  verdict: Verdict;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

export interface ChangeFilter {
  service?: string | undefined;
  kind?: string[] | undefined;
  environment?: string | undefined;
  /** At or after. */
  from?: string | undefined;
  /** Before. */
  to?: string | undefined;
}

/** Keyset position: the `at` and `id` of the last change of the previous page. */
export interface ChangePosition {
  at: string;
  id: string;
}

function toChange(row: Selectable<ChangesTable>): Change {
  return {
    id: row.id,
    source: row.source,
    dedupeKey: row.dedupe_key,
    kind: row.kind as Change['kind'],
    service: row.service,
    version: row.version,
    environment: row.environment,
    author: row.author,
    url: row.url,
    status: row.status,
    description: row.description,
    labels: fromJson<Record<string, string>>(row.labels, {}),
    diffArtifactId: row.diff_artifact_id,
    at: row.at,
    createdAt: row.created_at,
  };
}

function toRow(c: Change): ChangesTable {
  return {
    id: c.id,
    source: c.source,
    dedupe_key: c.dedupeKey,
    kind: c.kind,
    service: c.service,
    version: c.version,
    environment: c.environment,
    author: c.author,
    url: c.url,
    status: c.status,
    description: c.description,
    labels: toJson(c.labels),
    diff_artifact_id: c.diffArtifactId,
    at: c.at,
    created_at: c.createdAt,
  };
}

function toVerdict(row: Selectable<ChangeVerdictsTable>): ChangeVerdict {
  return {
    incidentId: row.incident_id,
    changeId: row.change_id,
    verdict: row.verdict as Verdict,
    reason: row.reason,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
  };
}

/** Changes and the verdicts responders give on them as suspects of an incident. */
export class ChangeRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Inserts the change unless one with its dedupe key exists; false when another writer got there first, so
   * concurrent deliveries of one change never fail on the unique key.
   */
  async insert(change: Change): Promise<boolean> {
    const result = await this.db
      .insertInto('changes')
      .values(toRow(change))
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async update(change: Change): Promise<void> {
    const { id: _id, dedupe_key: _key, created_at: _created, ...row } = toRow(change);
    await this.db.updateTable('changes').set(row).where('id', '=', change.id).execute();
  }

  async findById(id: string): Promise<Change | null> {
    const row = await this.db.selectFrom('changes').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toChange(row) : null;
  }

  async findByDedupeKey(dedupeKey: string): Promise<Change | null> {
    const row = await this.db.selectFrom('changes').selectAll().where('dedupe_key', '=', dedupeKey).executeTakeFirst();
    return row ? toChange(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Change[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('changes')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map(toChange);
  }

  /** Newest first (by `at`, then id), keyset-paginated; `next` is the position to continue after, or null. */
  async list(
    filter: ChangeFilter,
    limit: number,
    after?: ChangePosition,
  ): Promise<{ items: Change[]; next: ChangePosition | null }> {
    let query = this.db.selectFrom('changes').selectAll();
    if (filter.service) query = query.where('service', '=', filter.service);
    if (filter.kind?.length) query = query.where('kind', 'in', filter.kind);
    if (filter.environment) query = query.where('environment', '=', filter.environment);
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<', filter.to);
    if (after) {
      query = query.where((eb) =>
        eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '<', after.id)])]),
      );
    }
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toChange);
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? { at: last.at, id: last.id } : null };
  }

  /** Changes with `from <= at <= to`, newest first, at most `limit`. */
  async between(from: string, to: string, limit: number): Promise<Change[]> {
    const rows = await this.db
      .selectFrom('changes')
      .selectAll()
      .where('at', '>=', from)
      .where('at', '<=', to)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toChange);
  }

  /** Whether some change carries this artifact as its diff. */
  async isDiffArtifact(artifactId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('changes')
      .select('id')
      .where('diff_artifact_id', '=', artifactId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async verdicts(incidentId: string): Promise<ChangeVerdict[]> {
    const rows = await this.db
      .selectFrom('change_verdicts')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .execute();
    return rows.map(toVerdict);
  }

  async findVerdict(incidentId: string, changeId: string): Promise<ChangeVerdict | null> {
    const row = await this.db
      .selectFrom('change_verdicts')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('change_id', '=', changeId)
      .executeTakeFirst();
    return row ? toVerdict(row) : null;
  }

  /** One verdict per incident and change: a later decision replaces the earlier one (the audit log keeps both). */
  async saveVerdict(verdict: ChangeVerdict): Promise<void> {
    const row = {
      verdict: verdict.verdict,
      reason: verdict.reason,
      decided_by: verdict.decidedBy,
      decided_at: verdict.decidedAt,
    };
    await this.db
      .insertInto('change_verdicts')
      .values({ incident_id: verdict.incidentId, change_id: verdict.changeId, ...row })
      .onConflict((oc) => oc.columns(['incident_id', 'change_id']).doUpdateSet(row))
      .execute();
  }
}
