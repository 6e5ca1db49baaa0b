/**
 * Alerts → incidents. Each delivery (one webhook call) is one transaction: every alert identity is upserted in
 * `signals`, deduplicated against what is known, routed (declare / attach / ignore), and its state changes land on
 * the incident's timeline, folded per alert name and group so that a storm of alerts is a handful of rows.
 */
import { z } from 'zod';
import { can } from '../domain/access.js';
import {
  classifyDelivery,
  routeAlert,
  type AlertFacts,
  type DeliveryOutcome,
  type RoutingDecision,
} from '../domain/alert-routing.js';
import { validationError } from '../domain/errors.js';
import { FUTURE_TOLERANCE_MS, normalizeTimestamp } from '../domain/lifecycle.js';
import type { Incident, Marker, Principal, TimelineEvent } from '../domain/types.js';
import { digest } from '../ingest/common.js';
import type { NormalizedEvent } from '../ingest/types.js';
import { newId } from '../store/ids.js';
import type { Signal } from '../store/signal-repository.js';
import type { SignalView } from './alert-views.js';
import { read, transact, type AppContext, type Tx } from './context.js';
import { authorize, loadIncident } from './guard.js';
import { declareIncidentIn } from './incidents.js';
import { timestamp } from './inputs.js';
import { effectiveRules, windowsBetween } from './routing.js';
import { addTimelineEventIn } from './timeline.js';
import { parseInput } from './validate.js';

export type { SignalView };

/** What a webhook answers: how many events it took, and what they did. */
export interface IngestSummary {
  /** Events in the delivery. */
  accepted: number;
  /** Keys of the incidents the delivery's alerts belong to (declared, attached, or already there). */
  incidents: string[];
  /** Keys of the incidents it declared. */
  declared: string[];
  /** Events that changed nothing: repeats, duplicates, deliveries older than what is known. */
  deduplicated: number;
  /** Alerts that would have declared an incident but fell in a maintenance window. */
  suppressed: number;
  /** Alerts recorded without an incident because a rule said `ignore`, or events with nothing to attach to. */
  ignored: number;
}

const OPEN_STATUSES: ReadonlySet<string> = new Set(['investigating', 'mitigated']);

/** Aggregated alert events list this many alerts by name; the rest are counted. */
const SAMPLE_LIMIT = 20;
const SAMPLES_HEADING = '\n\nAlerts in this event:\n';

/** The principal PagerDuty deliveries act as: they are authenticated by signature, not by an API token. */
export const PAGERDUTY_PRINCIPAL: Principal = { kind: 'system', name: 'pagerduty', role: 'admin' };

/** Throws 403 unless the principal may ingest alerts, which declares incidents and writes their timelines. */
export function authorizeAlertIngest(actor: Principal): void {
  authorize(actor, 'alert.ingest');
}

interface Work {
  event: NormalizedEvent;
  outcome: DeliveryOutcome | 'note';
  /** Shared by every event of one identity in the delivery: its state after the last of them. */
  signal: Signal;
  /** Where this event goes on a timeline, if anywhere. */
  incident: Incident | null;
}

const startOf = (event: NormalizedEvent): string => event.startsAt ?? event.at;

/** Alerts are known by fingerprint; PagerDuty pages by their PagerDuty incident (the group key). */
function identityOf(event: NormalizedEvent): string | null {
  if (event.kind === 'page') return event.groupKey ?? null;
  return event.fingerprint ?? event.groupKey ?? null;
}

const groupOf = (event: NormalizedEvent): string =>
  `${event.source}\u0000${event.groupKey ?? `fingerprint:${identityOf(event) ?? ''}`}`;

const minIso = (a: string, b: string): string => (Date.parse(a) <= Date.parse(b) ? a : b);

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Labels within the limits the timeline accepts. */
function boundedLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (key.length > 200) continue;
    out[key] = clip(value, 2_000);
  }
  return out;
}

function facts(event: NormalizedEvent): AlertFacts {
  return {
    source: event.source,
    kind: event.kind === 'page' ? 'page' : 'alert',
    status: event.status ?? null,
    severity: event.severity,
    service: event.service,
    labels: event.labels,
    at: startOf(event),
  };
}

