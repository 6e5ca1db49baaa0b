import { sql, type Kysely, type Selectable } from 'kysely';
import type { Dialect } from './migrations.js';
import { fromJson, toJson } from './json.js';
import type { DB, JobsTable } from './schema.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  id: string;
  kind: string;
  uniqueKey: string | null;
  payload: unknown;
  status: JobStatus;
  runAt: string;
  attempts: number;
  lastError: string | null;
  lockedBy: string | null;
  lockedUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

function toJob(row: Selectable<JobsTable>): Job {
  return {
    id: row.id,
    kind: row.kind,
    uniqueKey: row.unique_key,
    payload: fromJson<unknown>(row.payload, null),
    status: row.status as JobStatus,
    runAt: row.run_at,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The durable job table. Claiming is one UPDATE over a `FOR UPDATE SKIP LOCKED` subquery on PostgreSQL, so several
 * instances share the queue and each job runs once; SQLite's single writer gives the same guarantee.
 */
export class JobRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** Inserts a job; with a `uniqueKey` already queued or running, nothing is inserted and false is returned. */
  async enqueue(job: Pick<Job, 'id' | 'kind' | 'uniqueKey' | 'payload' | 'runAt' | 'createdAt'>): Promise<boolean> {
    const result = await this.db
      .insertInto('jobs')
      .values({
        id: job.id,
        kind: job.kind,
        unique_key: job.uniqueKey,
        payload: toJson(job.payload),
        status: 'queued',
        run_at: job.runAt,
        attempts: 0,
        last_error: null,
        locked_by: null,
        locked_until: null,
        created_at: job.createdAt,
        updated_at: job.createdAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Takes the next due job (or one whose worker's lock expired) for `workerId`. */
  async claim(workerId: string, now: string, lockedUntil: string): Promise<Job | null> {
    let next = this.db
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
        ]),
      )
      .orderBy('run_at')
      .limit(1);
    if (this.dialect === 'postgres') next = next.forUpdate().skipLocked();
    const row = await this.db
      .updateTable('jobs')
      .set({
        status: 'running',
        locked_by: workerId,
        locked_until: lockedUntil,
        attempts: sql<number>`attempts + 1`,
        updated_at: now,
      })
      .where('id', 'in', next)
      .returningAll()
      .executeTakeFirst();
    return row ? toJob(row) : null;
  }

  async complete(id: string, workerId: string, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'done', locked_by: null, locked_until: null, updated_at: now })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .execute();
  }

  /** Records a failure: back to the queue at `retryAt`, or failed for good when `retryAt` is null. */
  async fail(id: string, workerId: string, error: string, retryAt: string | null, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({
        status: retryAt ? 'queued' : 'failed',
        run_at: retryAt ?? now,
        last_error: error.slice(0, 2000),
        locked_by: null,
        locked_until: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .execute();
  }

  async find(id: string): Promise<Job | null> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : null;
  }

  async list(kind?: string): Promise<Job[]> {
    let q = this.db.selectFrom('jobs').selectAll();
    if (kind) q = q.where('kind', '=', kind);
    return (await q.orderBy('created_at').execute()).map(toJob);
  }

  /** Drops finished jobs older than `before`, keeping the table small. */
  async prune(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom('jobs')
      .where('status', 'in', ['done', 'failed'])
      .where('updated_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
