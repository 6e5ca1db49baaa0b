/**
 * Change correlation: which recent deploys, config changes and flag flips are worth looking at first for an
 * incident. A ranking of suspects to check, never a verdict: every score comes with the reasons behind it.
 */

export const CHANGE_KINDS = ['deploy', 'config', 'flag'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Epoch milliseconds or an ISO-8601 string. */
export type Instant = number | string;

export interface ChangeRecord {
  id: string;
  at: Instant;
  service: string;
  kind: ChangeKind;
  version: string | null;
  description?: string;
}

export interface IncidentScope {
  impactStartedAt: Instant;
  /** Impacted services; the first is the one named when a change relates to several equally. */
  services: readonly string[];
}

/** Service -> the services it depends on. */
export type DependencyGraph = Readonly<Record<string, readonly string[]>>;

/**
 * How a changed service relates to the impacted ones: the same service, one an impacted service depends on directly
 * or through others, one that depends directly on an impacted service (its traffic or calls may have changed), or
 * none of these.
 */
export type ChangeRelation = 'same' | 'dependency' | 'transitive' | 'dependent' | 'unrelated';

export interface ChangeCorrelationOptions {
  /** Changes further back than this before impact start are not considered. Default 24 h. */
  lookbackMs?: number;
  /** Changes up to this long after impact start are kept, for clock skew between sources. Default 2 min. */
  graceMs?: number;
  /** Time for the decaying part of the proximity factor to halve. Default 30 min. */
  halfLifeMs?: number;
  /** First error time(s) per service, from alerts or metrics. */
  errorOnsets?: Readonly<Record<string, Instant | readonly Instant[]>>;
  /** An error onset on the changed service at most this long after the change counts as following it. Default 10 min. */
  onsetWindowMs?: number;
  /** Overrides for the relation weights (0–1). */
  relationWeights?: Partial<Record<ChangeRelation, number>>;
  /** Overrides for the kind weights (0–1). */
  kindWeights?: Partial<Record<ChangeKind, number>>;
  /** How the explanation names impact start, e.g. `the first alert` when it was taken from one. */
  referenceLabel?: string;
}

export interface ChangeSuspect {
  change: ChangeRecord;
  /** 1 is the strongest suspect. */
  rank: number;
  /** 0–1, rounded to 4 decimals. */
  score: number;
  /** Milliseconds from the change to impact start; negative when the change came after (within the grace). */
  leadMs: number;
  relation: ChangeRelation;
  /** The impacted service the relation is to, or null when unrelated. */
  relatedService: string | null;
  /** Services between the impacted one and the changed one, for transitive dependencies. */
  via: string[];
  /** Milliseconds from the change to the error onset that followed it on the changed service, or null. */
  errorOnsetAfterMs: number | null;
  /** Each factor of the score, 0–1. */
  factors: { proximity: number; relation: number; kind: number; errorOnset: number };
  reasons: string[];
  explanation: string;
}

export const DEFAULT_RELATION_WEIGHTS: Readonly<Record<ChangeRelation, number>> = {
  same: 1,
  dependency: 0.7,
  transitive: 0.45,
  dependent: 0.3,
  unrelated: 0.15,
};

export const DEFAULT_KIND_WEIGHTS: Readonly<Record<ChangeKind, number>> = {
  deploy: 1,
  config: 0.9,
  flag: 0.8,
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Share of the time factor that does not decay: a change a day before on the same service still counts for something. */
const PROXIMITY_FLOOR = 0.25;
/**
 * A change logged just after impact start is as likely a first response (a rollback, a flag turned off) as a cause
 * seen through clock skew: its proximity counts half.
 */
const AFTER_IMPACT_FACTOR = 0.5;
/** How far an error onset right after a change closes the gap to a score of 1. */
const ONSET_BOOST = 0.5;

const KIND_LABELS: Record<ChangeKind, string> = { deploy: 'deploy', config: 'config change', flag: 'flag change' };

function toMs(value: Instant, field: string): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`${field}: not a valid time: ${String(value)}`);
  return ms;
}

