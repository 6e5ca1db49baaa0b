/**
 * Alert ingestion through a real `debrief serve` child process: sustained Alertmanager webhook throughput with
 * latency percentiles, and an alert storm with its incident count and the server's peak memory. Every accepted
 * (2xx) delivery is checked afterwards in the database. Prints nothing itself: the caller gets figures back.
 */
import { Agent, request } from 'node:http';
import { createAppContext } from '../src/app/context.js';
import { createApiToken } from '../src/app/identity.js';
import { migrateToLatest, type Database } from '../src/store/database.js';
import { BENCH_ACTOR } from './generate.js';
import { percentile } from './http-load.js';
import { Random } from './random.js';
import { cpuSecondsOf, serverNodeArgs, startServe, type ServeProcess } from './serve-process.js';

const PATH = '/api/v1/webhooks/alertmanager';
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Where the server keeps its data: the environment for `debrief serve`, and a way to open the same database. */
export interface IngestTarget {
  env: Record<string, string>;
  open(): Database;
}

export interface IngestOptions {
  root: string;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  progress(line: string): void;
}

/** What the database holds after a run, against what the accepted deliveries should have left there. */
export interface Committed {
  signals: number;
  deliveries: number;
  incidents: number;
  expectedSignals: number;
  expectedDeliveries: number;
  expectedIncidents: number;
  correct: boolean;
}

export interface IngestResult {
  alertsPerSecond: number;
  notificationsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
  lastError: string;
  seconds: number;
  /** Server CPU time (user + system) per accepted notification in the measured window, in ms. */
  serverCpuMsPerNotification: number | null;
  committed: Committed;
  peakRssMiB: number | null;
}

export interface StormResult {
  notifications: number;
  fingerprints: number;
  groups: number;
  seconds: number;
  errors: number;
  lastError: string;
  p99: number;
  committed: Committed;
  timelineEvents: number;
  /** Server CPU time (user + system) per notification, in ms. */
  serverCpuMsPerNotification: number | null;
  /** This process's CPU time per notification (the load generator), in ms. */
  clientCpuMsPerNotification: number;
  peakRssMiB: number | null;
  hwmMiB: number | null;
}

interface AlertSpec {
  fingerprint: string;
  labels: Record<string, string>;
  summary: string;
  startsAt: string;
}

interface Notification {
  body: Buffer;
  fingerprints: string[];
  /** The service a critical firing notification declares (or attaches) for; null otherwise. */
  declares: string | null;
  /** The same alerts resolved, for a firing notification the stream may later resolve. */
  resolved?: Notification;
}

const WARNING_ALERTS = [
  'HighLatencyP99',
  'ErrorRateElevated',
  'PodRestarting',
  'DiskFillingUp',
  'QueueBacklogGrowing',
  'CertificateExpiringSoon',
  'CPUThrottlingHigh',
  'MemoryPressure',
  'ReplicaLagHigh',
  'CacheHitRatioLow',
];
const CRITICAL_ALERTS = ['ServiceDown', 'ErrorBudgetBurnFast'];
const CLUSTERS = ['eu-west-1', 'us-east-1', 'ap-south-1'];

function groupKey(alertname: string, service: string): string {
  return `{}/{severity=~"warning|critical"}:{alertname="${alertname}", service="${service}"}`;
}

/**
 * An Alertmanager v4 webhook body for some alerts of one group, as Alertmanager 0.25 writes it (Go's encoder writes
 * `&` in URLs as `\u0026`).
 */
function notification(
  group: { alertname: string; service: string; severity: string },
  alerts: readonly AlertSpec[],
  status: 'firing' | 'resolved',
  endsAt: (alert: AlertSpec) => string,
): Buffer {
  const common = { alertname: group.alertname, service: group.service, severity: group.severity, namespace: 'prod' };
  return Buffer.from(
    JSON.stringify({
      version: '4',
      groupKey: groupKey(group.alertname, group.service),
      truncatedAlerts: 0,
      status,
      receiver: 'debrief',
      groupLabels: { alertname: group.alertname, service: group.service },
      commonLabels: common,
      commonAnnotations: { runbook_url: `https://runbooks.example.net/${group.service}/${group.alertname}` },
      externalURL: 'http://alertmanager.example.net:9093',
      alerts: alerts.map((a) => ({
        status,
        labels: a.labels,
        annotations: {
          summary: a.summary,
          runbook_url: `https://runbooks.example.net/${group.service}/${group.alertname}`,
        },
        startsAt: a.startsAt,
        endsAt: endsAt(a),
        generatorURL: `http://prometheus.example.net:9090/graph?g0.expr=${encodeURIComponent(`ALERTS{alertname="${group.alertname}"}`)}&g0.tab=1`,
        fingerprint: a.fingerprint,
      })),
    }).replaceAll('&', '\\u0026'),
  );
}

