/**
 * Prometheus evidence capture. For each service of an incident, the configured PromQL queries run over the incident
 * window (plus margins) through the HTTP API's `query_range`; each result is kept as an immutable, content-addressed
 * artifact with a `metric` event on the timeline, so the chart outlives Prometheus retention.
 */
import { z } from 'zod';
import { formatDuration } from '../domain/durations.js';
import { notFound } from '../domain/errors.js';
import type { Incident, Principal, TimelineEvent } from '../domain/types.js';
import type { Repositories } from '../store/repositories.js';
import { putArtifact } from './artifacts.js';
import { read, transact, type AppContext } from './context.js';
import type { CapturePhase, MetricEvidence } from './evidence-views.js';
import { loadIncident } from './guard.js';
import type { Settings } from './settings.js';
import { addTimelineEventIn } from './timeline.js';

export type { CapturePhase, MetricEvidence };

export const PROMETHEUS_RANGE_MEDIA_TYPE = 'application/vnd.debrief.prometheus-range+json';
const SNAPSHOT_FORMAT = 'debrief.prometheus-range/v1';

/** A chart needs no more; Prometheus itself refuses more than 11,000 points per series. */
export const MAX_POINTS = 300;
export const MIN_STEP_SECONDS = 15;
/** Series kept per snapshot: a query that forgot its `sum by` must not turn one artifact into megabytes. */
export const MAX_SERIES = 100;
/** Queries of one capture sent to Prometheus at once. */
const QUERY_CONCURRENCY = 4;

/** Steps that put points on round times, so the declare and resolve snapshots line up on one chart. */
const NICE_STEPS_SECONDS = [15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400];

export interface RangeQuery {
  query: string;
  start: Date;
  end: Date;
  stepSeconds: number;
}

/** One series of a `matrix` result, as Prometheus sends it: `[unix seconds, "value"]` pairs. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface RangeResult {
  result: RangeSeries[];
  warnings: string[];
}

/** The part of the Prometheus HTTP API capture needs; tests may hand in a double or point it at a real server. */
export interface PrometheusClient {
  /** Base URL without credentials, for links back to Prometheus. */
  readonly url: string;
  queryRange(query: RangeQuery): Promise<RangeResult>;
}

/** Prometheus could not be reached, refused the query, or answered something that is not a range result. */
export class PrometheusError extends Error {
  readonly url: string;
  readonly status: number | null;
  readonly errorType: string | null;

  constructor(message: string, context: { url: string; status?: number; errorType?: string }) {
    super(message);
    this.name = 'PrometheusError';
    this.url = context.url;
    this.status = context.status ?? null;
    this.errorType = context.errorType ?? null;
  }
}

/** `prometheus.url` is not set, so there is nothing to capture from. */
export class PrometheusNotConfiguredError extends Error {
  constructor() {
    super('Prometheus is not configured: set prometheus.url in the settings file (or DEBRIEF_PROMETHEUS_URL)');
    this.name = 'PrometheusNotConfiguredError';
  }
}

const successSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix', { error: 'must be "matrix" (a range query result)' }),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        values: z.array(z.tuple([z.number(), z.string()])),
      }),
    ),
  }),
  warnings: z.array(z.string()).optional(),
});

const errorSchema = z.object({
  status: z.literal('error'),
  errorType: z.string().optional(),
  error: z.string().optional(),
});

function issuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, part) =>
      typeof part === 'number' ? `${out}[${part}]` : out === '' ? String(part) : `${out}.${String(part)}`,
    '',
  );
}

/**
 * Checks a `query_range` answer and returns its series, or throws a `PrometheusError` that says what was wrong: the
 * error Prometheus reported (`bad_data`, `timeout`, …), a non-JSON body (a proxy's error page), or the first field
 * that does not match the documented format.
 *
 * @example
 * parseRangeResponse(200, '{"status":"success","data":{"resultType":"matrix","result":[]}}', url); // { result: [], warnings: [] }
 */
