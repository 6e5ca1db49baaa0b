/**
 * A small Prometheus text-exposition registry: request-duration histograms plus gauges sampled at scrape time.
 * Kept in-process; each instance exposes its own series, as Prometheus expects.
 */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(obj: Record<string, string>): string {
  const parts = Object.entries(obj).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export interface GaugeSample {
  name: string;
  help: string;
  type?: 'gauge' | 'counter';
  samples: { labels?: Record<string, string>; value: number }[];
}

export class MetricsRegistry {
  private readonly requests = new Map<string, { labels: Record<string, string>; h: Histogram }>();

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const l = { method, route, status_code: String(status) };
    const key = `${method} ${route} ${status}`;
    let entry = this.requests.get(key);
    if (!entry) {
      entry = { labels: l, h: { counts: BUCKETS.map(() => 0), sum: 0, count: 0 } };
      this.requests.set(key, entry);
    }
    const { h } = entry;
    for (let i = 0; i < BUCKETS.length; i++)
      if (seconds <= (BUCKETS[i] ?? Infinity)) h.counts[i] = (h.counts[i] ?? 0) + 1;
    h.sum += seconds;
    h.count += 1;
  }

  /** The exposition text; `gauges` are sampled by the caller at scrape time. */
  render(gauges: GaugeSample[]): string {
    const out: string[] = [];
    out.push('# HELP debrief_http_request_duration_seconds Time to answer HTTP requests.');
    out.push('# TYPE debrief_http_request_duration_seconds histogram');
    for (const { labels: l, h } of this.requests.values()) {
      BUCKETS.forEach((b, i) =>
        out.push(`debrief_http_request_duration_seconds_bucket${labels({ ...l, le: String(b) })} ${h.counts[i] ?? 0}`),
      );
      out.push(`debrief_http_request_duration_seconds_bucket${labels({ ...l, le: '+Inf' })} ${h.count}`);
      out.push(`debrief_http_request_duration_seconds_sum${labels(l)} ${h.sum}`);
      out.push(`debrief_http_request_duration_seconds_count${labels(l)} ${h.count}`);
    }
    for (const g of gauges) {
      out.push(`# HELP ${g.name} ${g.help}`);
      out.push(`# TYPE ${g.name} ${g.type ?? 'gauge'}`);
      for (const s of g.samples) out.push(`${g.name}${labels(s.labels ?? {})} ${s.value}`);
    }
    return `${out.join('\n')}\n`;
  }
}
