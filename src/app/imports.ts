/**
 * Bulk imports onto an incident's timeline: Kubernetes events, Slack exports and anything else an adapter in
 * src/ingest turns into events. One batch is one transaction, idempotent by dedupe key.
 */
import { z } from 'zod';
import { principalLabel } from '../domain/access.js';
import { validationError } from '../domain/errors.js';
import { normalizeTimestamp } from '../domain/lifecycle.js';
import type { Incident, Principal, TimelineEvent } from '../domain/types.js';
import type { NormalizedEvent } from '../ingest/types.js';
import { newId } from '../store/ids.js';
import { transact, type AppContext, type Tx } from './context.js';
import { incidentWindow, type TimeWindow } from './evidence.js';
import { loadIncident } from './guard.js';
import { addTimelineEventInput, type AddTimelineEventInput } from './inputs.js';
import { addTimelineEventIn } from './timeline.js';
import { parseInput } from './validate.js';

/** Events per batch call: large enough for a day of a busy channel, small enough for one transaction. */
export const MAX_BATCH_EVENTS = 5_000;

/** Minutes before impact start and after resolution that imports take in by default. */
export const IMPORT_MARGIN_MINUTES = 30;

export const addTimelineEventsInput = z.strictObject({
  events: z
    .array(addTimelineEventInput)
    .min(1, { error: 'must hold at least one event' })
    .max(MAX_BATCH_EVENTS, { error: `must hold at most ${MAX_BATCH_EVENTS} events; send them in batches` }),
});
export type AddTimelineEventsInput = z.input<typeof addTimelineEventsInput>;

export interface BatchResult {
  /** Events written now. */
  created: number;
  /** Events whose dedupe key was already on the timeline (or earlier in the same batch). */
  existing: number;
}

type ParsedEvent = z.output<typeof addTimelineEventInput>;

const MAX_TITLE = 500;
const MAX_BODY = 100_000;
const MAX_LABEL_VALUE = 2_000;
const MAX_LABEL_KEY = 200;
const RETRIES_ON_RACE = 3;

/** Another writer inserted the same dedupe key between our lookup and our insert. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function defaultTitle(event: ParsedEvent): string {
  const firstLine = event.body.trim().split('\n')[0] ?? '';
  return event.title?.trim() || (firstLine.length > 120 ? `${firstLine.slice(0, 117)}…` : firstLine);
}

async function insertBatch(
  tx: Tx,
  actor: Principal,
  key: string,
  incident: Incident,
  events: ParsedEvent[],
): Promise<BatchResult> {
  const label = principalLabel(actor);
  const seen = new Set<string>();
  const fresh: TimelineEvent[] = [];
  const marked: ParsedEvent[] = [];
  let existing = 0;
  for (const [i, event] of events.entries()) {
    if (event.dedupeKey !== undefined) {
      if (seen.has(event.dedupeKey) || (await tx.repos.timeline.findByDedupeKey(incident.id, event.dedupeKey))) {
        existing++;
        continue;
      }
      seen.add(event.dedupeKey);
    }
    // Lifecycle markers move the incident's times: those events take the single-event path, which does that.
    if (event.marker && event.marker !== 'key_moment') {
      marked.push(event);
      continue;
    }
    fresh.push({
      id: newId(),
      incidentId: incident.id,
      at: event.at === undefined ? tx.now : normalizeTimestamp(event.at, `events[${i}].at`),
      kind: event.kind,
      source: event.source,
      title: defaultTitle(event),
      body: event.body,
      labels: event.labels,
      dedupeKey: event.dedupeKey ?? null,
      marker: event.marker ?? null,
      pinned: event.pinned,
      artifactId: null,
      count: 1,
      actor: label,
      createdAt: tx.now,
    });
  }
  await tx.repos.timeline.insertMany(fresh);
  if (fresh.length > 0) {
    await tx.audit(actor, 'timeline.addBatch', 'incident', incident.key, null, {
      created: fresh.length,
      sources: [...new Set(fresh.map((e) => e.source))].sort(),
      from: fresh.reduce((min, e) => (e.at < min ? e.at : min), fresh[0]?.at ?? tx.now),
      to: fresh.reduce((max, e) => (e.at > max ? e.at : max), fresh[0]?.at ?? tx.now),
      eventIds: fresh.map((e) => e.id),
    });
  }
  let created = fresh.length;
  for (const event of marked) {
    if ((await addTimelineEventIn(tx, actor, key, event)).created) created++;
    else existing++;
  }
  return { created, existing };
}

/**
 * Adds up to {@link MAX_BATCH_EVENTS} events to an incident's timeline in one transaction. Events whose dedupe key
 * is already on the timeline, or repeats one earlier in the batch, are counted as `existing` and not written, so a
 * re-run of the same import changes nothing. Events with a lifecycle marker move the incident's times as a single
 * added event would. One audit entry covers the batch.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION naming the field, e.g. `events[12].at`.
 * @example
 * await addTimelineEvents(ctx, actor, 'INC-4', { events: [{ kind: 'chat', source: 'slack', body: 'rolling back', dedupeKey: 'slack:C1:1.2' }] });
 * // { created: 1, existing: 0 }
 */
