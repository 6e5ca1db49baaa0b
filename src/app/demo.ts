/**
 * Demo data: a small, believable organisation with three months of incidents, loaded by `debrief serve --demo` so
 * a first look at Debrief shows real timelines, durations and lists.
 *
 * Everything goes through the use cases, so every row is valid and audited exactly as if people had done it, and
 * each call runs on a clock set to the moment it happened, which back-dates the incidents. Alerts arrive as
 * Alertmanager webhooks through the alert pipeline (signals, routing, folding) and deploys and config changes through
 * the changes API (with the everyday changes around each incident), so alert lists and change suspects are real too.
 * Resolving an incident composes its postmortem draft; the demo people then write and review most of the older ones
 * (demo-postmortems.ts), acting as themselves.
 * The whole plan is drawn from a seeded generator before anything is written, and runs as one history in calendar
 * order: the same `now` always gives the same data.
 */
import { SeededRandom } from '../domain/seeded-random.js';
import type { IncidentType, Principal, Severity, UserRole } from '../domain/types.js';
import { alertFingerprint, parseAlertmanager } from '../ingest/alertmanager.js';
import { parseChangeEvent } from '../ingest/change.js';
import type { ChangeKind } from '../ingest/types.js';
import { ingestAlerts } from './alerts.js';
import { createService, createTeam, updateTeam } from './catalog.js';
import { changeSubject, recordChange, type Change, type RecordChangeInput } from './changes.js';
import { read, type AppContext } from './context.js';
import { loadDemoPostmortems, type DemoIncident } from './demo-postmortems.js';
import { createUser } from './identity.js';
import {
  assignIncidentRoles,
  changeIncidentStatus,
  declareIncident,
  getIncident,
  updateIncident,
} from './incidents.js';
import type { AddTimelineEventInput, ChangeStatusInput, DeclareIncidentInput } from './inputs.js';
import { addTimelineEvent, listTimeline, updateTimelineEvent } from './timeline.js';

export interface DemoResult {
  /** False when the database already had incidents and nothing was written. */
  loaded: boolean;
  incidents: number;
  services: number;
  signIn: { email: string; password: string };
}

export interface DemoOptions {
  /** The demo's "now"; defaults to the context clock rounded down to the hour. */
  now?: Date;
  /** Progress lines for people watching the first start. */
  log?: (line: string) => void;
}

export const DEMO_SIGN_IN = { email: 'demo@debrief.local', password: 'debrief-demo' } as const;

const DEMO_ACTOR: Principal = { kind: 'system', name: 'demo', role: 'admin' };
const SEED = 0xdeb41ef;
/** Mixed into the seed for the details drawn since the first version, so the incidents themselves stayed the same. */
const EXTRA_SEED = 0x5eed;
const INCIDENT_COUNT = 40;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Demo timestamps look hand-made: whole seconds. */
class Rng extends SeededRandom {
  /** A duration in whole seconds between `min` and `max` minutes. */
  minutes(min: number, max: number): number {
    return this.int(min * 60, max * 60) * SECOND;
  }
}

interface Person {
  email: string;
  name: string;
  handle: string;
  role: UserRole;
  team: string;
}

const DEMO_ADMIN: Person = {
  email: DEMO_SIGN_IN.email,
  name: 'Demo Admin',
  handle: 'demo',
  role: 'admin',
  team: 'platform',
};

const PEOPLE: readonly Person[] = [
  { email: 'ana.souza@debrief.local', name: 'Ana Souza', handle: 'ana', role: 'responder', team: 'commerce' },
  { email: 'ben.okafor@debrief.local', name: 'Ben Okafor', handle: 'ben', role: 'responder', team: 'platform' },
  { email: 'chen.wei@debrief.local', name: 'Chen Wei', handle: 'chen', role: 'reviewer', team: 'discovery' },
  { email: 'dana.kowalski@debrief.local', name: 'Dana Kowalski', handle: 'dana', role: 'reviewer', team: 'platform' },
  { email: 'eli.haddad@debrief.local', name: 'Eli Haddad', handle: 'eli', role: 'reviewer', team: 'commerce' },
  { email: 'farah.nasser@debrief.local', name: 'Farah Nasser', handle: 'farah', role: 'responder', team: 'discovery' },
];

/** Who handles security incidents: they are private to these people and whoever holds a role. */
const SECURITY_TEAM = ['ben.okafor@debrief.local', 'eli.haddad@debrief.local'];

/** Who takes the communications role on major incidents. */
const COMMUNICATIONS_LEADS = ['chen.wei@debrief.local', 'eli.haddad@debrief.local'];

const TEAMS = [
  { name: 'commerce', displayName: 'Commerce' },
  { name: 'platform', displayName: 'Platform' },
  { name: 'discovery', displayName: 'Discovery & Messaging' },
] as const;

/** Each team's members: the people whose `team` it is. */
const membersOf = (team: string): string[] =>
  [DEMO_ADMIN, ...PEOPLE].filter((p) => p.team === team).map((p) => p.email);

/**
 * In dependency order, so each service's dependencies exist when it is created. Every service has a reviewer among
 * its owners, who can give the owner approval major incidents' postmortems need.
 */
const SERVICES = [
  {
    name: 'auth',
    displayName: 'Auth',
    team: 'platform',
    tier: 1,
    description: 'Sign-in, SSO (SAML and OIDC) and session tokens for the web and mobile apps.',
    owners: ['ben.okafor@debrief.local', 'dana.kowalski@debrief.local'],
    dependencies: [],
  },
  {
    name: 'notifications',
    displayName: 'Notifications',
    team: 'discovery',
    tier: 3,
    description: 'Email, SMS and push delivery through external providers.',
    owners: ['farah.nasser@debrief.local', 'chen.wei@debrief.local'],
    dependencies: [],
  },
  {
    name: 'search',
    displayName: 'Search',
    team: 'discovery',
    tier: 2,
    description: 'Product search and autocomplete on an Elasticsearch cluster.',
    owners: ['chen.wei@debrief.local', 'farah.nasser@debrief.local'],
    dependencies: [],
  },
  {
    name: 'payments',
    displayName: 'Payments',
    team: 'commerce',
    tier: 1,
    description: 'Card authorisation, capture and refunds through the card processor.',
    owners: ['eli.haddad@debrief.local', 'ana.souza@debrief.local'],
    dependencies: ['auth'],
  },
  {
    name: 'checkout',
    displayName: 'Checkout',
    team: 'commerce',
    tier: 1,
    description: 'Cart, order placement and order confirmation.',
    owners: ['ana.souza@debrief.local', 'eli.haddad@debrief.local'],
    dependencies: ['auth', 'notifications', 'payments'],
  },
  {
    name: 'api-gateway',
    displayName: 'API gateway',
    team: 'platform',
    tier: 1,
    description: 'Edge routing, TLS termination and rate limiting for the public APIs.',
    owners: ['dana.kowalski@debrief.local', 'ben.okafor@debrief.local'],
    dependencies: ['auth', 'checkout', 'search'],
  },
] as const;

const TEAM_OF: Readonly<Record<string, string>> = Object.fromEntries(SERVICES.map((s) => [s.name, s.team]));

/** Numbers drawn once per incident, so a scenario's texts agree with each other. */
export interface Vars {
  version: string;
  previous: string;
  pct: string;
  p99: string;
  depth: number;
  hours: number;
  pr: number;
  sha: string;
  impactMinutes: number;
}

/**
 * A deploy, config change or flag flip, recorded through the changes API as a CI/CD system would send it. The
 * description's first line says what changed (it ends up in the title), the rest how it was applied.
 */
interface ChangeText {
  kind: ChangeKind;
  service: string;
  version?: string;
  /** Production unless said otherwise. */
  environment?: string;
  description: string;
  url?: string;
  author?: string;
  /**
   * Not a change to a running system (a commit to an examples repository, a tabletop's make-believe): it only goes
   * on the timeline, under this source and title, and never becomes a suspect.
   */
  timelineOnly?: { source: string; title: string };
}

