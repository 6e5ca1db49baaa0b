import { Group, Paper, SegmentedControl, Text, VisuallyHidden } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { type KeyboardEvent, useId, useMemo, useRef, useState } from 'react';
import type { EventKind, TimelineEvent } from '../../../../src/domain/types';
import type { IncidentView } from '../../api';
import { formatLocal } from '../../format';
import { KIND_LABEL } from '../../labels';
import { markerCssColor } from './lifecycle-markers';
import {
  BAR_MIN_PX,
  formatCount,
  LANE_HEIGHT,
  layoutSwimlanes,
  shortTime,
  type SwimlaneLayout,
  type SwimlaneMark,
} from './swimlane-layout';

/** Below this the plot scrolls sideways instead of squeezing marks together (phones). */
const MIN_PLOT_WIDTH = 560;

/** Chart colours: one shade darker than the badges where the badge shade is too light against white. */
const KIND_SHADE: Partial<Record<EventKind, number>> = { note: 8, status: 6, change: 6, chat: 6 };
export function kindColor(kind: EventKind | null): string {
  if (kind === null) return 'var(--mantine-color-dark-4)';
  const color = KIND_LABEL[kind]?.color ?? 'gray';
  return `var(--mantine-color-${color}-${KIND_SHADE[kind] ?? 7})`;
}

/** A distinct outline per common kind, so the chart does not rely on colour alone. */
export function KindShape({ kind, r, ...rest }: { kind: EventKind | null; r: number; strokeWidth?: number }) {
  const style = { fill: kindColor(kind), stroke: 'var(--mantine-color-white)', strokeWidth: rest.strokeWidth ?? 1.5 };
  switch (kind) {
    case 'alert':
      return <path d={`M0 ${-r * 1.2}L${r * 1.1} ${r * 0.8}H${-r * 1.1}Z`} style={style} />;
    case 'page':
      return <rect x={-r * 0.9} y={-r * 0.9} width={r * 1.8} height={r * 1.8} rx={1.5} style={style} />;
    case 'change':
      return <path d={`M0 ${-r * 1.25}L${r * 1.25} 0L0 ${r * 1.25}L${-r * 1.25} 0Z`} style={style} />;
    default:
      return <circle r={r} style={style} />;
  }
}

const KIND_PLURAL: Record<EventKind, string> = {
  alert: 'alerts',
  change: 'changes',
  chat: 'messages',
  log: 'logs',
  trace: 'traces',
  metric: 'metrics',
  status: 'status changes',
  note: 'notes',
  page: 'pages',
};

/** `600 alerts` where the bar has room, else just the number. */
function barLabel(mark: SwimlaneMark, width: number): string {
  const count = formatCount(mark.events.length);
  const words = `${count} ${mark.kind ? KIND_PLURAL[mark.kind] : 'events'}`;
  return words.length * 6.2 + 12 <= width ? words : count;
}

function markLabel(mark: SwimlaneMark, source: string): string {
  const first = mark.events[0];
  if (mark.events.length === 1 && first) {
    const kind = KIND_LABEL[first.kind]?.label ?? first.kind;
    const count = first.count > 1 ? `, ×${formatCount(first.count)}` : '';
    return `${kind} at ${shortTime(first.at, true)} from ${source}${count}: ${first.title || kind}`;
  }
  return `${mark.events.length} events from ${source}, ${shortTime(mark.from, true)} to ${shortTime(mark.to, true)}${
    mark.occurrences > mark.events.length ? `, ${formatCount(mark.occurrences)} occurrences` : ''
  }`;
}