const SERVICES = Array.from({ length: 100 }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
/** The services with trouble: critical alerts come from these only, so most services never get an incident. */
const TROUBLED = SERVICES.slice(0, 8);

/**
 * The sustained mix, seeded: 72% new warning notifications (10 new alerts of one alert name, on one of 100 services),
 * 18% re-sends of a recent notification (Alertmanager's `repeat_interval`), 8% resolutions of a recent one, 2% new
 * critical ones, from 8 troubled services only, which declare an incident for their service unless it has an open
 * one. So most alerts are only recorded, some attach to an incident and a few declare one. Re-sends and resolutions
 * are drawn from notifications already accepted, as Alertmanager only re-sends what it has sent.
 */
export class NotificationStream {
  private readonly rng = new Random(20260314);
  private readonly recent: Notification[] = [];
  private readonly known = new WeakSet<Notification>();
  private next_ = 0;
  private readonly base = Date.now() - 3 * 3_600_000;

  constructor(private readonly perNotification: number) {}

  /** Makes an accepted notification a candidate for re-sends and resolutions. */
  accepted(n: Notification): void {
    if (!n.resolved || this.known.has(n)) return;
    this.known.add(n);
    this.recent.push(n);
    if (this.recent.length > 400) this.recent.splice(0, this.recent.length - 400);
  }

  next(): Notification {
    const roll = this.rng.next();
    if (roll < 0.26 && this.recent.length > 0) {
      const sent = this.rng.pick(this.recent);
      return roll < 0.18 ? sent : (sent.resolved as Notification);
    }
    const critical = roll >= 0.98;
    const service = this.rng.pick(critical ? TROUBLED : SERVICES);
    const alertname = this.rng.pick(critical ? CRITICAL_ALERTS : WARNING_ALERTS);
    const group = { alertname, service, severity: critical ? 'critical' : 'warning' };
    const alerts: AlertSpec[] = [];
    for (let i = 0; i < this.perNotification; i++) {
      const n = this.next_++;
      const pod = `${service}-${(n * 2654435761) % 0xffffff}`;
      alerts.push({
        fingerprint: (BigInt(n) * 0x9e3779b97f4a7c15n).toString(16).slice(-16).padStart(16, '0'),
        labels: {
          alertname,
          service,
          severity: group.severity,
          namespace: 'prod',
          cluster: this.rng.pick(CLUSTERS),
          pod,
          instance: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}:9100`,
        },
        summary: `${alertname} on ${pod}`,
        startsAt: new Date(this.base + n * 10).toISOString(),
      });
    }
    const fingerprints = alerts.map((a) => a.fingerprint);
    return {
      body: notification(group, alerts, 'firing', () => ZERO_TIME),
      fingerprints,
      declares: critical ? service : null,
      resolved: {
        body: notification(group, alerts, 'resolved', (a) => new Date(Date.parse(a.startsAt) + 90_000).toISOString()),
        fingerprints,
        declares: null,
      },
    };
  }
}

/** Accepted deliveries, for the check against the database. */
class Ledger {
  readonly fingerprints = new Set<string>();
  readonly declaring = new Set<string>();
  alerts = 0;

  accept(n: Notification): void {
    this.alerts += n.fingerprints.length;
    for (const f of n.fingerprints) this.fingerprints.add(f);
    if (n.declares) this.declaring.add(n.declares);
  }
}

function post(agent: Agent, url: URL, token: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface DriveStats {
  latencies: number[];
  alerts: number;
  requests: number;
  errors: number;
  lastError: string;
}

/**
 * `concurrency` workers, each with one keep-alive connection of a shared agent, post `next()` until it returns
 * null; `record` says whether a request counts towards the figures (warm-up does not).
 */
async function drive(
  server: ServeProcess,
  token: string,
  concurrency: number,
  next: () => Notification | null,
  accepted: (n: Notification) => void,
  record: () => boolean,
): Promise<DriveStats> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(PATH, server.url);
  const stats: DriveStats = { latencies: [], alerts: 0, requests: 0, errors: 0, lastError: '' };
  const worker = async (): Promise<void> => {
    for (let item = next(); item; item = next()) {
      const counts = record();
      const started = performance.now();
      let ok = false;
      try {
        const res = await post(agent, url, token, item.body);
        ok = res.status >= 200 && res.status < 300;
        if (!ok) stats.lastError = `${res.status}: ${res.text.slice(0, 300)}`;
      } catch (error) {
        stats.lastError = error instanceof Error ? error.message : String(error);
      }
      const elapsed = performance.now() - started;
      if (ok) accepted(item);
      if (!counts) continue;
      stats.requests += 1;
      stats.latencies.push(elapsed);
      if (ok) stats.alerts += item.fingerprints.length;
      else stats.errors += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return stats;
}

/** A fresh, migrated database with a responder API token for the webhook, as an operator would set it up. */
async function prepare(target: IngestTarget): Promise<string> {
  const database = target.open();
  try {
    await migrateToLatest(database);
    const ctx = createAppContext(database);
    return (await createApiToken(ctx, BENCH_ACTOR, { name: 'alertmanager', role: 'responder' })).token;
  } finally {
    await database.close();
  }
}

async function committed(
  target: IngestTarget,
  ledger: Ledger,
  expectedIncidents: number,
): Promise<Committed & { timelineEvents: number }> {
  const database = target.open();
  try {
    const { db } = database;
    const signals = await db
      .selectFrom('signals')
      .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.sum<string | number>('deliveries').as('d')])
      .executeTakeFirstOrThrow();
    const incidents = await db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    const timeline = await db
      .selectFrom('timeline_events')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    const result = {
      signals: Number(signals.n),
      deliveries: Number(signals.d ?? 0),
      incidents: Number(incidents.n),
      expectedSignals: ledger.fingerprints.size,
      expectedDeliveries: ledger.alerts,
      expectedIncidents,
      timelineEvents: Number(timeline.n),
    };
    return {
      ...result,
      correct:
        result.signals === result.expectedSignals &&
        result.deliveries === result.expectedDeliveries &&
        result.incidents === result.expectedIncidents,
    };
  } finally {
    await database.close();
  }
}

/**
 * Sustained ingestion: `concurrency` keep-alive connections post the {@link NotificationStream} mix (10 alerts per
 * notification) for a warm-up, then for `seconds` measured seconds.
 */
export async function runIngestBench(target: IngestTarget, options: IngestOptions): Promise<IngestResult> {
  const token = await prepare(target);
  const server = await startServe(options.root, target.env, { nodeArgs: serverNodeArgs() });
  const ledger = new Ledger();
  const stream = new NotificationStream(10);
  const accept = (n: Notification): void => {
    ledger.accept(n);
    stream.accepted(n);
  };
  let stats: DriveStats;
  let seconds: number;
  let peakRssMiB: number | null;
  let cpu: number | null;
  try {
    const warmupEnds = performance.now() + options.warmupSeconds * 1000;
    options.progress(`  warm-up ${options.warmupSeconds} s…`);
    await drive(
      server,
      token,
      options.concurrency,
      () => (performance.now() < warmupEnds ? stream.next() : null),
      accept,
      () => false,
    );
    options.progress(`  measuring ${options.seconds} s with ${options.concurrency} connections…`);
    const cpuBefore = cpuSecondsOf(server.pid);
    const started = performance.now();
    const ends = started + options.seconds * 1000;
    stats = await drive(
      server,
      token,
      options.concurrency,
      () => (performance.now() < ends ? stream.next() : null),
      accept,
      () => true,
    );
    seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuSecondsOf(server.pid);
    cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    peakRssMiB = server.memory().peakRss;
  } finally {
    await server.stop();
  }
  const sorted = stats.latencies.sort((a, b) => a - b);
  const check = await committed(target, ledger, ledger.declaring.size);
  return {
    alertsPerSecond: stats.alerts / seconds,
    notificationsPerSecond: (stats.requests - stats.errors) / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: stats.requests,
    errors: stats.errors,
    lastError: stats.lastError,
    seconds,
    serverCpuMsPerNotification:
      cpu === null || stats.requests === stats.errors ? null : (cpu * 1000) / (stats.requests - stats.errors),
    committed: check,
    peakRssMiB,
  };
}

/** Storm layout: 40 alert groups of 50 fingerprints; the first 10 groups are critical, one per service. */
const STORM_GROUPS = 40;
const STORM_CRITICAL_GROUPS = 10;

/**
 * The storm's groups. Critical groups 0–9 are on services storm-00…09, so each declares one incident; warning groups
 * 10–39 are on storm-`g mod 20`: those on storm-00…09 attach to those incidents, those on storm-10…19 find no open
 * incident and are only recorded. Whatever the order of arrival, that is exactly 10 incidents.
 */
function stormGroup(g: number): { alertname: string; service: string; severity: string } {
  const critical = g < STORM_CRITICAL_GROUPS;
  return {
    alertname: critical ? `StormCritical${g}` : `StormWarning${g}`,
    service: `storm-${String(g % 20).padStart(2, '0')}`,
    severity: critical ? 'critical' : 'warning',
  };
}

/**
 * An alert storm: `notifications` single-alert notifications over `fingerprints` alert identities (each re-sent
 * `notifications / fingerprints` times, interleaved in a seeded order), through the same kind of server on a fresh
 * database. The incident count must be {@link STORM_CRITICAL_GROUPS}.
 */
export async function runStormBench(
  target: IngestTarget,
  options: Omit<IngestOptions, 'seconds' | 'warmupSeconds'> & { notifications: number; fingerprints: number },
): Promise<StormResult> {
  const token = await prepare(target);
  const rng = new Random(7);
  const base = Date.now() - 2 * 3_600_000;
  const perGroup = Math.ceil(options.fingerprints / STORM_GROUPS);
  const bodies: Notification[] = [];
  for (let i = 0; i < options.fingerprints; i++) {
    const g = Math.floor(i / perGroup);
    const group = stormGroup(g);
    const fingerprint = `5707${i.toString(16).padStart(12, '0')}`;
    const alert: AlertSpec = {
      fingerprint,
      labels: {
        alertname: group.alertname,
        service: group.service,
        severity: group.severity,
        namespace: 'prod',
        pod: `${group.service}-${i}`,
      },
      summary: `${group.alertname} on ${group.service}-${i}`,
      startsAt: new Date(base + i * 1000).toISOString(),
    };
    bodies.push({
      body: notification(group, [alert], 'firing', () => ZERO_TIME),
      fingerprints: [fingerprint],
      declares: group.severity === 'critical' ? group.service : null,
    });
  }
  const order: number[] = [];
  const rounds = Math.ceil(options.notifications / options.fingerprints);
  for (let r = 0; r < rounds; r++) order.push(...rng.shuffle(bodies.map((_, i) => i)));
  order.length = options.notifications;

  const server = await startServe(options.root, target.env, { nodeArgs: serverNodeArgs() });
  const ledger = new Ledger();
  let stats: DriveStats;
  let seconds: number;
  let memory: { peakRss: number | null; hwm: number | null };
  let cpu: number | null;
  let clientCpu: number;
  try {
    let sent = 0;
    let reported = 0;
    const cpuBefore = cpuSecondsOf(server.pid);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    stats = await drive(
      server,
      token,
      options.concurrency,
      () => {
        if (sent >= order.length) return null;
        if (sent - reported >= 20_000) {
          reported = sent;
          options.progress(`  ${sent} notifications…`);
        }
        return bodies[order[sent++] as number] ?? null;
      },
      (n) => ledger.accept(n),
      () => true,
    );
    seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(clientBefore);
    clientCpu = (client.user + client.system) / 1e6;
    const cpuAfter = cpuSecondsOf(server.pid);
    cpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    memory = server.memory();
  } finally {
    await server.stop();
  }
  const check = await committed(target, ledger, STORM_CRITICAL_GROUPS);
  return {
    notifications: order.length,
    fingerprints: options.fingerprints,
    groups: STORM_GROUPS,
    seconds,
    errors: stats.errors,
    lastError: stats.lastError,
    p99: percentile(
      stats.latencies.sort((a, b) => a - b),
      99,
    ),
    committed: check,
    timelineEvents: check.timelineEvents,
    serverCpuMsPerNotification: cpu === null ? null : (cpu * 1000) / order.length,
    clientCpuMsPerNotification: (clientCpu * 1000) / order.length,
    peakRssMiB: memory.peakRss,
    hwmMiB: memory.hwm,
  };
}
