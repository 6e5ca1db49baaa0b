/**
 * How much to trust the evidence of an incident: where a telemetry source went quiet, and which kinds of evidence
 * exist at all. A gap in the data is a finding of its own (a detection gap), not a reason to read the rest as calm.
 */
import type { EventKind } from '../types.js';

export interface GapWindow {
  /** Epoch milliseconds. */
  start: number;
  end: number;
}

export interface FindGapsOptions {
  /** Silences shorter than this are never gaps, whatever the source's usual interval. Default 60 000 (1 min). */
  minGapMs?: number;
  /** The interval sources are expected to report at, for all or per source; otherwise each source's median interval. */
  expectedIntervalMs?: number | Readonly<Record<string, number>>;
  /** A silence is a gap when longer than this many intervals (and than `minGapMs`). Default 3. */
  intervalMultiplier?: number;
  /** Points a source must have reported before a silence for it to count as having gone quiet. Default 3. */
  minPoints?: number;
}

export interface TelemetryGap {
  source: string;
  /** The last point before the silence. */
  from: number;
  /** The first point after it, or the window end when the source had not resumed. */
  to: number;
  durationMs: number;
  /** The source had not resumed by the window end. */
  ongoing: boolean;
  /** The interval the silence was judged against (expected or median). */
  intervalMs: number;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function expectedInterval(option: FindGapsOptions['expectedIntervalMs'], source: string): number | undefined {
  if (typeof option === 'number') return option;
  return option !== undefined && Object.hasOwn(option, source) ? option[source] : undefined;
}

/**
 * Silences in each source that overlap `window`: stretches between two points longer than
 * `max(intervalMultiplier × interval, minGapMs)`, where interval is the expected one or the source's median, counted
 * only once the source has reported `minPoints` points; and a final silence up to the window end when the source
 * stopped and did not resume. Points outside the window count too: history before it shows the source was reporting,
 * a point after it closes a gap. Sorted by start, then source.
 *
 * @example
 * findGaps({ 'prometheus:checkout': [0, 15_000, 30_000, 45_000, 300_000] }, { start: 0, end: 600_000 });
 * // [{ source: 'prometheus:checkout', from: 45_000, to: 300_000, durationMs: 255_000, ongoing: false, intervalMs: 15_000 },
 * //  { source: 'prometheus:checkout', from: 300_000, to: 600_000, durationMs: 300_000, ongoing: true, intervalMs: 15_000 }]
 */
export function findGaps(
  sourceTimestamps: Readonly<Record<string, readonly number[]>>,
  window: GapWindow,
  options: FindGapsOptions = {},
): TelemetryGap[] {
  if (!(window.end > window.start))
    throw new RangeError(`window must have start < end, got ${window.start}..${window.end}`);
  const minGapMs = options.minGapMs ?? 60_000;
  const multiplier = options.intervalMultiplier ?? 3;
  const minPoints = Math.max(2, options.minPoints ?? 3);
  if (!(minGapMs >= 0)) throw new RangeError(`minGapMs must be >= 0, got ${minGapMs}`);
  if (!(multiplier > 0)) throw new RangeError(`intervalMultiplier must be > 0, got ${multiplier}`);

  const gaps: TelemetryGap[] = [];
  for (const [source, timestamps] of Object.entries(sourceTimestamps)) {
    const points = [...new Set(timestamps.filter(Number.isFinite))].sort((a, b) => a - b);
    if (points.length < minPoints) continue;
    const intervals = points.slice(1).map((t, i) => t - (points[i] as number));
    const intervalMs =
      expectedInterval(options.expectedIntervalMs, source) ?? median([...intervals].sort((a, b) => a - b));
    const threshold = Math.max(multiplier * intervalMs, minGapMs);

    for (let i = minPoints; i < points.length; i++) {
      const from = points[i - 1] as number;
      const to = points[i] as number;
      if (to - from > threshold && from < window.end && to > window.start) {
        gaps.push({ source, from, to, durationMs: to - from, ongoing: false, intervalMs });
      }
    }
    const last = points[points.length - 1] as number;
    if (last < window.end && window.end - last > threshold) {
      gaps.push({ source, from: last, to: window.end, durationMs: window.end - last, ongoing: true, intervalMs });
    }
  }
  return gaps.sort((a, b) => a.from - b.from || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

/** Kinds of evidence a postmortem draws on. */
export const EVIDENCE_KINDS = ['alerts', 'metrics', 'logs', 'traces', 'changes', 'chat'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

const FROM_EVENT_KIND: Partial<Record<EventKind, EvidenceKind>> = {
  alert: 'alerts',
  metric: 'metrics',
  log: 'logs',
  trace: 'traces',
  change: 'changes',
  chat: 'chat',
};

export interface TelemetryCompleteness {
  /** Share of evidence kinds present, 0–1, rounded to 2 decimals. */
  score: number;
  present: EvidenceKind[];
  missing: EvidenceKind[];
}

/**
 * Which kinds of evidence exist for an incident, from timeline event kinds (`alert`, `metric`, …) or evidence kind
 * names (`alerts`, `metrics`, …); other kinds (`note`, `status`, `page`) are ignored. Lists follow `EVIDENCE_KINDS`.
 *
 * @example
 * telemetryCompleteness(new Set(['alert', 'metrics', 'chat']));
 * // { score: 0.5, present: ['alerts', 'metrics', 'chat'], missing: ['logs', 'traces', 'changes'] }
 */
export function telemetryCompleteness(kindsPresent: Iterable<EventKind | EvidenceKind>): TelemetryCompleteness {
  const found = new Set<EvidenceKind>();
  for (const kind of kindsPresent) {
    const evidence = (EVIDENCE_KINDS as readonly string[]).includes(kind)
      ? (kind as EvidenceKind)
      : FROM_EVENT_KIND[kind as EventKind];
    if (evidence !== undefined) found.add(evidence);
  }
  const present = EVIDENCE_KINDS.filter((kind) => found.has(kind));
  const missing = EVIDENCE_KINDS.filter((kind) => !found.has(kind));
  return { score: Math.round((present.length / EVIDENCE_KINDS.length) * 100) / 100, present, missing };
}