interface Scenario {
  type: IncidentType;
  title: string;
  /** The first one is where the alert fires. */
  services: readonly string[];
  /** Drawn uniformly, so repeating a severity weights it. */
  severities: readonly Severity[];
  alert: { name: string; text: (v: Vars) => string };
  secondAlert?: { name: string; service: string; text: (v: Vars) => string };
  /** The deploy or config change behind the incident (or one that looked like it). */
  cause?: (v: Vars) => ChangeText;
  causePinned?: boolean;
  /** The signal at its worst, as a metric event. */
  peak: (v: Vars) => string;
  chat: readonly ((v: Vars) => string)[];
  mitigation: (v: Vars) => ChangeText;
  mitigatedNote: (v: Vars) => string;
  resolvedNote: (v: Vars) => string;
  summary: (v: Vars) => string;
  impact: (v: Vars) => string;
}

const argoUrl = (app: string): string => `https://argocd.example.com/applications/${app}`;

const deploy = (service: string, v: Pick<Vars, 'version' | 'sha'>, what = ''): ChangeText => ({
  kind: 'deploy',
  service,
  version: v.version,
  description: `${what || 'Argo CD sync'}\nargocd app sync ${service}-prod\nrevision: ${v.sha}\nimage: registry.example.com/${service}:${v.version}`,
  url: argoUrl(`${service}-prod`),
  author: 'argocd',
});

const rollback = (service: string, v: Vars): ChangeText => ({
  kind: 'deploy',
  service,
  version: v.previous,
  description: `Rollback from ${v.version}\nargocd app rollback ${service}-prod\nfrom: ${v.version}\nto: ${v.previous}`,
  url: argoUrl(`${service}-prod`),
  author: 'argocd',
});

const merged = (
  repo: string,
  service: string,
  v: Pick<Vars, 'pr' | 'sha'>,
  what: string,
  kind: ChangeKind = 'config',
): ChangeText => ({
  kind,
  service,
  version: `#${v.pr}`,
  description: `${what}\nMerged acme/${repo}#${v.pr}, merge commit ${v.sha}, applied to production by CI`,
  url: `https://github.com/acme/${repo}/pull/${v.pr}`,
  author: 'github-actions',
});

/** A merged pull request that changed nothing running: a tabletop exercise's scenario steps. */
const onPaper = (repo: string, service: string, v: Pick<Vars, 'pr' | 'sha'>, what: string): ChangeText => ({
  ...merged(repo, service, v, what),
  timelineOnly: { source: 'github', title: `Merged acme/${repo}#${v.pr}: ${what}` },
});