/** `CheckoutHighErrorRate firing: 5xx above 5%` → `CheckoutHighErrorRate: 5xx above 5%`; pages lose their prefix. */
function incidentTitle(event: NormalizedEvent): string {
  let title = event.title;
  if (event.kind === 'page') {
    title = title.replace(/^Incident #\d+ [a-z ]+: /, '');
  } else {
    const name = event.labels.alertname;
    const prefix = name && event.status ? `${name} ${event.status}` : null;
    if (prefix && title.startsWith(prefix)) title = `${name}${title.slice(prefix.length)}`;
  }
  return clip(title.trim() || `${event.source} alert`, 200);
}

const alertName = (event: NormalizedEvent): string => event.labels.alertname ?? 'alert';

const sampleLine = (at: string, title: string): string => `- ${at} ${title}`;

/** Repeats of one alert name, in one status, of one group, on one incident. */
interface Aggregate {
  incident: Incident;
  dedupeKey: string;
  events: NormalizedEvent[];
}

interface AggregateContent {
  at: string;
  title: string;
  body: string;
  labels: Record<string, string>;
  count: number;
}

function commonLabels(base: Record<string, string>, events: readonly NormalizedEvent[]): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const event of events) {
    for (const [key, value] of Object.entries(out)) if (event.labels[key] !== value) delete out[key];
  }
  return out;
}

function renderAggregate(
  first: { title: string; head: string },
  name: string,
  status: string,
  samples: string[],
  count: number,
): { title: string; body: string } {
  if (count === 1) return { title: first.title, body: first.head };
  const more = count > samples.length ? `\n… and ${count - samples.length} more` : '';
  return {
    title: `${name} ${status} (${count} alerts)`,
    body: clip(`${first.head}${SAMPLES_HEADING}${samples.join('\n')}${more}`.trimStart(), 100_000),
  };
}

/** The content of a new aggregated event. */
function newAggregate(events: readonly NormalizedEvent[]): AggregateContent {
  const [first, ...rest] = events as [NormalizedEvent, ...NormalizedEvent[]];
  const at = events.reduce((min, e) => minIso(min, e.at), first.at);
  const samples = events.slice(0, SAMPLE_LIMIT).map((e) => sampleLine(e.at, e.title));
  const rendered = renderAggregate(
    { title: clip(first.title, 500), head: first.body },
    alertName(first),
    first.status ?? '',
    samples,
    events.length,
  );
  return { at, ...rendered, labels: boundedLabels(commonLabels(first.labels, rest)), count: events.length };
}

/** The aggregated event after more alerts fold into it. */
function mergeAggregate(existing: TimelineEvent, events: readonly NormalizedEvent[]): AggregateContent {
  const [first] = events as [NormalizedEvent];
  const split = existing.body.lastIndexOf(SAMPLES_HEADING.trimStart());
  const hasSamples = existing.count > 1 && split >= 0;
  const head = hasSamples ? existing.body.slice(0, split).trimEnd() : existing.body;
  const samples = hasSamples
    ? existing.body
        .slice(split)
        .split('\n')
        .filter((line) => line.startsWith('- '))
    : [sampleLine(existing.at, existing.title)];
  for (const event of events) {
    if (samples.length >= SAMPLE_LIMIT) break;
    samples.push(sampleLine(event.at, event.title));
  }
  const count = existing.count + events.length;
  const earliest = events.reduce((min, e) => minIso(min, e.at), existing.at);
  const rendered = renderAggregate(
    { title: existing.title, head },
    alertName(first),
    first.status ?? '',
    samples,
    count,
  );
  return {
    // A lifecycle marker pins the event to the incident's time; only unmarked events move earlier.
    at: existing.marker ? existing.at : earliest,
    ...rendered,
    labels: commonLabels(existing.labels, events),
    count,
  };
}

/**
 * Ingests normalised alert and page events from one delivery (see {@link IngestSummary}). Everything is one
 * transaction: a delivery that fails writes nothing.
 *
 * - Dedupe: a signal per source + fingerprint (PagerDuty: its incident id). Re-sends, duplicates and deliveries
 *   older than the known state only count a delivery; firing → resolved is one timeline entry each.
 * - Incident: the signal's own incident (a re-fire only while it is open), else an open incident holding a signal
 *   of the same group, else an open incident of the service; else a new one when routing says `declare`.
 * - Timeline: alerts fold per incident, group, alert name and status into one event whose `count` is the number
 *   of alerts; pages are one event each. A declaration marks the first alert as `detected`; a PagerDuty
 *   acknowledgement sets `acknowledged` when the incident has none. Resolved alerts never resolve the incident.
 *
 * @example
 * await ingestAlerts(ctx, actor, parseAlertmanager(JSON.parse(body)));
 * // { accepted: 2, incidents: ['INC-4'], declared: ['INC-4'], deduplicated: 0, suppressed: 0, ignored: 0 }
 */
