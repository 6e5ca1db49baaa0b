/**
 * Bulk data for the read benchmarks: a catalog through the use cases, then incidents and timeline events written in
 * chunked transactions through the store repositories (the same row mapping, services and access rows the app
 * writes), so the benchmark reads exactly the shapes production reads. Seeded: every run generates the same data.
 */
import { isDeepStrictEqual } from 'node:util';
import { createService, createTeam } from '../src/app/catalog.js';
import type { AppContext } from '../src/app/context.js';
import { formatIncidentKey } from '../src/domain/incident-key.js';
import type {
  EventKind,
  Incident,
  IncidentStatus,
  IncidentType,
  Marker,
  Principal,
  Severity,
  TimelineEvent,
} from '../src/domain/types.js';
import { newId } from '../src/store/ids.js';
import { repositories } from '../src/store/repositories.js';
import { Random } from './random.js';

export const BENCH_ACTOR: Principal = { kind: 'system', name: 'bench', role: 'admin' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Incidents per transaction: big enough to amortise commits, small enough to keep memory flat. */
const CHUNK = 250;

export const BENCH_SERVICES = [
  { name: 'auth', team: 'platform', tier: 1, dependencies: [] },
  { name: 'ledger', team: 'commerce', tier: 1, dependencies: [] },
  { name: 'notifications', team: 'growth', tier: 3, dependencies: [] },
  { name: 'inventory', team: 'commerce', tier: 2, dependencies: [] },
  { name: 'search', team: 'growth', tier: 2, dependencies: ['inventory'] },
  { name: 'recommendations', team: 'growth', tier: 3, dependencies: ['search'] },
  { name: 'payments', team: 'commerce', tier: 1, dependencies: ['auth', 'ledger'] },
  { name: 'shipping', team: 'commerce', tier: 2, dependencies: ['inventory', 'notifications'] },
  { name: 'checkout', team: 'commerce', tier: 1, dependencies: ['auth', 'payments', 'inventory', 'notifications'] },
  { name: 'billing', team: 'platform', tier: 2, dependencies: ['ledger', 'notifications'] },
  { name: 'web-frontend', team: 'growth', tier: 1, dependencies: ['checkout', 'search', 'recommendations'] },
  { name: 'api-gateway', team: 'platform', tier: 1, dependencies: ['auth', 'checkout', 'search', 'shipping'] },
] as const;

const PEOPLE = [
  'ana',
  'ben',
  'chen',
  'dana',
  'eli',
  'farah',
  'gus',
  'hana',
  'ivan',
  'jo',
  'kofi',
  'lena',
  'mo',
  'nia',
  'omar',
  'pia',
].map((name) => `${name}@example.com`);

const TITLES = [
  'elevated 5xx ratio',
  'p99 latency above SLO',
  'queue backlog growing',
  'pods crash-looping',
  'login failures',
  'stale cache after deploy',
  'connection pool exhausted',
  'certificate expiring',
  'disk almost full',
  'timeouts to upstream provider',
  'error budget burn rate high',
  'replication lag',
];
const ALERTS = [
  'HighErrorRate',
  'HighLatency',
  'QueueBacklog',
  'KubePodCrashLooping',
  'DiskSpaceLow',
  'UpstreamTimeouts',
];
const CHAT = [
  'Looking at the dashboards now, error ratio started climbing a few minutes ago',
  'Rolling back to the previous version to rule the deploy out',
  'Upstream status page is green, but our client sees timeouts on every third call',
  'Scaling consumers from 6 to 12 while we look for the cause',
  'Posted an update on the status page',
  'Error rate back to baseline; keeping an eye on it for another 15 minutes',
  'The slow queries all come from the new report endpoint',
];
const FILLER_KINDS: readonly (readonly [EventKind, number])[] = [
  ['alert', 28],
  ['chat', 30],
  ['change', 8],
  ['log', 10],
  ['metric', 10],
  ['trace', 4],
  ['note', 5],
  ['page', 5],
];

export interface GeneratedDataset {
  incidents: number;
  events: number;
  /** Service names in the catalog, for `service=` filters. */
  services: string[];
  seconds: number;
}

interface Plan {
  incident: Incident;
  events: TimelineEvent[];
}

function eventOf(
  incident: Incident,
  at: number,
  kind: EventKind,
  source: string,
  title: string,
  extra: Partial<TimelineEvent> = {},
): TimelineEvent {
  const createdAt = Math.max(at, Date.parse(incident.declaredAt));
  return {
    id: newId(at),
    incidentId: incident.id,
    at: new Date(at).toISOString(),
    kind,
    source,
    title,
    body: '',
    labels: {},
    dedupeKey: null,
    marker: null,
    pinned: false,
    artifactId: null,
    count: 1,
    actor: null,
    createdAt: new Date(createdAt).toISOString(),
    ...extra,
  };
}

class IncidentFactory {
  private lastDeclared = 0;

  constructor(
    private readonly rng: Random,
    private readonly now: number,
    private readonly total: number,
    private readonly eventsPerIncident: (n: number) => number,
  ) {}

  plan(number: number): Plan {
    const { rng, now } = this;
    const span = 3 * 365 * DAY;
    const base = now - span + ((number - 0.5) / this.total) * span;
    const severity = rng.weighted<Severity>([
      ['SEV1', 3],
      ['SEV2', 15],
      ['SEV3', 45],
      ['SEV4', 37],
    ]);
    const type = rng.weighted<IncidentType>([
      ['standard', 88],
      ['security', 4],
      ['near_miss', 5],
      ['exercise', 3],
    ]);
    const services = [
      ...new Set([rng.pick(BENCH_SERVICES).name, ...(rng.chance(0.4) ? [rng.pick(BENCH_SERVICES).name] : [])]),
    ].sort();
    const primary = services[0] ?? 'checkout';

    const impact = Math.round(base / 1000) * 1000;
    const detected = impact + rng.int(2, 40) * MINUTE;
    const acknowledged = detected + rng.int(1, 5) * MINUTE;
    const declared = Math.max(acknowledged + rng.int(1, 8) * MINUTE, this.lastDeclared + 1000);
    this.lastDeclared = declared;
    const rolesAt = declared + rng.int(1, 3) * MINUTE;
    const mitigated = rolesAt + rng.int(10, 200) * MINUTE;
    const resolved = mitigated + rng.int(15, 600) * MINUTE;
    const closed = resolved + rng.int(1, 10) * DAY;

    let status: IncidentStatus;
    if (now - declared < 2 * DAY) status = rng.pick(['investigating', 'mitigated'] as const);
    else
      status = rng.weighted<IncidentStatus>([
        ['closed', 70],
        ['resolved', 22],
        ['mitigated', 4],
        ['investigating', 4],
      ]);
    if (status === 'closed' && closed > now) status = 'resolved';
    if (status === 'resolved' && resolved > now) status = 'mitigated';
    if (status === 'mitigated' && mitigated > now) status = 'investigating';

    const declaredBy = rng.pick(PEOPLE);
    const commander = rng.pick(PEOPLE);
    const scribe = rng.pick(PEOPLE);
    const priv = type === 'security' || rng.chance(0.02);
    const iso = (ms: number) => new Date(ms).toISOString();
    const lastChange =
      status === 'closed' ? closed : status === 'resolved' ? resolved : status === 'mitigated' ? mitigated : rolesAt;
    const incident: Incident = {
      id: newId(declared),
      number,
      key: formatIncidentKey(number),
      title: `${primary}: ${rng.pick(TITLES)}`,
      summary: `Customers of ${primary} were affected; see the timeline for details.`,
      severity,
      type,
      visibility: priv ? 'private' : 'public',
      status,
      services,
      customerImpact:
        type === 'near_miss' || type === 'exercise'
          ? 'None.'
          : `About ${rng.int(1, 30)}% of ${primary} requests failed.`,
      roles: { commander, scribe, communications: severity === 'SEV1' ? rng.pick(PEOPLE) : null },
      members: priv ? [rng.pick(PEOPLE), rng.pick(PEOPLE)].filter((m, i, all) => all.indexOf(m) === i) : [],
      impactStartedAt: type === 'near_miss' ? null : iso(impact),
      detectedAt: iso(detected),
      acknowledgedAt: iso(acknowledged),
      mitigatedAt: status === 'investigating' ? null : iso(mitigated),
      resolvedAt: status === 'resolved' || status === 'closed' ? iso(resolved) : null,
      closedAt: status === 'closed' ? iso(closed) : null,
      declaredAt: iso(declared),
      declaredBy,
      createdAt: iso(declared),
      updatedAt: iso(lastChange),
      version: 1,
    };

    const events: TimelineEvent[] = [];
    const statusEvent = (at: number, title: string, marker: Marker | null, actor = declaredBy) =>
      eventOf(incident, at, 'status', 'debrief', title, { marker, actor });
    events.push(statusEvent(declared, `Declared ${incident.key} (${severity}): ${incident.title}`, null));
    if (incident.impactStartedAt) {
      events.push(statusEvent(impact, 'Impact started', 'impact_start', declaredBy));
      const last = events.at(-1);
      if (last) last.dedupeKey = 'lifecycle:impact_start';
    }
    const alertname = rng.pick(ALERTS);
    events.push(
      eventOf(incident, detected, 'alert', 'alertmanager', `${alertname} firing: ${primary}`, {
        marker: 'detected',
        labels: {
          alertname,
          service: primary,
          severity: severity === 'SEV1' || severity === 'SEV2' ? 'critical' : 'warning',
        },
        dedupeKey: `alertmanager:${alertname}:${primary}:0`,
      }),
    );
    events.push(
      eventOf(incident, acknowledged, 'page', 'pagerduty', `${commander} acknowledged the page`, {
        marker: 'acknowledged',
      }),
    );
    events.push(statusEvent(rolesAt, `Roles: commander: ${commander}, scribe: ${scribe}`, null));
    const bumps: [number, Marker | null, string][] = [];
    if (incident.mitigatedAt) bumps.push([mitigated, 'mitigated', 'Status: Investigating → Mitigated']);
    if (incident.resolvedAt) bumps.push([resolved, 'resolved', 'Status: Mitigated → Resolved']);
    if (incident.closedAt) bumps.push([closed, null, 'Status: Resolved → Closed']);
    for (const [at, marker, title] of bumps) events.push(statusEvent(at, title, marker, commander));
    // Version: declare, impact/detect/ack markers applied, roles, then one per status change.
    incident.version = 4 + bumps.length;

    const end =
      status === 'investigating'
        ? Math.min(now, mitigated)
        : status === 'mitigated'
          ? Math.min(now, resolved)
          : resolved;
    const target = this.eventsPerIncident(number);
    for (let i = events.length; i < target; i++) {
      const at = impact - 30 * MINUTE + Math.floor(rng.next() * (end - impact + 30 * MINUTE));
      const kind = rng.weighted(FILLER_KINDS);
      const service = rng.pick(services);
      switch (kind) {
        case 'alert': {
          const name = rng.pick(ALERTS);
          events.push(
            eventOf(incident, at, kind, 'alertmanager', `${name} firing: ${service} ${rng.int(2, 150) / 10}%`, {
              body: `${name} for ${service}: value above threshold for 5 minutes.\nRunbook: https://runbooks.example.com/${service}`,
              labels: { alertname: name, service, severity: 'warning' },
              dedupeKey: `alertmanager:${name}:${service}:${i}`,
            }),
          );
          break;
        }
        case 'chat': {
          const who = rng.pick(PEOPLE);
          const text = rng.pick(CHAT);
          events.push(
            eventOf(incident, at, kind, 'slack', `${who}: ${text}`, {
              body: text,
              labels: { channel: `#inc-${number}`, user: who },
            }),
          );
          break;
        }
        case 'change': {
          const version = `v${rng.int(1, 5)}.${rng.int(0, 40)}.${rng.int(0, 9)}`;
          events.push(
            eventOf(incident, at, kind, rng.pick(['argo', 'github']), `Deployed ${service} ${version} to production`, {
              body: `argocd app sync ${service}-prod\nimage: registry.example.com/${service}:${version}`,
              labels: { service, version, environment: 'production' },
              pinned: rng.chance(0.3),
            }),
          );
          break;
        }
        case 'log':
          events.push(
            eventOf(
              incident,
              at,
              kind,
              'loki',
              `${service}: ERROR upstream request failed (${rng.int(10, 900)} in 1m)`,
              {
                body: `level=error msg="upstream request failed" service=${service} status=503 duration_ms=${rng.int(1000, 30000)}`,
                labels: { service },
              },
            ),
          );
          break;
        case 'metric':
          events.push(
            eventOf(incident, at, kind, 'prometheus', `${service} 5xx ratio ${rng.int(2, 150) / 10}%`, {
              labels: { service },
            }),
          );
          break;
        case 'trace':
          events.push(
            eventOf(incident, at, kind, 'tempo', `Slow trace: ${service} POST /orders ${rng.int(2, 30)} s`, {
              labels: { service },
            }),
          );
          break;
        case 'note':
          events.push(
            eventOf(incident, at, kind, 'debrief', 'Handing over to the next on-call', { actor: rng.pick(PEOPLE) }),
          );
          break;
        default:
          events.push(eventOf(incident, at, kind, 'pagerduty', `Paged ${rng.pick(PEOPLE)} (secondary)`));
      }
    }
    return { incident, events };
  }
}

/**
 * Creates the catalog and `incidents` incidents with about `events` timeline events in total.
 *
 * @example
 * const data = await generateDataset(ctx, { incidents: 10_000, events: 500_000, progress: console.error });
 */
export async function generateDataset(
  ctx: AppContext,
  options: { incidents: number; events: number; seed?: number; progress?: (line: string) => void },
): Promise<GeneratedDataset> {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  for (const team of ['platform', 'commerce', 'growth']) await createTeam(ctx, BENCH_ACTOR, { name: team });
  for (const s of BENCH_SERVICES) {
    await createService(ctx, BENCH_ACTOR, { ...s, dependencies: [...s.dependencies], owners: ['ana@example.com'] });
  }

  const now = Math.floor(ctx.now().getTime() / HOUR) * HOUR;
  const per = Math.floor(options.events / options.incidents);
  const extra = options.events - per * options.incidents;
  const factory = new IncidentFactory(
    new Random(options.seed ?? 20_261_120),
    now,
    options.incidents,
    (n) => per + (n <= extra ? 1 : 0),
  );
  let events = 0;
  const samples: Plan[] = [];
  for (let first = 1; first <= options.incidents; first += CHUNK) {
    const last = Math.min(options.incidents, first + CHUNK - 1);
    const plans: Plan[] = [];
    for (let n = first; n <= last; n++) plans.push(factory.plan(n));
    await ctx.database.db.transaction().execute(async (trx) => {
      const repos = repositories(trx, ctx.database.dialect);
      for (const { incident } of plans) await repos.incidents.insert(incident);
      await repos.timeline.insertMany(plans.flatMap((p) => p.events));
    });
    events += plans.reduce((sum, p) => sum + p.events.length, 0);
    if (samples.length < 5) samples.push(plans[Math.floor(plans.length / 2)] as Plan);
    progress(`  ${ctx.database.dialect}: ${last}/${options.incidents} incidents, ${events} events`);
  }
  // What the next declaration would allocate; the app keeps this counter in step with the incidents.
  const counter = await ctx.database.db
    .selectFrom('counters')
    .select('value')
    .where('name', '=', 'incident')
    .executeTakeFirst();
  if (counter)
    await ctx.database.db
      .updateTable('counters')
      .set({ value: options.incidents })
      .where('name', '=', 'incident')
      .execute();
  else await ctx.database.db.insertInto('counters').values({ name: 'incident', value: options.incidents }).execute();

  await checkRoundTrip(ctx, samples);
  const services = BENCH_SERVICES.map((s) => s.name);
  return { incidents: options.incidents, events, services, seconds: (performance.now() - started) / 1000 };
}

/** Reads a few generated incidents back through the repositories: the benchmark must read what it meant to write. */
async function checkRoundTrip(ctx: AppContext, samples: readonly Plan[]): Promise<void> {
  const repos = repositories(ctx.database.db, ctx.database.dialect);
  for (const { incident, events } of samples) {
    const stored = await repos.incidents.findByNumber(incident.number);
    if (!isDeepStrictEqual(stored, incident)) {
      throw new Error(
        `generated ${incident.key} does not read back as written:\n${JSON.stringify({ stored, incident })}`,
      );
    }
    const timeline = await repos.timeline.list(incident.id);
    const expected = [...events].sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? -1 : 1));
    if (!isDeepStrictEqual(timeline, expected))
      throw new Error(`the timeline of ${incident.key} does not read back as written`);
  }
}
