/**
 * Evidence from the formats real tools send, seen by a responder in the browser: changes through
 * `POST /api/v1/changes`, an Alertmanager v4 notification that declares the incident, OTLP/JSON logs at `/v1/logs`,
 * and a Prometheus-compatible `query_range` endpoint (a stub in this process) that the declare capture calls. The
 * page must show them on the timeline and the swimlane chart, in the Evidence tab, and as ranked suspects.
 */
import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  createDebrief,
  type Debrief,
  launchChromium,
  newPage,
  saveScreenshot,
  signIn,
} from './support.js';

const EMAIL = 'responder@example.com';
const PASSWORD = 'e2e-password-123';
const MINUTE = 60_000;

/** The story, in minutes relative to the start of the test (all in the past, so nothing is dated in the future). */
const T0 = Math.floor(Date.now() / MINUTE) * MINUTE;
const at = (minutes: number): Date => new Date(T0 + minutes * MINUTE);
const CONFIG_AT = at(-50); // config change on an unrelated service
const DEPLOY_AT = at(-16); // checkout v2.3.1 goes out
const ALERT_AT = at(-10); // error rate alert starts: 6 min after the deploy
const ROLLBACK_AT = at(-4); // checkout rolled back, while the incident is open
const ALERT_END = at(-2); // the alert resolves

const SUMMARY = '5xx ratio above 5% in eu-west-1';
const ALERT_TITLE = `CheckoutHighErrorRate: ${SUMMARY}`;
const ERROR_LINE = 'payment authorization failed for order';
const ERROR_RATIO_QUERY = 'sum(rate(http_requests_total{service="$service",code=~"5.."}[5m]))';
const ROLLBACK_TEXT = 'Roll back checkout to v2.3.0';
const VERDICT_REASON = 'Rolling back v2.3.1 cleared the errors';
const EXPLANATION =
  'deploy checkout v2.3.1, 6 min before the first alert, same service, error rate on checkout rose 6 min after';

/** What the alert webhooks answer. */
interface AlertIngestSummary {
  accepted: number;
  incidents: string[];
  declared: string[];
}

/** A stand-in for Prometheus's `POST /api/v1/query_range`: the checkout error ratio jumps while the alert fires. */
function startPrometheusStub(): Promise<{ server: Server; url: string; queries: string[] }> {
  const queries: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/api/v1/query_range') {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'error', errorType: 'not_found', error: `no ${request.url}` }));
        return;
      }
      const form = new URLSearchParams(body);
      queries.push(form.get('query') ?? '');
      const start = Number(form.get('start'));
      const end = Number(form.get('end'));
      const step = Number(form.get('step'));
      const values: [number, string][] = [];
      for (let t = start; t <= end; t += step) {
        const ms = t * 1000;
        const failing = ms >= ALERT_AT.getTime() && ms < ROLLBACK_AT.getTime() + MINUTE;
        values.push([t, failing ? '0.18' : '0.004']);
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'matrix', result: [{ metric: { service: 'checkout' }, values }] },
        }),
      );
    });
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      done({ server, url: `http://127.0.0.1:${port}`, queries });
    }),
  );
}

function alertmanagerNotification(status: 'firing' | 'resolved') {
  const labels = {
    alertname: 'CheckoutHighErrorRate',
    service: 'checkout',
    severity: 'critical',
    cluster: 'eu-west-1',
  };
  return {
    version: '4',
    groupKey: '{}:{alertname="CheckoutHighErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'debrief',
    groupLabels: { alertname: 'CheckoutHighErrorRate' },
    commonLabels: labels,
    commonAnnotations: { summary: SUMMARY },
    externalURL: 'http://alertmanager.example.net:9093',
    alerts: [
      {
        status,
        labels,
        annotations: { summary: SUMMARY },
        startsAt: ALERT_AT.toISOString(),
        endsAt: status === 'resolved' ? ALERT_END.toISOString() : '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example.net:9090/graph?g0.expr=checkout_errors',
        fingerprint: '506b7cc49c429700',
      },
    ],
  };
}

