import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import type { Principal } from '../domain/types.js';
import { createService } from './catalog.js';
import { listSuspects, receiveGitHubDelivery, receiveGitLabDelivery, recordChange, type Change } from './changes.js';
import { createAppContext, read, type AppContext } from './context.js';
import { declareIncident } from './incidents.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { addTimelineEvent } from './timeline.js';

const SYSTEM: Principal = { kind: 'system', name: 'test', role: 'admin' };
const SECRET = 'change-tests';
const MINUTE = 60_000;

const fixture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../ingest/fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describeEachDialect('changes use cases', (db) => {
  let ctx: AppContext;
  const base = Math.floor((Date.now() - 3 * 60 * MINUTE) / MINUTE) * MINUTE;
  const at = (minutes: number) => new Date(base + minutes * MINUTE).toISOString();

  beforeAll(async () => {
    ctx = createAppContext(db.database, {
      settings: {
        ...DEFAULT_SETTINGS,
        webhooks: { ...DEFAULT_SETTINGS.webhooks, githubSecret: SECRET, gitlabToken: 't' },
      },
    });
    await createService(ctx, SYSTEM, { name: 'api', tier: 2 });
    await createService(ctx, SYSTEM, { name: 'web', tier: 2, dependencies: ['api'] });
  });

  function github(event: string, payload: unknown) {
    const rawBody = Buffer.from(JSON.stringify(payload));
    const signature = `sha256=${createHmac('sha256', SECRET).update(rawBody).digest('hex')}`;
    return receiveGitHubDelivery(ctx, { rawBody, signature, event, deliveryId: undefined });
  }

  function githubStatus(deploymentId: number, statusId: number, state: string, when: string) {
    const payload = fixture('github/deployment_status.json') as {
      deployment: Record<string, unknown>;
      deployment_status: Record<string, unknown>;
    };
    payload.deployment.id = deploymentId;
    payload.deployment_status = {
      ...payload.deployment_status,
      id: statusId,
      state,
      created_at: when,
      updated_at: when,
    };
    return github('deployment_status', payload);
  }

  it('keeps the newest status whatever order the deliveries arrive in', async () => {
    const success = await githubStatus(9001, 1, 'success', at(5));
    expect(success.outcomes[0]).toMatchObject({ outcome: 'created', change: { status: 'success', at: at(5) } });
    const late = await githubStatus(9001, 2, 'in_progress', at(3));
    expect(late.outcomes[0]).toMatchObject({ outcome: 'updated', change: { status: 'success', at: at(3) } });
    const inactive = await githubStatus(9001, 3, 'inactive', at(40));
    expect(inactive.outcomes[0]).toMatchObject({
      outcome: 'updated',
      change: { status: 'inactive', at: at(3), labels: { status_at: at(40), state: 'inactive' } },
    });
    const stored = await read(ctx).changes.findByDedupeKey('github:deployment:9001');
    expect(stored?.status).toBe('inactive');
  });

  it('breaks a tie between statuses reported at the same instant by how far the deployment got', async () => {
    await githubStatus(9002, 10, 'success', at(8));
    const same = await githubStatus(9002, 11, 'in_progress', at(8));
    expect(same.outcomes[0]).toMatchObject({ outcome: 'unchanged', change: { status: 'success' } });
  });

  it('records one row per GitLab deployment, and one per status when the payload has no deployment id', async () => {
    const running = fixture('gitlab/deployment-running.json');
    delete running.deployment_id;
    delete running.deployable_id;
    const first = await receiveGitLabDelivery(ctx, {
      rawBody: Buffer.from(JSON.stringify(running)),
      token: 't',
      event: 'Deployment Hook',
    });
    const success = { ...running, status: 'success', status_changed_at: '2026-03-14 10:05:12 +0100' };
    const second = await receiveGitLabDelivery(ctx, {
      rawBody: Buffer.from(JSON.stringify(success)),
      token: 't',
      event: 'Deployment Hook',
    });
    expect(first.outcomes[0]?.outcome).toBe('created');
    expect(second.outcomes[0]?.outcome).toBe('created');
    expect(second.outcomes[0]?.change.id).not.toBe(first.outcomes[0]?.change.id);
  });

  it('puts only changes from the day before the incident onwards on its timeline', async () => {
    const incident = await declareIncident(ctx, SYSTEM, {
      title: 'API errors',
      severity: 'SEV2',
      services: ['api'],
      impactStartedAt: at(60),
    });
    const recent = await recordChange(ctx, SYSTEM, { service: 'api', version: 'v2', at: at(50) });
    const old = await recordChange(ctx, SYSTEM, { service: 'api', version: 'v1', at: at(60 - 25 * 60) });
    const events = await read(ctx).timeline.list(incident.id, { kind: ['change'] });
    expect(events.map((e) => e.dedupeKey)).toEqual([`change:${recent.change.id}`]);
    expect(events[0]).toMatchObject({ actor: 'system:test', labels: { service: 'api', change_id: recent.change.id } });
    expect(old.outcome).toBe('created');
  });

  it('names the reference time after what it is, and counts unlabelled alerts for a single-service incident', async () => {
    const incident = await declareIncident(ctx, SYSTEM, {
      title: 'Web slow',
      severity: 'SEV3',
      services: ['web'],
      detectedAt: at(120),
    });
    const deploy = await recordChange(ctx, SYSTEM, { service: 'web', version: 'w7', at: at(112) });
    const apiConfig = await recordChange(ctx, SYSTEM, { service: 'api', kind: 'flag', version: 'f1', at: at(115) });
    let view = await listSuspects(ctx, SYSTEM, incident.key);
    expect(view.reference).toEqual({ at: at(120), label: 'detection' });
    expect(view.items[0]?.explanation).toBe('deploy web w7, 8 min before detection, same service');

    await addTimelineEvent(ctx, SYSTEM, incident.key, { kind: 'alert', title: 'WebLatencyHigh', at: at(120) });
    view = await listSuspects(ctx, SYSTEM, incident.key);
    expect(view.reference.label).toBe('the first alert');
    const [first, second] = view.items;
    expect(first?.change.id).toBe(deploy.change.id);
    expect(first?.errorOnsetAfterMs).toBe(8 * MINUTE);
    expect(second).toMatchObject({ relation: 'dependency', change: { id: apiConfig.change.id } });
    expect(second?.explanation).toBe('flag change api f1, 5 min before the first alert, on api, which web depends on');
  });

  it('treats a delivery that lost the race to another as a later delivery of the same change', async () => {
    const payload = { id: 'race-1', service: 'api', version: 'v3', at: at(1) };
    const results = await Promise.all([recordChange(ctx, SYSTEM, payload), recordChange(ctx, SYSTEM, payload)]);
    expect(new Set(results.map((r) => r.change.id)).size).toBe(1);
    expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'unchanged']);
    const rows = await db.database.db
      .selectFrom('changes')
      .select('id')
      .where('dedupe_key', '=', 'change:race-1')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses viewers and rejects a delivery signed with another secret', async () => {
    const viewer: Principal = { kind: 'token', id: 'v', name: 'viewer', role: 'viewer' };
    await expect(recordChange(ctx, viewer, { service: 'api' })).rejects.toMatchObject({
      code: 'DEBRIEF_ERR_FORBIDDEN',
    });
    const rawBody = Buffer.from('{}');
    await expect(
      receiveGitHubDelivery(ctx, {
        rawBody,
        signature: `sha256=${createHmac('sha256', 'other').update(rawBody).digest('hex')}`,
        event: 'deployment',
        deliveryId: undefined,
      }),
    ).rejects.toMatchObject({ code: 'DEBRIEF_ERR_UNAUTHENTICATED' });
  });

  it('returns the stored change untouched for a retried generic change with other content', async () => {
    const first = await recordChange(ctx, SYSTEM, { id: 'retry-1', service: 'api', version: 'v4', at: at(2) });
    const retry = await recordChange(ctx, SYSTEM, { id: 'retry-1', service: 'api', version: 'v5', diff: '+x\n' });
    expect(retry).toEqual({ outcome: 'unchanged', change: first.change satisfies Change });
  });
});
