import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import { createAppContext, type AppContext } from '../app/context.js';
import { enqueueJob, listJobs } from '../app/jobs.js';
import { JobRunner, retryDelayMs } from './runner.js';

function clockedContext(ctx: AppContext, start: number): { ctx: AppContext; advance(ms: number): void } {
  let t = start;
  return { ctx: { ...ctx, now: () => new Date(t) }, advance: (ms) => (t += ms) };
}

describeEachDialect('durable jobs', (db) => {
  it('keeps one pending job per unique key', async () => {
    const ctx = createAppContext(db.database);
    expect(await enqueueJob(ctx, 'probe', { n: 1 }, { uniqueKey: 'probe:1' })).toBe(true);
    expect(await enqueueJob(ctx, 'probe', { n: 2 }, { uniqueKey: 'probe:1' })).toBe(false);
    const runner = new JobRunner(ctx, [{ kind: 'probe', run: async () => undefined }]);
    expect(await runner.runOnce()).toBe(true);
    expect(await enqueueJob(ctx, 'probe', { n: 3 }, { uniqueKey: 'probe:1' })).toBe(true);
    while (await runner.runOnce());
  });

  it('runs a due job once with its payload and marks it done', async () => {
    const ctx = createAppContext(db.database);
    const seen: unknown[] = [];
    await enqueueJob(ctx, 'collect', { hello: 'world' });
    const runner = new JobRunner(ctx, [{ kind: 'collect', run: async (p) => void seen.push(p) }]);
    expect(await runner.runOnce()).toBe(true);
    expect(await runner.runOnce()).toBe(false);
    expect(seen).toEqual([{ hello: 'world' }]);
    expect((await listJobs(ctx, 'collect')).map((j) => j.status)).toEqual(['done']);
  });

  it('retries a failing job with backoff, then marks it failed with the error', async () => {
    const clock = clockedContext(createAppContext(db.database), Date.parse('2026-01-01T00:00:00Z'));
    let calls = 0;
    const runner = new JobRunner(clock.ctx, [
      { kind: 'flaky', maxAttempts: 3, run: async () => Promise.reject(new Error(`boom ${++calls}`)) },
    ]);
    await enqueueJob(clock.ctx, 'flaky', null);
    expect(await runner.runOnce()).toBe(true);
    expect(await runner.runOnce()).toBe(false);
    clock.advance(retryDelayMs(1));
    expect(await runner.runOnce()).toBe(true);
    clock.advance(retryDelayMs(2));
    expect(await runner.runOnce()).toBe(true);
    clock.advance(retryDelayMs(3));
    expect(await runner.runOnce()).toBe(false);
    const [job] = await listJobs(clock.ctx, 'flaky');
    expect(job).toMatchObject({ status: 'failed', attempts: 3, lastError: 'boom 3' });
  });

  it('reschedules recurring jobs after each run', async () => {
    const clock = clockedContext(createAppContext(db.database), Date.parse('2026-02-01T00:00:00Z'));
    let runs = 0;
    const runner = new JobRunner(clock.ctx, [{ kind: 'tick', everyMs: 60_000, run: async () => void runs++ }]);
    await runner.start();
    await runner.stop();
    expect(await runner.runOnce()).toBe(true);
    expect(await runner.runOnce()).toBe(false);
    clock.advance(60_000);
    expect(await runner.runOnce()).toBe(true);
    expect(runs).toBe(2);
    const pending = (await listJobs(clock.ctx, 'tick')).filter((j) => j.status === 'queued');
    expect(pending).toHaveLength(1);
  });

  it('lets two runners share the queue without running any job twice', async () => {
    const ctx = createAppContext(db.database);
    const runs: number[] = [];
    for (let n = 0; n < 20; n++) await enqueueJob(ctx, 'shared', { n });
    const definition = {
      kind: 'shared',
      run: async (p: unknown) => {
        runs.push((p as { n: number }).n);
        await new Promise((r) => setTimeout(r, 2));
      },
    };
    const a = new JobRunner(ctx, [definition]);
    const b = new JobRunner(ctx, [definition]);
    const drain = async (r: JobRunner) => {
      while (await r.runOnce());
    };
    await Promise.all([drain(a), drain(b)]);
    expect([...runs].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
