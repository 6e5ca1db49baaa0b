import type {
  EventKind,
  IncidentStatus,
  LifecycleField,
  LifecycleTimes,
  TimelineEvent,
} from '../../../../src/domain/types';
import { LIFECYCLE_LABEL } from './lifecycle-markers';

/** Geometry shared by the layout and the component that draws it. */
export const LANE_HEIGHT = 34;
export const AXIS_HEIGHT = 26;
const MARKER_ROW_HEIGHT = 15;
const MARKER_FONT_CHAR_PX = 6.4;
/**
 * Events closer than this to the previous one on a lane join its group, so an alert storm becomes one bar rather
 * than hundreds of overlapping marks (and hundreds of keyboard stops).
 */
const GROUP_GAP_PX = 16;
/** A group spanning less than this is drawn as a numbered circle; a longer one as a bar over its span. */
export const BAR_MIN_PX = 16;
const MIN_SPAN_MS = 10 * 60_000;

export interface SwimlaneMark {
  /** Stable across renders while the events stay the same. */
  id: string;
  lane: number;
  /** Centre of the mark; `x0`–`x1` is the span of its events (equal for one event). */
  x: number;
  x0: number;
  x1: number;
  /** Oldest first; one event unless several fell within a few pixels of each other. */
  events: TimelineEvent[];
  /** What the mark stands for: the sum of its events' counts (aggregated repeats included). */
  occurrences: number;
  /** The kind when all events share it, otherwise null (drawn neutral). */
  kind: EventKind | null;
  from: string;
  to: string;
}

export interface SwimlaneLane {
  source: string;
  events: number;
  occurrences: number;
  /** Events of this lane left out because they fall before or after the plotted range. */
  before: number;
  after: number;
}

export interface MarkerLine {
  field: LifecycleField;
  label: string;
  at: string;
  x: number;
  /** Label row from the top, so labels of close markers do not overlap. */
  row: number;
  /** Whether the label sits left of its line (near the right edge). */
  anchorEnd: boolean;
}

export interface Tick {
  x: number;
  label: string;
  /** Labels at the edges are aligned inwards so they are not cut off. */
  anchor: 'start' | 'middle' | 'end';
}

export interface SwimlaneLayout {
  width: number;
  height: number;
  /** Height of the band above the lanes holding marker labels. */
  top: number;
  lanes: SwimlaneLane[];
  marks: SwimlaneMark[];
  markers: MarkerLine[];
  ticks: Tick[];
  /** The shaded impact window, clipped to the plot; `ongoing` when impact has not ended. */
  impact: { x0: number; x1: number; ongoing: boolean } | null;
  start: number;
  end: number;
  /** Whether some events lie far outside the incident, so a view around it is worth offering. */
  canFocus: boolean;
  /** Whether this layout shows only the time around the incident. */
  focused: boolean;
}

const TICK_STEPS_MS = [
  1,
  2,
  5,
  10,
  15,
  30,
  60,
  2 * 60,
  5 * 60,
  10 * 60,
  15 * 60,
  30 * 60,
  60 * 60,
  2 * 3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  24 * 3600,
  2 * 86400,
  7 * 86400,
].map((s) => s * 1000);

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const timeSecondsFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** Lanes in order of their first event, with Debrief's own lane (status changes, notes) last. */
function laneOrder(events: readonly TimelineEvent[]): string[] {
  const first = new Map<string, number>();
  for (const e of events) {
    const t = Date.parse(e.at);
    const seen = first.get(e.source);
    if (seen === undefined || t < seen) first.set(e.source, t);
  }
  return [...first.entries()]
    .sort(([a, ta], [b, tb]) => {
      if ((a === 'debrief') !== (b === 'debrief')) return a === 'debrief' ? 1 : -1;
      return ta - tb || a.localeCompare(b);
    })
    .map(([source]) => source);
}

/**
 * Positions every part of the swimlane chart for a plot `plotWidth` pixels wide: lanes by source, marks by time
 * (close marks on a lane clustered), lifecycle marker lines with non-overlapping labels, axis ticks and the impact
 * window (impact start until mitigation, else resolution, else the end of the plot).
 */