export async function ingestAlerts(
  ctx: AppContext,
  actor: Principal,
  events: readonly NormalizedEvent[],
): Promise<IngestSummary> {
  authorizeAlertIngest(actor);
  const summary: IngestSummary = {
    accepted: events.length,
    incidents: [],
    declared: [],
    deduplicated: 0,
    suppressed: 0,
    ignored: 0,
  };
  const alerts = events.filter((e) => e.kind === 'alert' || e.kind === 'page');
  summary.ignored += events.length - alerts.length;
  if (alerts.length === 0) return summary;
  return transact(ctx, async (tx) => {
    await tx.repos.signals.lockIngestion();
    const router = new DeliveryRouter(
      tx,
      actor,
      summary,
      await knownSignals(tx, alerts),
      new DeliveryRouting(ctx, tx, alerts),
    );
    for (const [i, event] of alerts.entries()) await router.take(event, i);
    await writeTimelines(tx, actor, router.work, router.declared, summary);
    await router.saveSignals();
    for (const item of router.work) {
      const key = item.incident?.key;
      if (key && !summary.incidents.includes(key)) summary.incidents.push(key);
    }
    await tx.audit(actor, 'alerts.ingest', 'alerts', [...new Set(alerts.map((a) => a.source))].join(','), null, {
      ...summary,
      changedSignals: router.changedSignals(),
    });
    return summary;
  });
}

/** The signals already known for the identities in the delivery, by `source \0 fingerprint`. */
async function knownSignals(tx: Tx, alerts: readonly NormalizedEvent[]): Promise<Map<string, Signal>> {
  const bySource = new Map<string, string[]>();
  for (const event of alerts) {
    const identity = identityOf(event);
    if (identity === null) continue;
    const list = bySource.get(event.source) ?? [];
    list.push(identity);
    bySource.set(event.source, list);
  }
  const known = new Map<string, Signal>();
  for (const [source, fingerprints] of bySource) {
    for (const signal of await tx.repos.signals.findByFingerprints(source, fingerprints)) {
      known.set(`${source}\u0000${signal.fingerprint}`, signal);
    }
  }
  return known;
}

/** Impact starts at the earliest active alert of the group in the delivery, whichever alert declares. */
function earliestByGroup(
  alerts: readonly NormalizedEvent[],
  decisions: readonly RoutingDecision[],
): Map<string, string> {
  const earliest = new Map<string, string>();
  for (const [i, event] of alerts.entries()) {
    const decision = decisions[i];
    if (!decision || decision.action === 'ignore' || event.status === undefined || event.status === 'resolved') {
      continue;
    }
    const group = groupOf(event);
    const at = startOf(event);
    earliest.set(group, minIso(earliest.get(group) ?? at, at));
  }
  return earliest;
}

/**
 * The routing decisions of a delivery's alerts, made on first need: only alerts that start something (new or
 * re-fired) are routed, so a delivery of repeats and resolutions, most of an alert storm, never reads the rules
 * and maintenance windows.
 */
class DeliveryRouting {
  private made: { decisions: RoutingDecision[]; earliest: Map<string, string> } | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly tx: Tx,
    private readonly alerts: readonly NormalizedEvent[],
  ) {}

  private async make(): Promise<{ decisions: RoutingDecision[]; earliest: Map<string, string> }> {
    if (!this.made) {
      const { ctx, tx, alerts } = this;
      const starts = alerts.map(startOf).sort();
      const rules = await effectiveRules(tx, ctx.settings, ctx.logger);
      const windows = await windowsBetween(tx, starts[0] ?? tx.now, starts.at(-1) ?? tx.now, ctx.logger);
      const defaultSeverity = ctx.settings.routing.defaultSeverity;
      const decisions = alerts.map((event) => routeAlert(facts(event), rules, windows, { defaultSeverity }));
      this.made = { decisions, earliest: earliestByGroup(alerts, decisions) };
    }
    return this.made;
  }

  /** The decision for the delivery's alert at `index`. */
  async decision(index: number): Promise<RoutingDecision> {
    return (await this.make()).decisions[index] as RoutingDecision;
  }

  /** Earliest start of an active, routed alert of the group in the delivery. */
  async earliest(group: string): Promise<string | undefined> {
    return (await this.make()).earliest.get(group);
  }
}

