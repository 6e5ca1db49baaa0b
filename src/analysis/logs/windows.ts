import { extractMessage, LOG_SEVERITIES, type LogSeverity } from './extract.js';
import { LogMiner, type LogMinerOptions, type Template } from './miner.js';

/** Occurrences per template id. */
export type Counts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

/** Per template id: a map or a plain object. */
type PerTemplate<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

export interface CompareWindowsOptions {
  /** Length of the baseline window, to turn counts into rates. */
  baselineDurationMs: number;
  /** Length of the incident window. */
  incidentDurationMs: number;
  /** Minimum ratio of incident rate to baseline rate for a template to be spiking. Default 3. */
  ratioThreshold?: number;
  /** Minimum incident-window count for a spiking template. Default 5. */
  minCount?: number;
  /** Minimum incident-window count for a new template. Default 1: one new panic line is worth seeing. */
  minNewCount?: number;
  /**
   * Pseudo-count added to every baseline count, so a template seen once in the baseline needs a real rise to count
   * as spiking (1 -> 4 is not ×4 but ×2), and new templates get a finite ratio. Default 1; 0 gives new templates an
   * infinite ratio.
   */
  smoothing?: number;
  /** Template text per id, copied into the findings. */
  templates?: PerTemplate<string>;
  /** Example lines per id; the first three are copied into the findings. */
  samples?: PerTemplate<readonly string[]>;
}

export type WindowFindingStatus = 'new' | 'spiking';

export interface WindowFinding {
  templateId: string;
  template: string | null;
  status: WindowFindingStatus;
  baselineCount: number;
  incidentCount: number;
  /** Occurrences per minute in each window. */
  baselineRatePerMinute: number;
  incidentRatePerMinute: number;
  /** Incident rate over smoothed baseline rate. */
  ratio: number;
  /** Up to three example lines. */
  samples: string[];
}

const MINUTE_MS = 60_000;
const MAX_SAMPLES = 3;

function lookup<T>(values: PerTemplate<T> | undefined, id: string): T | undefined {
  if (values === undefined) return undefined;
  if (values instanceof Map) return (values as ReadonlyMap<string, T>).get(id);
  return Object.hasOwn(values, id) ? (values as Readonly<Record<string, T>>)[id] : undefined;
}

function entries(counts: Counts): [string, number][] {
  return counts instanceof Map
    ? [...(counts as ReadonlyMap<string, number>)]
    : Object.entries(counts as Readonly<Record<string, number>>);
}

function requirePositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
}

/** Orders by template id with numbers compared as numbers: T2 before T10. */
const compareIds = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/**
 * Templates that are new in the incident window (absent from the baseline) or spiking (their rate, normalised by
 * window length, at least `ratioThreshold` times the smoothed baseline rate, with at least `minCount` occurrences).
 * New templates come first, most frequent first; then spiking ones, highest ratio first; ties by template id.
 *
 * @example
 * compareWindows({ T1: 100, T2: 2 }, { T1: 10, T2: 40, T3: 1 }, { baselineDurationMs: 3_600_000, incidentDurationMs: 600_000 });
 * // [{ templateId: 'T3', status: 'new', … }, { templateId: 'T2', status: 'spiking', ratio: 80, … }]
 */
export function compareWindows(baseline: Counts, incident: Counts, options: CompareWindowsOptions): WindowFinding[] {
  requirePositive('baselineDurationMs', options.baselineDurationMs);
  requirePositive('incidentDurationMs', options.incidentDurationMs);
  const ratioThreshold = options.ratioThreshold ?? 3;
  const minCount = options.minCount ?? 5;
  const minNewCount = options.minNewCount ?? 1;
  const smoothing = options.smoothing ?? 1;
  if (!(smoothing >= 0)) throw new RangeError(`smoothing must be >= 0, got ${smoothing}`);
  const baselineMinutes = options.baselineDurationMs / MINUTE_MS;
  const incidentMinutes = options.incidentDurationMs / MINUTE_MS;

  const findings: WindowFinding[] = [];
  for (const [templateId, incidentCount] of entries(incident)) {
    if (!(incidentCount > 0)) continue;
    const baselineCount = lookup(baseline, templateId) ?? 0;
    const status: WindowFindingStatus = baselineCount > 0 ? 'spiking' : 'new';
    const incidentRate = incidentCount / incidentMinutes;
    const smoothedBaselineRate = (baselineCount + smoothing) / baselineMinutes;
    const ratio = smoothedBaselineRate === 0 ? Infinity : incidentRate / smoothedBaselineRate;
    if (status === 'new' ? incidentCount < minNewCount : incidentCount < minCount || ratio < ratioThreshold) continue;
    findings.push({
      templateId,
      template: lookup(options.templates, templateId) ?? null,
      status,
      baselineCount,
      incidentCount,
      baselineRatePerMinute: baselineCount / baselineMinutes,
      incidentRatePerMinute: incidentRate,
      ratio,
      samples: (lookup(options.samples, templateId) ?? []).slice(0, MAX_SAMPLES),
    });
  }
  return findings.sort(
    (a, b) =>
      (a.status === b.status ? 0 : a.status === 'new' ? -1 : 1) ||
      (a.status === 'new' ? b.incidentCount - a.incidentCount : b.ratio - a.ratio) ||
      b.incidentCount - a.incidentCount ||
      compareIds(a.templateId, b.templateId),
  );
}