/**
 * A span as people say it: `45 s`, `6 min`, `2 h 5 min`.
 *
 * @example
 * formatSpan(6 * 60_000); // '6 min'
 */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${Math.round(abs / 1000)} s`;
  const minutes = Math.round(abs / MINUTE);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

interface Relation {
  relation: ChangeRelation;
  relatedService: string | null;
  via: string[];
}

/**
 * Shortest dependency path from each impacted service (breadth first, in listed order, so the result is
 * deterministic), and the direct dependents of each.
 */
function relationsFrom(impacted: readonly string[], graph: DependencyGraph): Map<string, Relation> {
  const relations = new Map<string, Relation>();
  for (const service of impacted) {
    if (!relations.has(service)) relations.set(service, { relation: 'same', relatedService: service, via: [] });
  }
  const depth = new Map<string, number>();
  for (const root of impacted) {
    const parents = new Map<string, string | null>([[root, null]]);
    const queue: [string, number][] = [[root, 0]];
    for (let head = 0; head < queue.length; head++) {
      const [service, distance] = queue[head] as [string, number];
      for (const dependency of graph[service] ?? []) {
        if (parents.has(dependency)) continue;
        parents.set(dependency, service);
        queue.push([dependency, distance + 1]);
        const known = depth.get(dependency);
        if (relations.get(dependency)?.relation === 'same' || (known !== undefined && known <= distance + 1)) continue;
        const via: string[] = [];
        for (let p = parents.get(dependency); p !== null && p !== undefined && p !== root; p = parents.get(p)) {
          via.unshift(p);
        }
        depth.set(dependency, distance + 1);
        relations.set(dependency, {
          relation: distance === 0 ? 'dependency' : 'transitive',
          relatedService: root,
          via,
        });
      }
    }
  }
  for (const root of impacted) {
    for (const [service, dependencies] of Object.entries(graph)) {
      if (!relations.has(service) && dependencies.includes(root)) {
        relations.set(service, { relation: 'dependent', relatedService: root, via: [] });
      }
    }
  }
  return relations;
}

function onsetTimes(value: Instant | readonly Instant[] | undefined, service: string): number[] {
  if (value === undefined) return [];
  const list: readonly Instant[] = Array.isArray(value) ? (value as readonly Instant[]) : [value as Instant];
  return list.map((v) => toMs(v, `errorOnsets.${service}`));
}

function relationPhrase({ relation, relatedService, via }: Relation, service: string): string {
  switch (relation) {
    case 'same':
      return 'same service';
    case 'dependency':
      return `on ${service}, which ${relatedService} depends on`;
    case 'transitive':
      return `on ${service}, which ${relatedService} depends on through ${via.join(' -> ')}`;
    case 'dependent':
      return `on ${service}, which depends on ${relatedService}`;
    case 'unrelated':
      return `on ${service}, not linked to the impacted services`;
  }
}

function timingPhrase(leadMs: number, reference: string): string {
  if (leadMs === 0) return `at ${reference}`;
  return leadMs > 0
    ? `${formatSpan(leadMs)} before ${reference}`
    : `${formatSpan(leadMs)} after ${reference} (within the clock-skew grace; may be a response)`;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/**
 * Ranks the changes made in the lookback window before impact start (and within a short grace after it) as suspects.
 * The score multiplies three factors and then adds a boost:
 *
 * - proximity: `0.25 + 0.75 × 0.5^(lead / halfLife)`, 1 at impact start, halving its decaying part every half-life
 *   (halved again for a change after impact start, which may be a response rather than a cause);
 * - relation: same service 1, a dependency 0.7, a transitive dependency 0.45, a direct dependent 0.3, unrelated 0.15;
 * - kind: deploy 1, config 0.9, flag 0.8;
 * - error onset: when errors began on the changed service within `onsetWindowMs` after the change, the score closes
 *   half of its distance to 1.
 *
 * Equal scores (after rounding to 4 decimals) rank the later change first, then by id, so the order is stable.
 *
 * @example
 * correlateChanges(
 *   [{ id: 'c1', at: '2026-01-01T09:54:00Z', service: 'checkout', kind: 'deploy', version: 'v2.3.1' }],
 *   { impactStartedAt: '2026-01-01T10:00:00Z', services: ['checkout'] },
 *   {},
 * )[0]?.explanation; // 'deploy checkout v2.3.1, 6 min before impact start, same service'
 */
export function correlateChanges(
  changes: readonly ChangeRecord[],
  incident: IncidentScope,
  dependencies: DependencyGraph,
  options: ChangeCorrelationOptions = {},
): ChangeSuspect[] {
  const impactStart = toMs(incident.impactStartedAt, 'impactStartedAt');
  const lookbackMs = options.lookbackMs ?? 24 * HOUR;
  const graceMs = options.graceMs ?? 2 * MINUTE;
  const halfLifeMs = options.halfLifeMs ?? 30 * MINUTE;
  const onsetWindowMs = options.onsetWindowMs ?? 10 * MINUTE;
  for (const [name, value] of Object.entries({ lookbackMs, graceMs, onsetWindowMs })) {
    if (!(value >= 0)) throw new RangeError(`${name} must be >= 0, got ${value}`);
  }
  if (!(halfLifeMs > 0)) throw new RangeError(`halfLifeMs must be > 0, got ${halfLifeMs}`);
  const relationWeights = { ...DEFAULT_RELATION_WEIGHTS, ...options.relationWeights };
  const kindWeights = { ...DEFAULT_KIND_WEIGHTS, ...options.kindWeights };
  const reference = options.referenceLabel ?? 'impact start';
  const relations = relationsFrom(incident.services, dependencies);
  const onsets = new Map<string, number[]>();
  for (const [service, value] of Object.entries(options.errorOnsets ?? {})) {
    onsets.set(service, onsetTimes(value, service));
  }

  const scored: (Omit<ChangeSuspect, 'rank'> & { atMs: number })[] = [];
  for (const change of changes) {
    const atMs = toMs(change.at, `change ${change.id}`);
    const leadMs = impactStart - atMs;
    if (leadMs > lookbackMs || leadMs < -graceMs) continue;

    const related = relations.get(change.service) ?? { relation: 'unrelated', relatedService: null, via: [] };
    const proximity =
      (PROXIMITY_FLOOR + (1 - PROXIMITY_FLOOR) * Math.pow(0.5, Math.abs(leadMs) / halfLifeMs)) *
      (leadMs < 0 ? AFTER_IMPACT_FACTOR : 1);
    const relation = relationWeights[related.relation];
    const kind = kindWeights[change.kind];
    const onsetAfter = (onsets.get(change.service) ?? [])
      .map((onset) => onset - atMs)
      .filter((after) => after >= 0 && after <= onsetWindowMs)
      .sort((a, b) => a - b)[0];
    const errorOnset = onsetAfter === undefined ? 0 : 1;
    const base = proximity * relation * kind;
    const score = round4(base + (1 - base) * ONSET_BOOST * errorOnset);

    const subject = `${KIND_LABELS[change.kind]} ${change.service}${change.version ? ` ${change.version}` : ''}`;
    const timing = timingPhrase(leadMs, reference);
    const relationText = relationPhrase(related, change.service);
    const onsetText =
      onsetAfter === undefined ? null : `error rate on ${change.service} rose ${formatSpan(onsetAfter)} after`;
    const reasons = [
      `${subject}${change.description ? ` (${change.description})` : ''}`,
      `${timing}: proximity ${proximity.toFixed(2)}`,
      `${relationText}: relation ${relation.toFixed(2)}`,
      `${KIND_LABELS[change.kind]}: kind ${kind.toFixed(2)}`,
    ];
    if (onsetText !== null) reasons.push(`${onsetText}: score moved halfway to 1`);
    scored.push({
      change,
      atMs,
      score,
      leadMs,
      relation: related.relation,
      relatedService: related.relatedService,
      via: [...related.via],
      errorOnsetAfterMs: onsetAfter ?? null,
      factors: { proximity: round4(proximity), relation, kind, errorOnset },
      reasons,
      explanation: [subject, timing, relationText, ...(onsetText === null ? [] : [onsetText])].join(', '),
    });
  }

  scored.sort(
    (a, b) =>
      b.score - a.score || b.atMs - a.atMs || (a.change.id < b.change.id ? -1 : a.change.id > b.change.id ? 1 : 0),
  );
  return scored.map(({ atMs: _atMs, ...suspect }, index) => ({ ...suspect, rank: index + 1 }));
}
