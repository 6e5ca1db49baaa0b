/**
 * Changes (deploys, config changes, flag flips) from GitHub, GitLab and any CI/CD, the suspects they make for an
 * incident, and responders' verdicts on them.
 */
import { z } from 'zod';
import { can, principalLabel } from '../domain/access.js';
import { DebriefError, notFound, validationError } from '../domain/errors.js';
import {
  CHANGE_KINDS,
  correlateChanges,
  type ChangeSuspect,
  type DependencyGraph,
} from '../domain/evidence/change-correlation.js';
import { normalizeTimestamp } from '../domain/lifecycle.js';
import type { Incident, Principal, TimelineEvent } from '../domain/types.js';
import { parseChangeEvent, type ChangeEventInput } from '../ingest/change.js';
import { parseGitHub, verifyGitHubSignature } from '../ingest/github.js';
import { parseGitLab, verifyGitLabToken } from '../ingest/gitlab.js';
import type { ChangeInfo, NormalizedEvent } from '../ingest/types.js';
import {
  VERDICTS,
  type Change,
  type ChangePosition,
  type ChangeVerdict,
  type Verdict,
} from '../store/change-repository.js';
import { newId } from '../store/ids.js';
import type { Repositories } from '../store/repositories.js';
import { putArtifact } from './artifacts.js';
import { read, transact, type AppContext, type Tx } from './context.js';
import type { SuspectsView, SuspectView } from './change-views.js';
import { authorize, loadIncident } from './guard.js';
import { timestamp } from './inputs.js';
import { parseInput } from './validate.js';

export type { Change, ChangeVerdict, SuspectsView, SuspectView, Verdict };
export type RecordChangeInput = ChangeEventInput;

/** What a delivery did to the stored change. */
export type ChangeOutcome = 'created' | 'updated' | 'unchanged';

export interface ChangeResult {
  outcome: ChangeOutcome;
  change: Change;
}

export interface DeliveryResult {
  /** The source's event name (`deployment_status`, `Deployment Hook`, …). */
  event: string;
  /** One entry per change the delivery carried; empty for events Debrief does not record (`ping`, `push`, …). */
  outcomes: ChangeResult[];
}

/** Machine senders act as system principals, so the audit log names where a write came from. */
const GITHUB: Principal = { kind: 'system', name: 'webhook:github', role: 'admin' };
const GITLAB: Principal = { kind: 'system', name: 'webhook:gitlab', role: 'admin' };

/** Changes further back than this before an open incident began are recorded but not put on its timeline. */
const TIMELINE_LOOKBACK_MS = 24 * 3_600_000;
/** Changes logged up to this long after the reference time still count as suspects (clock skew). */
const SUSPECT_GRACE_MS = 2 * 60_000;
const MAX_SUSPECT_CANDIDATES = 1_000;

const OPEN_STATUSES = ['investigating', 'mitigated'] as const;

const KIND_WORDS: Record<Change['kind'], string> = { deploy: 'deploy', config: 'config change', flag: 'flag change' };

/**
 * How far a deployment has got; a status only replaces an earlier one, or one of a lower stage reported at the
 * same instant. `inactive` is what GitHub sets when a newer deployment replaces this one.
 */
const STATUS_STAGE: Readonly<Record<string, number>> = {
  pending: 0,
  queued: 1,
  in_progress: 2,
  success: 3,
  failure: 3,
  error: 3,
  canceled: 3,
  inactive: 4,
};

const stageOf = (status: string | null): number => (status === null ? -1 : (STATUS_STAGE[status] ?? 3));

/** `deploy checkout v2.3.1`: how explanations and timeline titles name a change. */
export function changeSubject(change: Pick<Change, 'kind' | 'service' | 'version'>): string {
  return `${KIND_WORDS[change.kind]} ${change.service}${change.version ? ` ${change.version}` : ''}`;
}

/** The time from which an incident's evidence counts: impact start, else detection, else declaration. */
function incidentStart(incident: Incident): string {
  return incident.impactStartedAt ?? incident.detectedAt ?? incident.declaredAt;
}

function statusOf(event: NormalizedEvent): string | null {
  return event.status ?? event.change?.status ?? null;
}

