import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import { freePort, startPrometheus, type Component } from '../../test/integration/components.js';
import type { Principal } from '../domain/types.js';
import { createService } from './catalog.js';
import { createAppContext, read, type AppContext } from './context.js';
import { changeIncidentStatus, declareIncident } from './incidents.js';
import {
  captureMetricEvidence,
  captureWindow,
  createPrometheusClient,
  listMetricEvidence,
  MAX_POINTS,
  parseRangeResponse,
  plannedQueries,
  PROMETHEUS_RANGE_MEDIA_TYPE,
  PrometheusError,
  PrometheusNotConfiguredError,
  substituteService,
  type MetricSnapshot,
  type PrometheusClient,
} from './metrics-capture.js';
import { parseSettings, type Settings } from './settings.js';

const SYSTEM: Principal = { kind: 'system', name: 'test', role: 'admin' };
const at = (iso: string) => new Date(iso);

describe('capture window', () => {
  it('spans impact start minus the margin to resolution plus the margin', () => {
    const window = captureWindow(
      {
        impactStartedAt: '2026-01-01T10:00:00.000Z',
        detectedAt: '2026-01-01T10:04:00.000Z',
        declaredAt: '2026-01-01T10:05:00.000Z',
        resolvedAt: '2026-01-01T11:00:00.000Z',
      },
      at('2026-01-02T00:00:00Z'),
      30,
    );
    expect(window).toEqual({ start: at('2026-01-01T09:30:00Z'), end: at('2026-01-01T11:30:00Z'), stepSeconds: 30 });
  });

  it('falls back to detection, then declaration, and ends now while the incident is open', () => {
    const now = at('2026-01-01T10:20:00Z');
    const detected = captureWindow(
      {
        impactStartedAt: null,
        detectedAt: '2026-01-01T10:02:07.000Z',
        declaredAt: '2026-01-01T10:05:00.000Z',
        resolvedAt: null,
      },
      now,
      30,
    );
    expect(detected).toEqual({ start: at('2026-01-01T09:32:00Z'), end: now, stepSeconds: 15 });
    const declared = captureWindow(
      { impactStartedAt: null, detectedAt: null, declaredAt: '2026-01-01T10:05:00.000Z', resolvedAt: null },
      now,
      0,
    );
    expect(declared).toEqual({ start: at('2026-01-01T10:05:00Z'), end: now, stepSeconds: 15 });
  });

  it('never reaches into the future, where Prometheus would only repeat the last samples', () => {
    const now = at('2026-01-01T11:05:00Z');
    const window = captureWindow(
      {
        impactStartedAt: '2026-01-01T10:00:00.000Z',
        detectedAt: null,
        declaredAt: '2026-01-01T10:00:00.000Z',
        resolvedAt: '2026-01-01T11:00:00.000Z',
      },
      now,
      30,
    );
    expect(window.end).toEqual(now);
  });

  it(`keeps every window at ${MAX_POINTS} points or fewer with a round step of at least 15 s`, () => {
    const now = at('2026-06-01T00:00:07.250Z');
    for (const minutes of [0, 1, 59, 74, 75, 76, 600, 1_440, 4_321, 43_200, 600_000]) {
      const start = new Date(now.getTime() - minutes * 60_000).toISOString();
      const window = captureWindow(
        { impactStartedAt: start, detectedAt: null, declaredAt: start, resolvedAt: null },
        now,
        0,
      );
      const stepMs = window.stepSeconds * 1000;
      const points = Math.floor((window.end.getTime() - window.start.getTime()) / stepMs) + 1;
      expect(window.stepSeconds).toBeGreaterThanOrEqual(15);
      expect(points, `${minutes} min`).toBeLessThanOrEqual(MAX_POINTS);
      expect(window.start.getTime() % stepMs, `${minutes} min`).toBe(0);
      expect(window.start.getTime()).toBeLessThanOrEqual(Date.parse(start));
    }
  });
});