const SCENARIOS: readonly Scenario[] = [
  {
    type: 'standard',
    title: 'Checkout 5xx spike after payments deploy',
    services: ['checkout', 'payments'],
    severities: ['SEV1', 'SEV2'],
    alert: { name: 'HighErrorRate', text: (v) => `checkout 5xx ratio ${v.pct}%` },
    secondAlert: {
      name: 'PaymentsAuthErrors',
      service: 'payments',
      text: () => 'payments authorisation errors above 2%',
    },
    cause: (v) => deploy('payments', v),
    causePinned: true,
    peak: (v) => `checkout 5xx ratio peaked at ${v.pct}% (baseline 0.2%)`,
    chat: [
      () => 'All the 5xx are on POST /orders, and they all say "payment authorisation failed"',
      (v) => `payments ${v.version} went out a few minutes before the spike, looks related`,
      (v) => `Rolling back payments to ${v.previous}`,
    ],
    mitigation: (v) => rollback('payments', v),
    mitigatedNote: (v) => `Rolled back payments to ${v.previous}; checkout error ratio back under 0.5%`,
    resolvedNote: (v) =>
      `Error ratio at baseline for an hour. ${v.version} changed the processor timeout default; fix is in review`,
    summary: () => 'Orders failed at checkout because payment authorisations were rejected after a payments deploy.',
    impact: (v) =>
      `About ${v.pct}% of checkout attempts failed for ${v.impactMinutes} minutes; customers saw "payment could not be processed".`,
  },
  {
    type: 'standard',
    title: 'Search latency p99 above 2 s',
    services: ['search', 'api-gateway'],
    severities: ['SEV3', 'SEV4', 'SEV2', 'SEV4'],
    alert: { name: 'SearchLatencyHigh', text: (v) => `search p99 latency ${v.p99} s (threshold 2 s)` },
    cause: (v) => merged('search', 'search', v, 'enable fuzzy matching for product queries', 'flag'),
    causePinned: true,
    peak: (v) => `search p99 latency peaked at ${v.p99} s`,
    chat: [
      () => 'CPU on the search data nodes is pinned at 95%',
      () => 'The slow queries all carry the new fuzzy clause',
      () => 'Turning off the search.fuzzy-matching flag',
    ],
    mitigation: (v) =>
      merged('search', 'search', { ...v, pr: v.pr + 1 }, 'disable search.fuzzy-matching in production', 'flag'),
    mitigatedNote: () => 'Fuzzy matching disabled; p99 back to 400 ms',
    resolvedNote: () => 'Latency normal for two hours. Fuzzy matching needs a query budget before it comes back',
    summary: () => 'Product search slowed down sharply after fuzzy matching was enabled for all queries.',
    impact: (v) =>
      `Search took more than 2 s for the slowest 1% of queries for ${v.impactMinutes} minutes; some requests timed out.`,
  },
  {
    type: 'standard',
    title: 'Expired TLS certificate on api-gateway',
    services: ['api-gateway'],
    severities: ['SEV1', 'SEV2'],
    alert: { name: 'ProbeFailure', text: () => 'api-gateway TLS handshake failing from 3/3 probe regions' },
    secondAlert: {
      name: 'HighErrorRate',
      service: 'api-gateway',
      text: (v) => `api-gateway request failures ${v.pct}%`,
    },
    cause: (v) => merged('infra', 'api-gateway', v, 'move api-gateway certificates to the new ClusterIssuer'),
    causePinned: true,
    peak: () => 'Successful TLS handshakes on api.example.com dropped to 0%',
    chat: [
      () => 'The certificate for api.example.com expired at 00:00 UTC',
      () => 'cert-manager has failed to renew since the issuer move: the ACME account was never registered',
      () => 'Issuing the certificate by hand and restarting the gateway pods',
    ],
    mitigation: (v) => ({
      kind: 'deploy',
      service: 'api-gateway',
      description: `Restarted api-gateway with the renewed certificate\nargocd app actions run api-gateway-prod restart\nrevision: ${v.sha}`,
      url: argoUrl('api-gateway-prod'),
      author: 'argocd',
    }),
    mitigatedNote: () => 'New certificate served by every gateway pod; probes green',
    resolvedNote: () => 'Renewal works again with the registered ACME account; expiry alert added at 21 days',
    summary: () =>
      'The public API certificate expired because automatic renewal had silently failed since an issuer change.',
    impact: (v) => `All API clients and the mobile app failed TLS handshakes for ${v.impactMinutes} minutes.`,
  },
  {
    type: 'standard',
    title: 'Notification queue backlog',
    services: ['notifications'],
    severities: ['SEV3', 'SEV4', 'SEV4'],
    alert: { name: 'QueueBacklog', text: (v) => `notifications queue depth ${v.depth}k messages` },
    cause: (v) => deploy('notifications', v, 'batched sends'),
    causePinned: true,
    peak: (v) => `notifications queue depth peaked at ${v.depth}k messages, oldest 41 minutes`,
    chat: [
      (v) => `Consumers are healthy but throughput halved after ${v.version}`,
      () => 'The new batching code waits for full batches of 500 before sending',
      () => 'Scaling consumers to 12 and rolling back',
    ],
    mitigation: (v) => rollback('notifications', v),
    mitigatedNote: () => 'Backlog draining at 3k messages a minute',
    resolvedNote: () => 'Queue empty; batching will flush on a timer as well as on size',
    summary: () => 'Notifications were delayed because a batching change held messages until batches filled up.',
    impact: (v) => `Order and password-reset emails arrived up to ${v.impactMinutes} minutes late.`,
  },
  {
    type: 'standard',
    title: 'Login failures for SSO users',
    services: ['auth'],
    severities: ['SEV2', 'SEV3'],
    alert: { name: 'LoginFailureRate', text: (v) => `auth SSO login failure ratio ${v.pct}%` },
    cause: (v) => merged('auth', 'auth', v, 'rotate the SAML signing certificate'),
    causePinned: true,
    peak: (v) => `SSO login failures peaked at ${v.pct}%`,
    chat: [
      () => 'Only SAML logins fail; password logins are fine',
      () => 'The identity provider still has our old certificate: we rotated before they imported the new metadata',
      () => 'Adding the old certificate back as a secondary signing key',
    ],
    mitigation: (v) => merged('auth', 'auth', { ...v, pr: v.pr + 1 }, 'revert SAML signing certificate rotation'),
    mitigatedNote: () => 'SSO logins succeeding again with the old certificate restored',
    resolvedNote: () => 'Rotation rescheduled with a two-week overlap and the customer IdP admins notified',
    summary: () =>
      'Enterprise customers could not sign in with SSO after a signing certificate was rotated without overlap.',
    impact: (v) => `Users of 37 enterprise accounts could not sign in with SSO for ${v.impactMinutes} minutes.`,
  },
  {
    type: 'standard',
    title: 'Card authorisations timing out at payment processor',
    services: ['payments', 'checkout'],
    severities: ['SEV1', 'SEV2', 'SEV3'],
    alert: { name: 'UpstreamTimeouts', text: (v) => `payments processor timeouts ${v.pct}%` },
    secondAlert: { name: 'HighLatency', service: 'checkout', text: (v) => `checkout p99 latency ${v.p99} s` },
    cause: (v) => deploy('payments', v, 'connection pool settings'),
    causePinned: true,
    peak: (v) => `processor timeouts peaked at ${v.pct}%, pool wait p99 9.8 s`,
    chat: [
      () => "The processor's status page is green",
      (v) => `The connection pool is exhausted: max 20 since ${v.version}, it was 200`,
      () => 'Rolling back; opening a ticket with the processor anyway',
    ],
    mitigation: (v) => rollback('payments', v),
    mitigatedNote: () => 'Pool back to 200 connections; timeouts gone',
    resolvedNote: () => 'Pool size now comes from one validated config value',
    summary: () => 'Card payments timed out because a deploy shrank the connection pool to the processor.',
    impact: (v) => `${v.pct}% of card payments failed or were retried for ${v.impactMinutes} minutes.`,
  },
  {
    type: 'standard',
    title: 'Search index stale after failed reindex job',
    services: ['search'],
    severities: ['SEV3', 'SEV4', 'SEV4'],
    alert: { name: 'IndexFreshness', text: (v) => `search index ${v.hours} h behind the catalog` },
    cause: (v) => deploy('search', v, 'indexer mapping change'),
    causePinned: true,
    peak: (v) => `index lag reached ${v.hours} h; 1.4k products missing from results`,
    chat: [
      () => 'The nightly reindex fails on a mapping conflict for the "price" field',
      () => "Pointing the products alias back to yesterday's index",
    ],
    mitigation: (v) => ({
      kind: 'config',
      service: 'search',
      description: `Switched the products alias back to products-v41\nargocd app sync search-jobs-prod --resource alias-switch\nrevision: ${v.sha}`,
      url: argoUrl('search-jobs-prod'),
      author: 'argocd',
    }),
    mitigatedNote: () => 'Results served from the last good index; new products still missing',
    resolvedNote: () => 'Mapping fixed and a full reindex completed',
    summary: () => 'New and changed products were missing from search after the reindex job started failing.',
    impact: (v) => `Searches missed new products and showed stale prices for about ${v.hours} hours.`,
  },
  {
    type: 'standard',
    title: 'Elevated 429s from api-gateway rate limiter',
    services: ['api-gateway', 'checkout'],
    severities: ['SEV3', 'SEV4', 'SEV4'],
    alert: { name: 'RateLimitRejections', text: (v) => `api-gateway 429 ratio ${v.pct}%` },
    cause: (v) => merged('gateway-config', 'api-gateway', v, 'per-client rate limits'),
    causePinned: true,
    peak: (v) => `429 responses peaked at ${v.pct}% of mobile traffic`,
    chat: [
      () => "The mobile app's shared client id hits the new per-client limit",
      () => 'Raising the limit for the mobile client id while we work out per-device keys',
    ],
    mitigation: (v) =>
      merged('gateway-config', 'api-gateway', { ...v, pr: v.pr + 1 }, 'raise the limit for the mobile client'),
    mitigatedNote: () => '429 ratio back under 0.1%',
    resolvedNote: () => 'Limits now keyed per device for the mobile app',
    summary: () => 'Mobile users were throttled because the new rate limits counted all of them as one client.',
    impact: (v) => `Mobile app users saw "too many requests" errors for ${v.impactMinutes} minutes.`,
  },
  {
    type: 'standard',
    title: 'Duplicate order confirmation emails',
    services: ['notifications', 'checkout'],
    severities: ['SEV4', 'SEV4', 'SEV3'],
    alert: { name: 'EmailSendRateAnomaly', text: () => 'notifications email send rate 3.1x baseline' },
    cause: (v) => deploy('notifications', v, 'provider retry logic'),
    causePinned: true,
    peak: () => 'email sends peaked at 3.4x the usual rate',
    chat: [
      () => 'Support reports customers getting two to four confirmation emails',
      (v) => `Retries are not idempotent since ${v.version}: the provider answers 202 late and we send again`,
    ],
    mitigation: (v) => rollback('notifications', v),
    mitigatedNote: () => 'No more duplicates after the rollback',
    resolvedNote: () => 'Sends now carry an idempotency key',
    summary: () => 'Customers received duplicate order confirmations after a change to provider retries.',
    impact: () => 'About 18k customers received two to four copies of their order confirmation.',
  },
  {
    type: 'standard',
    title: 'Token refresh errors on the mobile app',
    services: ['auth'],
    severities: ['SEV3', 'SEV4'],
    alert: { name: 'TokenRefreshErrors', text: (v) => `auth refresh_token errors ${v.pct}%` },
    cause: (v) => deploy('auth', v, 'audience check'),
    causePinned: true,
    peak: (v) => `refresh errors peaked at ${v.pct}% of mobile sessions`,
    chat: [
      (v) => `Refresh tokens issued before ${v.version} fail the new audience check`,
      (v) => `Rolling back auth to ${v.previous}`,
    ],
    mitigation: (v) => rollback('auth', v),
    mitigatedNote: () => 'Refreshes succeed again',
    resolvedNote: () => 'Audience check re-released with a grace period for old tokens',
    summary: () => 'Mobile users were signed out because refresh tokens issued before a deploy were rejected.',
    impact: (v) => `Mobile users were signed out and had to log in again for ${v.impactMinutes} minutes.`,
  },
  {
    type: 'standard',
    title: 'Checkout latency regression after schema migration',
    services: ['checkout'],
    severities: ['SEV3', 'SEV4', 'SEV4'],
    alert: { name: 'HighLatency', text: (v) => `checkout p99 latency ${v.p99} s` },
    cause: (v) => merged('checkout', 'checkout', v, 'migration drops unused index on orders', 'deploy'),
    causePinned: true,
    peak: (v) => `checkout p99 latency peaked at ${v.p99} s`,
    chat: [
      () => 'Sequential scans on orders since the migration ran',
      () => 'The index was used by the order history query after all',
      () => 'Recreating the index concurrently',
    ],
    mitigation: (v) =>
      merged('checkout', 'checkout', { ...v, pr: v.pr + 1 }, 'recreate index orders_customer_id_created_at', 'deploy'),
    mitigatedNote: () => 'Index rebuilt; latency normal',
    resolvedNote: () => 'Migrations that drop indexes now need a query-plan check in review',
    summary: () => 'Checkout slowed down after a migration dropped an index that was still in use.',
    impact: (v) => `Order history and checkout pages were slow (p99 ${v.p99} s) for ${v.impactMinutes} minutes.`,
  },
  {
    type: 'standard',
    title: 'Checkout pods restarting from a memory leak',
    services: ['checkout'],
    severities: ['SEV3', 'SEV4'],
    alert: { name: 'KubePodCrashLooping', text: () => 'checkout pods OOMKilled 14 times in 30 minutes' },
    cause: (v) => deploy('checkout', v),
    causePinned: true,
    peak: () => 'checkout pod memory grew 40 MB a minute until OOMKilled',
    chat: [
      (v) => `Memory climbs steadily since ${v.version}; the heap is full of cached cart objects`,
      (v) => `Rolling back checkout to ${v.previous}`,
    ],
    mitigation: (v) => rollback('checkout', v),
    mitigatedNote: () => 'Memory flat after the rollback',
    resolvedNote: () => 'Cart cache now bounded; fix released',
    summary: () => 'Checkout pods kept restarting because an unbounded cache leaked memory.',
    impact: () => 'Some customers lost their cart or saw errors while pods restarted.',
  },
  {
    type: 'standard',
    title: 'SMS delivery delayed by provider outage',
    services: ['notifications', 'auth'],
    severities: ['SEV3', 'SEV4'],
    alert: { name: 'ProviderErrors', text: (v) => `notifications SMS provider 5xx ratio ${v.pct}%` },
    secondAlert: {
      name: 'OtpDeliveryLatency',
      service: 'auth',
      text: () => 'one-time code delivery p95 above 2 minutes',
    },
    cause: (v) => deploy('notifications', v, 'template copy changes'),
    causePinned: false,
    peak: (v) => `SMS provider errors peaked at ${v.pct}%`,
    chat: [
      () => "The provider's status page confirms an outage in EU routes",
      (v) => `Our ${v.version} deploy is only copy changes, not related`,
      () => 'Failing over SMS to the secondary provider',
    ],
    mitigation: (v) => merged('notifications', 'notifications', v, 'route SMS to the secondary provider'),
    mitigatedNote: () => 'SMS going out through the secondary provider',
    resolvedNote: () => 'Primary provider recovered; failover will be automatic from now on',
    summary: () => 'Text messages, including sign-in codes, were delayed during an outage at the SMS provider.',
    impact: (v) => `Sign-in codes and delivery texts were late or lost for ${v.impactMinutes} minutes.`,
  },
  {
    type: 'security',
    title: 'Leaked partner API key in a public repository',
    services: ['api-gateway'],
    severities: ['SEV2', 'SEV3'],
    alert: { name: 'SecretExposed', text: () => 'api-gateway partner key found in a public GitHub repository' },
    cause: (v) => ({
      kind: 'config',
      service: 'api-gateway',
      description: `commit ${v.sha} added config/example.env with a live partner key`,
      timelineOnly: { source: 'github', title: 'Commit pushed to public repository acme/partner-examples' },
    }),
    causePinned: true,
    peak: () => 'No requests with the exposed key from unknown networks',
    chat: [
      () => 'The key can read order data for one partner',
      () => 'Revoked the key and sent a new one to the partner',
      () => 'Access logs show no use of the key outside the partner network',
    ],
    mitigation: (v) => merged('gateway-config', 'api-gateway', v, 'revoke partner key key_2931'),
    mitigatedNote: () => 'Key revoked; repository made private and history rewritten',
    resolvedNote: () => 'No misuse found in 30 days of logs; secret scanning now blocks pushes',
    summary: () => 'A live partner API key was committed to a public example repository.',
    impact: () => 'No evidence of misuse. One partner rotated credentials.',
  },
  {
    type: 'security',
    title: 'Credential stuffing against the login endpoint',
    services: ['auth', 'api-gateway'],
    severities: ['SEV2', 'SEV3'],
    alert: { name: 'LoginFailureSpike', text: () => 'auth failed logins 40x baseline from 1.2k addresses' },
    cause: (v) => deploy('auth', v, 'login form changes'),
    causePinned: false,
    peak: () => 'failed logins peaked at 9.8k a minute',
    chat: [
      () => 'Requests rotate through residential proxies, same user agent',
      () => 'Turning on the stricter login rate limit and CAPTCHA after 3 failures',
      () => '212 accounts had a successful login from the attacking addresses; forcing password resets',
    ],
    mitigation: (v) => merged('gateway-config', 'api-gateway', v, 'stricter rate limit on /login'),
    mitigatedNote: () => 'Attack traffic blocked at the gateway',
    resolvedNote: () => 'Affected accounts reset and notified',
    summary: () => 'Attackers tried leaked credentials against our login endpoint at high volume.',
    impact: () => '212 accounts were accessed with reused passwords; passwords were reset and owners notified.',
  },
  {
    type: 'security',
    title: 'Suspicious admin session from an unknown network',
    services: ['auth'],
    severities: ['SEV3'],
    alert: { name: 'AdminLoginAnomaly', text: () => 'admin session from an address never seen before' },
    cause: (v) => deploy('auth', v, 'session metadata'),
    causePinned: false,
    peak: () => 'One admin session, 14 read-only requests',
    chat: [
      () => 'The session belongs to a support engineer travelling this week',
      () => 'Confirmed with them by phone; terminating the session anyway and rotating their credentials',
    ],
    mitigation: (v) => merged('auth', 'auth', v, 'require hardware keys for admin sessions'),
    mitigatedNote: () => 'Session terminated and credentials rotated',
    resolvedNote: () => 'Legitimate access confirmed; hardware keys now required for admins',
    summary: () => 'An admin session from an unfamiliar network turned out to be legitimate travel.',
    impact: () => 'None.',
  },
  {
    type: 'near_miss',
    title: 'Near miss: search data nodes at 92% disk',
    services: ['search'],
    severities: ['SEV4'],
    alert: { name: 'DiskSpaceLow', text: () => 'search data node disk usage 92%' },
    cause: (v) => deploy('search', v, 'query logging'),
    causePinned: true,
    peak: () => 'disk usage reached 92% on 3 of 5 data nodes',
    chat: [
      () => 'Query logs are growing 40 GB a day since logging was turned on',
      () => 'Applying the retention policy now',
    ],
    mitigation: (v) => merged('search', 'search', v, 'delete query logs older than 14 days'),
    mitigatedNote: () => 'Disk usage down to 61%',
    resolvedNote: () => 'Retention policy applied to every log index',
    summary: () => 'Search nodes nearly ran out of disk; caught by the 90% alert before any impact.',
    impact: () => 'None: caught before customers were affected.',
  },
  {
    type: 'near_miss',
    title: 'Near miss: api-gateway certificate 3 days from expiry',
    services: ['api-gateway'],
    severities: ['SEV4', 'SEV3'],
    alert: { name: 'CertificateExpiringSoon', text: () => 'api.example.com certificate expires in 3 days' },
    cause: (v) => merged('infra', 'api-gateway', v, 'upgrade cert-manager'),
    causePinned: true,
    peak: () => 'certificate valid for 71 more hours',
    chat: [
      () => 'cert-manager stopped renewing after the upgrade: webhook certificate mismatch',
      () => 'Renewing by hand, then fixing the webhook',
    ],
    mitigation: (v) => ({
      kind: 'config',
      service: 'api-gateway',
      description: `Renewed the api.example.com certificate by hand\ncmctl renew api-example-com -n gateway\nrevision: ${v.sha}`,
    }),
    mitigatedNote: () => 'New certificate valid for 90 days',
    resolvedNote: () => 'cert-manager webhook fixed; renewals verified',
    summary: () => 'Certificate renewal broke after an upgrade; the expiry alert caught it with three days left.',
    impact: () => 'None: caught before customers were affected.',
  },
  {
    type: 'exercise',
    title: 'Game day: payments database failover',
    services: ['payments'],
    severities: ['SEV3'],
    alert: { name: 'PostgresPrimaryDown', text: () => 'payments-db primary unreachable' },
    cause: (v) => ({
      kind: 'config',
      service: 'payments',
      environment: 'staging',
      description: `Chaos experiment started: terminate the payments-db primary\nargocd app sync chaos-experiments --resource payments-db-failover\nrevision: ${v.sha}`,
      url: argoUrl('chaos-experiments'),
      author: 'argocd',
    }),
    causePinned: true,
    peak: () => 'payments write errors for 48 s during promotion',
    chat: [
      () => 'Replica promoted after 41 s; the connection pool took another 7 s to notice',
      () => 'Runbook step 4 points at a dashboard that no longer exists',
    ],
    mitigation: (v) => ({
      kind: 'config',
      service: 'payments',
      environment: 'staging',
      description: `Chaos experiment ended; old primary rejoined as a replica\nargocd app sync chaos-experiments --prune\nrevision: ${v.sha}`,
      url: argoUrl('chaos-experiments'),
      author: 'argocd',
    }),
    mitigatedNote: () => 'Failover complete; exercise over',
    resolvedNote: () => 'Findings recorded: shorter pool health checks, runbook dashboard link',
    summary: () => 'Planned game day: fail over the payments database and follow the runbook.',
    impact: () => 'None (planned exercise in the staging environment).',
  },
  {
    type: 'exercise',
    title: 'Tabletop: api-gateway region outage',
    services: ['api-gateway'],
    severities: ['SEV2'],
    alert: { name: 'RegionUnavailable', text: () => 'api-gateway eu-west-1 unavailable (simulated)' },
    cause: (v) => onPaper('infra', 'api-gateway', v, 'tabletop scenario: DNS weights for eu-west-1 set to 0'),
    causePinned: true,
    peak: () => 'simulated loss of eu-west-1',
    chat: [
      () => 'We would not have noticed for 8 minutes: no alert on regional traffic share',
      () => 'DNS failover steps worked as written',
    ],
    mitigation: (v) =>
      onPaper('infra', 'api-gateway', { ...v, pr: v.pr + 1 }, 'tabletop scenario: restore DNS weights'),
    mitigatedNote: () => 'Scenario ended',
    resolvedNote: () => 'Two detection gaps recorded as action items',
    summary: () => 'Tabletop exercise: the team walked through losing the primary region.',
    impact: () => 'None (tabletop exercise).',
  },
];

