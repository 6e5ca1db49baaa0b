/**
 * Evidence for an incident window: log templates that are new or spiking against the preceding baseline (from the
 * OTLP buffer or an uploaded log file), snapshots of them that outlive the buffer, and a summary of which kinds of
 * evidence exist and where a source went quiet.
 */
import { mineIncidentLogs, type IncidentLogAnalysis, type LogLine, type TimeWindow } from '../analysis/logs/index.js';
import { principalLabel } from '../domain/access.js';
import { validationError } from '../domain/errors.js';
import { findGaps, telemetryCompleteness } from '../domain/evidence/telemetry.js';
import { normalizeTimestamp } from '../domain/lifecycle.js';
import type { EventKind, Incident, Principal, TimelineEvent } from '../domain/types.js';
import { newId } from '../store/ids.js';
import type { Repositories } from '../store/repositories.js';
import { artifactId, putArtifact, type ArtifactMeta } from './artifacts.js';
import { read, transact, type AppContext, type Tx } from './context.js';
import type {
  EvidenceGap,
  EvidenceKind,
  EvidenceSource,
  EvidenceSummary,
  LogEvidence,
  LogFinding,
  TelemetryCompleteness,
} from './evidence-views.js';
import { loadIncident } from './guard.js';

export type {
  EvidenceGap,
  EvidenceKind,
  EvidenceSource,
  EvidenceSummary,
  LogEvidence,
  LogFinding,
  TelemetryCompleteness,
  TimeWindow,
};

const MINUTE_MS = 60_000;

/** Minutes before impact start (or detection) included in the incident window: errors often lead the first alert. */
export const LOG_WINDOW_MARGIN_MINUTES = 15;
/** Log lines read from the buffer per window; beyond it the answer says `truncated`. */
export const MAX_BUFFER_LINES_PER_WINDOW = 400_000;
/** Findings kept in an answer and a snapshot; `summary` still counts them all. */
export const MAX_FINDINGS = 100;
/** Findings listed in the body of the timeline event. */
const FINDINGS_IN_EVENT = 15;
/** Silences shorter than this are not reported as gaps: OTLP exporters batch, logs are bursty. */
export const MIN_GAP_MS = 2 * MINUTE_MS;
/**
 * Timeline kinds whose silence means missing telemetry. People stopping to chat is not a gap, and neither is alerts
 * going quiet: they fire only while something is wrong.
 */
const GAP_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['metric', 'log', 'trace']);

/** Who writes snapshots when no person asks: jobs and hooks. */
export const EVIDENCE_PRINCIPAL: Principal = { kind: 'system', name: 'evidence', role: 'admin' };

type WindowTimes = Pick<Incident, 'impactStartedAt' | 'detectedAt' | 'declaredAt' | 'resolvedAt'>;

/**
 * The incident window in epoch milliseconds: from impact start (else detection, else declaration) minus `marginMs`,
 * to resolution (else `now`). Never shorter than a minute.
 *
 * @example
 * incidentWindow({ impactStartedAt: '2026-03-14T09:00:00Z', resolvedAt: '2026-03-14T10:00:00Z', … }, Date.now());
 * // { start: Date.parse('2026-03-14T08:45:00Z'), end: Date.parse('2026-03-14T10:00:00Z') }
 */
export function incidentWindow(
  incident: WindowTimes,
  now: number,
  marginMs: number = LOG_WINDOW_MARGIN_MINUTES * MINUTE_MS,
): TimeWindow {
  const anchor = Date.parse(incident.impactStartedAt ?? incident.detectedAt ?? incident.declaredAt);
  const start = anchor - marginMs;
  const end = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now;
  return { start, end: Math.max(end, start + MINUTE_MS) };
}

/** The window of equal length right before `window`. */
export const baselineOf = (window: TimeWindow): TimeWindow => ({
  start: window.start - (window.end - window.start),
  end: window.start,
});

const iso = (ms: number): string => new Date(ms).toISOString();
const isoWindow = (w: TimeWindow): { start: string; end: string } => ({ start: iso(w.start), end: iso(w.end) });

// ---------------------------------------------------------------------------------------------------------------
// Log files

/** ISO-8601 / RFC 3339 at the start of a line, optionally in brackets: `2026-03-14T09:00:01.5Z`, `[2026-03-14 09:00:01+01:00]`. */
const LEADING_TIMESTAMP =
  /^\s*\[?(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?)\s?(Z|UTC|[+-]\d{2}:?\d{2})?(?=[\]\s,;|]|$)/i;