function summaryOf(layout: SwimlaneLayout, incident: IncidentView, events: readonly TimelineEvent[]): string {
  const first = events.reduce((a, e) => (e.at < a ? e.at : a), events[0]?.at ?? '');
  const last = events.reduce((a, e) => (e.at > a ? e.at : a), events[0]?.at ?? '');
  const lanes = layout.lanes
    .map(
      (l) =>
        `${l.source} (${l.events} ${l.events === 1 ? 'event' : 'events'}${
          l.occurrences > l.events ? `, ${formatCount(l.occurrences)} occurrences` : ''
        })`,
    )
    .join(', ');
  const markers = layout.markers.map((m) => `${m.label} ${formatLocal(m.at)}`).join(', ');
  const impact = incident.impactStartedAt
    ? ` Impact window from ${formatLocal(incident.impactStartedAt)} ${
        incident.mitigatedAt || incident.resolvedAt
          ? `to ${formatLocal((incident.mitigatedAt ?? incident.resolvedAt) as string)}`
          : 'and still ongoing'
      }.`
    : '';
  const before = layout.lanes.reduce((n, l) => n + l.before, 0);
  const after = layout.lanes.reduce((n, l) => n + l.after, 0);
  const outside =
    before + after > 0
      ? ` The chart shows ${formatLocal(new Date(layout.start).toISOString())} to ${formatLocal(
          new Date(layout.end).toISOString(),
        )}; ${before} earlier and ${after} later events are outside it (marked with arrows at the lane ends).`
      : '';
  return (
    `Swimlane chart of ${events.length} timeline ${events.length === 1 ? 'event' : 'events'} from ${formatLocal(first)} ` +
    `to ${formatLocal(last)}, one lane per source: ${lanes}.` +
    (markers ? ` Markers: ${markers}.` : ' No lifecycle markers yet.') +
    impact +
    outside
  );
}

/**
 * Sources × time: one lane per source, marks coloured and shaped by kind, lifecycle times as labelled lines, the
 * impact window shaded. Hovering or focusing a mark shows what it is; choosing it shows the event in the list.
 * One tab stop: arrow keys move between marks (left/right along a lane, up/down across lanes).
 */