/** One alert of an Alertmanager delivery; planned relative to impact start like every other time. */
interface DemoAlert {
  name: string;
  service: string;
  severity: 'critical' | 'warning';
  summary: string;
  status: 'firing' | 'resolved';
  startsAt: string;
  endsAt?: string;
}

type Step =
  | { kind: 'declare'; clock: number }
  | { kind: 'event'; clock: number; input: AddTimelineEventInput }
  /** One Alertmanager webhook delivery; `detected`: the on-call then marks its alert as the detection. */
  | { kind: 'alerts'; clock: number; alerts: DemoAlert[]; detected?: boolean }
  /** A change as CI/CD reports it when it happens; `ref` names it for a later `show`. */
  | { kind: 'change'; clock: number; ref?: string; input: RecordChangeInput }
  /** A responder puts a recorded change on the timeline, or pins the one the changes pipeline put there. */
  | { kind: 'show'; clock: number; ref: string; pinned: boolean; marker?: 'key_moment' }
  | { kind: 'roles'; clock: number; input: { commander: string; scribe: string; communications?: string } }
  | { kind: 'status'; clock: number; input: ChangeStatusInput }
  | { kind: 'severity'; clock: number; severity: Severity }
  | { kind: 'impact'; clock: number; customerImpact: string };

interface IncidentPlan {
  declareAt: number;
  declare: DeclareIncidentInput;
  steps: Step[];
  /** What its postmortem's writers know about it. */
  story: Omit<DemoIncident, 'key'>;
}

