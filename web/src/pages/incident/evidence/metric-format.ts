import type { MetricEvidence } from '../../../api';

const compact = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });
const small = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 2 });

/** A figure with three significant digits (two below 0.01), followed by the unit when there is one. */
export function formatValue(value: number, unit?: string | null): string {
  const text = Math.abs(value) < 0.01 && value !== 0 ? small.format(value) : compact.format(value);
  if (!unit) return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/**
 * A legend name per series: only the labels that tell the series apart (`code="500"`), else the metric name, else
 * the query's name.
 */
export function seriesNames(evidence: MetricEvidence): string[] {
  const all = evidence.series.map((s) => s.metric);
  const keys = new Set(all.flatMap((m) => Object.keys(m)).filter((k) => k !== '__name__'));
  const varying = [...keys].filter((k) => new Set(all.map((m) => m[k] ?? '')).size > 1);
  return all.map((metric) => {
    if (varying.length > 0) return varying.map((k) => `${k}="${metric[k] ?? ''}"`).join(', ');
    return metric.__name__ ?? evidence.name;
  });
}

export interface SeriesStats {
  points: number;
  min: number | null;
  max: number | null;
  maxAt: string | null;
  last: number | null;
}

/** Figures for the text alternative of a chart: range, peak and last value over all series. */
export function seriesStats(evidence: MetricEvidence): SeriesStats {
  let points = 0;
  let min: number | null = null;
  let max: number | null = null;
  let maxAt: string | null = null;
  let last: number | null = null;
  let lastAt = '';
  for (const s of evidence.series) {
    for (const [at, v] of s.points) {
      if (v === null) continue;
      points++;
      if (min === null || v < min) min = v;
      if (max === null || v > max) {
        max = v;
        maxAt = at;
      }
      if (at >= lastAt) {
        lastAt = at;
        last = v;
      }
    }
  }
  return { points, min, max, maxAt, last };
}