function newChange(
  tx: Tx,
  event: NormalizedEvent,
  info: ChangeInfo,
  dedupeKey: string,
  diffArtifactId: string | null,
): Change {
  const status = statusOf(event);
  return {
    id: newId(Date.parse(tx.now)),
    source: event.source,
    dedupeKey,
    kind: info.kind,
    service: info.service,
    version: info.version,
    environment: info.environment,
    author: info.author,
    url: info.url,
    status,
    description: event.body,
    labels: status === null ? { ...event.labels } : { ...event.labels, status_at: event.at },
    diffArtifactId,
    at: event.at,
    createdAt: tx.now,
  };
}

/**
 * A later delivery of a known change: the change keeps its earliest time (when the deployment started, which is
 * what correlation needs: impact can begin during a rollout), and takes the delivery's status when it is newer than
 * the stored one. Returns whether the delivery's status was taken.
 */
function mergeDelivery(existing: Change, event: NormalizedEvent): { next: Change; statusTaken: boolean } {
  const info = event.change;
  const status = statusOf(event);
  const statusAt = existing.labels.status_at ?? null;
  const statusTaken =
    status !== null &&
    status !== existing.status &&
    (existing.status === null ||
      statusAt === null ||
      event.at > statusAt ||
      (event.at === statusAt && stageOf(status) > stageOf(existing.status)));
  const next: Change = {
    ...existing,
    at: event.at < existing.at ? event.at : existing.at,
    version: existing.version ?? info?.version ?? null,
    environment: existing.environment ?? info?.environment ?? null,
    author: existing.author ?? info?.author ?? null,
    url: statusTaken ? (info?.url ?? existing.url) : (existing.url ?? info?.url ?? null),
    description: statusTaken && event.body !== '' ? event.body : existing.description || event.body,
    status: statusTaken ? status : existing.status,
    labels: statusTaken
      ? { ...existing.labels, ...event.labels, status_at: event.at }
      : { ...event.labels, ...existing.labels },
  };
  return { next, statusTaken };
}

/** Field-by-field equality, labels compared regardless of key order. */
function sameChange(a: Change, b: Change): boolean {
  const canonical = (c: Change) =>
    JSON.stringify({ ...c, labels: Object.entries(c.labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)) });
  return canonical(a) === canonical(b);
}

function timelineLabels(change: Change): Record<string, string> {
  return { ...change.labels, service: change.service, change_id: change.id };
}

/**
 * Puts the change on the timeline of every open incident that lists its service, so responders see deploys as
 * they happen. One event per change and incident (dedupe key `change:<id>`), updated as the deployment's status
 * moves on.
 */
async function showOnOpenIncidents(
  tx: Tx,
  actor: Principal,
  change: Change,
  title: string | null,
  actorLabel: string | null,
): Promise<void> {
  const page = await tx.repos.incidents.list(
    { status: [...OPEN_STATUSES], service: change.service },
    { all: true },
    200,
  );
  for (const incident of page.items) {
    if (Date.parse(change.at) < Date.parse(incidentStart(incident)) - TIMELINE_LOOKBACK_MS) continue;
    const dedupeKey = `change:${change.id}`;
    const existing = await tx.repos.timeline.findByDedupeKey(incident.id, dedupeKey);
    if (!existing) {
      const event: TimelineEvent = {
        id: newId(Date.parse(tx.now)),
        incidentId: incident.id,
        at: change.at,
        kind: 'change',
        source: change.source,
        title: title ?? changeSubject(change),
        body: change.description,
        labels: timelineLabels(change),
        dedupeKey,
        marker: null,
        pinned: false,
        artifactId: change.diffArtifactId,
        count: 1,
        actor: actorLabel,
        createdAt: tx.now,
      };
      await tx.repos.timeline.insert(event);
      await tx.audit(actor, 'timeline.add', 'incident', incident.key, null, event);
      continue;
    }
    const updated: TimelineEvent = {
      ...existing,
      at: change.at,
      title: title ?? existing.title,
      body: change.description,
      labels: timelineLabels(change),
    };
    await tx.repos.timeline.update(updated);
    await tx.audit(actor, 'timeline.update', 'incident', incident.key, existing, updated);
  }
}