/** Minutes (min, max) by severity: detection, extra time to mitigate after roles, extra time to resolve. */
const PACE: Readonly<
  Record<Severity, { detect: [number, number]; mitigate: [number, number]; resolve: [number, number] }>
> = {
  SEV1: { detect: [2, 6], mitigate: [8, 35], resolve: [30, 150] },
  SEV2: { detect: [3, 10], mitigate: [10, 60], resolve: [30, 240] },
  SEV3: { detect: [4, 20], mitigate: [15, 110], resolve: [20, 360] },
  SEV4: { detect: [8, 45], mitigate: [20, 200], resolve: [15, 480] },
};

const iso = (ms: number): string => new Date(ms).toISOString();
/** Whole seconds, as a person or a tool would record them. */
const whole = (ms: number): number => Math.round(ms / SECOND) * SECOND;
const lowerSeverity = (s: Severity): Severity => (s === 'SEV1' ? 'SEV2' : s === 'SEV2' ? 'SEV3' : s);

function drawVars(rng: Rng): Vars {
  const major = rng.int(1, 4);
  const minor = rng.int(3, 40);
  const patch = rng.int(1, 9);
  return {
    version: `v${major}.${minor}.${patch}`,
    previous: `v${major}.${minor}.${patch - 1}`,
    pct: (rng.int(21, 180) / 10).toFixed(1),
    p99: (rng.int(21, 68) / 10).toFixed(1),
    depth: rng.int(12, 95),
    hours: rng.int(3, 14),
    pr: rng.int(1200, 4800),
    sha: rng.hex(7),
    impactMinutes: 0,
  };
}

function person(email: string): Person {
  return PEOPLE.find((p) => p.email === email) ?? DEMO_ADMIN;
}

/** What the changes API receives for a change at `at` (relative until the plan is placed on the calendar). */
function changeInput(change: ChangeText, at: number): RecordChangeInput {
  return {
    service: change.service,
    kind: change.kind,
    at: iso(at),
    environment: change.environment ?? 'production',
    description: change.description,
    ...(change.version ? { version: change.version } : {}),
    ...(change.url ? { url: change.url } : {}),
    ...(change.author ? { author: change.author } : {}),
  };
}

function timelineOnlyInput(
  change: ChangeText,
  shown: { source: string; title: string },
  at: number,
): AddTimelineEventInput {
  return {
    kind: 'change',
    source: shown.source,
    at: iso(at),
    title: shown.title,
    body: change.description,
    labels: { service: change.service, environment: change.environment ?? 'production' },
  };
}

const ROUTINE_DEPLOYS = [
  'dependency updates',
  'base image update',
  'logging changes',
  'new dashboard metrics',
  'copy changes',
  'refactor, no behaviour change',
] as const;

const ROUTINE_CONFIG: Readonly<Record<string, readonly string[]>> = {
  auth: [
    'raise the session cache TTL to 15 minutes',
    'add a redirect URI for the partner portal',
    'rotate the Redis password',
  ],
  notifications: [
    'raise the email provider timeout to 10 s',
    'update the SMS sender id for Brazil',
    'lower the push retry budget to 3',
  ],
  search: [
    'add synonyms for the spring catalogue',
    'raise the index refresh interval to 5 s',
    'grow the query cache to 2 GiB',
  ],
  payments: [
    'rotate the card processor API credentials',
    'lower the refund batch size to 200',
    'enable 3-D Secure for two more card networks',
  ],
  checkout: ['extend the cart expiry to 14 days', 'raise the order service pool to 40', 'add the Portuguese tax table'],
  'api-gateway': [
    'add a route for the v3 partner API',
    'raise the upstream idle timeout to 75 s',
    'update the WAF rule set',
  ],
};

const ROUTINE_FLAGS: Readonly<Record<string, readonly string[]>> = {
  auth: ['enable passkeys for 10% of users'],
  notifications: ['send order emails through the new templates'],
  search: ['enable the new autocomplete ranking for 5% of users'],
  payments: ['enable wallet payments in Ireland'],
  checkout: ['show the delivery-date estimate to 20% of users'],
  'api-gateway': ['enable HTTP/3 for 10% of traffic'],
};

/**
 * The everyday changes of the hours before an incident that had nothing to do with it: another service's deploy, a
 * config change on a service the impacted one depends on (or any other), and sometimes a flag flipped on the
 * impacted service the day before. They give the suspects ranking something to rank.
 */
function routineChanges(rng: Rng, scenario: Scenario): { lead: number; change: ChangeText }[] {
  const impacted = new Set(scenario.services);
  const primary = scenario.services[0] ?? 'checkout';
  const others = SERVICES.map((s) => s.name).filter((name) => !impacted.has(name));
  const catalogued: readonly string[] = SERVICES.find((s) => s.name === primary)?.dependencies ?? [];
  const dependencies = catalogued.filter((name) => !impacted.has(name));
  const configured = rng.pick(dependencies.length ? dependencies : others);
  const release = { version: `v${rng.int(1, 4)}.${rng.int(3, 40)}.${rng.int(1, 9)}`, sha: rng.hex(7) };
  const changes = [
    { lead: rng.minutes(60, 600), change: deploy(rng.pick(others), release, rng.pick(ROUTINE_DEPLOYS)) },
    {
      lead: rng.minutes(20, 240),
      change: merged(
        `${configured}-config`,
        configured,
        { pr: rng.int(1200, 4800), sha: rng.hex(7) },
        rng.pick(ROUTINE_CONFIG[configured] ?? ['tuning']),
      ),
    },
  ];
  if (rng.chance(0.4)) {
    const pr = { pr: rng.int(1200, 4800), sha: rng.hex(7) };
    changes.push({
      lead: rng.minutes(8 * 60, 20 * 60),
      change: merged(primary, primary, pr, rng.pick(ROUTINE_FLAGS[primary] ?? ['enable a flag']), 'flag'),
    });
  }
  return changes;
}