export function layoutSwimlanes(
  events: readonly TimelineEvent[],
  times: LifecycleTimes,
  status: IncidentStatus,
  plotWidth: number,
  preferFocus = true,
): SwimlaneLayout {
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const markerTimes = (Object.keys(LIFECYCLE_LABEL) as LifecycleField[])
    .map((field) => ({ field, at: times[field] }))
    .filter((m): m is { field: LifecycleField; at: string } => m.at !== null && !Number.isNaN(Date.parse(m.at)));

  const instants = [...sorted.map((e) => Date.parse(e.at)), ...markerTimes.map((m) => Date.parse(m.at))];
  const whole = padded(Math.min(...instants), Math.max(...instants));
  const focus = focusRange(sorted, markerTimes);
  // Worth it when the whole timeline is much longer than the incident (a change from hours before, say).
  const canFocus = focus !== null && whole.end - whole.start > 1.6 * (focus.end - focus.start);
  const focused = canFocus && preferFocus;
  const { start, end } = focused && focus ? focus : whole;

  const width = Math.max(plotWidth, 1);
  const xOf = (t: number) => ((t - start) / (end - start)) * width;

  // Marker labels: each goes in the first row where it does not collide with the label before it.
  const rowEnds: number[] = [];
  const markers: MarkerLine[] = markerTimes
    .map((m) => ({ ...m, x: xOf(Date.parse(m.at)) }))
    .sort((a, b) => a.x - b.x)
    .map((m) => {
      const label = LIFECYCLE_LABEL[m.field];
      const textWidth = label.length * MARKER_FONT_CHAR_PX + 6;
      const anchorEnd = m.x + textWidth > width;
      const left = anchorEnd ? m.x - textWidth : m.x;
      let row = rowEnds.findIndex((edge) => edge <= left);
      if (row === -1) row = rowEnds.length;
      rowEnds[row] = left + textWidth + 4;
      return { field: m.field, label, at: m.at, x: m.x, row, anchorEnd };
    });
  const top = Math.max(1, rowEnds.length) * MARKER_ROW_HEIGHT + 6;

  const order = laneOrder(sorted);
  const laneIndex = new Map(order.map((source, i) => [source, i]));
  const lanes: SwimlaneLane[] = order.map((source) => ({ source, events: 0, occurrences: 0, before: 0, after: 0 }));
  const marks: SwimlaneMark[] = [];
  const open = new Map<number, SwimlaneMark>();
  for (const event of sorted) {
    const lane = laneIndex.get(event.source) ?? 0;
    const laneStats = lanes[lane];
    const count = Math.max(1, event.count);
    if (laneStats) {
      laneStats.events += 1;
      laneStats.occurrences += count;
    }
    const t = Date.parse(event.at);
    if (t < start || t > end) {
      if (laneStats) laneStats[t < start ? 'before' : 'after'] += 1;
      continue;
    }
    const x = xOf(t);
    const mark = open.get(lane);
    if (mark && x - mark.x1 < GROUP_GAP_PX) {
      mark.x1 = x;
      mark.x = (mark.x0 + x) / 2;
      mark.events.push(event);
      mark.occurrences += count;
      mark.to = event.at;
      if (mark.kind !== event.kind) mark.kind = null;
      continue;
    }
    const next: SwimlaneMark = {
      id: event.id,
      lane,
      x,
      x0: x,
      x1: x,
      events: [event],
      occurrences: count,
      kind: event.kind,
      from: event.at,
      to: event.at,
    };
    marks.push(next);
    open.set(lane, next);
  }

  const impactStart = times.impactStartedAt ? Date.parse(times.impactStartedAt) : NaN;
  const impactEndIso = times.mitigatedAt ?? times.resolvedAt;
  const ongoing = impactEndIso === null && (status === 'investigating' || status === 'mitigated');
  const impactEnd = impactEndIso ? Date.parse(impactEndIso) : ongoing ? end : NaN;
  const impact =
    Number.isNaN(impactStart) || Number.isNaN(impactEnd)
      ? null
      : { x0: Math.max(0, xOf(impactStart)), x1: Math.min(width, xOf(impactEnd)), ongoing };

  return {
    width,
    height: top + lanes.length * LANE_HEIGHT + AXIS_HEIGHT,
    top,
    lanes,
    marks,
    markers,
    ticks: ticksFor(start, end, xOf, width),
    impact,
    start,
    end,
    canFocus,
    focused,
  };
}

/** A span widened by a small margin, and to a few minutes at least so a single event is not squeezed. */
function padded(first: number, last: number, share = 0.04): { start: number; end: number } {
  let start = first;
  let end = last;
  if (end - start < MIN_SPAN_MS) {
    const mid = (start + end) / 2;
    start = mid - MIN_SPAN_MS / 2;
    end = mid + MIN_SPAN_MS / 2;
  }
  const pad = (end - start) * share;
  return { start: start - pad, end: end + pad };
}

/**
 * The time around the incident: from its first lifecycle time to its last (or to the last event while it is open),
 * with a margin of a fifth of that span so the run-up and aftermath stay visible.
 */
function focusRange(
  sorted: readonly TimelineEvent[],
  markers: readonly { field: LifecycleField; at: string }[],
): { start: number; end: number } | null {
  if (markers.length === 0) return null;
  const times = markers.map((m) => Date.parse(m.at));
  const first = Math.min(...times);
  const closed = markers.some((m) => m.field === 'resolvedAt');
  const lastEvent = sorted.length > 0 ? Date.parse(sorted[sorted.length - 1]?.at ?? '') : first;
  const last = closed ? Math.max(...times) : Math.max(...times, lastEvent);
  return padded(first, last, 0.2);
}

function ticksFor(start: number, end: number, xOf: (t: number) => number, width: number): Tick[] {
  const wanted = Math.max(2, Math.floor(width / 110));
  const span = end - start;
  const step = TICK_STEPS_MS.find((s) => span / s <= wanted) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1] ?? 86400_000;
  // Align ticks to the step in local time, so hour ticks fall on the hour where the reader is.
  const offset = new Date(start).getTimezoneOffset() * 60_000;
  const first = Math.ceil((start - offset) / step) * step + offset;
  const ticks: Tick[] = [];
  const multiDay = new Date(start).toDateString() !== new Date(end).toDateString();
  const format = step < 60_000 ? timeSecondsFormat : timeFormat;
  let lastDay = '';
  for (let t = first; t <= end; t += step) {
    const date = new Date(t);
    const day = date.toDateString();
    const showDay = multiDay && day !== lastDay;
    lastDay = day;
    const x = xOf(t);
    const label = showDay ? `${dayFormat.format(date)} ${format.format(date)}` : format.format(date);
    const half = label.length * 3.3;
    ticks.push({ x, label, anchor: x < half ? 'start' : x > width - half ? 'end' : 'middle' });
  }
  return ticks;
}

/** `10:06` or `10:06:12`, for labels where the date is already clear. */
export function shortTime(iso: string, withSeconds = false): string {
  return (withSeconds ? timeSecondsFormat : timeFormat).format(new Date(iso));
}

/** `1,204` in the reader's locale. */
export function formatCount(n: number): string {
  return n.toLocaleString();
}