export function SwimlaneChart({
  incident,
  events,
  onSelect,
}: {
  incident: IncidentView;
  events: readonly TimelineEvent[];
  onSelect: (eventIds: string[]) => void;
}) {
  const { ref: sizeRef, width: measured } = useElementSize<HTMLDivElement>();
  const captionId = useId();
  const plotWidth = Math.max(MIN_PLOT_WIDTH, Math.floor(measured));
  const [preferFocus, setPreferFocus] = useState(true);
  const layout = useMemo(
    () => layoutSwimlanes(events, incident, incident.status, plotWidth, preferFocus),
    [events, incident, plotWidth, preferFocus],
  );
  const [hovered, setHovered] = useState<string | null>(null);
  const [focused, setFocused] = useState<string | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const markRefs = useRef(new Map<string, SVGGElement>());

  // Marks in reading order (lane by lane, left to right): the roving tab stop moves through this list.
  const ordered = useMemo(() => [...layout.marks].sort((a, b) => a.lane - b.lane || a.x - b.x), [layout.marks]);
  const activeId = ordered.some((m) => m.id === active) ? active : (ordered[0]?.id ?? null);
  const shown = layout.marks.find((m) => m.id === (hovered ?? focused)) ?? null;
  const lanesBottom = layout.top + layout.lanes.length * LANE_HEIGHT;
  const summary = useMemo(() => summaryOf(layout, incident, events), [layout, incident, events]);
  const kindsPresent = [...new Set(events.map((e) => e.kind))];

  const moveTo = (mark: SwimlaneMark | undefined) => {
    if (!mark) return;
    setActive(mark.id);
    markRefs.current.get(mark.id)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent, mark: SwimlaneMark) => {
    const inLane = ordered.filter((m) => m.lane === mark.lane);
    const at = inLane.indexOf(mark);
    const nearestIn = (lane: number) =>
      ordered
        .filter((m) => m.lane === lane)
        .reduce<SwimlaneMark | undefined>(
          (best, m) => (!best || Math.abs(m.x - mark.x) < Math.abs(best.x - mark.x) ? m : best),
          undefined,
        );
    const lanes = [...new Set(ordered.map((m) => m.lane))];
    const laneAt = lanes.indexOf(mark.lane);
    switch (event.key) {
      case 'ArrowRight':
        moveTo(inLane[at + 1]);
        break;
      case 'ArrowLeft':
        moveTo(inLane[at - 1]);
        break;
      case 'ArrowDown':
        moveTo(lanes[laneAt + 1] === undefined ? undefined : nearestIn(lanes[laneAt + 1] as number));
        break;
      case 'ArrowUp':
        moveTo(lanes[laneAt - 1] === undefined ? undefined : nearestIn(lanes[laneAt - 1] as number));
        break;
      case 'Home':
        moveTo(inLane[0]);
        break;
      case 'End':
        moveTo(inLane[inLane.length - 1]);
        break;
      case 'Enter':
      case ' ':
        onSelect(mark.events.map((e) => e.id));
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <figure className="swimlane" aria-label="Swimlanes: timeline events by source" aria-describedby={captionId}>
      <VisuallyHidden component="figcaption" id={captionId}>
        {summary}
      </VisuallyHidden>
      {layout.canFocus && (
        <SegmentedControl
          size="xs"
          mb={6}
          value={layout.focused ? 'focus' : 'all'}
          onChange={(v) => setPreferFocus(v === 'focus')}
          data={[
            { value: 'focus', label: 'Around the incident' },
            { value: 'all', label: 'Whole timeline' },
          ]}
          aria-label="Time range of the chart"
        />
      )}
      <div className="swimlane-body">
        <div className="swimlane-lanes" style={{ paddingTop: layout.top }} aria-hidden="true">
          {layout.lanes.map((lane) => (
            <div key={lane.source} className="swimlane-lane-label" style={{ height: LANE_HEIGHT }} title={lane.source}>
              <Text fz={{ base: 'xs', xs: 'sm' }} fw={600} truncate="end">
                {lane.source}
              </Text>
              <Text size="xs" c="dimmed" lh={1.1}>
                {lane.events} {lane.events === 1 ? 'event' : 'events'}
              </Text>
            </div>
          ))}
        </div>
        <div ref={sizeRef} className="swimlane-scroll">
          {measured > 0 && (
            <div style={{ position: 'relative', width: layout.width }}>
              <svg
                width={layout.width}
                height={layout.height}
                role="group"
                aria-label="Events by source and time. Arrow keys move between events; Enter shows the event in the timeline list."
                className="swimlane-svg"
                onMouseLeave={() => setHovered(null)}
              >
                <g aria-hidden="true">
                  {layout.lanes.map((lane, i) => (
                    <rect
                      key={lane.source}
                      x={0}
                      y={layout.top + i * LANE_HEIGHT}
                      width={layout.width}
                      height={LANE_HEIGHT}
                      style={{ fill: i % 2 === 0 ? 'var(--mantine-color-gray-0)' : 'var(--mantine-color-white)' }}
                    />
                  ))}
                  {layout.impact && (
                    <rect
                      x={layout.impact.x0}
                      y={layout.top}
                      width={Math.max(1, layout.impact.x1 - layout.impact.x0)}
                      height={lanesBottom - layout.top}
                      style={{ fill: 'var(--mantine-color-red-6)', fillOpacity: 0.1 }}
                    />
                  )}
                  {layout.ticks.map((tick) => (
                    <g key={tick.x} transform={`translate(${tick.x} 0)`}>
                      <line
                        y1={layout.top}
                        y2={lanesBottom + 4}
                        style={{ stroke: 'var(--mantine-color-gray-3)', strokeWidth: 1 }}
                      />
                      <text
                        y={lanesBottom + 17}
                        textAnchor={tick.anchor}
                        style={{ fontSize: 11, fill: 'var(--mantine-color-dimmed)' }}
                      >
                        {tick.label}
                      </text>
                    </g>
                  ))}
                  <line
                    x1={0}
                    x2={layout.width}
                    y1={lanesBottom}
                    y2={lanesBottom}
                    style={{ stroke: 'var(--mantine-color-gray-5)' }}
                  />
                  {layout.lanes.map((lane, i) => {
                    const y = layout.top + i * LANE_HEIGHT + LANE_HEIGHT / 2;
                    const style = { fontSize: 11, fontWeight: 600, fill: 'var(--mantine-color-gray-7)' };
                    return (
                      <g key={lane.source}>
                        {lane.before > 0 && (
                          <text x={3} y={y} dy="0.35em" style={style}>
                            ◂{lane.before}
                          </text>
                        )}
                        {lane.after > 0 && (
                          <text x={layout.width - 3} y={y} dy="0.35em" textAnchor="end" style={style}>
                            {lane.after}▸
                          </text>
                        )}
                      </g>
                    );
                  })}
                  {layout.markers.map((m) => (
                    <g key={m.field} transform={`translate(${m.x} 0)`}>
                      <line
                        y1={m.row * 15 + 2}
                        y2={lanesBottom}
                        style={{ stroke: markerCssColor(m.field), strokeWidth: 1.5, strokeDasharray: '4 3' }}
                      />
                      <text
                        x={m.anchorEnd ? -4 : 4}
                        y={m.row * 15 + 12}
                        textAnchor={m.anchorEnd ? 'end' : 'start'}
                        style={{ fontSize: 11, fontWeight: 600, fill: markerCssColor(m.field) }}
                      >
                        {m.label}
                      </text>
                    </g>
                  ))}
                </g>
                {layout.marks.map((mark) => {
                  const cy = layout.top + mark.lane * LANE_HEIGHT + LANE_HEIGHT / 2;
                  const cluster = mark.events.length > 1;
                  const lit = mark.id === hovered || mark.id === focused;
                  const aggregated = mark.occurrences > mark.events.length;
                  // A long run of events (an alert storm) is a bar over its span, labelled with its size.
                  const bar = cluster && mark.x1 - mark.x0 >= BAR_MIN_PX;
                  const left = mark.x0 - mark.x - 10;
                  const barWidth = mark.x1 - mark.x0 + 20;
                  return (
                    <g
                      key={mark.id}
                      ref={(el) => {
                        if (el) markRefs.current.set(mark.id, el);
                        else markRefs.current.delete(mark.id);
                      }}
                      transform={`translate(${mark.x} ${cy})`}
                      role="button"
                      tabIndex={mark.id === activeId ? 0 : -1}
                      aria-label={markLabel(mark, layout.lanes[mark.lane]?.source ?? '')}
                      className="swimlane-mark"
                      onMouseEnter={() => setHovered(mark.id)}
                      onFocus={() => {
                        setFocused(mark.id);
                        setActive(mark.id);
                      }}
                      onBlur={() => setFocused(null)}
                      onClick={() => onSelect(mark.events.map((e) => e.id))}
                      onKeyDown={(e) => onKeyDown(e, mark)}
                    >
                      {/* A larger invisible target, so small marks are easy to hit with a finger. */}
                      {bar ? (
                        <rect x={left - 3} y={-13} width={barWidth + 6} height={26} style={{ fill: 'transparent' }} />
                      ) : (
                        <circle r={13} style={{ fill: 'transparent' }} />
                      )}
                      {lit &&
                        (bar ? (
                          <rect
                            x={left - 3}
                            y={-13}
                            width={barWidth + 6}
                            height={26}
                            rx={13}
                            style={{ fill: 'none', stroke: 'var(--mantine-color-indigo-7)', strokeWidth: 2 }}
                          />
                        ) : (
                          <circle
                            r={cluster ? 14 : 12}
                            style={{ fill: 'none', stroke: 'var(--mantine-color-indigo-7)', strokeWidth: 2 }}
                          />
                        ))}
                      {cluster ? (
                        <>
                          {bar ? (
                            <rect
                              x={left}
                              y={-10}
                              width={barWidth}
                              height={20}
                              rx={10}
                              style={{
                                fill: kindColor(mark.kind),
                                stroke: 'var(--mantine-color-white)',
                                strokeWidth: 1.5,
                              }}
                            />
                          ) : (
                            <circle
                              r={10}
                              style={{
                                fill: kindColor(mark.kind),
                                stroke: 'var(--mantine-color-white)',
                                strokeWidth: 1.5,
                              }}
                            />
                          )}
                          <text
                            textAnchor="middle"
                            dy="0.35em"
                            style={{ fontSize: 10, fontWeight: 700, fill: 'var(--mantine-color-white)' }}
                          >
                            {bar ? barLabel(mark, barWidth) : mark.events.length > 99 ? '99+' : mark.events.length}
                          </text>
                        </>
                      ) : (
                        <KindShape kind={mark.kind} r={6.5} />
                      )}
                      {aggregated && (
                        <text
                          x={bar ? left + barWidth + 4 : cluster ? 13 : 10}
                          dy="0.35em"
                          style={{ fontSize: 10.5, fontWeight: 700, fill: 'var(--mantine-color-dark-7)' }}
                        >
                          ×{formatCount(mark.occurrences)}
                        </text>
                      )}
                    </g>
                  );
                })}
              </svg>
              {shown && <MarkTooltip mark={shown} layout={layout} />}
            </div>
          )}
        </div>
      </div>
      {measured > 0 && measured < MIN_PLOT_WIDTH && (
        <Text size="xs" c="dimmed" mt={4} aria-hidden="true">
          Scroll the chart sideways to see all of it.
        </Text>
      )}
      <Group gap="md" mt={6} aria-hidden="true" className="swimlane-legend">
        {kindsPresent.map((kind) => (
          <Group key={kind} gap={4} wrap="nowrap">
            <svg width={16} height={16} viewBox="-8 -8 16 16">
              <KindShape kind={kind} r={5} strokeWidth={0} />
            </svg>
            <Text size="xs">{KIND_LABEL[kind]?.label ?? kind}</Text>
          </Group>
        ))}
        {layout.impact && (
          <Group gap={4} wrap="nowrap">
            <span className="swimlane-impact-swatch" />
            <Text size="xs">Impact{layout.impact.ongoing ? ' (ongoing)' : ''}</Text>
          </Group>
        )}
        {layout.marks.some((m) => m.events.length > 1) && (
          <Text size="xs" c="dimmed">
            Numbers count events grouped together
          </Text>
        )}
      </Group>
    </figure>
  );
}

function MarkTooltip({ mark, layout }: { mark: SwimlaneMark; layout: SwimlaneLayout }) {
  const width = 260;
  const left = Math.min(Math.max(mark.x - width / 2, 4), layout.width - width - 4);
  const laneTop = layout.top + mark.lane * LANE_HEIGHT;
  // Below the mark in the upper lanes, above it in the lower ones, so it stays inside the chart when possible.
  const below = mark.lane < layout.lanes.length / 2 || laneTop < 90;
  const style = below ? { top: laneTop + LANE_HEIGHT - 2 } : { bottom: layout.height - laneTop + 2 };
  const first = mark.events[0];
  return (
    <Paper
      shadow="md"
      withBorder
      p={8}
      className="swimlane-tooltip"
      style={{ left, width, ...style }}
      aria-hidden="true"
    >
      {mark.events.length === 1 && first ? (
        <>
          <Text size="xs" c="dimmed">
            {KIND_LABEL[first.kind]?.label ?? first.kind} · {formatLocal(first.at, true)}
            {first.count > 1 ? ` · ×${formatCount(first.count)}` : ''}
          </Text>
          <Text size="sm" fw={600} lineClamp={3} className="break-anywhere">
            {first.title || KIND_LABEL[first.kind]?.label}
          </Text>
        </>
      ) : (
        <>
          <Text size="xs" c="dimmed">
            {mark.events.length} events · {shortTime(mark.from, true)}–{shortTime(mark.to, true)}
            {mark.occurrences > mark.events.length ? ` · ${formatCount(mark.occurrences)} occurrences` : ''}
          </Text>
          {mark.events.slice(0, 4).map((e) => (
            <Text key={e.id} size="xs" lineClamp={1} className="break-anywhere">
              {shortTime(e.at)} {e.title || KIND_LABEL[e.kind]?.label}
            </Text>
          ))}
          {mark.events.length > 4 && (
            <Text size="xs" c="dimmed">
              and {mark.events.length - 4} more
            </Text>
          )}
        </>
      )}
      <Text size="xs" c="indigo.8" mt={2}>
        Click to show in the timeline
      </Text>
    </Paper>
  );
}
