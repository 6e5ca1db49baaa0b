/**
 * Postmortem exports: markdown with front matter, one standalone printable HTML page, PDF (that page printed by
 * Chromium) and JSON. Each comes in two variants: `internal` (the text as written) and `external` (hidden sections
 * removed and every redaction applied, waived values included, so it can leave the organisation).
 *
 * The exported text is the published one when the postmortem is published; otherwise the current text, marked as a
 * draft everywhere it appears. The renderer, ECharts and Chromium load on first use: most processes never export.
 */
import {
  findSection,
  parseActionItems,
  parseContributingFactors,
  parseSections,
} from '../analysis/postmortem/index.js';
import { z } from 'zod';
import { escapeHtml } from '../analysis/markdown/escape.js';
import { formatDuration } from '../domain/durations.js';
import { DebriefError } from '../domain/errors.js';
import { formatUtc } from '../domain/postmortem/draft.js';
import type { Principal, TimelineEvent } from '../domain/types.js';
import type { ChartMarker } from './charts.js';
import { read, type AppContext } from './context.js';
import { getIncident } from './incidents.js';
import { externalVersion } from './postmortem-text.js';
import type {
  ActionItemView,
  ContributingFactorView,
  PostmortemDetailView,
  PostmortemView,
  QualityView,
  SectionView,
} from './postmortem-views.js';
import { getPostmortem } from './postmortems.js';
import type { IncidentView } from './presenters.js';
import { listTimeline } from './timeline.js';
import { parseInput } from './validate.js';

export const EXPORT_FORMATS = ['md', 'html', 'pdf', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_VARIANTS = ['internal', 'external'] as const;
export type ExportVariant = (typeof EXPORT_VARIANTS)[number];

export const exportInput = z.strictObject({
  format: z.enum(EXPORT_FORMATS, { error: `must be one of ${EXPORT_FORMATS.join(', ')}` }),
  variant: z.enum(EXPORT_VARIANTS, { error: `must be one of ${EXPORT_VARIANTS.join(', ')}` }).default('internal'),
});
export type ExportOptions = z.input<typeof exportInput>;

export interface ExportFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json; charset=utf-8',
};

/** A timeline event as exports carry it: the external variant leaves out bodies (logs, chat) and people. */
export interface ExportTimelineEvent {
  at: string;
  kind: TimelineEvent['kind'];
  source: string;
  title: string;
  marker: TimelineEvent['marker'];
  pinned: boolean;
  body?: string;
  actor?: string | null;
}

/** Everything an export is composed from, gathered once with access checked and, for `external`, redacted. */
export interface ExportDocument {
  variant: ExportVariant;
  /** The exported text: published, current (internal) or the external version of either. */
  text: string;
  /** The text is not a published one. */
  draft: boolean;
  /** Postmortem version the text belongs to. */
  version: number;
  detail: PostmortemDetailView;
  incident: IncidentView;
  /** Pinned and marker events, oldest first; empty in the external variant when the timeline section is hidden. */
  timeline: ExportTimelineEvent[];
  /** Redactions the external text applies: 0 for internal, null for a published one (frozen at publication). */
  redactions: number | null;
  /** Chart SVGs by artifact id, for the charts the text shows. */
  charts: ReadonlyMap<string, string>;
  generatedAt: string;
}

/** The incident facts an export carries; people and free text only in the internal variant. */
export interface ExportIncident {
  key: string;
  title: string;
  severity: IncidentView['severity'];
  type: IncidentView['type'];
  status: IncidentView['status'];
  services: string[];
  impactStartedAt: string | null;
  detectedAt: string | null;
  acknowledgedAt: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  durations: IncidentView['durations'];
  summary?: string;
  customerImpact?: string;
  visibility?: IncidentView['visibility'];
  roles?: IncidentView['roles'];
  declaredAt?: string;
  declaredBy?: string;
  closedAt?: string | null;
}

/** The external variant's postmortem: no reviewers, authors or hidden-section names. */
export type ExternalPostmortemView = Pick<
  PostmortemView,
  'status' | 'version' | 'template' | 'createdAt' | 'updatedAt' | 'publishedAt' | 'body'
>;

/** `?format=json`. */
export interface PostmortemExportJson {
  format: 'debrief.postmortem-export/v1';
  variant: ExportVariant;
  draft: boolean;
  generatedAt: string;
  incident: ExportIncident;
  postmortem: PostmortemView | ExternalPostmortemView;
  sections: SectionView[];
  factors: ContributingFactorView[];
  actionItems: ActionItemView[];
  quality: QualityView;
  timeline: ExportTimelineEvent[];
  publication: { version: number; publishedAt: string; publishedBy?: string } | null;
}