/**
 * Takes a delivery's events one at a time, in order: classifies each against its signal, and finds or declares
 * the incident of the ones that start something new. Lookups are cached per group and service, so a storm of one
 * group costs a handful of queries.
 */
class DeliveryRouter {
  readonly work: Work[] = [];
  readonly declared = new Set<string>();
  private readonly incidents = new Map<string, Incident | null>();
  private readonly byGroup = new Map<string, Incident | null>();
  private readonly byService = new Map<string, Incident | null>();
  /** Signals whose state changed (written in full), and delivery counts of the others. */
  private readonly dirty = new Set<Signal>();
  private readonly repeats = new Map<Signal, number>();

  constructor(
    private readonly tx: Tx,
    private readonly actor: Principal,
    private readonly summary: IngestSummary,
    private readonly known: Map<string, Signal>,
    private readonly routing: DeliveryRouting,
  ) {}

  /** Takes the delivery's alert at `index`. */
  async take(event: NormalizedEvent, index: number): Promise<void> {
    const { tx, summary } = this;
    const identity = identityOf(event);
    if (identity === null) {
      summary.ignored += 1;
      return;
    }
    const key = `${event.source}\u0000${identity}`;
    const current = this.known.get(key) ?? null;
    if (event.status === undefined) {
      // A note or status update on a PagerDuty incident: it goes wherever that incident's signal went.
      if (!current) {
        summary.ignored += 1;
        return;
      }
      this.received(current, false);
      this.work.push({ event, outcome: 'note', signal: current, incident: await this.visible(current.incidentId) });
      return;
    }
    const outcome = classifyDelivery(current, {
      status: event.status,
      startsAt: event.kind === 'alert' ? startOf(event) : undefined,
      at: event.at,
    });
    const endsAt = event.status === 'resolved' ? (event.endsAt ?? event.at) : null;

    if (outcome === 'transition' && current) {
      Object.assign(current, {
        status: event.status,
        title: event.title,
        labels: event.labels,
        severity: event.severity ?? current.severity,
        endsAt: endsAt ?? current.endsAt,
      });
      this.received(current, true);
      this.work.push({ event, outcome, signal: current, incident: await this.visible(current.incidentId) });
      return;
    }
    if ((outcome === 'repeat' || outcome === 'stale') && current) {
      this.received(current, false);
      this.work.push({ event, outcome, signal: current, incident: await this.visible(current.incidentId) });
      return;
    }

    const decision = await this.routing.decision(index);
    const previousIncidentId = current?.incidentId ?? null;
    const episode = {
      groupKey: event.groupKey ?? null,
      service: decision.service ?? event.service,
      severity: event.severity,
      status: event.status,
      title: event.title,
      labels: event.labels,
      startsAt: startOf(event),
      endsAt,
      suppressedBy: decision.suppressedBy,
    };
    const signal: Signal = current
      ? Object.assign(current, episode)
      : {
          id: newId(),
          source: event.source,
          fingerprint: identity,
          ...episode,
          lastReceivedAt: tx.now,
          deliveries: 0,
          incidentId: null,
          createdAt: tx.now,
          updatedAt: tx.now,
        };
    this.known.set(key, signal);
    this.received(signal, true);
    const incident = await this.incidentFor(event, decision, previousIncidentId);
    signal.incidentId = incident?.id ?? null;
    this.work.push({ event, outcome, signal, incident });
  }

  private received(signal: Signal, changed: boolean): void {
    signal.deliveries += 1;
    signal.lastReceivedAt = this.tx.now;
    signal.updatedAt = this.tx.now;
    if (changed) this.dirty.add(signal);
    else this.repeats.set(signal, (this.repeats.get(signal) ?? 0) + 1);
  }