/** logfmt time fields: `ts=2026-03-14T09:00:01Z`, `time="2026-03-14 09:00:01+00:00"`. */
const LOGFMT_TIMESTAMP =
  /(?:^|\s)(?:time|ts|timestamp)="?(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?)(Z|[+-]\d{2}:?\d{2})?"?(?=\s|$)/i;
const JSON_TIME_FIELDS = ['time', 'ts', 'timestamp', '@timestamp'] as const;

interface ParsedTime {
  at: number;
  /** The text gave no zone and was read as UTC. */
  zoneless: boolean;
}

function fromParts(date: string, time: string, zone: string | undefined): ParsedTime | null {
  const zoneless = zone === undefined;
  const z = zone === undefined || zone.toUpperCase() === 'UTC' ? 'Z' : zone;
  try {
    return { at: Date.parse(normalizeTimestamp(`${date}T${time}${z}`, 'at')), zoneless };
  } catch {
    return null;
  }
}

/** Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by magnitude. */
function fromEpoch(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  if (value < 1e11) return Math.round(value * 1000);
  if (value < 1e14) return Math.round(value);
  if (value < 1e17) return Math.round(value / 1000);
  return Math.round(value / 1e6);
}

function fromJsonValue(value: unknown): ParsedTime | null {
  if (typeof value === 'number') {
    const at = fromEpoch(value);
    return at === null ? null : { at, zoneless: false };
  }
  if (typeof value !== 'string') return null;
  if (/^\d+(\.\d+)?$/.test(value)) {
    const at = fromEpoch(Number(value));
    return at === null ? null : { at, zoneless: false };
  }
  const match = LEADING_TIMESTAMP.exec(value);
  return match?.[1] && match[2] ? fromParts(match[1], match[2], match[3]) : null;
}

/**
 * The time a log line carries: a JSON line's `time`, `ts`, `timestamp` or `@timestamp` field (ISO text or epoch
 * seconds/milliseconds/nanoseconds), else an ISO-8601 / RFC 3339 timestamp at the start of the line or in a logfmt
 * `time=`/`ts=`/`timestamp=` pair. A timestamp without a zone is read as UTC and flagged `zoneless`.
 *
 * @example
 * lineTime('2026-03-14T09:00:01Z ERROR upstream timed out'); // { at: 1773478801000, zoneless: false }
 * lineTime('{"level":50,"time":1773478801000,"msg":"boom"}'); // { at: 1773478801000, zoneless: false }
 */
export function lineTime(line: string): ParsedTime | null {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const record = JSON.parse(trimmed) as unknown;
      if (typeof record === 'object' && record !== null && !Array.isArray(record)) {
        for (const field of JSON_TIME_FIELDS) {
          const parsed = fromJsonValue((record as Record<string, unknown>)[field]);
          if (parsed) return parsed;
        }
        return null;
      }
    } catch {
      // Not JSON after all: read it as text.
    }
  }
  const leading = LEADING_TIMESTAMP.exec(line);
  if (leading?.[1] && leading[2]) return fromParts(leading[1], leading[2], leading[3]);
  const logfmt = LOGFMT_TIMESTAMP.exec(line);
  if (logfmt?.[1] && logfmt[2]) return fromParts(logfmt[1], logfmt[2], logfmt[3]);
  return null;
}

export interface ParsedLogFile {
  lines: LogLine[];
  /** Non-empty lines read. */
  total: number;
  /** Lines that carried their own time. */
  timed: number;
  /** Lines whose time was read as UTC for want of a zone. */
  zoneless: number;
}

/**
 * Reads an uploaded log file (JSON lines or plain text) into timed lines. A line without a time of its own (a stack
 * trace frame, say) takes the time of the line before it, or of the first timed line when it leads the file. A file
 * with no times at all is laid out in upload order evenly across `window`.
 *
 * @example
 * parseLogFile('2026-03-14T09:00:01Z ERROR boom\n  at handler (app.js:10)\n', window).lines;
 * // [{ at: …09:00:01, text: '2026-03-14T09:00:01Z ERROR boom' }, { at: …09:00:01, text: '  at handler (app.js:10)' }]
 */
