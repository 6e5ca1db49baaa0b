import { principalLabel } from '../domain/access.js';
import { notFound, validationError } from '../domain/errors.js';
import { lifecycleFieldForMarker, normalizeTimestamp, validateLifecycle } from '../domain/lifecycle.js';
import type { Incident, Marker, Principal, TimelineEvent } from '../domain/types.js';
import { newId } from '../store/ids.js';
import { read, transact, type AppContext, type Tx } from './context.js';
import { loadIncident } from './guard.js';
import {
  addTimelineEventInput,
  listTimelineInput,
  updateTimelineEventInput,
  type AddTimelineEventInput,
  type ListTimelineInput,
  type UpdateTimelineEventInput,
} from './inputs.js';
import { syncLifecycleMarkers } from './lifecycle-markers.js';
import { parseInput } from './validate.js';

/**
 * A lifecycle marker on an event moves the incident's matching time to the event's time, so "this alert is when we
 * detected it" is one click and the durations follow.
 */
async function applyMarker(tx: Tx, actor: Principal, incident: Incident, event: TimelineEvent, marker: Marker | null) {
  const field = marker ? lifecycleFieldForMarker(marker) : null;
  if (!marker || !field) return;
  if (field === 'resolvedAt' && incident.status !== 'resolved' && incident.status !== 'closed') {
    throw validationError('marker', `an ${incident.status} incident cannot carry a resolved marker; resolve it first`);
  }
  const next: Incident = { ...incident, [field]: event.at, updatedAt: tx.now, version: incident.version + 1 };
  validateLifecycle(next, tx.now);
  if (!(await tx.repos.incidents.update(next, incident.version))) {
    throw validationError('marker', 'the incident changed while marking; retry');
  }
  await syncLifecycleMarkers(tx, incident, next, principalLabel(actor), { [marker]: event.id });
  await tx.audit(actor, 'incident.update', 'incident', incident.key, incident, next);
}

/**
 * Adds an event (a note by default) to an incident's timeline. With a `dedupeKey` already present on the incident,
 * nothing is written and the existing event is returned with `created: false`.
 */
export async function addTimelineEvent(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: AddTimelineEventInput,
): Promise<{ event: TimelineEvent; created: boolean }> {
  return transact(ctx, (tx) => addTimelineEventIn(tx, actor, key, raw));
}

/** `addTimelineEvent` inside a transaction the caller already holds, for use cases that do it as one step of a larger write. */
export async function addTimelineEventIn(
  tx: Tx,
  actor: Principal,
  key: string,
  raw: AddTimelineEventInput,
): Promise<{ event: TimelineEvent; created: boolean }> {
  const input = parseInput(addTimelineEventInput, raw);
  if (input.kind === 'note' && input.body.trim() === '' && !input.title?.trim()) {
    throw validationError('body', 'a note needs some text');
  }
  const incident = await loadIncident(tx.repos, actor, key, 'timeline.add');
  if (input.dedupeKey) {
    const existing = await tx.repos.timeline.findByDedupeKey(incident.id, input.dedupeKey);
    if (existing) return { event: existing, created: false };
  }
  const label = principalLabel(actor);
  const firstLine = input.body.trim().split('\n')[0] ?? '';
  const event: TimelineEvent = {
    id: newId(),
    incidentId: incident.id,
    at: input.at === undefined ? tx.now : normalizeTimestamp(input.at, 'at'),
    kind: input.kind,
    source: input.source,
    title: input.title?.trim() || (firstLine.length > 120 ? `${firstLine.slice(0, 117)}…` : firstLine),
    body: input.body,
    labels: input.labels,
    dedupeKey: input.dedupeKey ?? null,
    marker: input.marker ?? null,
    pinned: input.pinned,
    artifactId: null,
    count: 1,
    actor: label,
    createdAt: tx.now,
  };
  await tx.repos.timeline.insert(event);
  if (event.marker && event.marker !== 'key_moment') {
    await applyMarker(tx, actor, incident, event, event.marker);
  }
  await tx.audit(actor, 'timeline.add', 'incident', incident.key, null, event);
  return { event, created: true };
}

/** Pins or unpins an event, or sets or clears its marker. */
export async function updateTimelineEvent(
  ctx: AppContext,
  actor: Principal,
  key: string,
  eventId: string,
  raw: UpdateTimelineEventInput,
): Promise<TimelineEvent> {
  const input = parseInput(updateTimelineEventInput, raw);
  return transact(ctx, async (tx) => {
    const incident = await loadIncident(tx.repos, actor, key, 'timeline.pin');
    const before = await tx.repos.timeline.findById(incident.id, eventId);
    if (!before) throw notFound('timeline event', eventId);
    const after: TimelineEvent = { ...before };
    if (input.pinned !== undefined) after.pinned = input.pinned;
    if (input.marker !== undefined) after.marker = input.marker;
    await tx.repos.timeline.update(after);
    if (input.marker !== undefined && input.marker !== before.marker) {
      if (input.marker && input.marker !== 'key_moment') {
        await applyMarker(tx, actor, incident, after, input.marker);
      }
      const clearedField = before.marker ? lifecycleFieldForMarker(before.marker) : null;
      if (clearedField && input.marker === null) {
        throw validationError('marker', `to clear the ${before.marker} time, edit the incident's ${clearedField}`);
      }
    }
    await tx.audit(actor, 'timeline.update', 'incident', incident.key, before, after);
    return after;
  });
}

/** The incident's timeline, oldest first. */
export async function listTimeline(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: ListTimelineInput = {},
): Promise<TimelineEvent[]> {
  const input = parseInput(listTimelineInput, raw);
  const repos = read(ctx);
  const incident = await loadIncident(repos, actor, key);
  return repos.timeline.list(incident.id, input);
}