/** OTLP/JSON log records for checkout: steady request logs all along, payment failures from the alert on. */
function otlpLogs() {
  const record = (time: Date, severityText: string, severityNumber: number, body: string) => ({
    timeUnixNano: `${BigInt(time.getTime()) * 1_000_000n}`,
    observedTimeUnixNano: `${BigInt(time.getTime()) * 1_000_000n}`,
    severityNumber,
    severityText,
    body: { stringValue: body },
    attributes: [{ key: 'http.route', value: { stringValue: '/checkout' } }],
  });
  const records = [];
  for (let m = -48; m <= -1; m += 1) {
    records.push(record(at(m), 'INFO', 9, `request served path=/cart status=200 duration=${12 + (m % 7)}ms`));
  }
  for (let s = 0; s < 16; s += 1) {
    const time = new Date(ALERT_AT.getTime() + 15_000 + s * 25_000);
    records.push(record(time, 'ERROR', 17, `${ERROR_LINE} ${48_210 + s * 7}: gateway timeout after 3000 ms`));
  }
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
        scopeLogs: [{ scope: { name: 'checkout.http' }, logRecords: records }],
      },
    ],
  };
}

describe('evidence flow in the browser', () => {
  let debrief: Debrief | undefined;
  let prometheus: Awaited<ReturnType<typeof startPrometheusStub>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl = '';
  let token = '';

  /** Calls the API as the senders would: CI, Alertmanager, the OpenTelemetry Collector, all with the token. */
  async function api<T = unknown>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as T };
  }

  beforeAll(async () => {
    assertBuilt();
    prometheus = await startPrometheusStub();
    debrief = await createDebrief();
    await debrief.writeSettings({
      prometheus: {
        url: prometheus.url,
        marginMinutes: 30,
        queries: { checkout: [{ name: 'error ratio', query: ERROR_RATIO_QUERY, unit: 'ratio' }] },
      },
    });
    // One command at a time: concurrent CLI writers on one SQLite file can fail with "database is locked".
    await debrief.cli(['team', 'create', '--name', 'payments', '--display-name', 'Payments']);
    await debrief.cli(['service', 'create', '--name', 'payments', '--team', 'payments']);
    await debrief.cli(['service', 'create', '--name', 'checkout', '--team', 'payments', '--depends-on', 'payments']);
    await debrief.createUser({ email: EMAIL, name: 'Evidence Responder', role: 'responder' }, PASSWORD);
    const created = await debrief.cli([
      'token',
      'create',
      '--name',
      'e2e-sender',
      '--role',
      'responder',
      '--format',
      'json',
    ]);
    token = (JSON.parse(created) as { token: string }).token;
    // Server and browser start side by side; whichever started is stopped in afterAll even if the other failed.
    const [served, launched] = await Promise.allSettled([debrief.serve(), launchChromium()]);
    if (launched.status === 'fulfilled') browser = launched.value;
    if (served.status === 'rejected') throw served.reason;
    if (launched.status === 'rejected') throw launched.reason;
    baseUrl = served.value;
    page = await newPage(launched.value, baseUrl);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await debrief?.dispose();
    if (prometheus) {
      prometheus.server.closeAllConnections();
      await new Promise((r) => prometheus?.server.close(r));
    }
  }, 30_000);

  it('ingests changes, an alert and logs over HTTP, then shows timeline, swimlanes, evidence and suspects', async () => {
    // --- Evidence arrives through the real endpoints. ---
    const config = await api('POST', '/api/v1/changes', {
      id: 'e2e-search-config-7',
      service: 'search',
      kind: 'config',
      version: 'cfg-7',
      environment: 'production',
      description: 'Raise the search cache TTL',
      at: CONFIG_AT.toISOString(),
    });
    expect(config.status).toBe(201);
    const deploy = await api('POST', '/api/v1/changes', {
      id: 'e2e-checkout-deploy-231',
      service: 'checkout',
      kind: 'deploy',
      version: 'v2.3.1',
      environment: 'production',
      author: 'ana',
      description: 'Payment client 4.2',
      at: DEPLOY_AT.toISOString(),
    });
    expect(deploy.status).toBe(201);

    const firing = await api<AlertIngestSummary>(
      'POST',
      '/api/v1/webhooks/alertmanager',
      alertmanagerNotification('firing'),
    );
    expect(firing.status).toBe(200);
    expect(firing.json.declared).toHaveLength(1);
    const key = firing.json.declared[0] ?? '';

    expect(await api('POST', '/v1/logs', otlpLogs())).toEqual({ status: 200, json: { partialSuccess: {} } });

    // Recorded while the incident is open, so it lands on the incident's timeline as it happens.
    const rollback = await api('POST', '/api/v1/changes', {
      id: 'e2e-checkout-rollback-230',
      service: 'checkout',
      kind: 'deploy',
      version: 'v2.3.0',
      environment: 'production',
      description: ROLLBACK_TEXT,
      at: ROLLBACK_AT.toISOString(),
    });
    expect(rollback.status).toBe(201);

    const resolved = await api<AlertIngestSummary>(
      'POST',
      '/api/v1/webhooks/alertmanager',
      alertmanagerNotification('resolved'),
    );
    expect(resolved.status).toBe(200);
    expect(resolved.json.incidents).toEqual([key]);

    // The declare capture runs in the server's job runner: open the page once its snapshot is stored.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const metrics = await api<{ items?: unknown[] }>('GET', `/api/v1/incidents/${key}/metrics`);
      expect(metrics.status).toBe(200);
      if (metrics.json.items?.length === 1) break;
      if (Date.now() > deadline) throw new Error(`no metric snapshot for ${key}:\n${debrief?.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(prometheus?.queries).toContain(ERROR_RATIO_QUERY.replace('$service', 'checkout'));

    // --- The responder signs in and lands on the incident. ---
    await page.goto(`/incidents/${key}`);
    await signIn(page, EMAIL, PASSWORD);
    await page.waitForURL((url) => url.pathname === `/incidents/${key}`);
    await page.getByRole('heading', { level: 1, name: `${key} ${ALERT_TITLE}` }).waitFor();

    // Timeline: alert, change and metric events in time order, with kind labels and the detected marker.
    const events = page.getByRole('list', { name: 'Timeline events' });
    const firingEvent = events.getByRole('article', { name: `CheckoutHighErrorRate firing: ${SUMMARY}` });
    await firingEvent.getByText('Alert', { exact: true }).waitFor();
    await firingEvent.getByText('Detected', { exact: true }).waitFor();
    const rollbackEvent = events.getByRole('article', { name: /^Deploy checkout v2\.3\.0 to production/ });
    await rollbackEvent.getByText('Change', { exact: true }).waitFor();
    await rollbackEvent.getByText(ROLLBACK_TEXT, { exact: true }).waitFor();
    const resolvedEvent = events.getByRole('article', { name: `CheckoutHighErrorRate resolved: ${SUMMARY}` });
    await resolvedEvent.getByText('Alert', { exact: true }).waitFor();
    const metricEvent = events.getByRole('article', { name: /^error ratio \(checkout\): captured/ });
    await metricEvent.getByText('Metric', { exact: true }).waitFor();
    const order = await events.getByRole('article').allInnerTexts();
    const position = (title: string) => order.findIndex((text) => text.includes(title));
    expect(position('CheckoutHighErrorRate firing')).toBeGreaterThanOrEqual(0);
    expect(position('CheckoutHighErrorRate firing')).toBeLessThan(position(ROLLBACK_TEXT));
    expect(position(ROLLBACK_TEXT)).toBeLessThan(position('CheckoutHighErrorRate resolved'));

    // Swimlanes: one lane per source, and the lifecycle markers, read from the chart's text alternative.
    const chart = page.getByRole('figure', { name: 'Swimlanes: timeline events by source' });
    await chart.waitFor();
    const caption = (await chart.locator('figcaption').textContent()) ?? '';
    expect(caption).toContain('alertmanager (2 events)');
    expect(caption).toContain('change (1 event)');
    expect(caption).toContain('prometheus (1 event)');
    expect(caption).toMatch(/Markers: .*Impact start .*Detected /);
    const marks = chart.getByRole('group', { name: /^Events by source and time/ });
    await marks
      .getByRole('button', { name: /from alertmanager/ })
      .first()
      .waitFor();
    await marks
      .getByRole('button', { name: /^Change at .* from change: Deploy checkout v2\.3\.0 to production/ })
      .waitFor();
    // The marker lines are labelled inside the drawing.
    await chart.locator('svg text', { hasText: /^Detected$/ }).waitFor();
    await chart.locator('svg text', { hasText: /^Impact start$/ }).waitFor();

    // Suspects: the checkout deploy first, with its explanation; the unrelated config change below it.
    const suspects = page.getByRole('region', { name: 'Suspect changes' });
    const ranked = suspects.getByRole('list', { name: 'Suspect changes, most likely first' });
    const top = ranked.getByRole('article').first();
    // Each suspect is named with its rank, and the list is in rank order.
    await ranked.getByRole('article', { name: '#1 Deploy checkout v2.3.1', exact: true }).waitFor();
    await top.getByText('#1', { exact: true }).waitFor();
    await top.getByText(EXPLANATION, { exact: true }).waitFor();
    await ranked.getByRole('article', { name: '#2 Config search cfg-7', exact: true }).waitFor();
    expect(await ranked.getByRole('article').count()).toBe(2);

    await top
      .getByRole('group', { name: 'Verdict on Deploy checkout v2.3.1' })
      .getByRole('button', { name: 'Confirm' })
      .click();
    const confirmForm = top.getByRole('form', { name: 'Confirm Deploy checkout v2.3.1' });
    await confirmForm.getByRole('textbox', { name: 'Reason (optional)' }).fill(VERDICT_REASON);
    await confirmForm.getByRole('button', { name: 'Confirm suspect' }).click();
    await confirmForm.waitFor({ state: 'detached' });
    await top.getByText('Confirmed', { exact: true }).waitFor();
    await top.getByText(`Confirmed by ${EMAIL}`).waitFor();
    await top.getByText(VERDICT_REASON, { exact: false }).waitFor();
    // Confirming puts the finding on the timeline too.
    await events.getByRole('article', { name: 'Suspect confirmed: deploy checkout v2.3.1' }).waitFor();
    await saveScreenshot(page, 'e2e-evidence-timeline.png');

    // --- Evidence tab: completeness, the metric chart, log templates, alerts. ---
    await page.getByRole('tab', { name: 'Evidence' }).click();
    await page.waitForURL((url) => url.searchParams.get('tab') === 'evidence');
    const evidence = page.getByRole('region', { name: 'Evidence' });
    const kinds = evidence.getByRole('list', { name: 'Evidence kinds' });
    for (const present of ['Alerts', 'Metrics', 'Logs', 'Changes']) {
      await kinds
        .getByRole('listitem')
        .filter({ hasText: `${present}: present` })
        .waitFor();
    }
    for (const missing of ['Traces', 'Chat']) {
      await kinds
        .getByRole('listitem')
        .filter({ hasText: `${missing}: missing` })
        .waitFor();
    }
    await evidence.getByText('4 of 6 kinds').waitFor();

    const metrics = evidence.getByRole('region', { name: 'Metrics' });
    const chartFigure = metrics.getByRole('figure', { name: 'error ratio · checkout' });
    await chartFigure.getByText(/^One series, .*: peak 0\.18 ratio at /).waitFor();
    await chartFigure.getByText('On declare').waitFor();

    const logs = evidence.getByRole('region', { name: 'Log templates' });
    const templates = logs.getByRole('list', { name: 'New and spiking log templates' });
    const template = templates.getByRole('listitem').filter({ hasText: ERROR_LINE }).first();
    await template.getByText('New', { exact: true }).waitFor();
    await template.getByText('16 in the window · 0 before').waitFor();
    // Order numbers and durations are masked in the mined template.
    await template.getByText(`${ERROR_LINE} <NUM>: gateway timeout after <NUM> ms`, { exact: true }).waitFor();

    const alerts = evidence.getByRole('region', { name: 'Alerts' });
    const alertRow = alerts
      .getByRole('table', { name: 'Alerts of this incident, newest first' })
      .getByRole('row')
      .filter({ hasText: 'CheckoutHighErrorRate' });
    await alertRow.getByText('resolved', { exact: true }).waitFor();
    expect(await alertRow.getByRole('cell').last().textContent()).toBe('2');

    // The chart library loads lazily: wait for the drawing before the screenshot.
    await chartFigure.locator('svg path').first().waitFor({ state: 'attached' });
    await saveScreenshot(page, 'e2e-evidence-tab.png');
  }, 60_000);
});