export interface TimeWindow {
  /** Epoch milliseconds, inclusive. */
  start: number;
  /** Epoch milliseconds, exclusive. */
  end: number;
}

export interface LogLine {
  /** Epoch milliseconds. */
  at: number;
  /** The raw line: JSON record or plain text (see `extractMessage`). */
  text: string;
}

export interface IncidentLogFinding extends WindowFinding {
  /** Highest severity among the template's incident-window lines, or null when none carried one. */
  severity: LogSeverity | null;
}

export interface IncidentLogAnalysis {
  /** New and spiking templates, ordered as by `compareWindows`. */
  findings: IncidentLogFinding[];
  /** Every template mined from lines in either window, with counts over both. */
  templates: Template[];
  baselineLines: number;
  incidentLines: number;
}

export type MineIncidentLogsOptions = LogMinerOptions &
  Pick<CompareWindowsOptions, 'ratioThreshold' | 'minCount' | 'minNewCount' | 'smoothing'>;

function checkWindow(name: string, window: TimeWindow): void {
  if (!(Number.isFinite(window.start) && Number.isFinite(window.end) && window.end > window.start)) {
    throw new RangeError(`${name} must have start < end, got ${window.start}..${window.end}`);
  }
}

const severityRank = (severity: LogSeverity): number => LOG_SEVERITIES.indexOf(severity);

/**
 * Mines the lines that fall in the incident window or the baseline window (in time order, so the result does not
 * depend on how the lines were gathered) and reports the templates that are new or spiking in the incident window,
 * with distinct incident-window lines as samples. Lines outside both windows are ignored.
 *
 * @example
 * mineIncidentLogs(lines, { start: impactStart, end: impactStart + 1_800_000 }, { start: impactStart - 86_400_000, end: impactStart });
 */
export function mineIncidentLogs(
  lines: readonly LogLine[],
  window: TimeWindow,
  baseline: TimeWindow,
  options: MineIncidentLogsOptions = {},
): IncidentLogAnalysis {
  checkWindow('window', window);
  checkWindow('baseline', baseline);
  const inWindow = (at: number, w: TimeWindow): boolean => at >= w.start && at < w.end;
  const relevant = lines
    .filter((line) => inWindow(line.at, window) || inWindow(line.at, baseline))
    .map((line, index) => ({ line, index }))
    .sort((a, b) => a.line.at - b.line.at || a.index - b.index);

  const miner = new LogMiner(options);
  const baselineCounts = new Map<string, number>();
  const incidentCounts = new Map<string, number>();
  const samples = new Map<string, string[]>();
  const severities = new Map<string, LogSeverity>();
  let baselineLines = 0;
  let incidentLines = 0;
  for (const { line } of relevant) {
    const { message, severity } = extractMessage(line.text);
    const { templateId } = miner.add(message, line.at);
    if (inWindow(line.at, baseline)) {
      baselineLines++;
      baselineCounts.set(templateId, (baselineCounts.get(templateId) ?? 0) + 1);
    }
    if (inWindow(line.at, window)) {
      incidentLines++;
      incidentCounts.set(templateId, (incidentCounts.get(templateId) ?? 0) + 1);
      const kept = samples.get(templateId) ?? [];
      if (kept.length < MAX_SAMPLES && !kept.includes(message)) samples.set(templateId, [...kept, message]);
      const seen = severities.get(templateId);
      if (severity !== null && (seen === undefined || severityRank(severity) > severityRank(seen))) {
        severities.set(templateId, severity);
      }
    }
  }

  const templates = miner.templates();
  const texts = new Map(templates.map((t) => [t.id, t.template]));
  const findings = compareWindows(baselineCounts, incidentCounts, {
    ...options,
    baselineDurationMs: baseline.end - baseline.start,
    incidentDurationMs: window.end - window.start,
    templates: texts,
    samples,
  }).map((finding) => ({ ...finding, severity: severities.get(finding.templateId) ?? null }));
  return { findings, templates, baselineLines, incidentLines };
}
