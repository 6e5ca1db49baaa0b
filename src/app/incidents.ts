import { principalLabel, visibilityScope } from '../domain/access.js';
import { DebriefError, validationError } from '../domain/errors.js';
import { formatIncidentKey } from '../domain/incident-key.js';
import { normalizeTimestamp, planStatusChange, validateLifecycle } from '../domain/lifecycle.js';
import {
  INCIDENT_ROLES,
  LIFECYCLE_FIELDS,
  type Incident,
  type LifecycleTimes,
  type Principal,
  type TimelineEvent,
} from '../domain/types.js';
import type { AccessScope } from '../store/incident-repository.js';
import { newId } from '../store/ids.js';
import type { Repositories } from '../store/repositories.js';
import { read, transact, type AppContext, type Tx } from './context.js';
import { authorize, loadIncident } from './guard.js';
import {
  changeStatusInput,
  declareIncidentInput,
  listIncidentsInput,
  rolesInput,
  updateIncidentInput,
  type ChangeStatusInput,
  type DeclareIncidentInput,
  type ListIncidentsInput,
  type UpdateIncidentInput,
} from './inputs.js';
import { syncLifecycleMarkers } from './lifecycle-markers.js';
import { createPostmortemIn } from './postmortem-draft.js';
import { presentIncident, type IncidentView } from './presenters.js';
import { parseInput } from './validate.js';

function optionalTime(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined ? null : normalizeTimestamp(value, field);
}

/** The named services, each once and sorted; an unknown one is a validation error naming `field[i]`. */
export async function checkServices(
  repos: Repositories,
  services: readonly string[],
  field: string,
): Promise<string[]> {
  const unique = [...new Set(services)];
  for (const [i, name] of unique.entries()) {
    if (!(await repos.catalog.findService(name))) {
      throw validationError(`${field}[${i}]`, `unknown service "${name}"; add it to the catalog first`);
    }
  }
  return unique.sort();
}

export const EVIDENCE_CAPTURE_JOB = 'evidence.capture';

export interface EvidenceCapturePayload {
  incidentId: string;
  phase: 'declare' | 'resolve';
}

/**
 * Evidence (metric snapshots, log excerpts) is captured off the request path by a durable job, queued in the same
 * transaction as the declaration or resolution so it is never lost nor run for a write that rolled back.
 */
async function enqueueEvidenceCapture(
  tx: Tx,
  incident: Incident,
  phase: EvidenceCapturePayload['phase'],
): Promise<void> {
  const payload: EvidenceCapturePayload = { incidentId: incident.id, phase };
  await tx.repos.jobs.enqueue({
    id: newId(),
    kind: EVIDENCE_CAPTURE_JOB,
    uniqueKey: `${EVIDENCE_CAPTURE_JOB}:${incident.id}:${phase}`,
    payload,
    runAt: tx.now,
    createdAt: tx.now,
  });
}

/**
 * A status line for the incident's timeline, by `actor` (a principal's label): how lifecycle changes, role changes
 * and postmortem milestones show up in the incident's history.
 *
 * @example
 * await tx.repos.timeline.insert(statusEvent(incident, tx, 'alice@example.com', tx.now, 'Postmortem published'));
 */
export function statusEvent(
  incident: Incident,
  tx: Tx,
  actor: string,
  at: string,
  title: string,
  body = '',
): TimelineEvent {
  return {
    id: newId(),
    incidentId: incident.id,
    at,
    kind: 'status',
    source: 'debrief',
    title,
    body,
    labels: {},
    dedupeKey: null,
    marker: null,
    pinned: false,
    artifactId: null,
    count: 1,
    actor,
    createdAt: tx.now,
  };
}

/**
 * Declares an incident: allocates its key, records it with a declaration event on the timeline, and audits it.
 * Detection defaults to the declaration time when no earlier evidence is given.
 */
export async function declareIncident(
  ctx: AppContext,
  actor: Principal,
  raw: DeclareIncidentInput,
): Promise<IncidentView> {
  return transact(ctx, (tx) => declareIncidentIn(tx, actor, raw));
}