  /** The incident by id, when the actor may add to its timeline. */
  private async visible(id: string | null): Promise<Incident | null> {
    if (id === null) return null;
    if (!this.incidents.has(id)) {
      const incident = await this.tx.repos.incidents.findById(id);
      this.incidents.set(id, incident && can(this.actor, 'timeline.add', incident) ? incident : null);
    }
    return this.incidents.get(id) ?? null;
  }

  private async firstOpen(ids: readonly string[]): Promise<Incident | null> {
    for (const id of ids) {
      const incident = await this.visible(id);
      if (incident && OPEN_STATUSES.has(incident.status)) return incident;
    }
    return null;
  }

  private async incidentFor(
    event: NormalizedEvent,
    decision: RoutingDecision,
    previousIncidentId: string | null,
  ): Promise<Incident | null> {
    const { tx, summary } = this;
    if (decision.action === 'ignore') {
      summary.ignored += 1;
      return null;
    }
    if (decision.suppressedBy) summary.suppressed += 1;
    const group = groupOf(event);
    let incident = previousIncidentId ? await this.firstOpen([previousIncidentId]) : null;
    if (!incident && event.groupKey) {
      if (!this.byGroup.has(group)) {
        const ids = await tx.repos.signals.openIncidentIdsForGroup(event.source, event.groupKey);
        this.byGroup.set(group, await this.firstOpen(ids));
      }
      incident = this.byGroup.get(group) ?? null;
    }
    if (!incident && decision.service) {
      if (!this.byService.has(decision.service)) {
        const ids = await tx.repos.signals.openIncidentIdsForService(decision.service);
        this.byService.set(decision.service, await this.firstOpen(ids));
      }
      incident = this.byService.get(decision.service) ?? null;
    }
    if (!incident && decision.action === 'declare') incident = await this.declare(event, decision, group);
    if (incident) {
      if (event.groupKey) this.byGroup.set(group, incident);
      if (decision.service) this.byService.set(decision.service, incident);
    }
    return incident;
  }

  private async declare(event: NormalizedEvent, decision: RoutingDecision, group: string): Promise<Incident> {
    const { tx } = this;
    const at = minIso((await this.routing.earliest(group)) ?? startOf(event), tx.now);
    const service = decision.service;
    const inCatalog = service !== null && (await tx.repos.catalog.findService(service)) !== null;
    const how = decision.rule ? `routing rule "${decision.rule}"` : 'the default rule (critical alerts and pages)';
    const uncatalogued = service && !inCatalog ? ` Its service "${service}" is not in the catalog.` : '';
    const view = await declareIncidentIn(tx, this.actor, {
      title: incidentTitle(event),
      severity: decision.severity,
      services: inCatalog && service ? [service] : [],
      summary: `Declared automatically from a ${event.source} ${event.kind} by ${how}.${uncatalogued}`,
      impactStartedAt: at,
      detectedAt: at,
    });
    const { durations: _durations, allowedTransitions: _transitions, timeline: _timeline, ...incident } = view;
    this.incidents.set(incident.id, incident);
    this.declared.add(incident.id);
    this.summary.declared.push(incident.key);
    return incident;
  }

  changedSignals(): number {
    return this.dirty.size;
  }

  /** Writes changed signals in full and bumps the delivery count of the others, in batches. */
  async saveSignals(): Promise<void> {
    await this.tx.repos.signals.upsertMany([...this.dirty]);
    const byCount = new Map<number, string[]>();
    for (const [signal, count] of this.repeats) {
      if (this.dirty.has(signal)) continue;
      const ids = byCount.get(count) ?? [];
      ids.push(signal.id);
      byCount.set(count, ids);
    }
    for (const [count, ids] of byCount) await this.tx.repos.signals.addDeliveries(ids, count, this.tx.now);
  }
}

