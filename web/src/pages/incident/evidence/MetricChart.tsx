/**
 * One captured Prometheus query as a line chart. This module pulls in echarts, so it is only ever loaded lazily
 * (see `EvidencePanel`): the incident page itself stays light.
 */
import { useMantineTheme } from '@mantine/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  type TooltipComponentOption,
} from 'echarts/components';
import { type ComposeOption, type EChartsType, init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import type { LifecycleField } from '../../../../../src/domain/types';
import type { IncidentView, MetricEvidence } from '../../../api';
import { LIFECYCLE_LABEL, MARKER_SHADE } from '../lifecycle-markers';
import { formatValue, seriesNames } from './metric-format';

use([LineChart, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

const MAX_LEGEND_SERIES = 12;

/** Times as the rest of the page writes them, in the reader's locale. */
const axisTime = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

export function MetricChart({
  evidence,
  incident,
  height = 200,
}: {
  evidence: MetricEvidence;
  incident: IncidentView;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const theme = useMantineTheme();

  const option = useMemo((): Option => {
    const start = Date.parse(evidence.window.start);
    const end = Date.parse(evidence.window.end);
    const inWindow = (iso: string | null): iso is string =>
      iso !== null && Date.parse(iso) >= start && Date.parse(iso) <= end;
    const color = (field: LifecycleField) => {
      const [name, shade] = MARKER_SHADE[field];
      return theme.colors[name]?.[shade] ?? theme.black;
    };
    const impactEnd = incident.mitigatedAt ?? incident.resolvedAt;
    const impact =
      incident.impactStartedAt && Date.parse(incident.impactStartedAt) <= end
        ? [
            Math.max(start, Date.parse(incident.impactStartedAt)),
            impactEnd ? Math.min(end, Date.parse(impactEnd)) : end,
          ]
        : null;
    const markers = (Object.keys(LIFECYCLE_LABEL) as LifecycleField[]).filter((f) => inWindow(incident[f]));
    const names = seriesNames(evidence);
    const unit = evidence.unit;
    const legend = evidence.series.length > 1 && evidence.series.length <= MAX_LEGEND_SERIES;

    const series: LineSeriesOption[] = evidence.series.map((s, i) => ({
      type: 'line',
      name: names[i],
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 1.5 },
      emphasis: { focus: 'series' },
      data: s.points.map(([t, v]) => [Date.parse(t), v]),
    }));
    const carrier: LineSeriesOption = series[0] ?? { type: 'line', data: [] };
    carrier.markArea = impact
      ? {
          silent: true,
          itemStyle: { color: theme.colors.red[6], opacity: 0.1 },
          data: [[{ xAxis: impact[0] }, { xAxis: impact[1] }]],
        }
      : undefined;
    carrier.markLine = {
      silent: true,
      symbol: ['none', 'none'],
      animation: false,
      data: markers.map((field) => ({
        xAxis: Date.parse(incident[field] as string),
        name: LIFECYCLE_LABEL[field],
        lineStyle: { color: color(field), type: 'dashed', width: 1.5 },
        // Close markers would print over each other on a small chart; the section's key names them instead.
        label: { show: false },
      })),
    };
    if (series.length === 0) series.push(carrier);

    return {
      animation: false,
      grid: {
        left: 8,
        right: 12,
        top: unit ? 26 : 12,
        bottom: legend ? 30 : 4,
        // Keep the axis labels inside the chart box, as the rest of the page is laid out around it.
        outerBoundsMode: 'same',
        outerBoundsContain: 'axisLabel',
      },
      xAxis: {
        type: 'time',
        min: start,
        max: end,
        axisLabel: {
          hideOverlap: true,
          alignMinLabel: 'left',
          alignMaxLabel: 'right',
          fontSize: 11,
          color: theme.colors.gray[7],
          formatter: (value: number) => axisTime.format(new Date(value)),
        },
        axisLine: { lineStyle: { color: theme.colors.gray[5] } },
      },
      yAxis: {
        type: 'value',
        name: unit ?? undefined,
        nameTextStyle: { color: theme.colors.gray[7], fontSize: 11, align: 'left' },
        axisLabel: { fontSize: 11, color: theme.colors.gray[7], formatter: (v: number) => formatValue(v) },
        splitLine: { lineStyle: { color: theme.colors.gray[2] } },
      },
      tooltip: {
        trigger: 'axis',
        confine: true,
        valueFormatter: (v) => (typeof v === 'number' ? formatValue(v, unit) : '—'),
        textStyle: { fontSize: 12 },
      },
      legend: legend
        ? { type: 'scroll', bottom: 0, left: 0, right: 0, textStyle: { fontSize: 11 }, itemHeight: 8 }
        : undefined,
      series,
    };
  }, [evidence, incident, theme]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = init(el, null, { renderer: 'svg' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  // The summary next to the chart is its text alternative; the drawing itself is decorative to assistive tech.
  return <div ref={ref} style={{ height, width: '100%' }} aria-hidden="true" />;
}