/** `declareIncident` inside a transaction the caller already holds, for use cases that do it as one step of a larger write. */
export async function declareIncidentIn(tx: Tx, actor: Principal, raw: DeclareIncidentInput): Promise<IncidentView> {
  const input = parseInput(declareIncidentInput, raw);
  authorize(actor, 'incident.create');
  const services = await checkServices(tx.repos, input.services, 'services');
  const label = principalLabel(actor);
  const times: LifecycleTimes = {
    impactStartedAt: optionalTime(input.impactStartedAt, 'impactStartedAt'),
    detectedAt: optionalTime(input.detectedAt, 'detectedAt') ?? tx.now,
    acknowledgedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
  };
  validateLifecycle(times, tx.now);
  const number = await tx.repos.incidents.nextNumber();
  const incident: Incident = {
    id: newId(),
    number,
    key: formatIncidentKey(number),
    title: input.title,
    summary: input.summary,
    severity: input.severity,
    type: input.type,
    visibility: input.visibility,
    status: 'investigating',
    services,
    customerImpact: input.customerImpact,
    roles: {
      commander: input.roles?.commander ?? null,
      scribe: input.roles?.scribe ?? null,
      communications: input.roles?.communications ?? null,
    },
    members: [...new Set(input.members)],
    ...times,
    declaredAt: tx.now,
    closedAt: null,
    declaredBy: label,
    createdAt: tx.now,
    updatedAt: tx.now,
    version: 1,
  };
  await tx.repos.incidents.insert(incident);
  const declared = statusEvent(
    incident,
    tx,
    label,
    tx.now,
    `Declared ${incident.key} (${incident.severity}): ${incident.title}`,
    incident.summary,
  );
  const markedBy: Record<string, string> = {};
  if (times.detectedAt === tx.now) {
    declared.marker = 'detected';
    markedBy.detected = declared.id;
  }
  await tx.repos.timeline.insert(declared);
  await syncLifecycleMarkers(tx, null, incident, label, markedBy);
  await tx.audit(actor, 'incident.declare', 'incident', incident.key, null, incident);
  await enqueueEvidenceCapture(tx, incident, 'declare');
  return presentIncident(incident);
}

/** Reads one incident the principal may see, optionally with its timeline. */
export async function getIncident(
  ctx: AppContext,
  actor: Principal,
  key: string,
  options: { timeline?: boolean } = {},
): Promise<IncidentView> {
  const repos = read(ctx);
  const incident = await loadIncident(repos, actor, key);
  const timeline = options.timeline ? await repos.timeline.list(incident.id) : undefined;
  return presentIncident(incident, timeline);
}

