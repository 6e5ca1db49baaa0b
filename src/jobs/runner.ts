/**
 * Runs durable jobs from the job table. Any number of runners (in one or several instances) may poll the same
 * table: claiming is atomic, a crashed runner's lock expires and the job is retried with backoff.
 */
import { claimJob, completeJob, enqueueJob, failJob, newWorkerId, type Job } from '../app/jobs.js';
import type { AppContext } from '../app/context.js';

export interface JobDefinition {
  kind: string;
  run(payload: unknown, ctx: AppContext): Promise<void>;
  /** For recurring jobs: the interval between runs. */
  everyMs?: number;
  /** Attempts before the job is marked failed (default 5). */
  maxAttempts?: number;
}

export interface RunnerOptions {
  pollMs?: number;
  lockMs?: number;
}

/** Exponential backoff: 10 s, 20 s, 40 s, … capped at an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 10_000 * 2 ** Math.max(0, attempts - 1));
}

export class JobRunner {
  private readonly workerId = newWorkerId();
  private readonly definitions = new Map<string, JobDefinition>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly ctx: AppContext,
    definitions: JobDefinition[],
    private readonly options: RunnerOptions = {},
  ) {
    for (const d of definitions) this.definitions.set(d.kind, d);
  }

  /** Schedules the recurring jobs (once each across all instances) and starts polling. */
  async start(): Promise<void> {
    this.stopped = false;
    for (const d of this.definitions.values()) {
      if (d.everyMs) await enqueueJob(this.ctx, d.kind, null, { uniqueKey: `recurring:${d.kind}` });
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .catch((error: unknown) => this.ctx.logger.error({ err: error }, 'job runner poll failed'))
        .finally(() => this.schedule(this.options.pollMs ?? 1_000));
    }, delay);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (await this.runOnce())) {
      /* keep going while there is due work */
    }
  }

  /** Claims and runs one due job; false when there was none. */
  async runOnce(): Promise<boolean> {
    const job = await claimJob(this.ctx, this.workerId, this.options.lockMs ?? 5 * 60_000);
    if (!job) return false;
    await this.execute(job);
    return true;
  }

  private async execute(job: Job): Promise<void> {
    const definition = this.definitions.get(job.kind);
    if (!definition) {
      await failJob(this.ctx, job, this.workerId, `no handler for job kind ${job.kind}`, null);
      return;
    }
    try {
      await definition.run(job.payload, this.ctx);
      await completeJob(this.ctx, job, this.workerId);
      if (definition.everyMs) {
        await enqueueJob(this.ctx, job.kind, null, {
          uniqueKey: `recurring:${job.kind}`,
          runAt: new Date(this.ctx.now().getTime() + definition.everyMs),
        });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const exhausted = job.attempts >= (definition.maxAttempts ?? 5);
      const retryAt = exhausted ? null : new Date(this.ctx.now().getTime() + retryDelayMs(job.attempts));
      this.ctx.logger.warn({ job: job.id, kind: job.kind, attempts: job.attempts, error: message }, 'job failed');
      await failJob(this.ctx, job, this.workerId, message, retryAt);
    }
  }
}
