import { randomBytes } from 'node:crypto';
import type { Job } from '../store/job-repository.js';
import { newId } from '../store/ids.js';
import { read, transact, type AppContext } from './context.js';

export type { Job };

export interface EnqueueOptions {
  /** Run no earlier than this (default: now). */
  runAt?: Date;
  /** At most one queued or running job per key. */
  uniqueKey?: string;
}

/** Queues a job for the runner; returns false when a job with the same unique key is already pending. */
export async function enqueueJob(
  ctx: AppContext,
  kind: string,
  payload: unknown,
  options: EnqueueOptions = {},
): Promise<boolean> {
  return transact(ctx, (tx) =>
    tx.repos.jobs.enqueue({
      id: newId(),
      kind,
      uniqueKey: options.uniqueKey ?? null,
      payload,
      runAt: (options.runAt ?? new Date(tx.now)).toISOString(),
      createdAt: tx.now,
    }),
  );
}

export function newWorkerId(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`;
}

export async function claimJob(ctx: AppContext, workerId: string, lockMs: number): Promise<Job | null> {
  return transact(ctx, (tx) =>
    tx.repos.jobs.claim(workerId, tx.now, new Date(Date.parse(tx.now) + lockMs).toISOString()),
  );
}

export async function completeJob(ctx: AppContext, job: Job, workerId: string): Promise<void> {
  await transact(ctx, (tx) => tx.repos.jobs.complete(job.id, workerId, tx.now));
}

export async function failJob(
  ctx: AppContext,
  job: Job,
  workerId: string,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await transact(ctx, (tx) =>
    tx.repos.jobs.fail(job.id, workerId, error, retryAt ? retryAt.toISOString() : null, tx.now),
  );
}

export async function listJobs(ctx: AppContext, kind?: string): Promise<Job[]> {
  return read(ctx).jobs.list(kind);
}

/** Deletes expired sessions and finished jobs older than a week: the first housekeeping job. */
export async function housekeeping(ctx: AppContext): Promise<{ sessions: number; jobs: number }> {
  return transact(ctx, async (tx) => {
    const sessions = await tx.repos.identity.deleteExpiredSessions(tx.now);
    const jobs = await tx.repos.jobs.prune(new Date(Date.parse(tx.now) - 7 * 24 * 3600 * 1000).toISOString());
    return { sessions, jobs };
  });
}
