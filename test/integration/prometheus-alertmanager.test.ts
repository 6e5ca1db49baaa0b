/**
 * The real chain: a service (served by this test) is scraped by a real Prometheus, whose alert rule fires into a real
 * Alertmanager, whose webhook reaches a real, built `debrief serve`, which declares an incident and captures the
 * metrics from that same Prometheus as evidence. `npm test` builds first (pretest); this file starts what is in
 * `dist/` and builds nothing itself.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  missingComponents,
  startAlertmanager,
  startDebrief,
  startPrometheus,
  startScrapeTarget,
  waitFor,
  type Component,
  type DebriefServer,
  type ScrapeTarget,
} from './components.js';

interface Incident {
  key: string;
  status: string;
  services: string[];
  declaredBy: string;
}
interface TimelineEvent {
  id: string;
  kind: string;
  source: string;
  title: string;
  body: string;
  labels: Record<string, string>;
  artifactId: string | null;
}
interface Evidence {
  eventId: string;
  artifactId: string;
  service: string;
  name: string;
  phase: string;
  query: string;
  window: { start: string; end: string; stepSeconds: number };
  series: { metric: Record<string, string>; points: [string, number | null][] }[];
}

const REQUESTS_BY_CODE = 'requests by code';
const RULES = `groups:
  - name: checkout
    rules:
      - alert: CheckoutErrors
        expr: sum(rate(checkout_http_requests_total{code="500"}[5s])) > 0
        for: 0s
        labels:
          severity: critical
          service: checkout
        annotations:
          summary: Checkout answers 500 to some requests
`;

describe('Prometheus → Alertmanager → debrief serve (real components)', () => {
  const started: { stop(): Promise<void> }[] = [];
  let target: ScrapeTarget;
  let debrief: DebriefServer;
  let alertmanager: Component;
  let prometheus: Component;
  const t0 = Date.now();
  const timings: Record<string, string> = {};
  const mark = (what: string): void => {
    timings[what] = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  };

  const api = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${debrief.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${debrief.token}`, 'content-type': 'application/json', ...init.headers },
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  /** Every component's recent output and Prometheus's and Alertmanager's view of the alert, for failure messages. */
  const diagnostics = async (): Promise<string> => {
    const grab = async (url: string) => {
      try {
        return (await (await fetch(url)).text()).slice(0, 2_000);
      } catch (error) {
        return String(error);
      }
    };
    return [
      `timings: ${JSON.stringify(timings)}`,
      `prometheus alerts: ${await grab(`${prometheus.url}/api/v1/alerts`)}`,
      `alertmanager alerts: ${await grab(`${alertmanager.url}/api/v2/alerts`)}`,
      `--- alertmanager output:\n${alertmanager.output().slice(-3_000)}`,
      `--- prometheus output:\n${prometheus.output().slice(-2_000)}`,
      `--- debrief output:\n${debrief.output().slice(-6_000)}`,
    ].join('\n');
  };

  /** The same range query straight from Prometheus, as [ISO time, number] pairs. */
  const direct = async (query: string, window: Evidence['window']) => {
    const params = new URLSearchParams({
      query,
      start: String(Date.parse(window.start) / 1000),
      end: String(Date.parse(window.end) / 1000),
      step: String(window.stepSeconds),
    });
    const response = await fetch(`${prometheus.url}/api/v1/query_range?${params.toString()}`);
    const body = (await response.json()) as {
      data: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    return body.data.result.map((s) => ({
      metric: s.metric,
      points: s.values.map(([t, v]): [string, number] => [new Date(t * 1000).toISOString(), Number(v)]),
    }));
  };

  /** Points old enough that no scrape still in flight at capture time could add to them. */
  const settled = (series: Evidence['series'], window: Evidence['window']) =>
    series.map((s) => ({
      metric: s.metric,
      points: s.points.filter(([t]) => Date.parse(t) <= Date.parse(window.end) - 5_000),
    }));

  beforeAll(async () => {
    const missing = missingComponents();
    if (missing) throw new Error(`cannot run the real-components test; missing: ${missing}`);

    target = await startScrapeTarget({ '200': 20, '500': 0 });
    started.push(target);
    // Debrief must know Prometheus's URL at start, and Prometheus must know Alertmanager's, which must know Debrief's.
    const prometheusPort = await freePort();
    let alertmanagerToken = '';
    debrief = await startDebrief({
      settings: {
        prometheus: {
          url: `http://127.0.0.1:${prometheusPort}`,
          marginMinutes: 1,
          queries: {
            checkout: [
              {
                name: REQUESTS_BY_CODE,
                query: 'sum by (code) (rate(${service}_http_requests_total[5s]))',
                unit: 'req/s',
              },
            ],
            '*': [{ name: 'scrape health', query: 'up{job="checkout"}' }],
          },
        },
      },
      prepare: async (cli) => {
        await cli(['service', 'create', '--name', 'checkout']);
        await cli(['service', 'create', '--name', 'payments']);
        const created = JSON.parse(
          await cli(['token', 'create', '--name', 'am', '--role', 'responder', '--format', 'json']),
        ) as { token: string };
        alertmanagerToken = created.token;
      },
    });
    started.push(debrief);
    mark('debrief serve ready');
    alertmanager = await startAlertmanager({
      webhookUrl: `${debrief.url}/api/v1/webhooks/alertmanager`,
      bearerToken: alertmanagerToken,
    });
    started.push(alertmanager);
    mark('alertmanager ready');
    prometheus = await startPrometheus({
      port: prometheusPort,
      scrape: { job: 'checkout', targets: [target.address] },
      rules: RULES,
      alertmanager: new URL(alertmanager.url).host,
    });
    started.push(prometheus);
    mark('prometheus ready');
  });

  afterAll(async () => {
    for (const component of started.reverse()) await component.stop().catch(() => undefined);
    console.info(`[real components] timings since start: ${JSON.stringify(timings)}`);
  });

  it('captures what Prometheus scraped when asked, identical to querying Prometheus directly', async () => {
    // Range queries evaluate at multiples of the step (15 s here), and rate() needs two samples before such an
    // instant: wait until both queries have a point, as the captures will need.
    for (const query of ['up{job="checkout"}', 'sum by (code) (rate(checkout_http_requests_total[5s]))']) {
      await waitFor(
        `Prometheus to have a 15 s step point for ${query}`,
        async () => {
          const end = Date.now();
          const start = Math.floor((end - 60_000) / 15_000) * 15_000;
          const window = { start: new Date(start).toISOString(), end: new Date(end).toISOString(), stepSeconds: 15 };
          const series = await direct(query, window);
          return series.some((s) => s.points.length > 0) ? true : undefined;
        },
        { timeoutMs: 45_000, intervalMs: 500 },
      );
    }
    mark('scraped data queryable');

    const declared = await api<Incident>('/api/v1/incidents', {
      method: 'POST',
      body: JSON.stringify({
        title: 'Payments slow',
        severity: 'SEV3',
        services: ['payments'],
        impactStartedAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    });
    expect(declared.status).toBe(201);
    const key = declared.body.key;
    const captured = await api<{ items: Evidence[] }>(`/api/v1/incidents/${key}/metrics/capture`, {
      method: 'POST',
      body: '{}',
    });
    expect(captured.status, JSON.stringify(captured.body)).toBe(201);
    const [health] = captured.body.items;
    expect(health).toMatchObject({ service: 'payments', name: 'scrape health', phase: 'manual' });
    expect(health?.series.map((s) => s.metric)).toEqual([
      { __name__: 'up', instance: target.address, job: 'checkout' },
    ]);
    expect(health?.series[0]?.points.some(([, v]) => v === 1)).toBe(true);
    if (health) {
      expect(settled(health.series, health.window)).toEqual(
        settled(await direct(health.query, health.window), health.window),
      );
    }
    mark('manual capture checked');

    const resolved = await api<Incident>(`/api/v1/incidents/${key}/status`, {
      method: 'POST',
      body: JSON.stringify({ status: 'resolved' }),
    });
    expect(resolved.status).toBe(200);
  }, 90_000);

  it('declares an incident from the firing alert, with the alert and the captured metrics on its timeline', async () => {
    target.setRate('500', 5);
    mark('errors start');

    const incident = await waitFor(
      'an incident declared for checkout from the CheckoutErrors alert',
      async () => {
        const list = await api<{ items: Incident[] }>('/api/v1/incidents?service=checkout');
        return list.body.items.find((i) => i.services.includes('checkout'));
      },
      { timeoutMs: 60_000, intervalMs: 500, describe: () => 'see the diagnostics below' },
    ).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}\n${await diagnostics()}`);
    });
    mark('incident declared');

    const timeline = await waitFor(
      `the alert and a linked metric snapshot on ${incident.key}`,
      async () => {
        const events = (await api<{ items: TimelineEvent[] }>(`/api/v1/incidents/${incident.key}/timeline`)).body.items;
        const alert = events.find(
          (e) => e.kind === 'alert' && JSON.stringify([e.title, e.body, e.labels]).includes('CheckoutErrors'),
        );
        const metric = events.find(
          (e) => e.kind === 'metric' && e.labels.query === REQUESTS_BY_CODE && e.artifactId !== null,
        );
        return alert && metric ? { alert, metric } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    ).catch(async (error: unknown) => {
      throw new Error(`${(error as Error).message}\n${await diagnostics()}`);
    });
    mark('alert and metrics on the timeline');
    expect(timeline.metric).toMatchObject({ source: 'prometheus', labels: { service: 'checkout', phase: 'declare' } });

    const evidence = (await api<{ items: Evidence[] }>(`/api/v1/incidents/${incident.key}/metrics`)).body.items;
    const requests = evidence.find((e) => e.eventId === timeline.metric.id);
    expect(requests).toMatchObject({
      artifactId: timeline.metric.artifactId,
      service: 'checkout',
      name: REQUESTS_BY_CODE,
      query: 'sum by (code) (rate(checkout_http_requests_total[5s]))',
    });
    if (!requests) return;
    expect(requests.series.map((s) => s.metric.code)).toContain('200');
    expect(requests.series.find((s) => s.metric.code === '200')?.points.some(([, v]) => (v ?? 0) > 0)).toBe(true);
    expect(settled(requests.series, requests.window)).toEqual(
      settled(await direct(requests.query, requests.window), requests.window),
    );

    // The stored artifact itself: addressed by the sha256 of its bytes, holding Prometheus's own result.
    const raw = await fetch(`${debrief.url}/api/v1/artifacts/${requests.artifactId}`, {
      headers: { authorization: `Bearer ${debrief.token}` },
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/^application\/vnd\.debrief\.prometheus-range\+json/);
    const bytes = Buffer.from(await raw.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(requests.artifactId);
    const snapshot = JSON.parse(bytes.toString('utf8')) as {
      query: string;
      prometheusUrl: string;
      result: { metric: Record<string, string>; values: [number, string][] }[];
    };
    expect(snapshot.prometheusUrl).toBe(prometheus.url);
    expect(snapshot.query).toBe(requests.query);
    expect(snapshot.result.map((s) => s.metric)).toEqual(requests.series.map((s) => s.metric));
  }, 120_000);
});