/**
 * Records one normalised change event inside the caller's transaction. One row per deployment: the event's group
 * key (the GitHub or GitLab deployment) or else its dedupe key identifies it, so a re-delivery writes nothing and a
 * status delivery updates the stored status.
 */
async function recordEventIn(
  tx: Tx,
  actor: Principal,
  event: NormalizedEvent,
  actorLabel: string | null,
): Promise<ChangeResult> {
  const info = event.change;
  if (!info) throw validationError('(body)', 'not a change event');
  const key = event.groupKey ?? event.dedupeKey;
  let existing = await tx.repos.changes.findByDedupeKey(key);
  if (!existing) {
    const diff =
      event.diff !== undefined && event.diff !== ''
        ? await putArtifact(tx, event.diff, 'text/x-diff; charset=utf-8', `diff of ${changeSubject(info)}`)
        : null;
    const change = newChange(tx, event, info, key, diff?.id ?? null);
    if (await tx.repos.changes.insert(change)) {
      await tx.audit(actor, 'change.record', 'change', change.id, null, change);
      await showOnOpenIncidents(tx, actor, change, event.title, actorLabel);
      return { outcome: 'created', change };
    }
    // Another delivery of the same change committed first; treat this one as a later delivery of it.
    existing = await tx.repos.changes.findByDedupeKey(key);
    if (!existing) throw new Error(`change ${key} vanished while being recorded`);
  }
  const { next, statusTaken } = mergeDelivery(existing, event);
  if (sameChange(next, existing)) return { outcome: 'unchanged', change: existing };
  await tx.repos.changes.update(next);
  await tx.audit(actor, 'change.update', 'change', next.id, existing, next);
  await showOnOpenIncidents(tx, actor, next, statusTaken ? event.title : null, actorLabel);
  return { outcome: 'updated', change: next };
}

/**
 * Records a change from any CI/CD, config tool or flag service (responder or more). A `diff` is kept as an
 * immutable artifact linked from the change. The same `id` (or, without one, the same service, kind, version,
 * environment and time) is recorded once: a retry returns the stored change with outcome `unchanged`.
 *
 * @example
 * await recordChange(ctx, ciToken, { id: 'run-8812', service: 'checkout', version: 'v2.3.1', diff: '--- a/…' });
 */
export async function recordChange(ctx: AppContext, actor: Principal, raw: unknown): Promise<ChangeResult> {
  if (!can(actor, 'change.record')) {
    throw new DebriefError('DEBRIEF_ERR_FORBIDDEN', `your role (${actor.role}) may not record changes`);
  }
  return transact(ctx, async (tx) => {
    const events = parseChangeEvent(raw, { now: tx.now });
    const [event] = events;
    if (!event || events.length !== 1) throw validationError('(body)', 'expected one change');
    // A retry of a recorded change must write nothing, not even its diff again.
    const known = await tx.repos.changes.findByDedupeKey(event.groupKey ?? event.dedupeKey);
    if (known) return { outcome: 'unchanged' as const, change: known };
    return recordEventIn(tx, actor, event, principalLabel(actor));
  });
}

function parseJsonBody(raw: Buffer, form: boolean): unknown {
  let text = raw.toString('utf8');
  if (form) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw validationError('payload', 'a form-encoded delivery needs a payload field');
    text = payload;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw validationError('(body)', 'not valid JSON');
  }
}

function unauthenticated(message: string): DebriefError {
  return new DebriefError('DEBRIEF_ERR_UNAUTHENTICATED', message);
}

async function recordDelivery(
  ctx: AppContext,
  actor: Principal,
  eventName: string,
  parse: () => NormalizedEvent[],
): Promise<DeliveryResult> {
  return transact(ctx, async (tx) => {
    const outcomes: ChangeResult[] = [];
    for (const event of parse()) outcomes.push(await recordEventIn(tx, actor, event, null));
    return { event: eventName, outcomes };
  });
}

export interface GitHubDelivery {
  /** The body exactly as received: the signature is over these bytes. */
  rawBody: Buffer;
  /** GitHub's "application/x-www-form-urlencoded" content type sends the JSON in a `payload` field. */
  form?: boolean;
  signature: string | undefined;
  event: string | undefined;
  deliveryId: string | undefined;
}

