import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../app/settings.js';
import type { Database } from '../../store/database.js';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

const SECRET = 'It-s a Secret to Everybody';
const GITLAB_TOKEN = 'gitlab-hook-token-123';

const fixture = (path: string): string =>
  readFileSync(new URL(`../../ingest/fixtures/${path}`, import.meta.url), 'utf8');
const sign = (body: string, secret = SECRET): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

interface Change {
  id: string;
  source: string;
  dedupeKey: string;
  service: string;
  version: string | null;
  status: string | null;
  at: string;
  labels: Record<string, string>;
}
interface Delivery {
  event: string;
  outcomes: { outcome: string; change: Change }[];
}
interface Event {
  kind: string;
  source: string;
  title: string;
  dedupeKey: string | null;
  actor: string | null;
  at: string;
}

/** The shared test API, with the webhook secrets these tests sign with (routes read settings per request). */
async function createWebhookApi(database: Database): Promise<TestApi> {
  const api = await createTestApi(database);
  api.ctx.settings = {
    ...DEFAULT_SETTINGS,
    webhooks: { ...DEFAULT_SETTINGS.webhooks, githubSecret: SECRET, gitlabToken: GITLAB_TOKEN },
  };
  return api;
}

/** Row counts of everything a delivery could write. */
async function counts(database: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['changes', 'artifacts', 'audit_events', 'timeline_events'] as const) {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

describeEachDialect('GitHub deployment webhook', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createWebhookApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  const deliver = (event: string, body: string, headers: Record<string, string> = {}) =>
    api.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/github',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        'x-hub-signature-256': sign(body),
        ...headers,
      },
      payload: body,
    });

  it('records a deployment from the real payload without a bearer token', async () => {
    const body = fixture('github/deployment.json');
    const res = await deliver('deployment', body);
    expect(res.statusCode).toBe(201);
    const delivery = res.json<Delivery>();
    expect(delivery.event).toBe('deployment');
    expect(delivery.outcomes).toHaveLength(1);
    expect(delivery.outcomes[0]).toMatchObject({
      outcome: 'created',
      change: {
        source: 'github',
        dedupeKey: 'github:deployment:145988746',
        kind: 'deploy',
        service: 'Hello-World',
        version: 'master@f95f852',
        environment: 'production',
        author: 'Codertocat',
        status: null,
        at: '2019-05-15T15:20:53.000Z',
      },
    });
  });

  it('updates the same change with the deployment status, keeping when it started', async () => {
    const body = fixture('github/deployment_status.json');
    const res = await deliver('deployment_status', body);
    expect(res.statusCode).toBe(200);
    const [result] = res.json<Delivery>().outcomes;
    expect(result?.outcome).toBe('updated');
    expect(result?.change).toMatchObject({
      dedupeKey: 'github:deployment:145988746',
      status: 'success',
      at: '2019-05-15T15:20:53.000Z',
      labels: { state: 'success', status_at: '2019-05-15T15:20:55.000Z' },
    });
    const list = await api.call('viewer', { method: 'GET', url: '/api/v1/changes?service=Hello-World' });
    expect(list.json<{ items: Change[] }>().items).toHaveLength(1);
  });

  it('answers a re-delivery with the stored change and writes nothing', async () => {
    const before = await counts(db.database);
    for (const [event, file] of [
      ['deployment_status', 'github/deployment_status.json'],
      ['deployment', 'github/deployment.json'],
    ] as const) {
      const res = await deliver(event, fixture(file));
      expect(res.statusCode).toBe(200);
      expect(res.json<Delivery>().outcomes[0]).toMatchObject({ outcome: 'unchanged', change: { status: 'success' } });
    }
    expect(await counts(db.database)).toEqual(before);
  });

  it('answers ping with 200 and records nothing', async () => {
    const before = await counts(db.database);
    const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 42 });
    const res = await deliver('ping', body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ event: 'ping', outcomes: [] });
    expect(await counts(db.database)).toEqual(before);
  });

  it('refuses a wrong or missing signature with 401, writing nothing', async () => {
    const before = await counts(db.database);
    const body = fixture('github/deployment.json').replace('145988746', '145988747');
    const wrong = await deliver('deployment', body, { 'x-hub-signature-256': sign(body, 'not the secret') });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json()).toMatchObject({ code: 'DEBRIEF_ERR_UNAUTHENTICATED' });
    const tampered = await deliver('deployment', body, {
      'x-hub-signature-256': sign(fixture('github/deployment.json')),
    });
    expect(tampered.statusCode).toBe(401);
    const missing = await api.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/github',
      headers: { 'content-type': 'application/json', 'x-github-event': 'deployment' },
      payload: body,
    });
    expect(missing.statusCode).toBe(401);
    expect(missing.json<{ detail: string }>().detail).toMatch(/X-Hub-Signature-256/);
    expect(await counts(db.database)).toEqual(before);
  });

  it('refuses every delivery while no secret is configured', async () => {
    const settings = api.ctx.settings;
    api.ctx.settings = DEFAULT_SETTINGS;
    try {
      const res = await deliver('deployment', fixture('github/deployment.json'));
      expect(res.statusCode).toBe(401);
      expect(res.json<{ detail: string }>().detail).toMatch(/githubSecret/);
    } finally {
      api.ctx.settings = settings;
    }
  });

  it('answers a signed but malformed payload with 400 naming the field, writing nothing', async () => {
    const before = await counts(db.database);
    const payload = JSON.parse(fixture('github/deployment.json')) as { deployment: Record<string, unknown> };
    payload.deployment.id = 1;
    delete payload.deployment.sha;
    const res = await deliver('deployment', JSON.stringify(payload));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'DEBRIEF_ERR_VALIDATION', errors: [{ field: 'deployment.sha' }] });
    const broken = await deliver('deployment', '{"deployment":');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ errors: [{ field: '(body)', message: 'not valid JSON' }] });
    const noEvent = await deliver('', fixture('github/deployment.json'));
    expect(noEvent.statusCode).toBe(400);
    expect(noEvent.json()).toMatchObject({ errors: [{ field: 'X-GitHub-Event' }] });
    expect(await counts(db.database)).toEqual(before);
  });

  it('accepts the form-encoded content type GitHub can be set to', async () => {
    const payload = JSON.parse(fixture('github/deployment.json')) as { deployment: { id: number } };
    payload.deployment.id = 777;
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const res = await deliver('deployment', form, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(201);
    expect(res.json<Delivery>().outcomes[0]?.change.dedupeKey).toBe('github:deployment:777');
  });
});