/** Writes the timeline entries: aggregated alert events and individual page events. */
async function writeTimelines(
  tx: Tx,
  actor: Principal,
  work: readonly Work[],
  declared: ReadonlySet<string>,
  summary: IngestSummary,
): Promise<void> {
  const aggregates = new Map<string, Aggregate>();
  const pages: Work[] = [];
  // A delivery's alerts mostly share a group and name: hash each pair once rather than once per alert.
  const digests = new Map<string, string>();
  const groupDigest = (event: NormalizedEvent): string => {
    const parts = `${event.groupKey ?? ''}\u0000${alertName(event)}`;
    let hash = digests.get(parts);
    if (hash === undefined) {
      hash = digest(event.groupKey ?? '', alertName(event));
      digests.set(parts, hash);
    }
    return hash;
  };
  for (const item of work) {
    const { event, incident, outcome } = item;
    if (!incident) {
      if (outcome === 'repeat' || outcome === 'stale') summary.deduplicated += 1;
      continue;
    }
    if (event.kind === 'page') {
      pages.push(item);
      continue;
    }
    if (outcome === 'repeat' || outcome === 'stale' || outcome === 'note') {
      summary.deduplicated += 1;
      continue;
    }
    const dedupeKey = `alerts:${event.source}:${event.status ?? 'event'}:${groupDigest(event)}`;
    const key = `${incident.id}\u0000${dedupeKey}`;
    const aggregate = aggregates.get(key) ?? { incident, dedupeKey, events: [] };
    aggregate.events.push(event);
    aggregates.set(key, aggregate);
  }

  const detectedMarked = new Set<string>();
  for (const { incident, dedupeKey, events } of aggregates.values()) {
    const existing = await tx.repos.timeline.findByDedupeKey(incident.id, dedupeKey);
    if (existing) {
      const next = mergeAggregate(existing, events);
      await tx.repos.signals.updateTimelineAggregate(existing.id, next);
      await tx.audit(actor, 'timeline.aggregate', 'incident', incident.key, existing, { ...existing, ...next });
      continue;
    }
    const content = newAggregate(events);
    const first = events[0] as NormalizedEvent;
    let marker: Marker | undefined;
    if (declared.has(incident.id) && !detectedMarked.has(incident.id) && content.at === incident.detectedAt) {
      marker = 'detected';
      detectedMarked.add(incident.id);
    }
    const { event } = await addTimelineEventIn(tx, actor, incident.key, {
      kind: first.kind,
      source: first.source,
      title: content.title,
      body: content.body,
      labels: content.labels,
      at: content.at,
      dedupeKey,
      ...(marker ? { marker } : {}),
    });
    if (content.count > 1) {
      await tx.repos.signals.updateTimelineAggregate(event.id, content);
      await tx.audit(actor, 'timeline.aggregate', 'incident', incident.key, event, { ...event, ...content });
    }
  }

  for (const item of pages) {
    const incident = item.incident as Incident;
    const { event } = item;
    let marker: Marker | undefined;
    if (declared.has(incident.id) && !detectedMarked.has(incident.id) && event.at === incident.detectedAt) {
      marker = 'detected';
      detectedMarked.add(incident.id);
    } else if (event.status === 'acknowledged' && item.outcome === 'transition') {
      const current = await tx.repos.incidents.findById(incident.id);
      if (current && canAcknowledge(current, event.at, tx.now)) marker = 'acknowledged';
    }
    const { created } = await addTimelineEventIn(tx, actor, incident.key, {
      kind: 'page',
      source: event.source,
      title: clip(event.title, 500),
      body: clip(event.body, 100_000),
      labels: boundedLabels(event.labels),
      at: event.at,
      dedupeKey: clip(event.dedupeKey, 500),
      ...(marker ? { marker } : {}),
    });
    if (!created) summary.deduplicated += 1;
  }
}

/** An acknowledgement is recorded when the incident has none yet and it fits the incident's lifecycle order. */
function canAcknowledge(incident: Incident, at: string, now: string): boolean {
  if (incident.acknowledgedAt !== null) return false;
  if (incident.impactStartedAt !== null && at < incident.impactStartedAt) return false;
  if (incident.detectedAt !== null && at < incident.detectedAt) return false;
  return Date.parse(at) <= Date.parse(now) + FUTURE_TOLERANCE_MS;
}

export const listAlertsInput = z.strictObject({
  status: z.array(z.enum(['firing', 'resolved', 'triggered', 'acknowledged'])).optional(),
  service: z.string().max(100).optional(),
  source: z.string().max(50).optional(),
  incident: z.string().max(40).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});
export type ListAlertsInput = z.input<typeof listAlertsInput>;

export const alertStatsInput = z.strictObject({
  from: timestamp.optional(),
  to: timestamp.optional(),
});
export type AlertStatsInput = z.input<typeof alertStatsInput>;