/**
 * A GitHub webhook delivery: verifies `X-Hub-Signature-256` against `webhooks.githubSecret` before reading
 * anything, then records `deployment` and `deployment_status` events. `ping` and other events are acknowledged
 * and ignored.
 *
 * @throws DebriefError DEBRIEF_ERR_UNAUTHENTICATED when no secret is configured or the signature does not match;
 *   DEBRIEF_ERR_VALIDATION naming the field of a malformed payload.
 */
export async function receiveGitHubDelivery(ctx: AppContext, delivery: GitHubDelivery): Promise<DeliveryResult> {
  const secret = ctx.settings.webhooks.githubSecret;
  if (!secret) {
    throw unauthenticated('GitHub webhooks are not enabled here: set webhooks.githubSecret (or DEBRIEF_GITHUB_SECRET)');
  }
  if (!delivery.signature) throw unauthenticated('X-Hub-Signature-256 is missing; set the secret on the GitHub hook');
  if (!verifyGitHubSignature(delivery.rawBody, delivery.signature, secret)) {
    throw unauthenticated('X-Hub-Signature-256 does not match the body; check the hook secret');
  }
  const payload = parseJsonBody(delivery.rawBody, delivery.form === true);
  return recordDelivery(ctx, GITHUB, delivery.event ?? '', () =>
    parseGitHub(delivery.event, payload, delivery.deliveryId),
  );
}

export interface GitLabDelivery {
  rawBody: Buffer;
  token: string | undefined;
  event: string | undefined;
}

/**
 * A GitLab webhook delivery: compares `X-Gitlab-Token` with `webhooks.gitlabToken` in constant time, then records
 * deployment events. Other hooks are acknowledged and ignored.
 *
 * @throws DebriefError DEBRIEF_ERR_UNAUTHENTICATED when no token is configured or the token does not match;
 *   DEBRIEF_ERR_VALIDATION naming the field of a malformed payload.
 */
export async function receiveGitLabDelivery(ctx: AppContext, delivery: GitLabDelivery): Promise<DeliveryResult> {
  const expected = ctx.settings.webhooks.gitlabToken;
  if (!expected) {
    throw unauthenticated('GitLab webhooks are not enabled here: set webhooks.gitlabToken (or DEBRIEF_GITLAB_TOKEN)');
  }
  if (!verifyGitLabToken(delivery.token, expected)) {
    throw unauthenticated('X-Gitlab-Token is missing or wrong; set the secret token on the GitLab hook');
  }
  const payload = parseJsonBody(delivery.rawBody, false);
  return recordDelivery(ctx, GITLAB, delivery.event ?? '', () => parseGitLab(payload, delivery.event));
}

const kindInput = z.enum(CHANGE_KINDS, { error: () => `must be one of ${CHANGE_KINDS.join(', ')}` });