function encodeCursor(next: number | null): string | null {
  return next === null ? null : Buffer.from(`n:${next}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^n:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw validationError('cursor', 'is not a cursor returned by this API');
  return Number(match[1]);
}

export function accessScope(actor: Principal): AccessScope {
  const scope = visibilityScope(actor);
  if (scope.all) return scope;
  return {
    all: false,
    principals: [scope.label, ...(scope.email && scope.email !== scope.label ? [scope.email] : [])],
  };
}

/** Newest first, filtered, one page at a time; private incidents appear only to those who may see them. */
export async function listIncidents(
  ctx: AppContext,
  actor: Principal,
  raw: ListIncidentsInput = {},
): Promise<{ items: IncidentView[]; nextCursor: string | null }> {
  const input = parseInput(listIncidentsInput, raw);
  authorize(actor, 'incident.read');
  const before = decodeCursor(input.cursor);
  const page = await read(ctx).incidents.list(
    {
      status: input.status,
      severity: input.severity,
      type: input.type,
      visibility: input.visibility,
      service: input.service,
      from: input.from === undefined ? undefined : normalizeTimestamp(input.from, 'from'),
      to: input.to === undefined ? undefined : normalizeTimestamp(input.to, 'to'),
      q: input.q?.trim() || undefined,
    },
    accessScope(actor),
    input.limit,
    before,
  );
  return { items: page.items.map((i) => presentIncident(i)), nextCursor: encodeCursor(page.next) };
}

function staleVersion(incident: Incident, sent: number): DebriefError {
  return new DebriefError(
    'DEBRIEF_ERR_VERSION_CONFLICT',
    `${incident.key} was changed by someone else (now version ${incident.version}, you sent ${sent}); reload and retry`,
    { field: 'version' },
  );
}

async function save(tx: Tx, before: Incident, after: Incident): Promise<void> {
  if (!(await tx.repos.incidents.update(after, before.version))) {
    const current = (await tx.repos.incidents.findById(before.id)) ?? before;
    throw staleVersion(current, before.version);
  }
}

/** Edits fields and lifecycle times; `version` must match the stored one. */
export async function updateIncident(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: UpdateIncidentInput,
): Promise<IncidentView> {
  const input = parseInput(updateIncidentInput, raw);
  return transact(ctx, async (tx) => {
    const before = await loadIncident(tx.repos, actor, key, 'incident.update');
    if (input.version !== before.version) throw staleVersion(before, input.version);
    const next: Incident = { ...before, updatedAt: tx.now, version: before.version + 1 };
    if (input.title !== undefined) next.title = input.title;
    if (input.summary !== undefined) next.summary = input.summary;
    if (input.severity !== undefined) next.severity = input.severity;
    if (input.type !== undefined) next.type = input.type;
    if (input.visibility !== undefined) next.visibility = input.visibility;
    if (input.customerImpact !== undefined) next.customerImpact = input.customerImpact;
    if (input.members !== undefined) next.members = [...new Set(input.members)];
    if (input.services !== undefined) next.services = await checkServices(tx.repos, input.services, 'services');
    for (const field of LIFECYCLE_FIELDS) {
      const value = input[field];
      if (value !== undefined) next[field] = optionalTime(value, field);
    }
    if (next.resolvedAt && next.status !== 'resolved' && next.status !== 'closed') {
      throw new DebriefError(
        'DEBRIEF_ERR_LIFECYCLE_ORDER',
        `resolvedAt: an ${next.status} incident has no resolution time; resolve it with a status change instead`,
        { field: 'resolvedAt' },
      );
    }
    validateLifecycle(next, tx.now);
    await save(tx, before, next);
    const label = principalLabel(actor);
    if (before.severity !== next.severity) {
      await tx.repos.timeline.insert(
        statusEvent(next, tx, label, tx.now, `Severity changed from ${before.severity} to ${next.severity}`),
      );
    }
    await syncLifecycleMarkers(tx, before, next, label);
    await tx.audit(actor, 'incident.update', 'incident', next.key, before, next);
    return presentIncident(next);
  });
}

const STATUS_TITLES = {
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
} as const;

/** Moves an incident through its lifecycle, recording the moment on the timeline. */
export async function changeIncidentStatus(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: ChangeStatusInput,
): Promise<IncidentView> {
  return transact(ctx, (tx) => changeIncidentStatusIn(tx, actor, key, raw));
}

/** `changeIncidentStatus` inside a transaction the caller already holds, for use cases that do it as one step of a larger write. */
export async function changeIncidentStatusIn(
  tx: Tx,
  actor: Principal,
  key: string,
  raw: ChangeStatusInput,
): Promise<IncidentView> {
  const input = parseInput(changeStatusInput, raw);
  const before = await loadIncident(tx.repos, actor, key, 'incident.changeStatus');
  if (input.version !== undefined && input.version !== before.version) throw staleVersion(before, input.version);
  const at = input.at === undefined ? tx.now : normalizeTimestamp(input.at, 'at');
  const plan = planStatusChange(before, input.status, at);
  const next: Incident = { ...before, ...plan.patch, updatedAt: tx.now, version: before.version + 1 };
  validateLifecycle(next, tx.now);
  await save(tx, before, next);
  const label = principalLabel(actor);
  const title = plan.reopened
    ? `Reopened (was ${before.status})`
    : `Status: ${STATUS_TITLES[before.status]} → ${STATUS_TITLES[next.status]}`;
  const event = statusEvent(next, tx, label, at, title, input.note ?? '');
  event.marker = plan.marker;
  await tx.repos.timeline.insert(event);
  await syncLifecycleMarkers(tx, before, next, label, plan.marker ? { [plan.marker]: event.id } : {});
  await tx.audit(actor, plan.reopened ? 'incident.reopen' : 'incident.status', 'incident', next.key, before, next);
  if (next.status === 'resolved') {
    await enqueueEvidenceCapture(tx, next, 'resolve');
    // The draft is composed from the evidence while it is fresh; writers start from facts, not a blank page.
    if (!(await tx.repos.postmortems.findByIncident(next.id))) await createPostmortemIn(tx, actor, next);
  }
  return presentIncident(next);
}

/** Assigns or clears the commander, scribe and communications roles (omitted roles stay as they are). */
export async function assignIncidentRoles(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: unknown,
): Promise<IncidentView> {
  const input = parseInput(rolesInput, raw);
  return transact(ctx, async (tx) => {
    const before = await loadIncident(tx.repos, actor, key, 'incident.assignRoles');
    const roles = { ...before.roles };
    const changes: string[] = [];
    for (const role of INCIDENT_ROLES) {
      const value = input[role];
      if (value === undefined || value === roles[role]) continue;
      roles[role] = value;
      changes.push(value === null ? `${role} unassigned` : `${role}: ${value}`);
    }
    if (changes.length === 0) return presentIncident(before);
    const next: Incident = { ...before, roles, updatedAt: tx.now, version: before.version + 1 };
    await save(tx, before, next);
    const label = principalLabel(actor);
    await tx.repos.timeline.insert(statusEvent(next, tx, label, tx.now, `Roles: ${changes.join(', ')}`));
    await tx.audit(actor, 'incident.roles', 'incident', next.key, before.roles, next.roles);
    return presentIncident(next);
  });
}
