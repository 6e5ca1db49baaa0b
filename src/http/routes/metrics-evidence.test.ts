import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { startPrometheus, type Component } from '../../../test/integration/components.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';
import type { MetricEvidence } from '../../app/metrics-capture.js';
import { parseSettings, type Settings } from '../../app/settings.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors: { field: string; message: string }[];
}

let prometheus: Component;
beforeAll(async () => {
  prometheus = await startPrometheus();
});
afterAll(async () => {
  await prometheus?.stop();
});

const CHECKOUT_QUERIES = [
  { name: 'error ratio', query: 'label_replace(vector(0.02), "service", "$service", "", "")', unit: 'ratio' },
  { name: 'latency p99', query: 'vector(0.35)', unit: 's' },
];

describeEachDialect('metric evidence API', (db) => {
  let api: TestApi;
  let key = '';

  // The routes read the settings per request, so a test can reconfigure Prometheus between calls.
  const configure = (prometheusSettings: unknown): void => {
    api.ctx.settings = parseSettings({ prometheus: prometheusSettings });
  };
  const configured = (): Settings['prometheus'] => ({
    url: prometheus.url,
    marginMinutes: 15,
    queries: { checkout: CHECKOUT_QUERIES },
  });
  const declare = async (payload: Record<string, unknown> = {}): Promise<string> => {
    const res = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: 'Checkout errors',
        severity: 'SEV2',
        services: ['checkout'],
        impactStartedAt: new Date(Date.now() - 45 * 60_000).toISOString(),
        ...payload,
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json<{ key: string }>().key;
  };

  beforeAll(async () => {
    api = await createTestApi(db.database);
    configure(configured());
    key = await declare();
  });
  afterAll(async () => {
    await api.close();
  });

  it('lists nothing before anything was captured', async () => {
    const res = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/metrics` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [] });
  });

  it('captures on request and lists the snapshots for the chart', async () => {
    const captured = await api.call('responder', { method: 'POST', url: `/api/v1/incidents/${key}/metrics/capture` });
    expect(captured.statusCode).toBe(201);
    const items = captured.json<{ items: MetricEvidence[] }>().items;
    expect(items.map((i) => [i.service, i.name, i.unit, i.phase])).toEqual([
      ['checkout', 'error ratio', 'ratio', 'manual'],
      ['checkout', 'latency p99', 's', 'manual'],
    ]);
    const [ratio] = items;
    expect(ratio?.query).toBe('label_replace(vector(0.02), "service", "checkout", "", "")');
    expect(ratio?.series).toHaveLength(1);
    expect(ratio?.series[0]?.metric).toEqual({ service: 'checkout' });
    expect(ratio?.series[0]?.points.length).toBeGreaterThan(200);
    expect(ratio?.series[0]?.points[0]).toEqual([ratio?.window.start, 0.02]);
    expect(ratio?.artifactId).toMatch(/^[0-9a-f]{64}$/);

    const listed = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/metrics` });
    expect(listed.json<{ items: MetricEvidence[] }>().items).toEqual(items);

    const timeline = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/timeline?kind=metric` });
    const events = timeline.json<{
      items: { id: string; artifactId: string | null; source: string; title: string }[];
    }>().items;
    expect(events.map((e) => [e.id, e.artifactId, e.source])).toEqual(
      items.map((i) => [i.eventId, i.artifactId, 'prometheus']),
    );
    expect(events[0]?.title).toMatch(/^error ratio \(checkout\): captured 1h( 0\dm)?, 1 series$/);
  });

  it('lets only responders and up capture, and hides private incidents from non-members', async () => {
    const viewer = await api.call('viewer', { method: 'POST', url: `/api/v1/incidents/${key}/metrics/capture` });
    expect(viewer.statusCode).toBe(403);
    const secret = await declare({ visibility: 'private', title: 'Private checkout errors' });
    for (const [method, path] of [
      ['GET', 'metrics'],
      ['POST', 'metrics/capture'],
    ] as const) {
      const res = await api.call('reviewer', { method, url: `/api/v1/incidents/${secret}/${path}` });
      expect(res.statusCode, `${method} ${path}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const own = await api.call('responder', { method: 'POST', url: `/api/v1/incidents/${secret}/metrics/capture` });
    expect(own.statusCode).toBe(201);
    const missing = await api.call('viewer', { method: 'GET', url: '/api/v1/incidents/INC-9999/metrics' });
    expect(missing.statusCode).toBe(404);
  });

  it('answers 422 when Prometheus is not configured, or has no queries for the services', async () => {
    try {
      configure({ queries: { checkout: CHECKOUT_QUERIES } });
      const unset = await api.call('responder', { method: 'POST', url: `/api/v1/incidents/${key}/metrics/capture` });
      expect(unset.statusCode).toBe(422);
      expect(unset.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(unset.json<Problem>()).toMatchObject({
        type: 'https://debrief.dev/problems/prometheus-not-configured',
        title: 'Prometheus capture is not configured',
        code: 'DEBRIEF_ERR_NOT_CONFIGURED',
        status: 422,
        detail: expect.stringMatching(/prometheus\.url/) as unknown,
      });

      configure({ ...configured(), queries: { search: CHECKOUT_QUERIES } });
      const none = await api.call('responder', { method: 'POST', url: `/api/v1/incidents/${key}/metrics/capture` });
      expect(none.statusCode).toBe(422);
      expect(none.json<Problem>().detail).toMatch(/no Prometheus queries are configured for the services of INC-\d+/);
    } finally {
      configure(configured());
    }
  });

  it('answers 502 naming the failed query when Prometheus fails, keeping the ones that worked', async () => {
    const incident = await declare({ title: 'Partial' });
    try {
      configure({
        ...configured(),
        queries: { checkout: [CHECKOUT_QUERIES[0], { name: 'broken', query: 'rate(x[5m]' }] },
      });
      const res = await api.call('responder', { method: 'POST', url: `/api/v1/incidents/${incident}/metrics/capture` });
      expect(res.statusCode).toBe(502);
      const body = res.json<Problem>();
      expect(body).toMatchObject({
        type: 'https://debrief.dev/problems/prometheus-failed',
        code: 'DEBRIEF_ERR_UPSTREAM',
        status: 502,
        errors: [
          { field: 'prometheus.queries.checkout', message: expect.stringMatching(/^broken: .*bad_data/) as unknown },
        ],
      });
      expect(body.detail).toMatch(/failed for 1 of 2 queries \(1 captured\)/);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.js:\d+/);
      const listed = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${incident}/metrics` });
      expect(listed.json<{ items: MetricEvidence[] }>().items.map((i) => i.name)).toEqual(['error ratio']);

      configure({ ...configured(), url: 'http://127.0.0.1:9' });
      const down = await api.call('responder', {
        method: 'POST',
        url: `/api/v1/incidents/${incident}/metrics/capture`,
      });
      expect(down.statusCode).toBe(502);
      expect(down.json<Problem>().detail).toMatch(/unreachable/);
    } finally {
      configure(configured());
    }
  });

  it('documents both routes in the OpenAPI document', async () => {
    const res = await api.call(null, { method: 'GET', url: '/api/v1/openapi.json' });
    const paths = res.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    expect(Object.keys(paths['/api/v1/incidents/{key}/metrics'] ?? {})).toContain('get');
    expect(Object.keys(paths['/api/v1/incidents/{key}/metrics/capture'] ?? {})).toContain('post');
  });
});