export function parseLogFile(text: string, window: TimeWindow): ParsedLogFile {
  const raw = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const times = raw.map(lineTime);
  const timed = times.filter((t) => t !== null).length;
  const zoneless = times.filter((t) => t?.zoneless).length;
  if (timed === 0) {
    const step = (window.end - window.start) / Math.max(1, raw.length);
    return {
      lines: raw.map((line, i) => ({ at: Math.floor(window.start + (i + 0.5) * step), text: line })),
      total: raw.length,
      timed,
      zoneless,
    };
  }
  let previous = times.find((t) => t !== null)?.at ?? window.start;
  const lines = raw.map((line, i) => {
    const at = times[i]?.at ?? previous;
    previous = at;
    return { at, text: line };
  });
  return { lines, total: raw.length, timed, zoneless };
}

// ---------------------------------------------------------------------------------------------------------------
// Log evidence

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

function present(
  key: string,
  source: LogEvidence['source'],
  services: string[],
  window: TimeWindow,
  baseline: TimeWindow,
  analysis: IncidentLogAnalysis,
  truncated: boolean,
): LogEvidence {
  const findings = analysis.findings;
  return {
    incident: key,
    source,
    services,
    window: isoWindow(window),
    baseline: isoWindow(baseline),
    baselineLines: analysis.baselineLines,
    incidentLines: analysis.incidentLines,
    templates: analysis.templates.length,
    truncated,
    summary: {
      new: findings.filter((f) => f.status === 'new').length,
      spiking: findings.filter((f) => f.status === 'spiking').length,
    },
    findings: findings.slice(0, MAX_FINDINGS).map((f) => ({
      templateId: f.templateId,
      template: f.template,
      status: f.status,
      severity: f.severity,
      baselineCount: f.baselineCount,
      incidentCount: f.incidentCount,
      baselineRatePerMinute: round(f.baselineRatePerMinute, 3),
      incidentRatePerMinute: round(f.incidentRatePerMinute, 3),
      ratio: round(f.ratio, 2),
      samples: f.samples,
    })),
  };
}

/** Buffer rows as lines for the miner; a known level travels as a JSON record so the miner reads it back. */
function bufferLine(row: { at: string; severity: string | null; body: string }): LogLine {
  const text =
    row.severity === null || row.body.trimStart().startsWith('{')
      ? row.body
      : JSON.stringify({ level: row.severity, msg: row.body });
  return { at: Date.parse(row.at), text };
}

async function bufferServices(repos: Repositories, incident: Incident): Promise<string[]> {
  return incident.services.length > 0 ? [...incident.services] : repos.telemetry.services();
}

async function analyseBuffer(ctx: AppContext, repos: Repositories, incident: Incident): Promise<LogEvidence> {
  const window = incidentWindow(incident, ctx.now().getTime());
  const baseline = baselineOf(window);
  const services = await bufferServices(repos, incident);
  const limit = MAX_BUFFER_LINES_PER_WINDOW;
  const [incidentRows, baselineRows] = await Promise.all([
    repos.telemetry.logLines({ services, from: iso(window.start), to: iso(window.end), limit: limit + 1 }),
    // Newest first: when the baseline is cut, the part nearest the incident is what remains.
    repos.telemetry.logLines({
      services,
      from: iso(baseline.start),
      to: iso(baseline.end),
      limit: limit + 1,
      newestFirst: true,
    }),
  ]);
  const truncated = incidentRows.length > limit || baselineRows.length > limit;
  const lines = [...baselineRows.slice(0, limit), ...incidentRows.slice(0, limit)].filter((r) => r.body !== '');
  const analysis = mineIncidentLogs(lines.map(bufferLine), window, baseline);
  return present(incident.key, 'buffer', services, window, baseline, analysis, truncated);
}

/**
 * Log evidence for an incident from the OTLP buffer: the templates new or spiking in the incident window (impact
 * start − 15 min … resolution or now) against the baseline of equal length right before it, for the incident's
 * services. Reads only; see {@link snapshotIncidentLogs} to keep the result.
 *
 * @example
 * const evidence = await incidentLogEvidence(ctx, actor, 'INC-4');
 * evidence.summary; // { new: 3, spiking: 2 }
 */