function presentSignal(signal: Signal, incidentKey: string | null): SignalView {
  return {
    id: signal.id,
    source: signal.source,
    fingerprint: signal.fingerprint,
    groupKey: signal.groupKey,
    service: signal.service,
    severity: signal.severity,
    status: signal.status,
    title: signal.title,
    labels: signal.labels,
    startsAt: signal.startsAt,
    endsAt: signal.endsAt,
    lastReceivedAt: signal.lastReceivedAt,
    deliveries: signal.deliveries,
    incident: incidentKey,
    suppressedBy: signal.suppressedBy,
    createdAt: signal.createdAt,
    updatedAt: signal.updatedAt,
  };
}

/** Alert signals, newest first. A private incident the reader cannot see shows as `incident: null`. */
export async function listAlerts(
  ctx: AppContext,
  actor: Principal,
  raw: ListAlertsInput = {},
): Promise<{ items: SignalView[]; nextCursor: string | null }> {
  const input = parseInput(listAlertsInput, raw);
  authorize(actor, 'incident.read');
  const repos = read(ctx);
  let before: string | undefined;
  if (input.cursor !== undefined) {
    before = Buffer.from(input.cursor, 'base64url').toString('utf8');
    if (!/^[0-9a-f-]{36}$/.test(before)) throw validationError('cursor', 'is not a cursor returned by this API');
  }
  const incidentId = input.incident ? (await loadIncident(repos, actor, input.incident)).id : undefined;
  const page = await repos.signals.list(
    { status: input.status, service: input.service, source: input.source, incidentId },
    input.limit,
    before,
  );
  const keys = new Map<string, string | null>();
  for (const id of new Set(page.items.map((s) => s.incidentId).filter((id): id is string => id !== null))) {
    const incident = await repos.incidents.findById(id);
    keys.set(id, incident && can(actor, 'incident.read', incident) ? incident.key : null);
  }
  return {
    items: page.items.map((s) => presentSignal(s, s.incidentId ? (keys.get(s.incidentId) ?? null) : null)),
    nextCursor: page.next ? Buffer.from(page.next).toString('base64url') : null,
  };
}

export interface SourceStats {
  /** Alert identities that started in the window. */
  signals: number;
  /** Webhook deliveries about them (re-sends included). */
  deliveries: number;
  /** Distinct incidents they landed in. */
  incidents: number;
  /** Signals per incident; null without incidents. */
  ratio: number | null;
  /** Signals whose declaration a maintenance window suppressed. */
  suppressed: number;
}

export interface AlertStats extends SourceStats {
  from: string;
  to: string;
  bySource: Record<string, SourceStats>;
}

const ratioOf = (signals: number, incidents: number): number | null =>
  incidents === 0 ? null : Math.round((signals / incidents) * 100) / 100;

const DEFAULT_STATS_DAYS = 30;

/**
 * The alert-to-incident ratio, a noise signal: how many alert identities started in [from, to) (default: the last
 * 30 days) per incident they landed in, overall and per source.
 */
export async function alertStats(ctx: AppContext, actor: Principal, raw: AlertStatsInput = {}): Promise<AlertStats> {
  const input = parseInput(alertStatsInput, raw);
  authorize(actor, 'incident.read');
  const to = input.to ? normalizeTimestamp(input.to, 'to') : ctx.now().toISOString();
  const from = input.from
    ? normalizeTimestamp(input.from, 'from')
    : new Date(Date.parse(to) - DEFAULT_STATS_DAYS * 86_400_000).toISOString();
  if (from >= to) throw validationError('from', 'must be before to');
  const stats = await read(ctx).signals.stats(from, to);
  const bySource: Record<string, SourceStats> = {};
  let signals = 0;
  let deliveries = 0;
  let suppressed = 0;
  for (const row of stats.bySource) {
    bySource[row.source] = { ...row, ratio: ratioOf(row.signals, row.incidents) };
    signals += row.signals;
    deliveries += row.deliveries;
    suppressed += row.suppressed;
  }
  return {
    from,
    to,
    signals,
    deliveries,
    incidents: stats.incidents,
    ratio: ratioOf(signals, stats.incidents),
    suppressed,
    bySource,
  };
}
