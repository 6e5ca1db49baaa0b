import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';
import type { Database } from '../../store/database.js';
import { fixtureJson, fixtureText } from '../../ingest/fixtures/load.js';
import { WEBHOOK_BODY_LIMIT } from './alert-webhooks.js';

interface Summary {
  accepted: number;
  incidents: string[];
  declared: string[];
  deduplicated: number;
  suppressed: number;
  ignored: number;
}

interface Event {
  kind: string;
  source: string;
  title: string;
  at: string;
  count: number;
  marker: string | null;
}

interface Incident {
  key: string;
  severity: string;
  services: string[];
  impactStartedAt: string;
  detectedAt: string;
  acknowledgedAt: string | null;
  timeline: Event[];
}

const json = { 'content-type': 'application/json' };
const AM = '/api/v1/webhooks/alertmanager';
const PD = '/api/v1/webhooks/pagerduty';
const SECRET = 'pd-subscription-secret';

const sign = (body: string, secret = SECRET) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** Row counts of everything a delivery may write. */
async function footprint(database: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['signals', 'incidents', 'timeline_events', 'audit_events'] as const) {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    out[table] = Number(row?.n ?? 0);
  }
  return out;
}

describeEachDialect('alert webhooks API', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
    api.ctx.settings = {
      ...api.ctx.settings,
      webhooks: { ...api.ctx.settings.webhooks, pagerdutySecrets: ['an-old-secret', SECRET] },
    };
  });
  afterAll(async () => {
    await api.close();
  });

  const incident = async (key: string) =>
    (await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}?include=timeline` })).json<Incident>();

  let key = '';

  it('declares a SEV2 incident from an Alertmanager notification sent with a responder token', async () => {
    const res = await api.call('responder', {
      method: 'POST',
      url: AM,
      headers: json,
      payload: fixtureText('alertmanager/firing.json'),
    });
    expect(res.statusCode).toBe(200);
    const summary = res.json<Summary>();
    expect(summary).toMatchObject({ accepted: 2, deduplicated: 0, suppressed: 0 });
    key = summary.declared[0] ?? '';
    const declared = await incident(key);
    expect(declared).toMatchObject({
      severity: 'SEV2',
      services: ['checkout'],
      impactStartedAt: '2026-03-14T09:12:31.000Z',
      detectedAt: '2026-03-14T09:12:31.000Z',
    });
    expect(declared.timeline.filter((e) => e.kind === 'alert')).toMatchObject([
      { source: 'alertmanager', count: 2, marker: 'detected', at: '2026-03-14T09:12:31.000Z' },
    ]);
  });

  it('answers a re-send with the same incident and writes no timeline row', async () => {
    const before = await incident(key);
    const res = await api.call('responder', {
      method: 'POST',
      url: AM,
      headers: json,
      payload: fixtureText('alertmanager/firing.json'),
    });
    expect(res.json<Summary>()).toMatchObject({ deduplicated: 2, declared: [], incidents: [key] });
    expect((await incident(key)).timeline).toEqual(before.timeline);
  });

  it('takes Grafana notifications and attaches the warning to the open incident of its service', async () => {
    const res = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/webhooks/grafana',
      headers: json,
      payload: fixtureText('grafana/firing.json'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Summary>()).toMatchObject({ declared: [], incidents: [key] });
  });

  it('refuses a wrong or missing bearer token (401) and a viewer token (403), writing nothing', async () => {
    const before = await footprint(db.database);
    const payload = fixtureText('alertmanager/resolved.json');
    const wrong = await api.app.inject({
      method: 'POST',
      url: AM,
      headers: { ...json, authorization: 'Bearer dbf_not-a-token' },
      payload,
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    const missing = await api.app.inject({ method: 'POST', url: AM, headers: json, payload });
    expect(missing.statusCode).toBe(401);
    const viewer = await api.call('viewer', { method: 'POST', url: AM, headers: json, payload });
    expect(viewer.statusCode).toBe(403);
    expect(await footprint(db.database)).toEqual(before);
  });

  it('refuses a malformed payload with 400 naming the field, writing nothing', async () => {
    const before = await footprint(db.database);
    const payload = fixtureJson<{ alerts: { startsAt: string }[] }>('alertmanager/firing.json');
    const second = payload.alerts[1];
    if (second) second.startsAt = 'yesterday';
    const res = await api.call('responder', {
      method: 'POST',
      url: AM,
      headers: json,
      payload: JSON.stringify(payload),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'DEBRIEF_ERR_VALIDATION', errors: [{ field: 'alerts[1].startsAt' }] });
    const broken = await api.call('responder', { method: 'POST', url: AM, headers: json, payload: '{"version":"4",' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ errors: [{ field: '(body)', message: 'not valid JSON' }] });
    const wrongVersion = await api.call('responder', {
      method: 'POST',
      url: AM,
      headers: json,
      payload: JSON.stringify({ ...fixtureJson('alertmanager/firing.json'), version: '3' }),
    });
    expect(wrongVersion.json()).toMatchObject({
      errors: [{ field: 'version', message: 'Invalid input: expected "4"' }],
    });
    expect(await footprint(db.database)).toEqual(before);
  });

  it('refuses a body over the webhook limit with 413, and accepts one above the API-wide 1 MiB', async () => {
    const before = await footprint(db.database);
    const huge = JSON.stringify({ padding: 'x'.repeat(WEBHOOK_BODY_LIMIT) });
    const res = await api.call('responder', { method: 'POST', url: AM, headers: json, payload: huge });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'DEBRIEF_ERR_PAYLOAD_TOO_LARGE' });
    expect(await footprint(db.database)).toEqual(before);
    const payload = fixtureJson<{ alerts: { annotations: Record<string, string> }[] }>('alertmanager/firing.json');
    for (const a of payload.alerts) a.annotations.description = 'd'.repeat(700_000);
    const big = await api.call('responder', {
      method: 'POST',
      url: AM,
      headers: json,
      payload: JSON.stringify(payload),
    });
    expect(big.statusCode).toBe(200);
  });

  it('refuses a PagerDuty delivery with a bad or missing signature, writing nothing', async () => {
    const before = await footprint(db.database);
    const body = fixtureText('pagerduty/incident-triggered.json');
    const bad = await api.app.inject({
      method: 'POST',
      url: PD,
      headers: { ...json, 'x-pagerduty-signature': sign(body, 'guessed') },
      payload: body,
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: 'DEBRIEF_ERR_UNAUTHENTICATED' });
    const missing = await api.app.inject({ method: 'POST', url: PD, headers: json, payload: body });
    expect(missing.statusCode).toBe(401);
    const tampered = await api.app.inject({
      method: 'POST',
      url: PD,
      headers: { ...json, 'x-pagerduty-signature': sign(body) },
      payload: body.replace('P1', 'P5'),
    });
    expect(tampered.statusCode).toBe(401);
    expect(await footprint(db.database)).toEqual(before);
  });

  it('refuses every PagerDuty delivery while no secret is configured', async () => {
    const settings = api.ctx.settings;
    api.ctx.settings = { ...settings, webhooks: { ...settings.webhooks, pagerdutySecrets: [] } };
    try {
      const body = fixtureText('pagerduty/incident-triggered.json');
      const res = await api.app.inject({
        method: 'POST',
        url: PD,
        headers: { ...json, 'x-pagerduty-signature': sign(body) },
        payload: body,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json<{ detail: string }>().detail).toMatch(/no PagerDuty webhook secret/);
    } finally {
      api.ctx.settings = settings;
    }
  });

  it('declares from a signed PagerDuty trigger and records the acknowledgement', async () => {
    const deliver = (name: string) => {
      const body = fixtureText(`pagerduty/${name}`);
      return api.app.inject({
        method: 'POST',
        url: PD,
        headers: { ...json, 'x-pagerduty-signature': `v1=deadbeef, ${sign(body)}` },
        payload: body,
      });
    };
    const triggered = await deliver('incident-triggered.json');
    expect(triggered.statusCode).toBe(200);
    const pdKey = triggered.json<Summary>().declared[0] ?? '';
    expect(pdKey).toMatch(/^INC-\d+$/);
    expect((await deliver('incident-acknowledged.json')).json<Summary>().incidents).toEqual([pdKey]);
    expect((await deliver('service-updated.json')).json<Summary>()).toMatchObject({ accepted: 0, incidents: [] });
    const pd = await incident(pdKey);
    expect(pd.acknowledgedAt).toBe('2026-03-14T09:16:02.118Z');
    expect(pd.timeline.filter((e) => e.kind === 'page').map((e) => e.marker)).toEqual(['detected', 'acknowledged']);
  });

  it('lists alert signals and the alert-to-incident ratio', async () => {
    const list = await api.call('viewer', { method: 'GET', url: '/api/v1/alerts?status=firing&source=alertmanager' });
    expect(list.statusCode).toBe(200);
    const items = list.json<{ items: { incident: string | null; deliveries: number }[] }>().items;
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.every((s) => s.incident === key)).toBe(true);
    const stats = await api.call('viewer', {
      method: 'GET',
      url: '/api/v1/alerts/stats?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z',
    });
    expect(stats.statusCode).toBe(200);
    expect(stats.json()).toMatchObject({ signals: 5, incidents: 2, ratio: 2.5 });
    const bad = await api.call('viewer', {
      method: 'GET',
      url: '/api/v1/alerts/stats?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z',
    });
    expect(bad.json()).toMatchObject({ errors: [{ field: 'from' }] });
    const unknown = await api.call('viewer', { method: 'GET', url: '/api/v1/alerts?incident=INC-999' });
    expect(unknown.statusCode).toBe(404);
  });

  it('documents the receivers in the OpenAPI document', async () => {
    const doc = await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const paths = Object.keys(doc.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toEqual(
      expect.arrayContaining([AM, '/api/v1/webhooks/grafana', PD, '/api/v1/alerts', '/api/v1/alerts/stats']),
    );
  });
});

describeEachDialect('alert storm', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  const GROUP = '{}/{severity="critical"}:{namespace="shop"}';
  const NAMES = ['KubePodCrashLooping', 'KubePodNotReady', 'KubeContainerWaiting'];

  /** Alerts `from`..`from + n` of one group, three alert names, each its own pod. */
  function storm(from: number, n: number): string {
    const alerts = Array.from({ length: n }, (_, k) => {
      const i = from + k;
      const startsAt = new Date(Date.UTC(2026, 2, 14, 9, 0, 0) + i * 10).toISOString();
      return {
        status: 'firing',
        labels: {
          alertname: NAMES[i % NAMES.length],
          service: 'payments',
          severity: 'critical',
          namespace: 'shop',
          pod: `payments-${i}`,
        },
        annotations: { summary: `pod payments-${i} is unhealthy` },
        startsAt,
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint: i.toString(16).padStart(16, '0'),
      };
    });
    return JSON.stringify({
      version: '4',
      groupKey: GROUP,
      status: 'firing',
      receiver: 'debrief',
      groupLabels: { namespace: 'shop' },
      commonLabels: { namespace: 'shop', service: 'payments', severity: 'critical' },
      commonAnnotations: {},
      alerts,
    });
  }

  it('folds 10,000 alerts of one group into one incident with a handful of timeline rows', async () => {
    const deliver = (payload: string) => api.call('responder', { method: 'POST', url: AM, headers: json, payload });
    const first = await deliver(storm(0, 5_000));
    expect(first.statusCode).toBe(200);
    const second = await deliver(storm(5_000, 5_000));
    expect(second.statusCode).toBe(200);
    const declared = first.json<Summary>().declared;
    expect(declared).toHaveLength(1);
    expect(second.json<Summary>()).toMatchObject({ declared: [], incidents: declared, accepted: 5_000 });
    const again = await deliver(storm(0, 5_000));
    expect(again.json<Summary>()).toMatchObject({ deduplicated: 5_000 });

    const incidents = await db.database.db.selectFrom('incidents').select('key').execute();
    expect(incidents.map((i) => i.key)).toEqual(declared);
    const timeline = (
      await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${declared[0]}/timeline` })
    ).json<{ items: Event[] }>().items;
    expect(timeline.length).toBeLessThanOrEqual(6);
    const alerts = timeline.filter((e) => e.kind === 'alert');
    expect(alerts).toHaveLength(3);
    expect(alerts.reduce((sum, e) => sum + e.count, 0)).toBe(10_000);
    expect(alerts.find((e) => e.marker === 'detected')?.at).toBe('2026-03-14T09:00:00.000Z');
    const signals = await db.database.db
      .selectFrom('signals')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('deliveries').as('deliveries')])
      .executeTakeFirst();
    expect(Number(signals?.n)).toBe(10_000);
    expect(Number(signals?.deliveries)).toBe(15_000);
  });
});