export async function incidentLogEvidence(ctx: AppContext, actor: Principal, key: string): Promise<LogEvidence> {
  const repos = read(ctx);
  const incident = await loadIncident(repos, actor, key);
  return analyseBuffer(ctx, repos, incident);
}

/** "Log templates: 3 new, 2 spiking" */
export const evidenceTitle = (evidence: LogEvidence): string =>
  `Log templates: ${evidence.summary.new} new, ${evidence.summary.spiking} spiking`;

function evidenceBody(evidence: LogEvidence): string {
  const scope =
    evidence.source === 'upload'
      ? `the uploaded file${evidence.upload?.name ? ` ${evidence.upload.name}` : ''}`
      : evidence.services.length > 0
        ? `services ${evidence.services.join(', ')}`
        : 'no buffered service';
  const lines = [
    `Mined ${evidence.incidentLines} log lines in ${evidence.window.start} – ${evidence.window.end} against ` +
      `${evidence.baselineLines} in the baseline ${evidence.baseline.start} – ${evidence.baseline.end}, from ${scope}.`,
  ];
  if (evidence.truncated) lines.push('The buffer held more lines than are read at once; counts are from a part.');
  const shown = evidence.findings.slice(0, FINDINGS_IN_EVENT);
  if (shown.length > 0) lines.push('');
  for (const f of shown) {
    const level = f.severity ? ` [${f.severity}]` : '';
    const change = f.status === 'new' ? 'new' : `spiking ×${f.ratio} (baseline ${f.baselineCount})`;
    lines.push(`- ${change}, ${f.incidentCount} in the window${level}: \`${f.template ?? f.templateId}\``);
  }
  const more = evidence.summary.new + evidence.summary.spiking - shown.length;
  if (more > 0) lines.push(`- … and ${more} more in the snapshot artifact`);
  return lines.join('\n');
}

export interface LogSnapshotResult {
  evidence: LogEvidence;
  /** The analysis as stored (application/json); null when the buffer held no logs to keep. */
  artifact: ArtifactMeta | null;
  /** The `log` timeline event linking to it; null when the buffer held no logs to keep. */
  event: TimelineEvent | null;
  /** False when the same snapshot was already on the timeline, or there was nothing to keep. */
  created: boolean;
}

/**
 * Records log evidence on the timeline: stores the analysis as a JSON artifact and adds a `log` event linking to it,
 * unless an event with the same dedupe key is already there (then nothing is written and it is returned).
 */
async function recordEvidence(
  tx: Tx,
  actor: Principal,
  incident: Incident,
  evidence: LogEvidence,
  options: {
    source: string;
    dedupeKey: string;
    at: string;
    title: string;
    upload?: { content: Buffer; mediaType: string };
  },
): Promise<{ artifact: ArtifactMeta | null; event: TimelineEvent; created: boolean }> {
  const existing = await tx.repos.timeline.findByDedupeKey(incident.id, options.dedupeKey);
  if (existing) return { artifact: null, event: existing, created: false };
  const description =
    evidence.source === 'upload'
      ? `Log templates of ${evidence.upload?.name ?? 'an uploaded log file'} for ${incident.key}`
      : `Log templates from the OTLP buffer for ${incident.key}, ${evidence.window.start} – ${evidence.window.end}`;
  let uploadId: string | null = null;
  if (options.upload) {
    const stored = await putArtifact(
      tx,
      options.upload.content,
      options.upload.mediaType,
      `Log file ${evidence.upload?.name ?? '(unnamed)'} uploaded to ${incident.key}`,
    );
    uploadId = stored.id;
  }
  const artifact = await putArtifact(tx, `${JSON.stringify(evidence)}\n`, 'application/json', description);
  const labels: Record<string, string> = {
    new: String(evidence.summary.new),
    spiking: String(evidence.summary.spiking),
    window_start: evidence.window.start,
    window_end: evidence.window.end,
  };
  if (evidence.services.length > 0) labels.services = evidence.services.join(',');
  if (uploadId) labels.upload_artifact = uploadId;
  if (evidence.upload?.name) labels.file = evidence.upload.name;
  const event: TimelineEvent = {
    id: newId(),
    incidentId: incident.id,
    at: options.at,
    kind: 'log',
    source: options.source,
    title: options.title,
    body: evidenceBody(evidence),
    labels,
    dedupeKey: options.dedupeKey,
    marker: null,
    pinned: false,
    artifactId: artifact.id,
    count: 1,
    actor: principalLabel(actor),
    createdAt: tx.now,
  };
  await tx.repos.timeline.insert(event);
  await tx.audit(actor, 'timeline.add', 'incident', incident.key, null, event);
  return { artifact, event, created: true };
}