export const listChangesInput = z.strictObject({
  service: z.string().min(1).max(200).optional(),
  kind: z.array(kindInput).optional(),
  environment: z.string().min(1).max(100).optional(),
  from: timestamp.optional(),
  to: timestamp.optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListChangesInput = z.input<typeof listChangesInput>;

export interface ChangePage {
  items: Change[];
  nextCursor: string | null;
}

function encodeCursor(position: ChangePosition | null): string | null {
  return position === null ? null : Buffer.from(`${position.at}|${position.id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): ChangePosition | undefined {
  if (cursor === undefined) return undefined;
  const match = /^([0-9T:.Z-]{20,30})\|([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2]) throw validationError('cursor', 'is not a cursor returned by this API');
  return { at: match[1], id: match[2] };
}

/** Recorded changes, newest first, one page at a time (any signed-in user). */
export async function listChanges(ctx: AppContext, actor: Principal, raw: ListChangesInput = {}): Promise<ChangePage> {
  const input = parseInput(listChangesInput, raw);
  authorize(actor, 'service.read');
  const page = await read(ctx).changes.list(
    {
      service: input.service,
      kind: input.kind,
      environment: input.environment,
      from: input.from === undefined ? undefined : normalizeTimestamp(input.from, 'from'),
      to: input.to === undefined ? undefined : normalizeTimestamp(input.to, 'to'),
    },
    input.limit,
    decodeCursor(input.cursor),
  );
  return { items: page.items, nextCursor: encodeCursor(page.next) };
}

export const suspectsInput = z.strictObject({
  /** How far before the reference time changes are considered. */
  lookbackHours: z.number().int().min(1).max(168).default(24),
});
export type SuspectsInput = z.input<typeof suspectsInput>;

/**
 * Earliest alert time per service on the incident's timeline: where and when errors began. An alert without a
 * `service` label counts for the incident's service when it has exactly one.
 */
function errorOnsets(incident: Incident, alerts: readonly TimelineEvent[]): Record<string, string> {
  const onsets: Record<string, string> = {};
  const fallback = incident.services.length === 1 ? incident.services[0] : undefined;
  for (const alert of alerts) {
    const service = alert.labels.service ?? fallback;
    if (!service) continue;
    const known = onsets[service];
    if (known === undefined || alert.at < known) onsets[service] = alert.at;
  }
  return onsets;
}

function referenceOf(incident: Incident, firstAlertAt: string | null): { at: string; label: string } {
  const at = incidentStart(incident);
  if (firstAlertAt !== null && Date.parse(firstAlertAt) === Date.parse(at)) return { at, label: 'the first alert' };
  if (incident.impactStartedAt) return { at, label: 'impact start' };
  return { at, label: incident.detectedAt ? 'detection' : 'the declaration' };
}

function describeForReasons(change: Change): string | undefined {
  const parts = [
    change.environment ? `to ${change.environment}` : null,
    change.status && change.status !== 'success' ? `status ${change.status}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(', ') : undefined;
}

async function dependencyGraph(repos: Repositories): Promise<DependencyGraph> {
  const services = await repos.catalog.listServices();
  return Object.fromEntries(services.map((s) => [s.name, s.dependencies]));
}

/** The changes ranked as suspects for an incident, with what the ranking measured them against. */
export interface RankedSuspects {
  /** The time suspects are measured against, and how explanations name it. */
  reference: { at: string; label: string };
  /** The changes considered: `from <= at <= to`. */
  window: { from: string; to: string };
  /** Most likely first, each with its recorded change and the verdict responders gave it, if any. */
  items: { suspect: ChangeSuspect; change: Change; verdict: ChangeVerdict | null }[];
}

/**
 * Ranks the changes made within `lookbackMs` before the incident began as suspects (see `correlateChanges`): the
 * reference time is impact start, else detection, else declaration; the dependency graph is the catalog's; error
 * onsets are the earliest of `alerts` (the incident's alert events) per service. The suspects page and the
 * postmortem draft both rank with this, so they agree.
 *
 * @example
 * const { items } = await rankSuspects(repos, incident, alerts, 24 * 3_600_000);
 * items[0]?.suspect.explanation; // 'deploy checkout v2.3.1, 6 min before impact start, same service'
 */
export async function rankSuspects(
  repos: Repositories,
  incident: Incident,
  alerts: readonly TimelineEvent[],
  lookbackMs: number,
): Promise<RankedSuspects> {
  const firstAlertAt = alerts.reduce<string | null>((min, a) => (min === null || a.at < min ? a.at : min), null);
  const reference = referenceOf(incident, firstAlertAt);
  const referenceMs = Date.parse(reference.at);
  const window = {
    from: new Date(referenceMs - lookbackMs).toISOString(),
    to: new Date(referenceMs + SUSPECT_GRACE_MS).toISOString(),
  };
  const candidates = await repos.changes.between(window.from, window.to, MAX_SUSPECT_CANDIDATES);
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const suspects = correlateChanges(
    candidates.map((c) => {
      const description = describeForReasons(c);
      return {
        id: c.id,
        at: c.at,
        service: c.service,
        kind: c.kind,
        version: c.version,
        ...(description ? { description } : {}),
      };
    }),
    { impactStartedAt: reference.at, services: incident.services },
    await dependencyGraph(repos),
    {
      lookbackMs,
      graceMs: SUSPECT_GRACE_MS,
      errorOnsets: errorOnsets(incident, alerts),
      referenceLabel: reference.label,
    },
  );
  const verdicts = new Map((await repos.changes.verdicts(incident.id)).map((v) => [v.changeId, v]));
  const items: RankedSuspects['items'] = [];
  for (const suspect of suspects) {
    const change = byId.get(suspect.change.id);
    if (change) items.push({ suspect, change, verdict: verdicts.get(change.id) ?? null });
  }
  return { reference, window, items };
}

/**
 * The suspects page: changes made before the incident began, ranked with the reasons behind each score (see
 * {@link rankSuspects}). Verdicts already given are included. A private incident the caller may not see is not
 * found.
 */
export async function listSuspects(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: SuspectsInput = {},
): Promise<SuspectsView> {
  const input = parseInput(suspectsInput, raw);
  const repos = read(ctx);
  const incident = await loadIncident(repos, actor, key);
  const alerts = await repos.timeline.list(incident.id, { kind: ['alert'] });
  const ranked = await rankSuspects(repos, incident, alerts, input.lookbackHours * 3_600_000);
  return {
    incident: incident.key,
    reference: ranked.reference,
    window: ranked.window,
    items: ranked.items.map(({ suspect: s, change, verdict }) => ({
      rank: s.rank,
      score: s.score,
      explanation: s.explanation,
      reasons: s.reasons,
      relation: s.relation,
      relatedService: s.relatedService,
      via: s.via,
      leadMs: s.leadMs,
      errorOnsetAfterMs: s.errorOnsetAfterMs,
      factors: s.factors,
      change,
      verdict,
    })),
  };
}

export const suspectVerdictInput = z.strictObject({
  verdict: z.enum(VERDICTS, { error: () => `must be one of ${VERDICTS.join(', ')}` }),
  reason: z.string().trim().max(2_000, { error: 'must be at most 2000 characters' }).default(''),
});
export type SuspectVerdictInput = z.input<typeof suspectVerdictInput>;

/**
 * Records a responder's verdict on a suspected change: `confirmed` (it contributed) or `dismissed` (ruled out).
 * A later verdict replaces the earlier one; both stay in the audit log. Confirming also puts "Suspect confirmed:
 * deploy checkout v2.3.1" on the timeline, once.
 */
export async function decideSuspect(
  ctx: AppContext,
  actor: Principal,
  key: string,
  changeId: string,
  raw: SuspectVerdictInput,
): Promise<ChangeVerdict> {
  const input = parseInput(suspectVerdictInput, raw);
  return transact(ctx, async (tx) => {
    const incident = await loadIncident(tx.repos, actor, key, 'incident.update');
    const change = await tx.repos.changes.findById(changeId);
    if (!change) throw notFound('change', changeId);
    const before = await tx.repos.changes.findVerdict(incident.id, change.id);
    if (before && before.verdict === input.verdict && before.reason === input.reason) return before;
    const label = principalLabel(actor);
    const verdict: ChangeVerdict = {
      incidentId: incident.id,
      changeId: change.id,
      verdict: input.verdict,
      reason: input.reason,
      decidedBy: label,
      decidedAt: tx.now,
    };
    await tx.repos.changes.saveVerdict(verdict);
    const dedupeKey = `suspect-confirmed:${change.id}`;
    if (verdict.verdict === 'confirmed' && !(await tx.repos.timeline.findByDedupeKey(incident.id, dedupeKey))) {
      const event: TimelineEvent = {
        id: newId(Date.parse(tx.now)),
        incidentId: incident.id,
        at: tx.now,
        kind: 'change',
        source: 'debrief',
        title: `Suspect confirmed: ${changeSubject(change)}`,
        body: verdict.reason,
        labels: {
          change_id: change.id,
          service: change.service,
          ...(change.version ? { version: change.version } : {}),
        },
        dedupeKey,
        marker: null,
        pinned: false,
        artifactId: change.diffArtifactId,
        count: 1,
        actor: label,
        createdAt: tx.now,
      };
      await tx.repos.timeline.insert(event);
      await tx.audit(actor, 'timeline.add', 'incident', incident.key, null, event);
    }
    await tx.audit(
      actor,
      `suspect.${verdict.verdict === 'confirmed' ? 'confirm' : 'dismiss'}`,
      'incident',
      incident.key,
      before,
      verdict,
    );
    return verdict;
  });
}