/**
 * One incident's timeline, relative to its impact start (time 0), before it is placed on the calendar.
 * Steps run in the order of their clocks, each on its own clock so audit entries carry the right time. `rng` draws
 * what the incident is; `extra` draws the details added since (so adding evidence did not change the incidents),
 * and `id` names its changes.
 */
function planTimeline(rng: Rng, extra: Rng, scenario: Scenario, severity: Severity, id: number) {
  const v = drawVars(rng);
  const pace = PACE[severity];
  const primary = scenario.services[0] ?? 'checkout';
  const team = TEAM_OF[primary] ?? 'platform';
  const teamPeople = PEOPLE.filter((p) => p.team === team);
  const security = scenario.type === 'security';
  const oncall = security ? person(rng.pick(SECURITY_TEAM)) : rng.pick(teamPeople.length ? teamPeople : PEOPLE);
  const commander = security
    ? person(rng.pick(SECURITY_TEAM.filter((e) => e !== oncall.email)))
    : rng.pick(PEOPLE.filter((p) => p.email !== oncall.email));
  const scribe = rng.pick(PEOPLE.filter((p) => p.email !== oncall.email && p.email !== commander.email));
  const comms = severity === 'SEV1' || severity === 'SEV2' ? person(rng.pick(COMMUNICATIONS_LEADS)) : null;

  const detect = rng.minutes(...pace.detect);
  const page = detect + rng.int(15, 60) * SECOND;
  const ack = page + rng.minutes(1, 5);
  const declare = ack + rng.minutes(1, 8);
  const roles = declare + rng.minutes(1, 3);
  const mitigate = roles + rng.minutes(5, 10) + rng.minutes(...pace.mitigate);
  const resolve = mitigate + rng.minutes(...pace.resolve);
  const close = resolve + rng.int(1, 6) * DAY + rng.minutes(60, 480);
  v.impactMinutes = Math.round(mitigate / MINUTE);

  const steps: Step[] = [{ kind: 'declare', clock: declare }];
  const alertSeverity = severity === 'SEV1' || severity === 'SEV2' ? 'critical' : 'warning';
  const firing = (name: string, service: string, summary: string, at: number): DemoAlert => ({
    name,
    service,
    severity: alertSeverity,
    summary,
    status: 'firing',
    startsAt: iso(at),
  });
  const resolved = (alert: DemoAlert, at: number): DemoAlert => ({ ...alert, status: 'resolved', endsAt: iso(at) });
  // Alertmanager's delivery from before the declaration reaches it right after; the on-call marks it as detection.
  const first = firing(scenario.alert.name, primary, scenario.alert.text(v), detect);
  steps.push({ kind: 'alerts', clock: declare + 20 * SECOND, alerts: [first], detected: true });
  steps.push({
    kind: 'event',
    clock: declare + 25 * SECOND,
    input: {
      kind: 'page',
      source: 'pagerduty',
      at: iso(page),
      title: `Paged ${oncall.name} (${team} primary on-call): ${scenario.alert.name}`,
      labels: { escalation_policy: `${team}-primary`, urgency: alertSeverity === 'critical' ? 'high' : 'low' },
    },
  });
  steps.push({
    kind: 'event',
    clock: declare + 30 * SECOND,
    input: {
      kind: 'page',
      source: 'pagerduty',
      at: iso(ack),
      title: `${oncall.name} acknowledged the page`,
      labels: { escalation_policy: `${team}-primary` },
      marker: 'acknowledged',
    },
  });
  steps.push({
    kind: 'roles',
    clock: roles,
    input: { commander: commander.email, scribe: scribe.email, ...(comms ? { communications: comms.email } : {}) },
  });

  const later: Step[] = [];
  let cause: { service: string; version: string | null; at: number } | null = null;
  if (scenario.cause) {
    const change = scenario.cause(v);
    const at = -rng.minutes(2, 25);
    const shownAt = roles + rng.minutes(2, 6);
    const pinned = scenario.causePinned ?? false;
    if (change.timelineOnly) {
      later.push({
        kind: 'event',
        clock: shownAt,
        input: { ...timelineOnlyInput(change, change.timelineOnly, at), pinned },
      });
    } else {
      // Recorded by CI/CD when it happened, before the incident existed; a responder puts it on the timeline.
      const ref = `${id}:cause`;
      steps.push({ kind: 'change', clock: at, ref, input: changeInput(change, at) });
      cause = { service: change.service, version: change.version ?? null, at };
      later.push({ kind: 'show', clock: shownAt, ref, pinned });
    }
  }
  let second: DemoAlert | undefined;
  if (scenario.secondAlert) {
    const { name, service, text } = scenario.secondAlert;
    const at = detect + rng.minutes(1, 4);
    second = firing(name, service, text(v), at);
    later.push({ kind: 'alerts', clock: Math.max(at, roles + 30 * SECOND), alerts: [second] });
  }
  const peakAt = whole(roles + (mitigate - roles) * 0.3);
  later.push({
    kind: 'event',
    clock: peakAt,
    input: {
      kind: 'metric',
      source: 'prometheus',
      at: iso(peakAt),
      title: scenario.peak(v),
      labels: { service: primary },
    },
  });
  const fixAt = mitigate - rng.minutes(2, 5);
  const speakers = [oncall, commander, oncall, scribe];
  scenario.chat.forEach((line, i) => {
    const at = whole(roles + ((fixAt - roles) * (i + 1)) / (scenario.chat.length + 1)) + rng.int(0, 30) * SECOND;
    const speaker = speakers[i % speakers.length] ?? oncall;
    const text = line(v);
    later.push({
      kind: 'event',
      clock: at,
      input: {
        kind: 'chat',
        source: 'slack',
        at: iso(at),
        title: `${speaker.name}: ${text}`,
        body: text,
        labels: { channel: `#inc-${primary}`, user: speaker.handle },
        pinned: i === 1 && rng.chance(0.5),
      },
    });
  });
  if (severity === 'SEV1' || severity === 'SEV2') {
    const at = roles + rng.minutes(3, 8);
    later.push({
      kind: 'event',
      clock: at,
      input: {
        kind: 'chat',
        source: 'slack',
        at: iso(at),
        title: `${(comms ?? commander).name}: Posted an update on the status page`,
        body: 'Posted an update on the status page: "We are investigating elevated errors."',
        labels: { channel: '#incidents', user: (comms ?? commander).handle },
      },
    });
  }
  const fix = scenario.mitigation(v);
  if (fix.timelineOnly) {
    later.push({
      kind: 'event',
      clock: fixAt,
      input: { ...timelineOnlyInput(fix, fix.timelineOnly, fixAt), marker: 'key_moment', pinned: true },
    });
  } else {
    // The incident is open, so the changes pipeline puts the fix on its timeline; a responder pins it.
    const ref = `${id}:fix`;
    later.push({ kind: 'change', clock: fixAt, ref, input: changeInput(fix, fixAt) });
    later.push({ kind: 'show', clock: fixAt + extra.int(20, 90) * SECOND, ref, pinned: true, marker: 'key_moment' });
  }
  steps.push(...later);
  steps.push({
    kind: 'status',
    clock: mitigate,
    input: { status: 'mitigated', at: iso(mitigate), note: scenario.mitigatedNote(v) },
  });
  const clearedAt = mitigate + rng.minutes(2, 6);
  steps.push({ kind: 'alerts', clock: clearedAt, alerts: [resolved(first, clearedAt)] });
  if (second) {
    const at = clearedAt + extra.int(20, 150) * SECOND;
    steps.push({ kind: 'alerts', clock: at, alerts: [resolved(second, at)] });
  }
  steps.push({
    kind: 'status',
    clock: resolve,
    input: { status: 'resolved', at: iso(resolve), note: scenario.resolvedNote(v) },
  });
  steps.push({ kind: 'impact', clock: resolve + rng.minutes(10, 60), customerImpact: scenario.impact(v) });
  steps.push({ kind: 'status', clock: close, input: { status: 'closed', at: iso(close) } });
  if (extra.chance(0.65)) {
    for (const { lead, change } of routineChanges(extra, scenario)) {
      steps.push({ kind: 'change', clock: -lead, input: changeInput(change, -lead) });
    }
  }
  steps.sort((a, b) => a.clock - b.clock);

  return {
    v,
    detect,
    declare,
    roles,
    mitigate,
    resolve,
    close,
    steps,
    members: security ? [...SECURITY_TEAM] : [],
    crew: { oncall: oncall.email, commander: commander.email },
    cause,
  };
}