async function storedArtifact(tx: Tx, id: string | null): Promise<ArtifactMeta> {
  const [meta] = id ? await tx.repos.artifacts.meta([id]) : [];
  if (!meta) throw new Error(`evidence artifact ${id ?? '(none)'} is missing`);
  return meta;
}

/**
 * Snapshots the buffer's log evidence for an incident: the analysis becomes an immutable JSON artifact linked from
 * a `log` timeline event ("Log templates: 3 new, 2 spiking"), so it survives the buffer's retention. The same
 * analysis twice adds one event. When the buffer holds no log lines for either window nothing is written: an empty
 * analysis would read as log evidence that does not exist. Without an actor it acts as the system (for jobs and
 * lifecycle hooks).
 *
 * @example
 * await snapshotIncidentLogs(ctx, 'INC-4'); // { evidence, artifact, event, created: true }
 */
export async function snapshotIncidentLogs(
  ctx: AppContext,
  key: string,
  options: { actor?: Principal } = {},
): Promise<LogSnapshotResult> {
  const actor = options.actor ?? EVIDENCE_PRINCIPAL;
  const repos = read(ctx);
  const incident = await loadIncident(repos, actor, key, 'timeline.add');
  const evidence = await analyseBuffer(ctx, repos, incident);
  if (evidence.incidentLines + evidence.baselineLines === 0) {
    return { evidence, artifact: null, event: null, created: false };
  }
  const dedupeKey = `logs:snapshot:${artifactId(Buffer.from(`${JSON.stringify(evidence)}\n`, 'utf8'))}`;
  return transact(ctx, async (tx) => {
    const current = await loadIncident(tx.repos, actor, key, 'timeline.add');
    const at = new Date(Math.min(Date.parse(evidence.window.end), Date.parse(tx.now))).toISOString();
    const recorded = await recordEvidence(tx, actor, current, evidence, {
      source: 'otlp',
      dedupeKey,
      at,
      title: evidenceTitle(evidence),
    });
    const artifact = recorded.artifact ?? (await storedArtifact(tx, recorded.event.artifactId));
    return { evidence, artifact, event: recorded.event, created: recorded.created };
  });
}

export interface LogUploadResult {
  evidence: LogEvidence;
  /** The analysis as stored (application/json). */
  artifact: ArtifactMeta;
  /** The `log` timeline event linking to it. */
  event: TimelineEvent;
  /** False when the same file was already on the incident. */
  created: boolean;
  /** The uploaded file as stored. */
  upload: ArtifactMeta;
}

export const LOG_MEDIA_TYPES = ['text/plain', 'application/x-ndjson'] as const;
export type LogMediaType = (typeof LOG_MEDIA_TYPES)[number];

/**
 * Stores an uploaded log file (JSON lines or plain text) as an artifact, mines it like the buffer (incident window
 * against the baseline before it; see {@link parseLogFile} for lines without a time), and records the analysis as a
 * JSON artifact linked from a `log` timeline event. Uploading the same file again changes nothing.
 *
 * @example
 * await uploadIncidentLogs(ctx, actor, 'INC-4', text, { mediaType: 'text/plain', name: 'checkout.log' });
 */
