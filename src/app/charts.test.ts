import { describe, expect, it } from 'vitest';
import { metricChartSvg, type ChartSnapshot } from './charts.js';
import { readMetricSnapshot } from './metrics-capture.js';

const start = Date.parse('2026-03-04T14:00:00Z') / 1000;

function values(f: (i: number) => number | string, n = 60): [number, string][] {
  return Array.from({ length: n }, (_, i) => [start + i * 60, String(f(i))]);
}

const snapshot: ChartSnapshot = {
  service: 'checkout',
  name: 'error ratio',
  unit: 'req/s',
  window: { start: '2026-03-04T14:00:00.000Z', end: '2026-03-04T14:59:00.000Z', stepSeconds: 60 },
  result: [
    { metric: { __name__: 'http_errors', code: '500' }, values: values((i) => (i > 20 && i < 40 ? 30 + i : 2)) },
    { metric: { __name__: 'http_errors', code: '503' }, values: values((i) => (i === 30 ? 'NaN' : i % 7)) },
  ],
};

/** The drawn lines: ECharts gives each series' path its configured stroke width. */
function linePaths(svg: string): string[] {
  return [...svg.matchAll(/<path d="(M[^"]+)"[^>]*stroke-width="1.5"/g)].map((m) => m[1] ?? '');
}

describe('metricChartSvg', () => {
  it('draws one line per series with a legend, the title, the unit and UTC times', () => {
    const svg = metricChartSvg(snapshot);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('width="800" height="320"');
    const lines = linePaths(svg);
    expect(lines).toHaveLength(2);
    // 60 points: a move and 59 line-tos, unless broken by a gap.
    expect(lines[0]?.split('L').length).toBe(60);
    // The NaN sample splits the second line in two.
    expect(lines[1]?.match(/M/g)?.length).toBe(2);
    expect(svg).toContain('error ratio (checkout)');
    expect(svg).toContain('req/s');
    expect(svg).toContain('http_errors{code=&quot;500&quot;}');
    expect(svg).toContain('http_errors{code=&quot;503&quot;}');
    expect(svg).toMatch(/>14:\d0</);
    expect(svg).toContain('2026-03-04 14:00 – 2026-03-04 14:59 UTC, step 60s');
  });

  it('draws incident markers inside the window as labelled vertical lines and ignores those outside', () => {
    const svg = metricChartSvg(snapshot, {
      markers: [
        { at: '2026-03-04T14:21:00Z', label: 'detected' },
        { at: '2026-03-04T14:40:00Z', label: 'mitigated' },
        { at: '2026-03-04T18:00:00Z', label: 'resolved' },
      ],
    });
    expect(svg).toContain('>detected<');
    expect(svg).toContain('>mitigated<');
    expect(svg).not.toContain('>resolved<');
    const dashed = [...svg.matchAll(/<path d="M([\d.]+) [\d.]+L([\d.]+) [\d.]+"[^>]*stroke-dasharray/g)];
    expect(dashed).toHaveLength(2);
    for (const m of dashed) expect(m[1]).toBe(m[2]);
  });

  it('says so when Prometheus returned no series, and still draws the markers', () => {
    const svg = metricChartSvg(
      { ...snapshot, result: [] },
      { markers: [{ at: '2026-03-04T14:30:00Z', label: 'detected' }] },
    );
    expect(svg).toContain('Prometheus returned no data for this window');
    expect(linePaths(svg)).toHaveLength(0);
    expect(svg).toContain('>detected<');
  });

  it('escapes label values, which come from whatever Prometheus scraped', () => {
    const svg = metricChartSvg({
      ...snapshot,
      name: '<script>alert(1)</script>',
      result: [{ metric: { path: '"><img src=x onerror=alert(1)>' }, values: values(() => 1) }],
    });
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('leaves out the series names when asked, for charts that leave the organisation', () => {
    const svg = metricChartSvg(snapshot, { legend: false });
    expect(linePaths(svg)).toHaveLength(2);
    expect(svg).not.toContain('code=&quot;500&quot;');
  });

  it('honours the requested size', () => {
    expect(metricChartSvg(snapshot, { width: 400, height: 200 })).toContain('viewBox="0 0 400 200"');
  });
});

describe('readMetricSnapshot', () => {
  it('reads a stored snapshot back for a chart and refuses other bytes', () => {
    const stored = {
      format: 'debrief.prometheus-range/v1',
      phase: 'resolve',
      query: 'sum(rate(http_errors[5m]))',
      queryTemplate: 'sum(rate(http_errors[5m]))',
      prometheusUrl: 'http://127.0.0.1:9090',
      capturedAt: '2026-03-04T15:00:00.000Z',
      resultType: 'matrix',
      seriesTotal: 2,
      warnings: [],
      ...snapshot,
    };
    const read = readMetricSnapshot(Buffer.from(JSON.stringify(stored)));
    expect(read).toMatchObject({ name: 'error ratio' });
    expect(read && metricChartSvg(read)).toContain('error ratio (checkout)');
    expect(readMetricSnapshot(Buffer.from('not json'))).toBeNull();
    expect(readMetricSnapshot(Buffer.from('{"lines":["GET / 500"]}'))).toBeNull();
  });
});