describe('queries for an incident', () => {
  it('substitutes $service and ${service}, and leaves longer variables alone', () => {
    expect(substituteService('rate(x{service="$service",svc="${service}"}[5m]) / $service_total', 'checkout')).toBe(
      'rate(x{service="checkout",svc="checkout"}[5m]) / $service_total',
    );
  });

  it("runs each service's own queries, then the * ones it does not override by name", () => {
    const planned = plannedQueries(
      {
        queries: {
          checkout: [{ name: 'error ratio', query: 'errors{service="$service"}', unit: 'ratio' }],
          '*': [
            { name: 'error ratio', query: 'generic_errors{service="$service"}' },
            { name: 'latency p99', query: 'p99{service="$service"}', unit: 's' },
          ],
        },
      },
      ['checkout', 'payments'],
    );
    expect(planned).toEqual([
      {
        service: 'checkout',
        name: 'error ratio',
        unit: 'ratio',
        template: 'errors{service="$service"}',
        query: 'errors{service="checkout"}',
      },
      {
        service: 'checkout',
        name: 'latency p99',
        unit: 's',
        template: 'p99{service="$service"}',
        query: 'p99{service="checkout"}',
      },
      {
        service: 'payments',
        name: 'error ratio',
        unit: null,
        template: 'generic_errors{service="$service"}',
        query: 'generic_errors{service="payments"}',
      },
      {
        service: 'payments',
        name: 'latency p99',
        unit: 's',
        template: 'p99{service="$service"}',
        query: 'p99{service="payments"}',
      },
    ]);
  });
});

describe('query_range response validation', () => {
  const url = 'http://prometheus.test';

  it('returns the series of a matrix result and its warnings', () => {
    const body = {
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { code: '500' },
            values: [
              [1767261600, '0.5'],
              [1767261615, 'NaN'],
            ],
          },
        ],
      },
      warnings: ['partial response'],
    };
    expect(parseRangeResponse(200, JSON.stringify(body), url)).toEqual({
      result: [
        {
          metric: { code: '500' },
          values: [
            [1767261600, '0.5'],
            [1767261615, 'NaN'],
          ],
        },
      ],
      warnings: ['partial response'],
    });
  });

  it.each([
    [
      400,
      '{"status":"error","errorType":"bad_data","error":"1:5: parse error"}',
      /answered 400 \(bad_data: 1:5: parse error\)/,
    ],
    [
      200,
      '{"status":"error","errorType":"timeout","error":"query timed out"}',
      /answered 200 \(timeout: query timed out\)/,
    ],
    [
      503,
      '<html><body>Service Unavailable</body></html>',
      /answered 503 with a body that is not JSON: <html><body>Service/,
    ],
    [502, '', /answered 502 with a body that is not JSON$/],
    [500, '{"message":"oops"}', /answered 500 \(no error message\)/],
    [200, '{"status":"success","data":{"resultType":"vector","result":[]}}', /data\.resultType: must be "matrix"/],
    [
      200,
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["x","1"]]}]}}',
      /data\.result\[0\]\.values\[0\]\[0\]/,
    ],
    [200, '{"status":"success","data":{"resultType":"matrix","result":[{"values":[]}]}}', /data\.result\[0\]\.metric/],
  ])('rejects a %i answer %s', (status, text, message) => {
    let thrown: unknown;
    try {
      parseRangeResponse(status, text, url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PrometheusError);
    expect((thrown as PrometheusError).message).toMatch(message);
    expect((thrown as PrometheusError).status).toBe(status);
  });
});

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
}

/** Replays documented query_range answers, or whatever a test tells it to, and records the requests. */
async function replayServer(
  answer: (form: URLSearchParams) => { status: number; body: string; delayMs?: number },
): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const form = new URLSearchParams(text);
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, form });
      const { status, body, delayMs } = answer(form);
      setTimeout(() => response.writeHead(status, { 'content-type': 'application/json' }).end(body), delayMs ?? 0);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