/**
 * The most recent incidents are still open: each stops at `progress` of the way from roles being assigned to
 * mitigation (investigating) or from mitigation to resolution (mitigated).
 */
const OPEN_TAIL: readonly { status: 'investigating' | 'mitigated'; progress: number }[] = [
  { status: 'mitigated', progress: 0.7 },
  { status: 'investigating', progress: 0.35 },
  { status: 'mitigated', progress: 0.2 },
  { status: 'investigating', progress: 0.75 },
];

function planIncidents(now: number): IncidentPlan[] {
  const rng = new Rng(SEED);
  const extra = new Rng(SEED ^ EXTRA_SEED);
  const types: IncidentType[] = rng.shuffle([
    ...Array<IncidentType>(INCIDENT_COUNT - 8).fill('standard'),
    ...Array<IncidentType>(3).fill('security'),
    ...Array<IncidentType>(3).fill('near_miss'),
    ...Array<IncidentType>(2).fill('exercise'),
  ]);
  // Open incidents are recent, and a live exercise or security response would be confusing in a demo.
  const tail = INCIDENT_COUNT - OPEN_TAIL.length;
  for (let i = tail; i < INCIDENT_COUNT; i++) {
    if (types[i] !== 'standard') {
      const swap = types.findIndex((t, j) => j < tail && t === 'standard');
      [types[i], types[swap]] = ['standard', types[i] as IncidentType];
    }
  }
  const pools = new Map<IncidentType, Scenario[]>();
  const nextScenario = (type: IncidentType): Scenario => {
    let pool = pools.get(type);
    if (!pool?.length) {
      pool = rng.shuffle(SCENARIOS.filter((s) => s.type === type));
      pools.set(type, pool);
    }
    const scenario = pool.pop();
    if (!scenario) throw new Error(`no demo scenario of type ${type}`);
    return scenario;
  };
  const starts = Array.from({ length: tail }, () => now - rng.int(30 * 60, 90 * 24 * 60) * MINUTE).sort(
    (a, b) => a - b,
  );

  const plans: IncidentPlan[] = [];
  types.forEach((type, i) => {
    const scenario = nextScenario(type);
    const severity = rng.pick(scenario.severities);
    const t = planTimeline(rng, extra, scenario, severity, i);
    const open = i >= tail ? OPEN_TAIL[i - tail] : undefined;
    let start: number;
    if (open?.status === 'investigating') {
      start = now - whole(t.roles + (t.mitigate - t.roles) * open.progress);
    } else if (open?.status === 'mitigated') {
      start = now - whole(t.mitigate + (t.resolve - t.mitigate) * open.progress);
    } else {
      start = Math.min(starts[i] ?? now, now - t.resolve - HOUR);
      // A few older incidents stay resolved: their postmortems are still being written.
      if (rng.chance(0.12)) t.steps = t.steps.filter((s) => !(s.kind === 'status' && s.input.status === 'closed'));
    }
    const steps = t.steps
      .map((s) => ({ ...s, clock: s.clock + start }))
      .filter((s) => s.clock <= now)
      .map((s) => shiftInput(s, start));
    const escalateAt = start + t.declare + rng.minutes(4, 12);
    const escalate = (severity === 'SEV1' || severity === 'SEV2') && rng.chance(0.35) && escalateAt <= now;
    if (escalate) {
      const at = escalateAt;
      const index = steps.findIndex((s) => s.clock > at);
      steps.splice(index < 0 ? steps.length : index, 0, { kind: 'severity', clock: at, severity });
    }
    plans.push({
      declareAt: start + t.declare,
      declare: {
        title: scenario.title,
        severity: escalate ? lowerSeverity(severity) : severity,
        type,
        visibility: type === 'security' ? 'private' : 'public',
        services: [...scenario.services],
        summary: scenario.summary(t.v),
        impactStartedAt: type === 'near_miss' ? null : iso(start),
        members: t.members,
      },
      steps,
      story: {
        scenario: scenario.title,
        type,
        severity,
        services: scenario.services,
        facts: {
          v: t.v,
          chat: scenario.chat.map((line) => line(t.v)),
          minutes: {
            detect: Math.round(t.detect / MINUTE),
            mitigate: Math.round(t.mitigate / MINUTE),
            resolve: Math.round(t.resolve / MINUTE),
          },
        },
        summary: scenario.summary(t.v),
        impact: scenario.impact(t.v),
        peak: scenario.peak(t.v),
        mitigatedNote: scenario.mitigatedNote(t.v),
        cause: t.cause && { ...t.cause, at: iso(start + t.cause.at) },
        oncall: t.crew.oncall,
        commander: t.crew.commander,
        resolvedAt: resolvedAt(steps),
      },
    });
  });
  return plans.sort((a, b) => a.declareAt - b.declareAt);
}

/** When the incident was resolved (epoch ms), or null while it is open. */
function resolvedAt(steps: readonly Step[]): number | null {
  for (const step of steps) {
    if (step.kind === 'status' && step.input.status === 'resolved' && step.input.at) return Date.parse(step.input.at);
  }
  return null;
}

/** Planned times are relative to impact start; this moves every `at` onto the calendar. */
function shiftInput(step: Step, start: number): Step {
  const shift = (at: string) => iso(Date.parse(at) + start);
  const shiftOptional = (at: string | undefined) => (at === undefined ? undefined : shift(at));
  switch (step.kind) {
    case 'event':
      return { ...step, input: { ...step.input, at: shiftOptional(step.input.at) } };
    case 'status':
      return { ...step, input: { ...step.input, at: shiftOptional(step.input.at) } };
    case 'change':
      return { ...step, input: { ...step.input, at: shiftOptional(step.input.at) } };
    case 'alerts':
      return {
        ...step,
        alerts: step.alerts.map((a) => ({ ...a, startsAt: shift(a.startsAt), endsAt: shiftOptional(a.endsAt) })),
      };
    default:
      return step;
  }
}

/**
 * An Alertmanager webhook body (version 4) for one alert group, as a route grouping by alert name and service sends
 * it; the real adapter turns it into normalised events.
 */
function alertmanagerWebhook(alerts: readonly DemoAlert[]): unknown {
  const [first] = alerts;
  if (!first) throw new Error('an Alertmanager delivery needs an alert');
  const labelsOf = (a: DemoAlert) => ({ alertname: a.name, service: a.service, severity: a.severity });
  return {
    version: '4',
    groupKey: `{}:{alertname="${first.name}", service="${first.service}"}`,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'debrief',
    groupLabels: { alertname: first.name, service: first.service },
    commonLabels: labelsOf(first),
    commonAnnotations: {},
    externalURL: 'https://alertmanager.example.com',
    alerts: alerts.map((a) => ({
      status: a.status,
      labels: labelsOf(a),
      annotations: {
        summary: a.summary,
        runbook_url: `https://runbooks.example.com/${a.service}#${a.name.toLowerCase()}`,
      },
      startsAt: a.startsAt,
      // Go's zero time: how Alertmanager says a firing alert has not ended.
      endsAt: a.endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: `https://prometheus.example.com/graph?g0.expr=${encodeURIComponent(`ALERTS{alertname="${a.name}",service="${a.service}"}`)}`,
      fingerprint: alertFingerprint(labelsOf(a)),
    })),
  };
}

/** The operator's routing rules do not apply to the demo: its alerts are routed by the defaults, as planned. */
const withDefaultRouting = (ctx: AppContext): AppContext => ({
  ...ctx,
  settings: { ...ctx.settings, routing: { ...ctx.settings.routing, rules: [] } },
});

