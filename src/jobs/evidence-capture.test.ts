import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import { freePort, startPrometheus, type Component } from '../../test/integration/components.js';
import { createService } from '../app/catalog.js';
import { createAppContext, read, type AppContext } from '../app/context.js';
import { changeIncidentStatus, declareIncident, EVIDENCE_CAPTURE_JOB } from '../app/incidents.js';
import { enqueueJob, listJobs } from '../app/jobs.js';
import { parseSettings, type Settings } from '../app/settings.js';
import type { Principal } from '../domain/types.js';
import { evidenceCaptureJob } from './evidence-capture.js';
import { JobRunner, retryDelayMs } from './runner.js';

const SYSTEM: Principal = { kind: 'system', name: 'test', role: 'admin' };
const RESPONDER: Principal = { kind: 'token', id: 't-1', name: 'pager', role: 'responder' };

let prometheus: Component;
beforeAll(async () => {
  prometheus = await startPrometheus();
});
afterAll(async () => {
  await prometheus?.stop();
});

function settingsFor(url: string | undefined): Settings {
  return parseSettings({
    prometheus: {
      ...(url ? { url } : {}),
      queries: {
        checkout: [{ name: 'error ratio', query: 'label_replace(vector(0.1), "service", "$service", "", "")' }],
      },
    },
  });
}

describeEachDialect('evidence capture job', (db) => {
  let clock = Date.parse('2026-04-01T08:00:00Z');
  let ctx: AppContext;
  const withSettings = (settings: Settings): AppContext =>
    createAppContext(db.database, { settings, now: () => new Date(clock) });

  beforeAll(async () => {
    ctx = withSettings(settingsFor(prometheus.url));
    await createService(ctx, SYSTEM, { name: 'checkout' });
  });

  const drain = async (runner: JobRunner) => {
    while (await runner.runOnce());
  };
  const metricEvents = async (incidentId: string) =>
    (await read(ctx).timeline.list(incidentId, { kind: ['metric'] })).map((e) => ({
      phase: e.labels.phase,
      actor: e.actor,
      linked: e.artifactId !== null,
    }));

  it('captures when an incident is declared and again when it is resolved', async () => {
    const runner = new JobRunner(ctx, [evidenceCaptureJob()]);
    const incident = await declareIncident(ctx, RESPONDER, {
      title: 'Checkout 5xx',
      severity: 'SEV2',
      services: ['checkout'],
    });
    await drain(runner);
    clock += 15 * 60_000;
    await changeIncidentStatus(ctx, RESPONDER, incident.key, { status: 'resolved' });
    await drain(runner);
    expect(await metricEvents(incident.id)).toEqual([
      { phase: 'declare', actor: 'system:evidence', linked: true },
      { phase: 'resolve', actor: 'system:evidence', linked: true },
    ]);
    const jobs = (await listJobs(ctx, EVIDENCE_CAPTURE_JOB)).filter(
      (j) => (j.payload as { incidentId: string }).incidentId === incident.id,
    );
    expect(jobs.map((j) => j.status)).toEqual(['done', 'done']);
  });

  it('does nothing for metrics when Prometheus is not configured', async () => {
    const bare = withSettings(settingsFor(undefined));
    const incident = await declareIncident(bare, RESPONDER, {
      title: 'No Prometheus',
      severity: 'SEV3',
      services: ['checkout'],
    });
    await drain(new JobRunner(bare, [evidenceCaptureJob()]));
    expect(await metricEvents(incident.id)).toEqual([]);
    const [job] = (await listJobs(bare, EVIDENCE_CAPTURE_JOB)).filter(
      (j) => (j.payload as { incidentId: string }).incidentId === incident.id,
    );
    expect(job?.status).toBe('done');
  });

  it('fails and retries with backoff while Prometheus is unreachable, then captures once it answers', async () => {
    const down = withSettings(settingsFor(`http://127.0.0.1:${await freePort()}`));
    const incident = await declareIncident(down, RESPONDER, {
      title: 'Flaky',
      severity: 'SEV3',
      services: ['checkout'],
    });
    await drain(new JobRunner(down, [evidenceCaptureJob()]));
    const find = async () =>
      (await listJobs(ctx, EVIDENCE_CAPTURE_JOB)).find(
        (j) => (j.payload as { incidentId: string }).incidentId === incident.id,
      );
    expect(await find()).toMatchObject({ status: 'queued', attempts: 1 });
    expect((await find())?.lastError).toMatch(/failed for 1 of 1 queries: error ratio \(checkout\): .*unreachable/);
    expect(await metricEvents(incident.id)).toEqual([]);

    clock += retryDelayMs(1);
    await drain(new JobRunner(ctx, [evidenceCaptureJob()]));
    expect(await find()).toMatchObject({ status: 'done', attempts: 2 });
    expect(await metricEvents(incident.id)).toEqual([{ phase: 'declare', actor: 'system:evidence', linked: true }]);
  });

  it('captures private incidents and finishes quietly when the incident is gone', async () => {
    const incident = await declareIncident(ctx, RESPONDER, {
      title: 'Private',
      severity: 'SEV2',
      services: ['checkout'],
      visibility: 'private',
    });
    await enqueueJob(ctx, EVIDENCE_CAPTURE_JOB, { incidentId: 'no-such-incident', phase: 'declare' });
    await drain(new JobRunner(ctx, [evidenceCaptureJob()]));
    expect(await metricEvents(incident.id)).toEqual([{ phase: 'declare', actor: 'system:evidence', linked: true }]);
    const gone = (await listJobs(ctx, EVIDENCE_CAPTURE_JOB)).find(
      (j) => (j.payload as { incidentId: string }).incidentId === 'no-such-incident',
    );
    expect(gone?.status).toBe('done');
  });
});
