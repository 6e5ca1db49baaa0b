/**
 * Charts of captured Prometheus snapshots, drawn on the server with ECharts' SSR SVG renderer: the web preview, the
 * HTML and PDF exports and anyone with the artifact's URL see the same picture, and nothing needs a browser or the
 * Prometheus that has long since dropped the data.
 */
import * as echarts from 'echarts';
import { DebriefError } from '../domain/errors.js';
import type { Principal } from '../domain/types.js';
import { getArtifact } from './artifacts.js';
import type { AppContext } from './context.js';
import { PROMETHEUS_RANGE_MEDIA_TYPE, readMetricSnapshot, type MetricSnapshot } from './metrics-capture.js';

export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 320;
/** Beyond this many series a legend would cover the plot; the lines are still drawn. */
const MAX_LEGEND_SERIES = 8;

/** A vertical line on the time axis: an incident's impact start, detection, mitigation, resolution. */
export interface ChartMarker {
  at: string;
  label: string;
}

export interface ChartOptions {
  width?: number;
  height?: number;
  markers?: readonly ChartMarker[];
  /**
   * Name the series in a legend (default true). Off for charts that leave the organisation: label values carry host,
   * pod and customer names that text redaction never sees.
   */
  legend?: boolean;
}

/** The fields of a captured snapshot a chart draws. */
export type ChartSnapshot = Pick<MetricSnapshot, 'service' | 'name' | 'unit' | 'window' | 'result'>;

/** `http_requests_total{code="500", service="checkout"}`, as Prometheus prints a series. */
function seriesLabel(metric: Record<string, string>): string {
  const { __name__: name = '', ...labels } = metric;
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return pairs.length === 0 ? name || '{}' : `${name}{${pairs.join(', ')}}`;
}

function point([t, v]: [number, string]): [number, number | null] {
  const value = Number(v);
  // NaN and infinities (a division by zero in PromQL) become gaps in the line, not spikes to the top of the axis.
  return [Math.round(t * 1000), Number.isFinite(value) ? value : null];
}

/**
 * Draws a Prometheus range snapshot as a standalone SVG document: one line per series on a UTC time axis over the
 * captured window, titled with the query's name and service, the unit on the value axis, and `markers` as dashed
 * vertical lines. A snapshot without series says so in the plot instead of drawing an empty frame.
 *
 * @example
 * const svg = metricChartSvg(snapshot, { markers: [{ at: incident.detectedAt, label: 'detected' }] });
 * // '<svg width="800" height="320" xmlns="http://www.w3.org/2000/svg" …'
 */
export function metricChartSvg(snapshot: ChartSnapshot, options: ChartOptions = {}): string {
  const width = options.width ?? CHART_WIDTH;
  const height = options.height ?? CHART_HEIGHT;
  const start = Date.parse(snapshot.window.start);
  const end = Date.parse(snapshot.window.end);
  const markers = (options.markers ?? [])
    .map((m) => ({ at: Date.parse(m.at), label: m.label }))
    .filter((m) => Number.isFinite(m.at) && m.at >= start && m.at <= end);
  const series = snapshot.result.map((s) => ({
    name: seriesLabel(s.metric),
    type: 'line' as const,
    showSymbol: false,
    connectNulls: false,
    lineStyle: { width: 1.5 },
    data: s.values.map(point),
  }));
  // Mark lines belong to a series; an empty one carries them when Prometheus returned nothing.
  const carrier = series[0] ?? { name: '', type: 'line' as const, showSymbol: false, data: [] };
  const withMarkers = [
    {
      ...carrier,
      markLine: {
        silent: true,
        symbol: 'none',
        animation: false,
        lineStyle: { type: 'dashed' as const, color: '#8a3ffc' },
        label: { formatter: '{b}', position: 'insideEndTop' as const, color: '#5a2aa8' },
        data: markers.map((m) => ({ name: m.label, xAxis: m.at })),
      },
    },
    ...series.slice(1),
  ];
  const legend = (options.legend ?? true) && series.length > 1 && series.length <= MAX_LEGEND_SERIES;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      useUTC: true,
      backgroundColor: '#ffffff',
      title: {
        text: `${snapshot.name} (${snapshot.service})`,
        subtext: `${snapshot.window.start.slice(0, 16).replace('T', ' ')} – ${snapshot.window.end.slice(0, 16).replace('T', ' ')} UTC, step ${snapshot.window.stepSeconds}s`,
        left: 'center',
        textStyle: { fontSize: 14 },
        subtextStyle: { fontSize: 11 },
      },
      grid: { left: 64, right: 24, top: 64, bottom: legend ? 72 : 40 },
      legend: legend ? { show: true, bottom: 4, type: 'plain', textStyle: { fontSize: 10 } } : { show: false },
      xAxis: { type: 'time', min: start, max: end },
      yAxis: {
        type: 'value',
        name: snapshot.unit ?? '',
        nameTextStyle: { align: 'left' },
        scale: false,
      },
      graphic:
        series.length === 0
          ? [
              {
                type: 'text',
                left: 'center',
                top: 'middle',
                style: { text: 'Prometheus returned no data for this window' },
              },
            ]
          : [],
      series: withMarkers,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * The chart of a captured metric snapshot, for whoever may read the artifact (the same rule as
 * `GET /api/v1/artifacts/:id`; refusals look like a missing artifact).
 *
 * @throws DebriefError DEBRIEF_ERR_NOT_FOUND when the artifact does not exist or the caller may not read it;
 *   DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE (field `id`) when it is not a metric snapshot.
 * @example
 * const { svg } = await getArtifactChart(ctx, actor, artifactId);
 */
export async function getArtifactChart(
  ctx: AppContext,
  actor: Principal,
  id: string,
  options: ChartOptions = {},
): Promise<{ id: string; svg: string }> {
  const artifact = await getArtifact(ctx, actor, id);
  const snapshot = artifact.mediaType === PROMETHEUS_RANGE_MEDIA_TYPE ? readMetricSnapshot(artifact.content) : null;
  if (!snapshot) {
    throw new DebriefError(
      'DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE',
      `id: artifact ${artifact.id} is ${artifact.mediaType}, not a Prometheus metric snapshot; only those have a chart`,
      { field: 'id' },
    );
  }
  return { id: artifact.id, svg: metricChartSvg(snapshot, options) };
}