async function deliverAlerts(ctx: AppContext, key: string, step: Extract<Step, { kind: 'alerts' }>): Promise<void> {
  const events = parseAlertmanager(alertmanagerWebhook(step.alerts));
  const summary = await ingestAlerts(withDefaultRouting(ctx), DEMO_ACTOR, events);
  // The plan is the same for every `now`, so a misrouted alert is a bug in the plan, caught by the tests.
  if (summary.declared.length > 0 || summary.incidents.length !== 1 || summary.incidents[0] !== key) {
    const names = step.alerts.map((a) => `${a.name} ${a.status}`).join(', ');
    throw new Error(`demo alerts (${names}) for ${key} reached ${summary.incidents.join(', ') || 'no incident'}`);
  }
  if (!step.detected) return;
  const startsAt = step.alerts[0]?.startsAt;
  const alerts = await listTimeline(ctx, DEMO_ACTOR, key, { kind: ['alert'] });
  const event = alerts.find((e) => e.at === startsAt && e.marker === null);
  if (!event) throw new Error(`the first demo alert of ${key} is not on its timeline`);
  await updateTimelineEvent(ctx, DEMO_ACTOR, key, event.id, { marker: 'detected' });
}

interface RecordedChange {
  change: Change;
  /** The title the changes pipeline gives it on a timeline. */
  title: string;
}

async function showChange(
  ctx: AppContext,
  key: string,
  recorded: RecordedChange | undefined,
  step: Extract<Step, { kind: 'show' }>,
): Promise<void> {
  if (!recorded) throw new Error(`demo change ${step.ref} was shown before it was recorded`);
  const { change, title } = recorded;
  const marker = step.marker ?? null;
  const { event, created } = await addTimelineEvent(ctx, DEMO_ACTOR, key, {
    kind: 'change',
    source: change.source,
    at: change.at,
    title,
    body: change.description,
    labels: { ...change.labels, service: change.service, change_id: change.id },
    // The changes pipeline's key: the change is on the timeline once, whoever put it there first.
    dedupeKey: `change:${change.id}`,
    pinned: step.pinned,
    marker,
  });
  if (!created && (event.pinned !== step.pinned || event.marker !== marker)) {
    await updateTimelineEvent(ctx, DEMO_ACTOR, key, event.id, { pinned: step.pinned, marker });
  }
}

/**
 * Runs every incident's steps as one history, in the order they happened, so each use case sees the world as it was
 * then: which incidents were open when an alert arrived or a change was recorded decides where they land.
 * Declarations come in calendar order, so incident keys do not depend on timing.
 */
async function runPlans(ctx: AppContext, plans: readonly IncidentPlan[]): Promise<Map<number, string>> {
  const history = plans
    .flatMap((plan, incident) => plan.steps.map((step, order) => ({ incident, order, step })))
    .sort((a, b) => a.step.clock - b.step.clock || a.incident - b.incident || a.order - b.order);
  const keys = new Map<number, string>();
  const changes = new Map<string, RecordedChange>();
  const keyOf = (incident: number): string => {
    const key = keys.get(incident);
    if (key === undefined) throw new Error(`demo incident ${incident} was used before it was declared`);
    return key;
  };
  for (const { incident, step } of history) {
    const at: AppContext = { ...ctx, now: () => new Date(step.clock) };
    switch (step.kind) {
      case 'declare': {
        const plan = plans[incident];
        if (!plan) throw new Error(`no demo plan ${incident}`);
        keys.set(incident, (await declareIncident(at, DEMO_ACTOR, plan.declare)).key);
        break;
      }
      case 'event':
        await addTimelineEvent(at, DEMO_ACTOR, keyOf(incident), step.input);
        break;
      case 'alerts':
        await deliverAlerts(at, keyOf(incident), step);
        break;
      case 'change': {
        const { change } = await recordChange(at, DEMO_ACTOR, step.input);
        const title = parseChangeEvent(step.input)[0]?.title ?? changeSubject(change);
        if (step.ref) changes.set(step.ref, { change, title });
        break;
      }
      case 'show':
        await showChange(at, keyOf(incident), changes.get(step.ref), step);
        break;
      case 'roles':
        await assignIncidentRoles(at, DEMO_ACTOR, keyOf(incident), step.input);
        break;
      case 'status':
        await changeIncidentStatus(at, DEMO_ACTOR, keyOf(incident), step.input);
        break;
      case 'severity': {
        const key = keyOf(incident);
        const { version } = await getIncident(at, DEMO_ACTOR, key);
        await updateIncident(at, DEMO_ACTOR, key, { version, severity: step.severity });
        break;
      }
      case 'impact': {
        const key = keyOf(incident);
        const { version } = await getIncident(at, DEMO_ACTOR, key);
        await updateIncident(at, DEMO_ACTOR, key, { version, customerImpact: step.customerImpact });
        break;
      }
    }
  }
  return keys;
}

async function setUpCatalog(ctx: AppContext, log: (line: string) => void): Promise<void> {
  const repos = read(ctx);
  for (const team of TEAMS) {
    const members = membersOf(team.name);
    const known = await repos.catalog.findTeam(team.name);
    if (!known) await createTeam(ctx, DEMO_ACTOR, { ...team, members });
    else if (known.members.length === 0) await updateTeam(ctx, DEMO_ACTOR, team.name, { members });
  }
  await Promise.all(
    [DEMO_ADMIN, ...PEOPLE].map(async (p) => {
      if (await repos.identity.findUserByEmail(p.email)) {
        if (p === DEMO_ADMIN) log(`Demo data: ${p.email} already exists; its password was left unchanged`);
        return;
      }
      await createUser(ctx, DEMO_ACTOR, {
        email: p.email,
        name: p.name,
        role: p.role,
        ...(p === DEMO_ADMIN ? { password: DEMO_SIGN_IN.password } : {}),
      });
    }),
  );
  for (const service of SERVICES) {
    if (await repos.catalog.findService(service.name)) continue;
    await createService(ctx, DEMO_ACTOR, {
      ...service,
      owners: [...service.owners],
      dependencies: [...service.dependencies],
      runbookUrl: `https://runbooks.example.com/${service.name}`,
    });
  }
}

/**
 * Fills an empty database with a demo organisation: 3 teams, 6 services, 7 people and about 40 incidents over the
 * last 90 days with full timelines, their alerts and the changes around them, and a postmortem for every resolved
 * one — most of the older ones written, reviewed and published by the demo people (see demo-postmortems.ts). Does
 * nothing when any incident exists. Deterministic for a given `now`.
 *
 * @example
 * const result = await loadDemoData(ctx, { log: console.log });
 * // result.signIn → { email: 'demo@debrief.local', password: 'debrief-demo' }
 */
export async function loadDemoData(ctx: AppContext, options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? (() => undefined);
  const signIn = { ...DEMO_SIGN_IN };
  const repos = read(ctx);
  const existing = await repos.incidents.count();
  if (existing > 0) {
    return { loaded: false, incidents: existing, services: (await repos.catalog.listServices()).length, signIn };
  }

  const started = performance.now();
  const now = (options.now ?? new Date(Math.floor(ctx.now().getTime() / HOUR) * HOUR)).getTime();
  const plans = planIncidents(now);
  log(
    `Loading demo data: ${TEAMS.length} teams, ${SERVICES.length} services, ${PEOPLE.length + 1} people, ${plans.length} incidents…`,
  );

  await setUpCatalog({ ...ctx, now: () => new Date(now - 120 * DAY) }, log);

  const keys = await runPlans(ctx, plans);
  const postmortems = await loadDemoPostmortems(ctx, {
    now,
    incidents: plans.flatMap((plan, i) => {
      const key = keys.get(i);
      return key === undefined ? [] : [{ ...plan.story, key }];
    }),
    people: PEOPLE,
  });

  const services = (await repos.catalog.listServices()).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const written = Object.values(postmortems).reduce((sum, n) => sum + n, 0);
  const reviewing = postmortems.in_review + postmortems.changes_requested + postmortems.approved;
  log(
    `Demo data loaded in ${seconds} s: ${plans.length} incidents, ${services} services, ${PEOPLE.length + 1} people, ` +
      `${written} postmortems (${postmortems.published} published, ${reviewing} in review, ${postmortems.draft} drafts).`,
  );
  return { loaded: true, incidents: plans.length, services, signIn };
}
