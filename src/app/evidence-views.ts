/**
 * The evidence shapes the API sends (`/api/v1/incidents/:key/evidence`, `…/logs`, `…/metrics`). Types only,
 * importing only from the domain, so the web app can import them without server code.
 */
import type { EvidenceKind, TelemetryCompleteness } from '../domain/evidence/telemetry.js';
import type { EventKind } from '../domain/types.js';

export type { EvidenceKind, TelemetryCompleteness };

export interface LogFinding {
  templateId: string;
  template: string | null;
  status: 'new' | 'spiking';
  severity: string | null;
  baselineCount: number;
  incidentCount: number;
  baselineRatePerMinute: number;
  incidentRatePerMinute: number;
  /** Incident rate over the smoothed baseline rate. */
  ratio: number;
  samples: string[];
}

/** Log templates new or spiking in the incident window against the preceding baseline. */
export interface LogEvidence {
  incident: string;
  /** `buffer`: the OTLP buffer; `upload`: an uploaded log file. */
  source: 'buffer' | 'upload';
  /** Services read from the buffer (the incident's, or every buffered one when it names none). */
  services: string[];
  window: { start: string; end: string };
  baseline: { start: string; end: string };
  baselineLines: number;
  incidentLines: number;
  /** Templates mined from both windows. */
  templates: number;
  /** A window held more lines than are read at once; counts are from the lines read. */
  truncated: boolean;
  summary: { new: number; spiking: number };
  /** New templates first (most frequent first), then spiking ones (highest ratio first); at most MAX_FINDINGS. */
  findings: LogFinding[];
  /** For uploads: how the file's lines were timed. */
  upload?: { name: string | null; lines: number; timed: number; zoneless: number; outsideWindows: number };
}

export interface EvidenceSource {
  /** Timeline source (`alertmanager`, `slack`, …) or buffered service as `otlp:<service>`. */
  source: string;
  kind: EventKind;
  count: number;
  first: string;
  last: string;
}

export interface EvidenceGap {
  source: string;
  kind: EventKind;
  /** The last point before the silence. */
  from: string;
  /** The first point after it, or the window end when the source had not resumed. */
  to: string;
  durationMs: number;
  ongoing: boolean;
  /** The source's usual interval the silence was judged against. */
  intervalMs: number;
}

/** What evidence an incident has, each source's count and time range, and where a machine source went quiet. */
export interface EvidenceSummary {
  incident: string;
  window: { start: string; end: string };
  /** Services whose buffered telemetry was counted. */
  services: string[];
  completeness: TelemetryCompleteness;
  gaps: EvidenceGap[];
  sources: EvidenceSource[];
}

/** When a metric snapshot was taken: automatically at declaration or resolution, or on request. */
export type CapturePhase = 'declare' | 'resolve' | 'manual';

/** A captured chart as the API presents it: times as ISO text, values as numbers (`null` for NaN and infinities). */
export interface MetricEvidence {
  eventId: string;
  artifactId: string;
  service: string;
  name: string;
  unit: string | null;
  phase: CapturePhase;
  capturedAt: string;
  query: string;
  window: { start: string; end: string; stepSeconds: number };
  seriesTotal: number;
  series: { metric: Record<string, string>; points: [string, number | null][] }[];
}