describeEachDialect('GitLab deployment webhook', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createWebhookApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  const deliver = (body: string, token: string | null = GITLAB_TOKEN) =>
    api.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/gitlab',
      headers: {
        'content-type': 'application/json',
        'x-gitlab-event': 'Deployment Hook',
        ...(token === null ? {} : { 'x-gitlab-token': token }),
      },
      payload: body,
    });

  it('records the running deployment, then its success on the same change', async () => {
    const running = await deliver(fixture('gitlab/deployment-running.json'));
    expect(running.statusCode).toBe(201);
    const created = running.json<Delivery>().outcomes[0]?.change;
    expect(created).toMatchObject({
      source: 'gitlab',
      service: 'checkout',
      status: 'in_progress',
      at: '2026-03-14T09:03:58.000Z',
    });
    const success = await deliver(fixture('gitlab/deployment-success.json'));
    expect(success.statusCode).toBe(200);
    expect(success.json<Delivery>().outcomes[0]).toMatchObject({
      outcome: 'updated',
      change: { id: created?.id, status: 'success', at: '2026-03-14T09:03:58.000Z' },
    });
  });

  it('ignores a late, older status and re-deliveries, writing nothing', async () => {
    const before = await counts(db.database);
    for (const file of ['gitlab/deployment-running.json', 'gitlab/deployment-success.json']) {
      const res = await deliver(fixture(file));
      expect(res.statusCode).toBe(200);
      expect(res.json<Delivery>().outcomes[0]).toMatchObject({ outcome: 'unchanged', change: { status: 'success' } });
    }
    expect(await counts(db.database)).toEqual(before);
  });

  it('refuses a wrong or missing token with 401, writing nothing', async () => {
    const before = await counts(db.database);
    const body = fixture('gitlab/deployment-running.json').replace('1187', '1188');
    expect((await deliver(body, 'gitlab-hook-token-124')).statusCode).toBe(401);
    expect((await deliver(body, null)).statusCode).toBe(401);
    expect(await counts(db.database)).toEqual(before);
  });

  it('answers other hooks with 200 and a malformed deployment with 400 naming the field', async () => {
    const push = await api.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/gitlab',
      headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': GITLAB_TOKEN },
      payload: { object_kind: 'push' },
    });
    expect(push.statusCode).toBe(200);
    expect(push.json<Delivery>().outcomes).toEqual([]);
    const payload = JSON.parse(fixture('gitlab/deployment-running.json')) as Record<string, unknown>;
    payload.status_changed_at = 'yesterday';
    const bad = await deliver(JSON.stringify(payload));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ field: 'status_changed_at' }] });
  });

  it('shows a deploy on the timeline of the open incident of its service, updated as it completes', async () => {
    const impact = new Date(Date.now() - 30 * 60_000);
    const declared = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: 'Checkout errors',
        severity: 'SEV2',
        services: ['checkout'],
        impactStartedAt: impact.toISOString(),
      },
    });
    const key = declared.json<{ key: string }>().key;
    const other = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Payments slow', severity: 'SEV3', services: ['payments'] },
    });
    const hook = (status: string, minutes: number) => {
      const payload = JSON.parse(fixture('gitlab/deployment-running.json')) as Record<string, unknown>;
      payload.deployment_id = 5001;
      payload.status = status;
      payload.status_changed_at = new Date(impact.getTime() + minutes * 60_000).toISOString();
      return JSON.stringify(payload);
    };
    const running = await deliver(hook('running', 5));
    expect(running.statusCode).toBe(201);
    const change = running.json<Delivery>().outcomes[0]?.change;
    const timeline = async (incident: string) =>
      (await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${incident}/timeline?kind=change` })).json<{
        items: Event[];
      }>().items;
    expect(await timeline(key)).toEqual([
      expect.objectContaining({
        kind: 'change',
        source: 'gitlab',
        dedupeKey: `change:${change?.id}`,
        title: 'Deploy checkout 9c1e5b7 to production: running',
        actor: null,
        at: change?.at,
      }),
    ]);
    expect((await deliver(hook('success', 7))).statusCode).toBe(200);
    const [event] = await timeline(key);
    expect(event).toMatchObject({ title: 'Deploy checkout 9c1e5b7 to production: success', at: change?.at });
    expect(await timeline(other.json<{ key: string }>().key)).toEqual([]);
  });
});