describe('Prometheus HTTP client', () => {
  const range = { query: 'up', start: at('2026-01-01T10:00:00Z'), end: at('2026-01-01T10:30:00Z'), stepSeconds: 15 };

  it('posts the range query as a form, keeps a path prefix, and sends URL credentials as basic auth only', async () => {
    const server = await replayServer(() => ({
      status: 200,
      body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }),
    }));
    try {
      const client = createPrometheusClient(server.url.replace('http://', 'http://ops:s3cret%21@') + '/prometheus/');
      expect(client.url).toBe(`${server.url}/prometheus`);
      expect(await client.queryRange({ ...range, query: 'sum(rate(x{service="checkout"}[5m]))' })).toEqual({
        result: [],
        warnings: [],
      });
      const [request] = server.requests;
      expect(request?.method).toBe('POST');
      expect(request?.url).toBe('/prometheus/api/v1/query_range');
      expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('ops:s3cret!').toString('base64')}`);
      expect(Object.fromEntries(request?.form ?? [])).toMatchObject({
        query: 'sum(rate(x{service="checkout"}[5m]))',
        start: String(Date.parse('2026-01-01T10:00:00Z') / 1000) + '.000',
        end: String(Date.parse('2026-01-01T10:30:00Z') / 1000) + '.000',
        step: '15',
      });
    } finally {
      await server.close();
    }
  });

  it('reports an unreachable server, a proxy error page, a timeout and an oversized answer as PrometheusError', async () => {
    const down = createPrometheusClient(`http://127.0.0.1:${await freePort()}`);
    await expect(down.queryRange(range)).rejects.toThrow(/is unreachable: ECONNREFUSED/);

    const server = await replayServer((form) =>
      form.get('query') === 'slow'
        ? { status: 200, body: '{}', delayMs: 2_000 }
        : form.get('query') === 'big'
          ? {
              status: 200,
              body: JSON.stringify({
                status: 'success',
                data: { resultType: 'matrix', result: [], pad: 'x'.repeat(5_000) },
              }),
            }
          : { status: 502, body: '<html>Bad Gateway</html>' },
    );
    try {
      const client = createPrometheusClient(server.url, { timeoutMs: 300, maxBytes: 1_000 });
      await expect(client.queryRange(range)).rejects.toThrow(
        /answered 502 with a body that is not JSON: <html>Bad Gateway/,
      );
      await expect(client.queryRange({ ...range, query: 'slow' })).rejects.toThrow(/unreachable: timed out/);
      await expect(client.queryRange({ ...range, query: 'big' })).rejects.toThrow(/more than 1000 bytes/);
      await expect(client.queryRange(range)).rejects.toBeInstanceOf(PrometheusError);
    } finally {
      await server.close();
    }
  });
});

// One real Prometheus for the rest of the file. It has no targets: constant queries such as vector(1) answer for any
// time range, which is all these tests need from the real API.
let prometheus: Component;
beforeAll(async () => {
  prometheus = await startPrometheus();
});
afterAll(async () => {
  await prometheus?.stop();
});