export async function uploadIncidentLogs(
  ctx: AppContext,
  actor: Principal,
  key: string,
  content: string,
  options: { mediaType: LogMediaType; name?: string | undefined },
): Promise<LogUploadResult> {
  const name = options.name?.trim() ? options.name.trim().slice(0, 200) : null;
  if (content.trim() === '') throw validationError('(body)', 'the log file is empty');
  const repos = read(ctx);
  const incident = await loadIncident(repos, actor, key, 'timeline.add');
  const window = incidentWindow(incident, ctx.now().getTime());
  const baseline = baselineOf(window);
  const parsed = parseLogFile(content, window);
  const analysis = mineIncidentLogs(parsed.lines, window, baseline);
  const evidence: LogEvidence = {
    ...present(incident.key, 'upload', [], window, baseline, analysis, false),
    upload: {
      name,
      lines: parsed.total,
      timed: parsed.timed,
      zoneless: parsed.zoneless,
      outsideWindows: parsed.total - analysis.baselineLines - analysis.incidentLines,
    },
  };
  const bytes = Buffer.from(content, 'utf8');
  const uploadId = artifactId(bytes);
  return transact(ctx, async (tx) => {
    const current = await loadIncident(tx.repos, actor, key, 'timeline.add');
    const at = new Date(Math.min(window.end, Date.parse(tx.now))).toISOString();
    const recorded = await recordEvidence(tx, actor, current, evidence, {
      source: 'upload',
      dedupeKey: `logs:upload:${uploadId}`,
      at,
      title: `${evidenceTitle(evidence)}${name ? ` (${name})` : ''}`,
      upload: { content: bytes, mediaType: options.mediaType },
    });
    const artifact = recorded.artifact ?? (await storedArtifact(tx, recorded.event.artifactId));
    const [upload] = await tx.repos.artifacts.meta([uploadId]);
    if (!upload) throw new Error(`uploaded log artifact ${uploadId} is missing`);
    return { evidence, artifact, upload, event: recorded.event, created: recorded.created };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Evidence summary

const SEPARATOR = '\u0000';

/**
 * What evidence an incident has: which kinds exist (alerts, metrics, logs, traces, changes, chat) on its timeline or
 * in the OTLP buffer during the incident window, each source with its count and time range, and the gaps where a
 * machine source (alerts, metrics, logs, traces, buffered telemetry) went quiet in the window.
 *
 * @example
 * const summary = await evidenceSummary(ctx, actor, 'INC-4');
 * summary.completeness; // { score: 0.5, present: ['alerts', 'logs', 'chat'], missing: ['metrics', 'traces', 'changes'] }
 */
export async function evidenceSummary(ctx: AppContext, actor: Principal, key: string): Promise<EvidenceSummary> {
  const repos = read(ctx);
  const incident = await loadIncident(repos, actor, key);
  const window = incidentWindow(incident, ctx.now().getTime());
  const history = baselineOf(window);
  const services = await bufferServices(repos, incident);
  const [timeline, stats, points] = await Promise.all([
    repos.timeline.list(incident.id),
    repos.telemetry.stats({ services, from: iso(window.start), to: iso(window.end) }),
    repos.telemetry.timestamps({ services, from: iso(history.start), to: iso(window.end) }),
  ]);

  const kinds = new Set<EventKind | EvidenceKind>();
  const sources = new Map<string, EvidenceSource>();
  const series: Record<string, number[]> = {};
  for (const event of timeline) {
    kinds.add(event.kind);
    const id = `${event.source}${SEPARATOR}${event.kind}`;
    const seen = sources.get(id);
    if (!seen) sources.set(id, { source: event.source, kind: event.kind, count: 1, first: event.at, last: event.at });
    else {
      seen.count++;
      if (event.at < seen.first) seen.first = event.at;
      if (event.at > seen.last) seen.last = event.at;
    }
    if (GAP_KINDS.has(event.kind) && event.source !== 'debrief') (series[id] ??= []).push(Date.parse(event.at));
  }
  for (const s of stats) {
    kinds.add(s.kind);
    sources.set(`otlp:${s.service}${SEPARATOR}${s.kind}`, {
      source: `otlp:${s.service}`,
      kind: s.kind,
      count: s.count,
      first: s.first,
      last: s.last,
    });
  }
  for (const p of points) (series[`otlp:${p.service}${SEPARATOR}${p.kind}`] ??= []).push(Date.parse(p.at));

  const gaps = findGaps(series, window, { minGapMs: MIN_GAP_MS }).map((gap): EvidenceGap => {
    const [source = gap.source, kind = 'log'] = gap.source.split(SEPARATOR);
    return {
      source,
      kind: kind as EventKind,
      from: iso(gap.from),
      to: iso(gap.to),
      durationMs: gap.durationMs,
      ongoing: gap.ongoing,
      intervalMs: Math.round(gap.intervalMs),
    };
  });
  const ordered = [...sources.values()].sort(
    (a, b) => a.source.localeCompare(b.source, 'en') || a.kind.localeCompare(b.kind, 'en'),
  );
  return {
    incident: incident.key,
    window: isoWindow(window),
    services,
    completeness: telemetryCompleteness(kinds),
    gaps,
    sources: ordered,
  };
}