export async function addTimelineEvents(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: AddTimelineEventsInput,
): Promise<BatchResult> {
  const { events } = parseInput(addTimelineEventsInput, raw);
  events.forEach((event, i) => {
    if (event.kind === 'note' && event.body.trim() === '' && !event.title?.trim()) {
      throw validationError(`events[${i}].body`, 'a note needs some text');
    }
    if (event.at !== undefined) normalizeTimestamp(event.at, `events[${i}].at`);
  });
  for (let attempt = 1; ; attempt++) {
    try {
      return await transact(ctx, async (tx) => {
        const incident = await loadIncident(tx.repos, actor, key, 'timeline.add');
        return insertBatch(tx, actor, key, incident, events);
      });
    } catch (error) {
      // A concurrent import of the same events won the race; the retry sees its rows and counts them as existing.
      if (attempt >= RETRIES_ON_RACE || !isUniqueViolation(error)) throw error;
    }
  }
}

const clipText = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * An adapter's event as timeline input: the service and the source's severity become labels (unless the event
 * already has them), and text is cut to what the timeline accepts.
 *
 * @example
 * timelineInput(parseKubernetesEvents(list)[0]); // { kind: 'log', source: 'kubernetes', dedupeKey: 'kubernetes:…', … }
 */
export function timelineInput(event: NormalizedEvent): AddTimelineEventInput {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.labels)) {
    labels[name.slice(0, MAX_LABEL_KEY)] = clipText(value, MAX_LABEL_VALUE);
  }
  if (event.service && labels.service === undefined) labels.service = event.service;
  if (event.severity && labels.severity === undefined) labels.severity = event.severity;
  return {
    kind: event.kind,
    source: event.source,
    title: clipText(event.title, MAX_TITLE),
    body: clipText(event.body, MAX_BODY),
    at: event.at,
    labels,
    dedupeKey: event.dedupeKey,
  };
}

/**
 * The span imports take in by default: the incident window (impact start, else detection, else declaration, to
 * resolution or now) widened by `marginMs` on both sides.
 *
 * @example
 * importWindow(incident, Date.now()); // { start: impact start − 30 min, end: resolved + 30 min }
 */
export function importWindow(
  incident: Pick<Incident, 'impactStartedAt' | 'detectedAt' | 'declaredAt' | 'resolvedAt'>,
  now: number,
  marginMs: number = IMPORT_MARGIN_MINUTES * 60_000,
): TimeWindow {
  const window = incidentWindow(incident, now, marginMs);
  return { start: window.start, end: window.end + marginMs };
}

/** Events with `start <= at < end`; either bound may be left open. */
export function eventsInRange(
  events: readonly NormalizedEvent[],
  range: { start?: number | undefined; end?: number | undefined },
): NormalizedEvent[] {
  return events.filter((event) => {
    const at = Date.parse(event.at);
    return (range.start === undefined || at >= range.start) && (range.end === undefined || at < range.end);
  });
}

/**
 * Chat messages in the range, with whole threads: a thread any of whose messages falls in the range comes in
 * complete, parent and replies, so no reply is left without the message it answers.
 *
 * @example
 * chatInRange(parseSlackExport(files, 'incident'), { start: Date.parse(from), end: Date.parse(to) });
 */
export function chatInRange(
  events: readonly NormalizedEvent[],
  range: { start?: number | undefined; end?: number | undefined },
): NormalizedEvent[] {
  const inRange = new Set(eventsInRange(events, range));
  const threads = new Set<string>();
  for (const event of inRange) if (event.labels.thread_ts) threads.add(event.labels.thread_ts);
  return events.filter(
    (event) => inRange.has(event) || (event.labels.thread_ts !== undefined && threads.has(event.labels.thread_ts)),
  );
}