describe('Prometheus HTTP client against a real Prometheus', () => {
  it('reads a range result with one point per step from the window start', async () => {
    const window = captureWindow(
      {
        impactStartedAt: '2026-01-01T10:00:00.000Z',
        detectedAt: null,
        declaredAt: '2026-01-01T10:00:00.000Z',
        resolvedAt: '2026-01-01T10:40:00.000Z',
      },
      at('2026-02-01T00:00:00Z'),
      10,
    );
    const client = createPrometheusClient(prometheus.url);
    const { result } = await client.queryRange({
      query: 'label_replace(vector(0.25), "service", "checkout", "", "")',
      ...window,
    });
    expect(result).toHaveLength(1);
    expect(result[0]?.metric).toEqual({ service: 'checkout' });
    const times = result[0]?.values.map(([t]) => t * 1000) ?? [];
    expect(times[0]).toBe(window.start.getTime());
    expect(times).toHaveLength(
      Math.floor((window.end.getTime() - window.start.getTime()) / (window.stepSeconds * 1000)) + 1,
    );
    expect(new Set(result[0]?.values.map(([, v]) => v))).toEqual(new Set(['0.25']));
  });

  it("passes on Prometheus's own error for invalid PromQL", async () => {
    const client = createPrometheusClient(prometheus.url);
    const error = await client
      .queryRange({
        query: 'sum(',
        start: at('2026-01-01T10:00:00Z'),
        end: at('2026-01-01T10:10:00Z'),
        stepSeconds: 15,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect(error).toMatchObject({ status: 400, errorType: 'bad_data' });
  });
});

function settingsFor(url: string | undefined, queries: Settings['prometheus']['queries']): Settings {
  return parseSettings({ prometheus: { ...(url ? { url } : {}), marginMinutes: 30, queries } });
}

const QUERIES: Settings['prometheus']['queries'] = {
  checkout: [
    { name: 'error ratio', query: 'label_replace(vector(0.25), "service", "$service", "", "")', unit: 'ratio' },
  ],
  '*': [
    { name: 'error ratio', query: 'vector(99)' },
    { name: 'absent', query: 'up{job="$service-not-scraped"}' },
    { name: 'undefined', query: 'vector(0) / 0' },
  ],
};

describeEachDialect('metric evidence capture', (db) => {
  const declaredAt = '2026-03-01T12:00:00.000Z';
  let clock = Date.parse(declaredAt);
  const context = (settings: Settings): AppContext =>
    createAppContext(db.database, { settings, now: () => new Date(clock) });
  let ctx: AppContext;

  beforeAll(async () => {
    ctx = context(settingsFor(prometheus.url, QUERIES));
    await createService(ctx, SYSTEM, { name: 'checkout' });
    await createService(ctx, SYSTEM, { name: 'search' });
  });

  const declare = async (extra: Record<string, unknown> = {}) => {
    clock = Date.parse(declaredAt);
    return declareIncident(ctx, SYSTEM, {
      title: 'Checkout errors',
      severity: 'SEV2',
      services: ['checkout'],
      impactStartedAt: '2026-03-01T10:00:00Z',
      ...extra,
    });
  };

  it('stores each result as a sha256-addressed artifact with a metric event pointing at it', async () => {
    const incident = await declare();
    const report = await captureMetricEvidence(ctx, SYSTEM, { incident: { key: incident.key }, phase: 'declare' });
    expect(report).toMatchObject({ planned: 3, alreadyCaptured: 0, failures: [] });
    expect(report.captured.map((e) => e.name)).toEqual(['error ratio', 'absent', 'undefined']);

    const events = await read(ctx).timeline.list(incident.id, { kind: ['metric'] });
    expect(events).toHaveLength(3);
    const event = events.find((e) => e.labels.query === 'error ratio');
    expect(event).toMatchObject({
      kind: 'metric',
      source: 'prometheus',
      at: declaredAt,
      title: 'error ratio (checkout): captured 2h 30m, 1 series',
      labels: { service: 'checkout', query: 'error ratio', phase: 'declare' },
      dedupeKey: `prometheus:${incident.id}:declare:checkout:error ratio`,
      actor: 'system:test',
    });
    expect(event?.body).toContain('Open in Prometheus: ');

    const artifact = await read(ctx).artifacts.get(event?.artifactId ?? '');
    expect(artifact?.mediaType).toBe(PROMETHEUS_RANGE_MEDIA_TYPE);
    expect(artifact?.id).toBe(
      createHash('sha256')
        .update(artifact?.content ?? '')
        .digest('hex'),
    );
    const snapshot = JSON.parse(artifact?.content.toString('utf8') ?? '') as MetricSnapshot;
    expect(snapshot).toMatchObject({
      service: 'checkout',
      name: 'error ratio',
      unit: 'ratio',
      phase: 'declare',
      query: 'label_replace(vector(0.25), "service", "checkout", "", "")',
      queryTemplate: 'label_replace(vector(0.25), "service", "$service", "", "")',
      prometheusUrl: prometheus.url,
      window: { start: '2026-03-01T09:30:00.000Z', end: declaredAt, stepSeconds: 60 },
      resultType: 'matrix',
      seriesTotal: 1,
    });
    expect(snapshot.result[0]?.metric).toEqual({ service: 'checkout' });
    expect(snapshot.result[0]?.values).toHaveLength(151);
  });

  it('records a query without series, so the absence of data is visible', async () => {
    const incident = await declare();
    await captureMetricEvidence(ctx, SYSTEM, { incident: { key: incident.key }, phase: 'declare' });
    const events = await read(ctx).timeline.list(incident.id, { kind: ['metric'] });
    const absent = events.find((e) => e.labels.query === 'absent');
    expect(absent?.title).toBe('absent (checkout): captured 2h 30m, no data');
    expect(absent?.body).toContain('Prometheus returned no series');
    const artifact = await read(ctx).artifacts.get(absent?.artifactId ?? '');
    const snapshot = JSON.parse(artifact?.content.toString() ?? '') as MetricSnapshot;
    expect(snapshot).toMatchObject({ query: 'up{job="checkout-not-scraped"}', seriesTotal: 0, result: [] });
  });

  it('takes the declare snapshot once, however often the job is retried', async () => {
    const incident = await declare();
    await captureMetricEvidence(ctx, SYSTEM, { incident: { key: incident.key }, phase: 'declare' });
    clock += 60_000;
    const again = await captureMetricEvidence(ctx, SYSTEM, { incident: { id: incident.id }, phase: 'declare' });
    expect(again).toMatchObject({ planned: 3, captured: [], alreadyCaptured: 3, failures: [] });
    expect(await read(ctx).timeline.list(incident.id, { kind: ['metric'] })).toHaveLength(3);
  });

  it('keeps the queries that worked when one fails, and a retry captures only the missing one', async () => {
    const incident = await declare();
    const broken = context(
      settingsFor(prometheus.url, {
        checkout: [...(QUERIES.checkout ?? []), { name: 'latency', query: 'histogram_quantile(0.99,' }],
      }),
    );
    const first = await captureMetricEvidence(broken, SYSTEM, { incident: { key: incident.key }, phase: 'declare' });
    expect(first.captured.map((e) => e.name)).toEqual(['error ratio']);
    expect(first.failures).toEqual([
      { service: 'checkout', name: 'latency', error: expect.stringMatching(/answered 400 \(bad_data: /) as unknown },
    ]);
    const fixed = context(
      settingsFor(prometheus.url, {
        checkout: [...(QUERIES.checkout ?? []), { name: 'latency', query: 'vector(0.3)' }],
      }),
    );
    const retry = await captureMetricEvidence(fixed, SYSTEM, { incident: { key: incident.key }, phase: 'declare' });
    expect(retry).toMatchObject({ alreadyCaptured: 1, failures: [] });
    expect(retry.captured.map((e) => e.name)).toEqual(['latency']);
  });

  it('captures the full window again on resolve, and manual captures each time', async () => {
    const incident = await declare();
    await captureMetricEvidence(ctx, SYSTEM, { incident: { key: incident.key }, phase: 'declare' });
    clock = Date.parse('2026-03-01T13:00:00Z');
    await changeIncidentStatus(ctx, SYSTEM, incident.key, { status: 'resolved' });
    clock = Date.parse('2026-03-01T14:00:00Z');
    const resolved = await captureMetricEvidence(ctx, SYSTEM, { incident: { key: incident.key }, phase: 'resolve' });
    expect(resolved.captured.map((e) => [e.phase, e.window])).toContainEqual([
      'resolve',
      { start: '2026-03-01T09:30:00.000Z', end: '2026-03-01T13:30:00.000Z', stepSeconds: 60 },
    ]);
    const manual1 = await captureMetricEvidence(ctx, SYSTEM, { incident: { key: incident.key }, phase: 'manual' });
    clock += 1_000;
    const manual2 = await captureMetricEvidence(ctx, SYSTEM, { incident: { key: incident.key }, phase: 'manual' });
    expect([manual1.captured.length, manual2.captured.length]).toEqual([3, 3]);
    const phases = (await read(ctx).timeline.list(incident.id, { kind: ['metric'] })).map((e) => e.labels.phase);
    expect(phases.filter((p) => p === 'declare')).toHaveLength(3);
    expect(phases.filter((p) => p === 'resolve')).toHaveLength(3);
    expect(phases.filter((p) => p === 'manual')).toHaveLength(6);
  });

  it('lists the snapshots for the chart with ISO times, numbers, and null for NaN', async () => {
    const incident = await declare();
    await captureMetricEvidence(ctx, SYSTEM, { incident: { key: incident.key }, phase: 'declare' });
    const items = await listMetricEvidence(ctx, SYSTEM, incident.key);
    expect(items.map((i) => [i.service, i.name, i.unit, i.phase])).toEqual([
      ['checkout', 'absent', null, 'declare'],
      ['checkout', 'error ratio', 'ratio', 'declare'],
      ['checkout', 'undefined', null, 'declare'],
    ]);
    const ratio = items[1];
    expect(ratio?.series[0]?.points[0]).toEqual(['2026-03-01T09:30:00.000Z', 0.25]);
    expect(ratio?.capturedAt).toBe(declaredAt);
    expect(items[0]?.series).toEqual([]);
    expect(items[2]?.series[0]?.points[0]).toEqual(['2026-03-01T09:30:00.000Z', null]);
  });

  it('captures private incidents for the system, and hides their evidence from non-members', async () => {
    const incident = await declare({ visibility: 'private' });
    const report = await captureMetricEvidence(ctx, SYSTEM, { incident: { id: incident.id }, phase: 'declare' });
    expect(report.captured).toHaveLength(3);
    const outsider: Principal = { kind: 'user', id: 'u-1', email: 'outsider@example.com', name: 'O', role: 'viewer' };
    await expect(listMetricEvidence(ctx, outsider, incident.key)).rejects.toMatchObject({
      code: 'DEBRIEF_ERR_NOT_FOUND',
    });
    await expect(
      captureMetricEvidence(
        ctx,
        { ...outsider, role: 'responder' },
        { incident: { key: incident.key }, phase: 'manual' },
      ),
    ).rejects.toMatchObject({ code: 'DEBRIEF_ERR_NOT_FOUND' });
  });

  it('uses the client it is given, and lets a fault that is not a Prometheus error through', async () => {
    const incident = await declare();
    const seen: string[] = [];
    const client: PrometheusClient = {
      url: 'http://double.test',
      queryRange: async (q) => {
        seen.push(q.query);
        if (q.query.startsWith('up')) throw new TypeError('bug in the client');
        return { result: [], warnings: [] };
      },
    };
    await expect(
      captureMetricEvidence(ctx, SYSTEM, { incident: { key: incident.key }, phase: 'manual', client }),
    ).rejects.toThrow(TypeError);
    expect([...seen].sort()).toEqual([
      'label_replace(vector(0.25), "service", "checkout", "", "")',
      'up{job="checkout-not-scraped"}',
      'vector(0) / 0',
    ]);
    expect(await read(ctx).timeline.list(incident.id, { kind: ['metric'] })).toEqual([]);
  });

  it('refuses to capture without a Prometheus URL, and plans nothing for services without queries', async () => {
    const incident = await declare();
    const unconfigured = context(settingsFor(undefined, QUERIES));
    await expect(
      captureMetricEvidence(unconfigured, SYSTEM, { incident: { key: incident.key }, phase: 'manual' }),
    ).rejects.toBeInstanceOf(PrometheusNotConfiguredError);
    const search = await declare({ services: ['search'] });
    const onlyCheckout = context(settingsFor(prometheus.url, { checkout: QUERIES.checkout ?? [] }));
    const report = await captureMetricEvidence(onlyCheckout, SYSTEM, {
      incident: { key: search.key },
      phase: 'manual',
    });
    expect(report).toMatchObject({ planned: 0, captured: [], failures: [] });
  });
});