/**
 * `INC-12-postmortem.pdf`, `INC-12-postmortem-external.md`.
 *
 * @example
 * exportFileName('INC-12', 'external', 'md'); // 'INC-12-postmortem-external.md'
 */
export function exportFileName(key: string, variant: ExportVariant, format: ExportFormat): string {
  return `${key}-postmortem${variant === 'external' ? '-external' : ''}.${format}`;
}

/** Chart images as the draft writes them; the capture is the id, so the same picture always has the same URL. */
const CHART_REF = /\/api\/v1\/artifacts\/([0-9a-fA-F]{64})\/chart\.svg/g;
const CHART_SRC = /\/api\/v1\/artifacts\/([0-9a-fA-F]{64})\/chart\.svg(?:[?#].*)?$/;

/** Artifact ids of the charts a text shows, each once, in order. */
export function chartIds(text: string): string[] {
  return [...new Set([...text.matchAll(CHART_REF)].map((m) => (m[1] ?? '').toLowerCase()))];
}

function lifecycleMarkers(incident: IncidentView): ChartMarker[] {
  const markers: [string | null, string][] = [
    [incident.impactStartedAt, 'impact start'],
    [incident.detectedAt, 'detected'],
    [incident.mitigatedAt, 'mitigated'],
    [incident.resolvedAt, 'resolved'],
  ];
  return markers.flatMap(([at, label]) => (at ? [{ at, label }] : []));
}

/**
 * Charts the caller may see, drawn with the incident's lifecycle markers. A chart the caller may not read, or that
 * is not a metric snapshot, is left out (its alt text remains); the external variant draws no series labels, which
 * carry host and pod names the redaction never sees.
 */
async function renderCharts(
  ctx: AppContext,
  actor: Principal,
  ids: readonly string[],
  incident: IncidentView,
  variant: ExportVariant,
): Promise<Map<string, string>> {
  const charts = new Map<string, string>();
  if (ids.length === 0) return charts;
  const { getArtifactChart } = await import('./charts.js');
  const markers = lifecycleMarkers(incident);
  for (const id of ids) {
    try {
      const chart = await getArtifactChart(ctx, actor, id, { markers, legend: variant === 'internal' });
      charts.set(id, chart.svg);
    } catch (error) {
      const skip =
        error instanceof DebriefError &&
        (error.code === 'DEBRIEF_ERR_NOT_FOUND' || error.code === 'DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE');
      if (!skip) throw error;
    }
  }
  return charts;
}

/** The external text of short strings (titles), each through the same redaction as the body. */
async function redactEach(ctx: AppContext, texts: readonly string[]): Promise<string[]> {
  return Promise.all(texts.map(async (text) => (text === '' ? text : (await externalVersion(ctx, text, [])).text)));
}

/**
 * Gathers what an export shows, for a caller who may read the postmortem: the postmortem and incident (404 when
 * the caller may not see them), the text of the variant, the pinned and marker events, and (for html and pdf) the
 * charts. Reads only.
 */
export async function loadExportDocument(
  ctx: AppContext,
  actor: Principal,
  key: string,
  options: { variant: ExportVariant; charts: boolean },
): Promise<ExportDocument> {
  const detail = await getPostmortem(ctx, actor, key);
  const incident = await getIncident(ctx, actor, detail.postmortem.incident.key);
  const events = (await listTimeline(ctx, actor, incident.key)).filter((e) => e.pinned || e.marker !== null);
  const published =
    detail.postmortem.status === 'published'
      ? await read(ctx).postmortems.latestPublication(detail.postmortem.id)
      : null;
  const internalText = published?.internalBody ?? detail.postmortem.body;
  const { hiddenSections } = detail.postmortem;
  const external =
    options.variant === 'external' && !published ? await externalVersion(ctx, internalText, hiddenSections) : null;
  let text = internalText;
  let redactions: number | null = 0;
  let timeline: ExportTimelineEvent[];
  let exportedIncident = incident;
  if (options.variant === 'external') {
    text = published?.externalBody ?? external?.text ?? '';
    redactions = external?.redactions ?? null;
    const timelineSection = findSection(parseSections(internalText), 'timeline');
    const shown = timelineSection && hiddenSections.includes(timelineSection.id) ? [] : events;
    const [title = '', ...titles] = await redactEach(ctx, [incident.title, ...shown.map((e) => e.title)]);
    // Free text and people stay behind even before the composers pick their fields.
    exportedIncident = {
      ...incident,
      title,
      summary: '',
      customerImpact: '',
      roles: { commander: null, scribe: null, communications: null },
      members: [],
      declaredBy: '',
    };
    timeline = shown.map((e, i) => ({
      at: e.at,
      kind: e.kind,
      source: e.source,
      title: titles[i] ?? '',
      marker: e.marker,
      pinned: e.pinned,
    }));
  } else {
    timeline = events.map((e) => ({
      at: e.at,
      kind: e.kind,
      source: e.source,
      title: e.title,
      marker: e.marker,
      pinned: e.pinned,
      body: e.body,
      actor: e.actor,
    }));
  }
  const charts = options.charts
    ? await renderCharts(ctx, actor, chartIds(text), incident, options.variant)
    : new Map<string, string>();
  return {
    variant: options.variant,
    text,
    draft: published === null,
    version: published?.version ?? detail.postmortem.version,
    detail,
    incident: exportedIncident,
    timeline,
    redactions,
    charts,
    generatedAt: ctx.now().toISOString(),
  };
}

function exportIncident(doc: ExportDocument): ExportIncident {
  const i = doc.incident;
  const facts: ExportIncident = {
    key: i.key,
    title: i.title,
    severity: i.severity,
    type: i.type,
    status: i.status,
    services: i.services,
    impactStartedAt: i.impactStartedAt,
    detectedAt: i.detectedAt,
    acknowledgedAt: i.acknowledgedAt,
    mitigatedAt: i.mitigatedAt,
    resolvedAt: i.resolvedAt,
    durations: i.durations,
  };
  if (doc.variant === 'external') return facts;
  return {
    ...facts,
    summary: i.summary,
    customerImpact: i.customerImpact,
    visibility: i.visibility,
    roles: i.roles,
    declaredAt: i.declaredAt,
    declaredBy: i.declaredBy,
    closedAt: i.closedAt,
  };
}

function publishedAt(doc: ExportDocument): string | null {
  return doc.draft ? null : (doc.detail.publication?.publishedAt ?? doc.detail.postmortem.publishedAt);
}

/** The document's structure read from the exported text itself, so lists never show what the text leaves out. */
function structure(doc: ExportDocument): Pick<PostmortemExportJson, 'sections' | 'factors' | 'actionItems'> {
  const hidden = new Set(doc.variant === 'internal' ? doc.detail.postmortem.hiddenSections : []);
  return {
    sections: parseSections(doc.text).map((s) => ({
      id: s.id,
      title: s.title,
      line: s.line,
      filled: s.filled,
      hiddenExternally: hidden.has(s.id),
    })),
    factors: parseContributingFactors(doc.text),
    actionItems: parseActionItems(doc.text),
  };
}

/**
 * The JSON export: incident facts, the postmortem with the exported text as its body, the sections, factors and
 * action items read from that text, the quality report, the pinned and marker events, and the publication.
 */
export function composeJson(doc: ExportDocument): PostmortemExportJson {
  const pm = doc.detail.postmortem;
  const postmortem: PostmortemView | ExternalPostmortemView =
    doc.variant === 'internal'
      ? { ...pm, body: doc.text, version: doc.version }
      : {
          status: pm.status,
          version: doc.version,
          template: pm.template,
          createdAt: pm.createdAt,
          updatedAt: pm.updatedAt,
          publishedAt: publishedAt(doc),
          body: doc.text,
        };
  const publication = doc.detail.publication;
  return {
    format: 'debrief.postmortem-export/v1',
    variant: doc.variant,
    draft: doc.draft,
    generatedAt: doc.generatedAt,
    incident: exportIncident(doc),
    postmortem,
    ...structure(doc),
    quality: doc.detail.quality,
    timeline: doc.timeline,
    publication:
      publication === null
        ? null
        : doc.variant === 'internal'
          ? publication
          : { version: publication.version, publishedAt: publication.publishedAt },
  };
}

/** A YAML scalar: JSON's double-quoted strings are valid YAML and escape everything that needs it. */
function yaml(value: string | number | boolean | null | readonly string[]): string {
  if (Array.isArray(value)) return `[${value.map((v: string) => JSON.stringify(v)).join(', ')}]`;
  return value === null ? 'null' : typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const DURATIONS = [
  ['time_to_detect', 'timeToDetectSeconds'],
  ['time_to_acknowledge', 'timeToAcknowledgeSeconds'],
  ['time_to_mitigate', 'timeToMitigateSeconds'],
  ['time_to_resolve', 'timeToResolveSeconds'],
] as const;

/**
 * Markdown with YAML front matter (incident facts, lifecycle times, durations, status, version, variant, quality
 * score), then the text.
 *
 * @example
 * composeMarkdown(doc).split('\n').slice(0, 3); // ['---', 'title: "Checkout errors"', 'incident: "INC-12"']
 */
export function composeMarkdown(doc: ExportDocument): string {
  const i = doc.incident;
  const pm = doc.detail.postmortem;
  const lines: string[] = [
    '---',
    `title: ${yaml(i.title)}`,
    `incident: ${yaml(i.key)}`,
    `severity: ${yaml(i.severity)}`,
    `type: ${yaml(i.type)}`,
    `services: ${yaml(i.services)}`,
    `incident_status: ${yaml(i.status)}`,
    `status: ${yaml(doc.draft ? pm.status : 'published')}`,
    `draft: ${yaml(doc.draft)}`,
    `impact_start: ${yaml(i.impactStartedAt)}`,
    `detected: ${yaml(i.detectedAt)}`,
    `mitigated: ${yaml(i.mitigatedAt)}`,
    `resolved: ${yaml(i.resolvedAt)}`,
    'durations:',
    ...DURATIONS.flatMap(([name, field]) => {
      const seconds = i.durations[field];
      return [
        `  ${name}: ${yaml(seconds === null ? null : formatDuration(seconds))}`,
        `  ${name}_seconds: ${yaml(seconds)}`,
      ];
    }),
    `published_at: ${yaml(publishedAt(doc))}`,
    `version: ${doc.version}`,
    `variant: ${yaml(doc.variant)}`,
    `quality_score: ${doc.detail.quality.score}`,
    ...(doc.variant === 'external' && doc.redactions !== null ? [`redactions: ${doc.redactions}`] : []),
    `exported_at: ${yaml(doc.generatedAt)}`,
    '---',
  ];
  return `${lines.join('\n')}\n\n${doc.text.replace(/\s*$/, '')}\n`;
}

const STATUS_LABELS: Record<PostmortemView['status'], string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  published: 'Published',
};

function time(iso: string | null): string {
  return iso ? formatUtc(iso) : '—';
}

function duration(seconds: number | null): string {
  return seconds === null ? '—' : formatDuration(seconds);
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 52rem; padding: 2rem 1.5rem 3rem; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; }
header.facts { border: 1px solid #d0d7de; border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 2rem; background: #f6f8fa; }
header.facts .kicker { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.06em; color: #57606a; margin: 0 0 0.25rem; }
header.facts h1 { margin: 0 0 0.75rem; font-size: 1.6rem; border: 0; }
header.facts dl { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 0.25rem 1rem; margin: 0; font-size: 0.85rem; }
header.facts dt { color: #57606a; }
header.facts dd { margin: 0; }
.banner { border-left: 4px solid #bf8700; background: #fff8c5; padding: 0.5rem 0.75rem; margin: 0 0 1.5rem; font-size: 0.9rem; }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; transform: rotate(-30deg); font-size: 7rem; font-weight: 700; letter-spacing: 0.1em; color: rgba(191, 135, 0, 0.12); pointer-events: none; z-index: 0; }
main { position: relative; z-index: 1; }
h1, h2 { border-bottom: 1px solid #d8dee4; padding-bottom: 0.25rem; }
h1 { font-size: 1.8rem; } h2 { font-size: 1.35rem; margin-top: 2rem; } h3 { font-size: 1.1rem; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
a { color: #0969da; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.85em; }
code { background: #eff1f3; padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: #f6f8fa; padding: 0.75rem 1rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 0.85rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f6f8fa; }
th[align="right"], td[align="right"] { text-align: right; } th[align="center"], td[align="center"] { text-align: center; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
img { max-width: 100%; height: auto; break-inside: avoid; }
blockquote { margin: 1rem 0; padding: 0 1rem; color: #57606a; border-left: 4px solid #d0d7de; }
li.task-list-item { list-style: none; } li.task-list-item input { margin: 0 0.4em 0 -1.3em; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
footer { margin-top: 3rem; font-size: 0.75rem; color: #57606a; }
@media print { body { padding: 0; max-width: none; } header.facts { background: none; } a { color: inherit; } }
`;

/** The doc's own `# Title` is its title; the header repeats it only when the text has none. */
function hasTitleHeading(text: string): boolean {
  return /^\s*#\s+\S/.test(text.replace(/^(\s*<!--[\s\S]*?-->)+/, ''));
}

/**
 * One standalone, printable HTML document: inline styles and no scripts, a header with the incident facts, the
 * sanitized text, charts inlined as SVG `data:` images (relative links and images cannot work in a saved file, so
 * other relative images become their alt text), and a watermark and banner when the text is a draft.
 */
export async function composeHtml(doc: ExportDocument): Promise<string> {
  const { renderMarkdown } = await import('../analysis/markdown/index.js');
  const i = doc.incident;
  const pm = doc.detail.postmortem;
  const body = renderMarkdown(doc.text, {
    rewriteImage: (src) => {
      const chart = CHART_SRC.exec(src);
      if (chart) {
        const svg = doc.charts.get((chart[1] ?? '').toLowerCase());
        return svg ? `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}` : null;
      }
      return /^https?:\/\//i.test(src) ? src : null;
    },
  });
  const status = doc.draft ? STATUS_LABELS[pm.status] : 'Published';
  const facts: [string, string][] = [
    ['Severity', i.severity],
    ['Type', i.type.replace('_', ' ')],
    ['Services', i.services.length ? i.services.join(', ') : '—'],
    ['Incident status', i.status],
    ['Impact started', time(i.impactStartedAt)],
    ['Detected', time(i.detectedAt)],
    ['Mitigated', time(i.mitigatedAt)],
    ['Resolved', time(i.resolvedAt)],
    ['Time to detect', duration(i.durations.timeToDetectSeconds)],
    ['Time to mitigate', duration(i.durations.timeToMitigateSeconds)],
    ['Time to resolve', duration(i.durations.timeToResolveSeconds)],
    ['Postmortem', `${status}, version ${doc.version}`],
    ['Published', doc.draft ? 'not yet' : time(publishedAt(doc))],
    ['Quality score', `${doc.detail.quality.score} / 100`],
    [
      'Variant',
      doc.variant === 'internal'
        ? 'internal'
        : `external${doc.redactions === null ? '' : ` (${doc.redactions} redactions)`}`,
    ],
  ];
  if (doc.variant === 'internal' && i.roles.commander) facts.push(['Commander', i.roles.commander]);
  const title = `${i.key} postmortem: ${i.title}`;
  const banner = doc.draft
    ? `<p class="banner"><strong>Draft</strong>: not published yet (status: ${escapeHtml(status.toLowerCase())}); the text may still change.</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: https: http:; style-src 'unsafe-inline'">
<meta name="generator" content="Debrief">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${doc.draft ? `<div class="watermark" aria-hidden="true">${escapeHtml(status.toUpperCase())}</div>\n` : ''}<header class="facts">
<p class="kicker">Postmortem · ${escapeHtml(i.key)}${doc.variant === 'external' ? ' · external version' : ''}</p>
${hasTitleHeading(doc.text) ? '' : `<h1>${escapeHtml(i.title)}</h1>\n`}<dl>
${facts.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join('\n')}
</dl>
</header>
${banner}
<main>
${body}
</main>
<footer>Exported ${escapeHtml(time(doc.generatedAt))} from Debrief.</footer>
</body>
</html>
`;
}

/**
 * Exports a postmortem the caller may read as markdown, HTML, PDF or JSON, in the internal or external variant.
 *
 * @throws DebriefError DEBRIEF_ERR_NOT_FOUND when the incident is not visible to the caller or has no postmortem;
 *   DEBRIEF_ERR_NOT_CONFIGURED for PDF when Chromium is missing.
 * @example
 * const file = await exportPostmortem(ctx, actor, 'INC-12', { format: 'pdf', variant: 'external' });
 * file.filename; // 'INC-12-postmortem-external.pdf'
 */
export async function exportPostmortem(
  ctx: AppContext,
  actor: Principal,
  key: string,
  options: ExportOptions,
): Promise<ExportFile> {
  const { format, variant } = parseInput(exportInput, options);
  const doc = await loadExportDocument(ctx, actor, key, { variant, charts: format === 'html' || format === 'pdf' });
  const filename = exportFileName(doc.incident.key, variant, format);
  const contentType = EXPORT_CONTENT_TYPES[format];
  switch (format) {
    case 'md':
      return { filename, contentType, data: Buffer.from(composeMarkdown(doc), 'utf8') };
    case 'json':
      return { filename, contentType, data: Buffer.from(`${JSON.stringify(composeJson(doc), null, 2)}\n`, 'utf8') };
    case 'html':
      return { filename, contentType, data: Buffer.from(await composeHtml(doc), 'utf8') };
    case 'pdf': {
      const { htmlToPdf } = await import('./pdf.js');
      const html = await composeHtml(doc);
      return {
        filename,
        contentType,
        data: await htmlToPdf(html, { title: `${doc.incident.key} · ${doc.incident.title}` }),
      };
    }
  }
}