export function parseRangeResponse(status: number, text: string, url: string): RangeResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const snippet = text.trim().slice(0, 200).replace(/\s+/g, ' ');
    throw new PrometheusError(
      `Prometheus at ${url} answered ${status} with a body that is not JSON${snippet ? `: ${snippet}` : ''}`,
      { url, status },
    );
  }
  const failed = errorSchema.safeParse(body);
  if (failed.success || status >= 400) {
    const reason = failed.success
      ? `${failed.data.errorType ?? 'error'}: ${failed.data.error ?? 'no message'}`
      : 'no error message';
    throw new PrometheusError(`Prometheus at ${url} answered ${status} (${reason})`, {
      url,
      status,
      ...(failed.success && failed.data.errorType ? { errorType: failed.data.errorType } : {}),
    });
  }
  const parsed = successSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issuePath(issue.path) || '(body)' : '(body)';
    throw new PrometheusError(
      `Prometheus at ${url} answered with an unexpected range result: ${where}: ${issue?.message ?? 'invalid'}`,
      { url, status },
    );
  }
  return { result: parsed.data.data.result, warnings: parsed.data.warnings ?? [] };
}

async function readBody(response: Response, maxBytes: number, url: string): Promise<string> {
  const tooLarge = () =>
    new PrometheusError(`Prometheus at ${url} answered with more than ${maxBytes} bytes; narrow the query`, {
      url,
      status: response.status,
    });
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

export interface PrometheusClientOptions {
  /** Per query, also sent to Prometheus as its own `timeout`. Default 30 s. */
  timeoutMs?: number;
  /** Largest answer read. Default 20 MiB. */
  maxBytes?: number;
}

/**
 * A client for the Prometheus HTTP API at `baseUrl` (a path prefix such as `/prometheus` is kept). Credentials in
 * the URL (`http://user:pass@host`) are sent as HTTP basic auth and never appear in messages or links.
 *
 * @example
 * const prometheus = createPrometheusClient('http://127.0.0.1:9090');
 * const { result } = await prometheus.queryRange({ query: 'up', start, end, stepSeconds: 15 });
 */
export function createPrometheusClient(baseUrl: string, options: PrometheusClientOptions = {}): PrometheusClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const parsed = new URL(baseUrl);
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (parsed.username || parsed.password) {
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  const url = parsed.toString().replace(/\/+$/, '');
  return {
    url,
    async queryRange(q) {
      // POST keeps long queries out of URL length limits; Prometheus accepts the same form fields either way.
      const body = new URLSearchParams({
        query: q.query,
        start: (q.start.getTime() / 1000).toFixed(3),
        end: (q.end.getTime() / 1000).toFixed(3),
        step: String(q.stepSeconds),
        timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s`,
      });
      let response: Response;
      try {
        response = await fetch(`${url}/api/v1/query_range`, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new PrometheusError(`Prometheus at ${url} is unreachable: ${describeFetchError(error)}`, { url });
      }
      let text: string;
      try {
        text = await readBody(response, maxBytes, url);
      } catch (error) {
        if (error instanceof PrometheusError) throw error;
        throw new PrometheusError(`Prometheus at ${url} broke off its answer: ${describeFetchError(error)}`, {
          url,
          status: response.status,
        });
      }
      return parseRangeResponse(response.status, text, url);
    },
  };
}

export interface CaptureWindow {
  start: Date;
  end: Date;
  stepSeconds: number;
}

/**
 * The window to capture: from impact start (else detection, else declaration) minus the margin, to resolution (else
 * now) plus the margin, never past now — Prometheus would only repeat the last samples into the future. The step is
 * the smallest round step (15 s at least) that keeps the chart at `MAX_POINTS` points or fewer; the start is aligned
 * to it, so captures of one incident share their sample times.
 *
 * @example
 * captureWindow({ impactStartedAt: '2026-01-01T10:00:00Z', detectedAt: null, declaredAt: '2026-01-01T10:05:00Z',
 *   resolvedAt: '2026-01-01T11:00:00Z' }, new Date('2026-01-02T00:00:00Z'), 30);
 * // { start: 09:30, end: 11:30, stepSeconds: 30 }
 */
export function captureWindow(
  incident: Pick<Incident, 'impactStartedAt' | 'detectedAt' | 'declaredAt' | 'resolvedAt'>,
  now: Date,
  marginMinutes: number,
): CaptureWindow {
  const margin = marginMinutes * 60_000;
  const from = Date.parse(incident.impactStartedAt ?? incident.detectedAt ?? incident.declaredAt) - margin;
  const until = incident.resolvedAt === null ? now.getTime() : Date.parse(incident.resolvedAt);
  const end = Math.min(now.getTime(), until + margin);
  const start = Math.min(from, end - MIN_STEP_SECONDS * 1000);
  for (const step of NICE_STEPS_SECONDS) {
    const aligned = Math.floor(start / (step * 1000)) * step * 1000;
    if (Math.floor((end - aligned) / (step * 1000)) + 1 <= MAX_POINTS) {
      return { start: new Date(aligned), end: new Date(end), stepSeconds: step };
    }
  }
  const day = 86_400;
  // Aligning the start adds at most one step, hence the two points of headroom.
  const step = Math.ceil((end - start) / 1000 / (MAX_POINTS - 2) / day) * day;
  return { start: new Date(Math.floor(start / (step * 1000)) * step * 1000), end: new Date(end), stepSeconds: step };
}

/**
 * Puts the service name into a query: `$service` and `${service}` are replaced, `$service_name` and the like are not.
 *
 * @example
 * substituteService('sum(rate(http_requests_total{service="$service",code=~"5.."}[5m]))', 'checkout');
 * // 'sum(rate(http_requests_total{service="checkout",code=~"5.."}[5m]))'
 */
export function substituteService(query: string, service: string): string {
  return query.replace(/\$\{service\}|\$service(?![A-Za-z0-9_])/g, () => service);
}

export interface PlannedQuery {
  service: string;
  name: string;
  unit: string | null;
  /** As configured, before substitution. */
  template: string;
  query: string;
}

/**
 * The queries to run for an incident's services: each service's own, then the `*` ones it does not override by name.
 *
 * @example
 * plannedQueries({ queries: { checkout: [{ name: 'errors', query: 'e{service="$service"}' }], '*': [...] } }, ['checkout']);
 */
export function plannedQueries(
  prometheus: Pick<Settings['prometheus'], 'queries'>,
  services: string[],
): PlannedQuery[] {
  const planned: PlannedQuery[] = [];
  for (const service of services) {
    const names = new Set<string>();
    for (const q of [...(prometheus.queries[service] ?? []), ...(prometheus.queries['*'] ?? [])]) {
      if (names.has(q.name)) continue;
      names.add(q.name);
      planned.push({
        service,
        name: q.name,
        unit: q.unit ?? null,
        template: q.query,
        query: substituteService(q.query, service),
      });
    }
  }
  return planned;
}

/** What an artifact of media type `PROMETHEUS_RANGE_MEDIA_TYPE` holds. */
const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  service: z.string(),
  name: z.string(),
  unit: z.string().nullable(),
  phase: z.enum(['declare', 'resolve', 'manual']),
  query: z.string(),
  queryTemplate: z.string(),
  prometheusUrl: z.string(),
  capturedAt: z.string(),
  window: z.object({ start: z.string(), end: z.string(), stepSeconds: z.number() }),
  resultType: z.literal('matrix'),
  /** Series Prometheus returned; `result` keeps at most `MAX_SERIES` of them. */
  seriesTotal: z.number().int(),
  warnings: z.array(z.string()),
  result: z.array(
    z.object({ metric: z.record(z.string(), z.string()), values: z.array(z.tuple([z.number(), z.string()])) }),
  ),
});
export type MetricSnapshot = z.infer<typeof snapshotSchema>;

/**
 * Reads back a snapshot stored as an artifact of media type `PROMETHEUS_RANGE_MEDIA_TYPE`, or null when the bytes
 * are not one: not JSON, or not in the stored shape.
 *
 * @example
 * const snapshot = readMetricSnapshot(artifact.content);
 * snapshot?.result.length; // series kept
 */
export function readMetricSnapshot(content: Buffer): MetricSnapshot | null {
  try {
    const parsed = snapshotSchema.safeParse(JSON.parse(content.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function presentEvidence(event: TimelineEvent, artifactId: string, snapshot: MetricSnapshot): MetricEvidence {
  return {
    eventId: event.id,
    artifactId,
    service: snapshot.service,
    name: snapshot.name,
    unit: snapshot.unit,
    phase: snapshot.phase,
    capturedAt: snapshot.capturedAt,
    query: snapshot.query,
    window: snapshot.window,
    seriesTotal: snapshot.seriesTotal,
    series: snapshot.result.map((s) => ({
      metric: s.metric,
      points: s.values.map(([t, v]): [string, number | null] => {
        const value = Number(v);
        return [new Date(Math.round(t * 1000)).toISOString(), Number.isFinite(value) ? value : null];
      }),
    })),
  };
}

function seriesName(metric: Record<string, string>): string {
  const { __name__: name = '', ...labels } = metric;
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? name || '{}' : `${name}{${pairs.join(', ')}}`;
}

function lastValue(values: [number, string][]): string {
  return values.at(-1)?.[1] ?? 'none';
}

/** Prometheus's graph page for the same query and range, while its retention still has the data. */
function graphLink(baseUrl: string, query: string, window: CaptureWindow): string {
  const end = window.end.toISOString().slice(0, 19).replace('T', ' ');
  const params = new URLSearchParams({
    'g0.expr': query,
    'g0.tab': '0',
    'g0.range_input': `${Math.max(1, Math.round((window.end.getTime() - window.start.getTime()) / 1000))}s`,
    'g0.end_input': end,
  });
  return `${baseUrl}/graph?${params.toString()}`;
}

function eventBody(snapshot: MetricSnapshot, window: CaptureWindow, baseUrl: string): string {
  const lines = [
    snapshot.query,
    '',
    `Window ${snapshot.window.start} – ${snapshot.window.end}, step ${snapshot.window.stepSeconds}s (${snapshot.phase} snapshot).`,
  ];
  if (snapshot.result.length === 0) lines.push('Prometheus returned no series for this window.');
  for (const s of snapshot.result.slice(0, 10)) {
    lines.push(`- ${seriesName(s.metric)}: ${s.values.length} points, last ${lastValue(s.values)}`);
  }
  if (snapshot.seriesTotal > 10) lines.push(`- … ${snapshot.seriesTotal - 10} more series`);
  lines.push('', `Open in Prometheus: ${graphLink(baseUrl, snapshot.query, window)}`);
  return lines.join('\n');
}

function eventTitle(planned: PlannedQuery, window: CaptureWindow, series: number): string {
  const span = formatDuration((window.end.getTime() - window.start.getTime()) / 1000);
  const found = series === 0 ? 'no data' : `${series} series`;
  return `${planned.name} (${planned.service}): captured ${span}, ${found}`;
}

export interface CaptureFailure {
  service: string;
  name: string;
  error: string;
}

export interface CaptureReport {
  incidentKey: string;
  /** Queries configured for the incident's services. */
  planned: number;
  /** Snapshots stored by this call. */
  captured: MetricEvidence[];
  /** Snapshots of this phase that an earlier attempt already stored (a retried job skips them). */
  alreadyCaptured: number;
  failures: CaptureFailure[];
}

export interface CaptureMetricsProps {
  /** The incident, by key (API) or by id (the capture job). */
  incident: { key: string } | { id: string };
  phase: CapturePhase;
  /** Defaults to an HTTP client for `settings.prometheus.url`. */
  client?: PrometheusClient;
}

async function incidentKey(repos: Repositories, ref: CaptureMetricsProps['incident']): Promise<string> {
  if ('key' in ref) return ref.key;
  const incident = await repos.incidents.findById(ref.id);
  if (!incident) throw notFound('incident', ref.id);
  return incident.key;
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the order of `items`. */
async function mapConcurrent<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function dedupeKey(incident: Incident, phase: CapturePhase, capturedAt: Date, planned: PlannedQuery): string {
  // Manual captures are new evidence each time; declare and resolve snapshots are taken once, however often retried.
  const slot = phase === 'manual' ? `manual:${capturedAt.getTime()}` : phase;
  return `prometheus:${incident.id}:${slot}:${planned.service}:${planned.name}`;
}

/**
 * Captures the configured Prometheus queries for an incident now. The queries run a few at a time; each answer is
 * stored in its own transaction (an artifact, a `metric` timeline event pointing at it), so one failing query neither
 * loses the others nor blocks them; failures come back in the report for the caller to retry or report. A query that returns no series is
 * stored too: the absence of data is evidence. Needs `timeline.add` on the incident.
 *
 * @throws PrometheusNotConfiguredError when no client is given and `prometheus.url` is not set.
 * @throws DebriefError DEBRIEF_ERR_NOT_FOUND when the incident does not exist or is not visible to `actor`.
 * @example
 * const report = await captureMetricEvidence(ctx, actor, { incident: { key: 'INC-12' }, phase: 'manual' });
 * report.captured.map((e) => `${e.service}/${e.name}: ${e.series.length} series`);
 */
export async function captureMetricEvidence(
  ctx: AppContext,
  actor: Principal,
  props: CaptureMetricsProps,
): Promise<CaptureReport> {
  const repos = read(ctx);
  const incident = await loadIncident(repos, actor, await incidentKey(repos, props.incident), 'timeline.add');
  const settings = ctx.settings.prometheus;
  const client = props.client ?? (settings.url ? createPrometheusClient(settings.url) : null);
  if (!client) throw new PrometheusNotConfiguredError();

  const capturedAt = ctx.now();
  const window = captureWindow(incident, capturedAt, settings.marginMinutes);
  const planned = plannedQueries(settings, incident.services);
  const report: CaptureReport = {
    incidentKey: incident.key,
    planned: planned.length,
    captured: [],
    alreadyCaptured: 0,
    failures: [],
  };

  const pending: { p: PlannedQuery; key: string }[] = [];
  for (const p of planned) {
    const key = dedupeKey(incident, props.phase, capturedAt, p);
    if (await repos.timeline.findByDedupeKey(incident.id, key)) report.alreadyCaptured++;
    else pending.push({ p, key });
  }
  const answers = await mapConcurrent(pending, QUERY_CONCURRENCY, ({ p }) =>
    client.queryRange({ query: p.query, start: window.start, end: window.end, stepSeconds: window.stepSeconds }).then(
      (range) => ({ range }),
      (error: unknown) => {
        if (!(error instanceof PrometheusError)) throw error;
        return { error };
      },
    ),
  );

  for (const [i, { p, key }] of pending.entries()) {
    const answer = answers[i];
    if (!answer) continue;
    if ('error' in answer) {
      report.failures.push({ service: p.service, name: p.name, error: answer.error.message });
      continue;
    }
    const range = answer.range;
    const snapshot: MetricSnapshot = {
      format: SNAPSHOT_FORMAT,
      service: p.service,
      name: p.name,
      unit: p.unit,
      phase: props.phase,
      query: p.query,
      queryTemplate: p.template,
      prometheusUrl: client.url,
      capturedAt: capturedAt.toISOString(),
      window: { start: window.start.toISOString(), end: window.end.toISOString(), stepSeconds: window.stepSeconds },
      resultType: 'matrix',
      seriesTotal: range.result.length,
      warnings: range.warnings,
      result: range.result.slice(0, MAX_SERIES),
    };
    const evidence = await transact(ctx, async (tx) => {
      const artifact = await putArtifact(
        tx,
        JSON.stringify(snapshot),
        PROMETHEUS_RANGE_MEDIA_TYPE,
        `Prometheus ${p.name} (${p.service}), ${snapshot.window.start} – ${snapshot.window.end}`,
      );
      const { event, created } = await addTimelineEventIn(tx, actor, incident.key, {
        kind: 'metric',
        source: 'prometheus',
        at: snapshot.capturedAt,
        title: eventTitle(p, window, range.result.length),
        body: eventBody(snapshot, window, client.url),
        labels: { service: p.service, query: p.name, phase: props.phase },
        dedupeKey: key,
      });
      // Another run stored this snapshot since the check above; its event stands.
      if (!created) return null;
      const linked: TimelineEvent = { ...event, artifactId: artifact.id };
      await tx.repos.timeline.update(linked);
      return presentEvidence(linked, artifact.id, snapshot);
    });
    if (evidence) report.captured.push(evidence);
    else report.alreadyCaptured++;
  }
  return report;
}

/**
 * The metric snapshots captured for an incident, in timeline order, read back from their artifacts.
 *
 * @throws DebriefError DEBRIEF_ERR_NOT_FOUND when the incident does not exist or is not visible to `actor`.
 */
export async function listMetricEvidence(ctx: AppContext, actor: Principal, key: string): Promise<MetricEvidence[]> {
  const repos = read(ctx);
  const incident = await loadIncident(repos, actor, key);
  const events = await repos.timeline.list(incident.id, { kind: ['metric'], source: ['prometheus'] });
  const out: MetricEvidence[] = [];
  for (const event of events) {
    if (!event.artifactId) continue;
    const artifact = await repos.artifacts.get(event.artifactId);
    if (!artifact || artifact.mediaType !== PROMETHEUS_RANGE_MEDIA_TYPE) continue;
    const snapshot = readMetricSnapshot(artifact.content);
    if (!snapshot) {
      ctx.logger.warn({ incident: incident.key, artifact: artifact.id }, 'metric snapshot is not readable; skipped');
      continue;
    }
    out.push(presentEvidence(event, artifact.id, snapshot));
  }
  // Queries of one capture run concurrently and share its time; service and name make the order stable.
  return out.sort(
    (a, b) =>
      a.capturedAt.localeCompare(b.capturedAt) || a.service.localeCompare(b.service) || a.name.localeCompare(b.name),
  );
}

/** A one-line summary of failed queries, for job errors and problem details. */
export function describeFailures(failures: CaptureFailure[]): string {
  return failures.map((f) => `${f.name} (${f.service}): ${f.error}`).join('; ');
}
