/**
 * `importPostmortem`: a postmortem written elsewhere (a markdown file from a wiki, a repository, a blog) brought
 * into Debrief. Its headings are mapped onto the default template's sections, its timeline becomes timeline events
 * and lifecycle times, and, unless it belongs to an existing incident, a resolved incident is declared for it.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalSectionId, findSection, parseSections, plainHeadingText } from '../analysis/postmortem/index.js';
import { scanMarkdown, PSEUDO_HEADING_LEVEL, type Line } from '../analysis/timeline/markdown.js';
import { parseTimestamp } from '../analysis/timeline/time-parse.js';
import {
  extractTimeline,
  type ExtractedEvent,
  type TimelineExtraction,
  type TimelineMarkers,
} from '../analysis/timeline/index.js';
import { principalLabel } from '../domain/access.js';
import { DebriefError, validationError } from '../domain/errors.js';
import { FUTURE_TOLERANCE_MS, validateLifecycle } from '../domain/lifecycle.js';
import {
  ACTION_ITEMS_TABLE_HEADER,
  BUILT_IN_TEMPLATE_ID,
  DEFAULT_TEMPLATE,
  promptComment,
} from '../domain/postmortem/index.js';
import type { Incident, LifecycleField, Marker, Principal, Severity, TimelineEvent } from '../domain/types.js';
import { newId } from '../store/ids.js';
import type { Repositories } from '../store/repositories.js';
import { read, transact, type AppContext, type Tx } from './context.js';
import { authorize, loadIncident } from './guard.js';
import { changeIncidentStatusIn, checkServices, declareIncidentIn } from './incidents.js';
import { severity } from './inputs.js';
import { syncLifecycleMarkers } from './lifecycle-markers.js';
import { createPostmortemIn } from './postmortem-draft.js';
import { assertNotPublished } from './postmortem-common.js';
import { MAX_POSTMORTEM_BODY } from './postmortem-inputs.js';
import { savePostmortemBody } from './postmortems.js';
import { parseInput } from './validate.js';

export const importPostmortemInput = z.strictObject({
  markdown: z
    .string({ error: 'must be the markdown text' })
    .max(MAX_POSTMORTEM_BODY, { error: `must be at most ${MAX_POSTMORTEM_BODY} characters` })
    .refine((text) => text.trim() !== '', { error: 'is empty' }),
  /** Used for the title when the document has none, and as a label on the imported events. */
  fileName: z.string().max(500).optional(),
  /** An existing incident (`INC-12`) to attach the postmortem to; without it a resolved incident is declared. */
  incident: z.string().max(50).optional(),
  title: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' })
    .optional(),
  severity: severity.optional(),
  services: z.array(z.string().min(1).max(63)).max(50).optional(),
  /** Map and extract only: nothing is written. */
  dryRun: z.boolean().default(false),
  /** Replace the body of a postmortem the incident already has (a normal save), instead of refusing. */
  replace: z.boolean().default(false),
});
export type ImportPostmortemInput = z.input<typeof importPostmortemInput>;

export interface PostmortemImportResult {
  /** The incident the postmortem belongs to; null on a dry run that would declare one. */
  incident: string | null;
  title: string;
  /** Each heading of the document that became a template section. */
  mapped: { from: string; to: string }[];
  /** Headings kept as sections of their own, after the template's. */
  unmapped: string[];
  /** The Summary or TL;DR section has text. */
  hasSummary: boolean;
  /** Events extracted from the document's timeline, and the lifecycle markers their wording implies. */
  timeline: { events: number; markers: string[] };
}

/** The document rewritten into the template's shape. */
export interface MappedDocument {
  title: string;
  body: string;
  mapped: { from: string; to: string }[];
  unmapped: string[];
  hasSummary: boolean;
  /** The first paragraph of the summary, for the incident's own summary. */
  summary: string;
}

const TITLE_MAX = 200;
const INCIDENT_SUMMARY_MAX = 2_000;
const EVENT_TITLE_MAX = 500;
const EVENT_BODY_MAX = 100_000;

/** A run of the document's lines that becomes one section of the new body. */
interface Part {
  /** Heading text as written (markdown removed); empty for the text before the first section. */
  from: string;
  /** Canonical section id, or null when the heading matches none. */
  to: string | null;
  /** Level of the heading that opened the part, used to shift the levels of headings inside it. */
  level: number;
  lines: string[];
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** The value of `title = "…"` (TOML) or `title: …` (YAML) in front matter. */
function frontMatterTitle(frontMatter: readonly string[]): string | null {
  for (const line of frontMatter) {
    const match = /^\s*title\s*[:=]\s*(.+?)\s*$/i.exec(line);
    const value = match?.[1]?.replace(/^(["'])(.*)\1$/, '$2').trim();
    if (value) return value;
  }
  return null;
}

/** "2024-02-28-decide-is-down.md" -> "2024-02-28 decide is down". */
function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.replace(/\.(md|markdown|mdown|txt)$/i, '');
  const date = /^(\d{4}-\d{2}-\d{2})[-_ ]*(.*)$/.exec(stem);
  const words = (s: string) => s.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  const text = date ? `${date[1]} ${words(date[2] ?? '')}` : words(stem);
  return text.trim() || 'Imported postmortem';
}

const isRealHeading = (line: Line): boolean =>
  line.kind === 'heading' && line.heading !== undefined && line.heading.level < PSEUDO_HEADING_LEVEL;

/** Whether a heading is itself a moment (`### 14:05`, `## May 26, 2021`): inside a timeline it is an entry. */
function isMomentHeading(text: string): boolean {
  return parseTimestamp(text, { dayFirst: false }) !== null;
}

/** A heading line inside a section, rewritten in ATX form at a level below the section's own `##`. */
function contentHeading(line: Line, sectionLevel: number): string {
  const level = line.heading?.level ?? 3;
  const shifted = Math.min(6, Math.max(3, level + (2 - sectionLevel)));
  const text = line.raw
    .replace(/^ {0,3}#{1,6}[ \t]*/, '')
    .replace(/[ \t]+#+[ \t]*$/, '')
    .trim();
  return `${'#'.repeat(shifted)} ${text}`;
}

function trimBlankLines(lines: readonly string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  return lines.slice(start, end).join('\n');
}

/** The first paragraph of markdown text that is prose (not a heading, table, list, quote or code). */
function firstParagraph(text: string): string {
  for (const block of text.split(/\n\s*\n/)) {
    const trimmed = block.trim();
    if (trimmed === '' || /^(#|\||```|~~~|<!--|>|[-*+] |\d+[.)] )/.test(trimmed)) continue;
    return cut(trimmed.replace(/\s*\n\s*/g, ' '), INCIDENT_SUMMARY_MAX);
  }
  return '';
}

/**
 * Rewrites a postmortem written elsewhere into the default template's shape: every section of the template in
 * order (a matched one with the document's text, a missing one with its prompt, as in a fresh draft), then the
 * document's other sections under their own headings.
 *
 * Sections start at the document's top heading level (`#` when it uses `#` for sections besides its title, else
 * `##`, …). A deeper heading or a bold line on its own (`**Root causes:**`) starts a section too when it names a
 * template section ("### What went well" inside "Lessons learned"), except inside a timeline, whose sub-headings
 * are days and incidents. Text before the first section becomes the Summary when the document has none. Two
 * headings mapping to one section are merged, the second kept as a sub-heading.
 *
 * @example
 * mapPostmortemDocument('# Outage\n\n## Root Cause\n\nA full disk.\n\n## Attendees\n\n- Ana\n').mapped;
 * // [{ from: 'Root Cause', to: 'contributing-factors' }]   (and unmapped: ['Attendees'])
 */
export function mapPostmortemDocument(
  markdown: string,
  options: { fileName?: string | undefined; title?: string | undefined } = {},
): MappedDocument {
  const document = scanMarkdown(markdown);
  const lines = document.lines;
  const headings = lines.filter(isRealHeading);
  const first = headings[0];
  // The first heading is the title when it is a level-1 heading that does not name a section.
  const titleLine = first?.heading?.level === 1 && canonicalSectionId(first.heading.text) === null ? first : undefined;
  const title = cut(
    plainHeadingText(
      options.title ??
        (titleLine ? titleLine.raw.replace(/^ {0,3}#[ \t]*/, '').replace(/[ \t]+#+[ \t]*$/, '') : null) ??
        frontMatterTitle(document.frontMatter) ??
        titleFromFileName(options.fileName ?? ''),
    ) || 'Imported postmortem',
    TITLE_MAX,
  );
  const sectionLevel = Math.min(
    ...headings.filter((line) => line !== titleLine).map((line) => line.heading?.level ?? 2),
    Number.POSITIVE_INFINITY,
  );
  const topLevel = Number.isFinite(sectionLevel) ? sectionLevel : 2;

  const lead: Part = { from: '', to: null, level: topLevel, lines: [] };
  const parts: Part[] = [];
  let current = lead;
  let topCanonical: string | null = null;
  for (const line of lines) {
    if (line.kind === 'front-matter' || line.kind === 'underline' || line === titleLine) continue;
    const heading = line.kind === 'heading' ? line.heading : undefined;
    if (!heading) {
      current.lines.push(line.raw);
      continue;
    }
    const canonical = canonicalSectionId(heading.text);
    const real = heading.level < PSEUDO_HEADING_LEVEL;
    const inTimeline = topCanonical === 'timeline';
    if (real && heading.level <= topLevel && !(inTimeline && isMomentHeading(heading.text))) {
      current = { from: plainHeadingText(heading.text), to: canonical, level: heading.level, lines: [] };
      parts.push(current);
      topCanonical = canonical;
    } else if (canonical !== null && canonical !== current.to && !inTimeline) {
      current = {
        from: plainHeadingText(heading.text),
        to: canonical,
        level: real ? heading.level : topLevel + 1,
        lines: [],
      };
      parts.push(current);
    } else {
      current.lines.push(real ? contentHeading(line, current.level) : line.raw);
    }
  }

  const filled = new Map<string, string[]>();
  const mapped: { from: string; to: string }[] = [];
  const unmapped: { title: string; text: string }[] = [];
  for (const part of parts) {
    const text = trimBlankLines(part.lines);
    if (part.to === null) {
      unmapped.push({ title: part.from || 'Untitled section', text });
      continue;
    }
    mapped.push({ from: part.from, to: part.to });
    const pieces = filled.get(part.to);
    if (!pieces) filled.set(part.to, text === '' ? [] : [text]);
    else if (text !== '') pieces.push(pieces.length === 0 ? text : `### ${part.from}\n\n${text}`);
  }
  let leadText = trimBlankLines(lead.lines);
  const hasOwnSummary = ['summary', 'tldr'].some((id) => (filled.get(id) ?? []).length > 0);
  if (!hasOwnSummary && leadText !== '') {
    filled.set('summary', [leadText]);
    leadText = '';
  }

  const out: string[] = [`# ${title}`];
  if (leadText !== '') out.push(leadText);
  for (const section of DEFAULT_TEMPLATE.sections) {
    const pieces = filled.get(section.id) ?? [];
    // An empty section reads as in a fresh draft: its prompt, and the table header under action items.
    const empty = [promptComment(section.prompt), section.id === 'action-items' ? ACTION_ITEMS_TABLE_HEADER : ''];
    const text = (pieces.length > 0 ? pieces : empty).filter(Boolean).join('\n\n');
    out.push(text === '' ? `## ${section.title}` : `## ${section.title}\n\n${text}`);
  }
  for (const section of unmapped) {
    out.push(section.text === '' ? `## ${section.title}` : `## ${section.title}\n\n${section.text}`);
  }
  const body = `${out.join('\n\n')}\n`;
  const sections = parseSections(body);
  const summarySection = findSection(sections, 'summary');
  const tldrSection = findSection(sections, 'tldr');
  return {
    title,
    body,
    mapped,
    unmapped: unmapped.map((section) => section.title),
    hasSummary: Boolean(summarySection?.filled || tldrSection?.filled),
    summary: firstParagraph((filled.get('summary') ?? filled.get('tldr') ?? []).join('\n\n')),
  };
}

const MARKER_OF: Record<keyof TimelineMarkers, Marker> = {
  impactStart: 'impact_start',
  detected: 'detected',
  mitigated: 'mitigated',
  resolved: 'resolved',
};

const FIELD_OF: Partial<Record<Marker, LifecycleField>> = {
  impact_start: 'impactStartedAt',
  detected: 'detectedAt',
  mitigated: 'mitigatedAt',
  resolved: 'resolvedAt',
};

/** Marker names, in lifecycle order, of the moments the extraction found. */
function markerNames(markers: TimelineMarkers): string[] {
  return (Object.keys(MARKER_OF) as (keyof TimelineMarkers)[])
    .filter((key) => markers[key] !== undefined)
    .map((key) => MARKER_OF[key]);
}

/** Same moment and text: the same entry, whichever file or run brought it in. */
function dedupeKey(event: ExtractedEvent): string {
  return `import:${createHash('sha256').update(`${event.at}\n${event.text}`).digest('hex').slice(0, 32)}`;
}

/**
 * Lifecycle times for a new incident from the extracted markers. Times later than now are dropped (a year guessed
 * wrong), and so is anything out of the order the lifecycle requires: impact start after detection, mitigation
 * before impact start. Resolution falls back to mitigation, then to the last entry of the timeline, then to now.
 */
function lifecycleTimes(markers: TimelineMarkers, events: readonly ExtractedEvent[], now: string) {
  const latest = Date.parse(now) + FUTURE_TOLERANCE_MS;
  const past = (value: string | undefined): string | undefined =>
    value !== undefined && Date.parse(value) <= latest ? value : undefined;
  const lastEvent = past(
    events
      .map((e) => e.at)
      .sort()
      .at(-1),
  );
  const firstEvent = past(events.map((e) => e.at).sort()[0]);
  let impactStartedAt = past(markers.impactStart);
  const detectedAt = past(markers.detected) ?? impactStartedAt ?? firstEvent ?? now;
  if (impactStartedAt !== undefined && impactStartedAt > detectedAt) impactStartedAt = undefined;
  let mitigatedAt = past(markers.mitigated);
  if (mitigatedAt !== undefined && impactStartedAt !== undefined && mitigatedAt < impactStartedAt) {
    mitigatedAt = undefined;
  }
  const floor = [detectedAt, mitigatedAt ?? detectedAt].sort().at(-1) ?? detectedAt;
  const candidates = [past(markers.resolved), mitigatedAt, lastEvent].filter(
    (value): value is string => value !== undefined && value >= floor,
  );
  const resolvedAt = candidates[0] ?? (floor > now ? floor : now);
  return { impactStartedAt, detectedAt, mitigatedAt, resolvedAt };
}

/** Events for the entries not yet on the incident's timeline (written by {@link insertMarked}). */
async function addEvents(
  tx: Tx,
  actor: Principal,
  incident: Incident,
  events: readonly ExtractedEvent[],
  fileName: string | undefined,
): Promise<TimelineEvent[]> {
  const label = principalLabel(actor);
  const seen = new Set<string>();
  const fresh: TimelineEvent[] = [];
  for (const event of events) {
    const key = dedupeKey(event);
    if (seen.has(key) || (await tx.repos.timeline.findByDedupeKey(incident.id, key))) continue;
    seen.add(key);
    const text = event.text.trim();
    fresh.push({
      id: newId(),
      incidentId: incident.id,
      at: event.at,
      kind: 'note',
      source: 'import',
      title: cut(text.split('\n')[0] || `Timeline entry (line ${event.line})`, EVENT_TITLE_MAX),
      body: cut(text, EVENT_BODY_MAX),
      labels: { line: String(event.line), ...(fileName ? { file: fileName } : {}) },
      dedupeKey: key,
      marker: null,
      pinned: false,
      artifactId: null,
      count: 1,
      actor: label,
      createdAt: tx.now,
    });
  }
  return fresh;
}

/**
 * Marks the first new event at each lifecycle time the import set (`fields`) with that moment, so the imported
 * entry, not a generated "Detected" line, carries it; then writes the events and lets the markers follow. Times
 * the responders recorded keep the events they marked.
 */
async function insertMarked(
  tx: Tx,
  actor: Principal,
  incident: Incident,
  fresh: TimelineEvent[],
  fields: ReadonlySet<LifecycleField>,
): Promise<void> {
  const markedBy: Partial<Record<Marker, string>> = {};
  for (const [marker, field] of Object.entries(FIELD_OF) as [Marker, LifecycleField][]) {
    if (!fields.has(field)) continue;
    const time = incident[field];
    const event = time === null ? undefined : fresh.find((e) => e.at === time && e.marker === null);
    if (!event) continue;
    event.marker = marker;
    markedBy[marker] = event.id;
  }
  await tx.repos.timeline.insertMany(fresh);
  if (Object.keys(markedBy).length > 0) {
    await syncLifecycleMarkers(tx, incident, incident, principalLabel(actor), markedBy);
  }
}

/**
 * Lifecycle times an existing incident lacks, taken from the markers where they fit: resolution only on a resolved
 * or closed incident, mitigation only once it is no longer investigating, and never a time the lifecycle rules
 * (order, not in the future) refuse. Times the responders recorded are kept.
 */
async function fillLifecycle(
  tx: Tx,
  actor: Principal,
  before: Incident,
  markers: TimelineMarkers,
): Promise<{ incident: Incident; filled: Set<LifecycleField> }> {
  let next: Incident = before;
  const filled = new Set<LifecycleField>();
  for (const [key, marker] of Object.entries(MARKER_OF) as [keyof TimelineMarkers, Marker][]) {
    const field = FIELD_OF[marker];
    const time = markers[key];
    if (!field || time === undefined || next[field] !== null) continue;
    if (field === 'resolvedAt' && before.status !== 'resolved' && before.status !== 'closed') continue;
    if (field === 'mitigatedAt' && before.status === 'investigating') continue;
    const candidate: Incident = { ...next, [field]: time };
    try {
      validateLifecycle(candidate, tx.now);
      next = candidate;
      filled.add(field);
    } catch (error) {
      if (!(error instanceof DebriefError)) throw error;
    }
  }
  if (next === before) return { incident: before, filled };
  next = { ...next, updatedAt: tx.now, version: before.version + 1 };
  if (!(await tx.repos.incidents.update(next, before.version))) {
    throw new DebriefError(
      'DEBRIEF_ERR_VERSION_CONFLICT',
      `${before.key} was changed while importing; run the import again`,
      { field: 'incident' },
    );
  }
  await syncLifecycleMarkers(tx, before, next, principalLabel(actor));
  await tx.audit(actor, 'incident.update', 'incident', next.key, before, next);
  return { incident: next, filled };
}

/**
 * Declares the incident an imported postmortem describes and resolves it at the times its timeline implies. The
 * postmortem is created before the resolution, which would otherwise compose a draft for it.
 */
async function declareResolved(
  tx: Tx,
  actor: Principal,
  doc: MappedDocument,
  extraction: TimelineExtraction,
  options: { severity: Severity; services: string[]; fileName: string | undefined },
): Promise<Incident> {
  const times = lifecycleTimes(extraction.markers, extraction.events, tx.now);
  const declared = await declareIncidentIn(tx, actor, {
    title: doc.title,
    severity: options.severity,
    services: options.services,
    summary: doc.summary,
    impactStartedAt: times.impactStartedAt ?? null,
    detectedAt: times.detectedAt,
  });
  const incident = await loadIncident(tx.repos, actor, declared.key, 'postmortem.edit');
  await createPostmortemIn(tx, actor, incident, { templateId: BUILT_IN_TEMPLATE_ID, body: doc.body });
  if (times.mitigatedAt !== undefined && times.mitigatedAt < times.resolvedAt) {
    await changeIncidentStatusIn(tx, actor, declared.key, { status: 'mitigated', at: times.mitigatedAt });
  }
  await changeIncidentStatusIn(tx, actor, declared.key, {
    status: 'resolved',
    at: times.resolvedAt,
    note: `Imported from ${options.fileName ?? 'a markdown postmortem'}`,
  });
  return loadIncident(tx.repos, actor, declared.key);
}

/** The incident `key` for an import onto it, and whether a postmortem there blocks the import. */
async function existingTarget(
  repos: Repositories,
  actor: Principal,
  key: string,
  replace: boolean,
): Promise<{ incident: Incident; hasPostmortem: boolean }> {
  const incident = await loadIncident(repos, actor, key, 'postmortem.edit');
  authorize(actor, 'timeline.add', incident);
  const hasPostmortem = (await repos.postmortems.findByIncident(incident.id)) !== null;
  if (hasPostmortem && !replace) {
    throw new DebriefError(
      'DEBRIEF_ERR_ALREADY_EXISTS',
      `${incident.key} already has a postmortem; replace its text with --replace (a normal save, kept in its history)`,
      { field: 'incident' },
    );
  }
  return { incident, hasPostmortem };
}

/**
 * Imports a markdown postmortem in one transaction: maps its sections onto the default template
 * ({@link mapPostmortemDocument}), adds its timeline entries as `import` events (each keyed by time and text, so
 * importing the same file again adds nothing), and creates the postmortem. With `incident`, the postmortem joins
 * that incident, whose missing lifecycle times are filled from the timeline; an existing postmortem there is
 * refused unless `replace`: then, once the timeline is in, the text is saved over it as a normal edit
 * (`savePostmortemBody`: a revision, approvals dismissed as the settings say) from the version the import read, so
 * an edit in between is a version conflict and a re-run finishes the job. Without `incident`, an incident is declared
 * (severity SEV3 unless given) and resolved at the times the timeline implies. `dryRun` checks and reports without
 * writing.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION naming the field (`markdown`, `services[0]`, …);
 *   DEBRIEF_ERR_NOT_FOUND for an unknown incident; DEBRIEF_ERR_ALREADY_EXISTS (409) when it has a postmortem.
 * @example
 * await importPostmortem(ctx, actor, { markdown, fileName: '2021-05-26-website-outage.md' });
 * // { incident: 'INC-7', title: 'Website Outage 5-26-21', mapped: [{ from: 'Issue Summary', to: 'summary' }, …],
 * //   unmapped: [], hasSummary: true, timeline: { events: 9, markers: ['impact_start', 'detected', 'resolved'] } }
 */
export async function importPostmortem(
  ctx: AppContext,
  actor: Principal,
  raw: ImportPostmortemInput,
): Promise<PostmortemImportResult> {
  const input = parseInput(importPostmortemInput, raw);
  const doc = mapPostmortemDocument(input.markdown, { fileName: input.fileName, title: input.title });
  if (doc.body.length > MAX_POSTMORTEM_BODY) {
    // The template's prompts for the sections the document lacks can push a document at the limit over it.
    throw validationError(
      'markdown',
      `is too long once mapped onto the template (at most ${MAX_POSTMORTEM_BODY} characters)`,
    );
  }
  const extraction = extractTimeline(input.markdown);
  const report = (incident: string | null): PostmortemImportResult => ({
    incident,
    title: doc.title,
    mapped: doc.mapped,
    unmapped: doc.unmapped,
    hasSummary: doc.hasSummary,
    timeline: { events: extraction.events.length, markers: markerNames(extraction.markers) },
  });
  const services = [...new Set(input.services ?? [])];

  if (input.dryRun) {
    const repos = read(ctx);
    if (input.incident !== undefined) {
      const { incident } = await existingTarget(repos, actor, input.incident, input.replace);
      return report(incident.key);
    }
    authorize(actor, 'incident.create');
    authorize(actor, 'postmortem.edit');
    await checkServices(repos, services, 'services');
    return report(null);
  }

  const imported = await transact(ctx, async (tx) => {
    let incident: Incident;
    let setByImport: ReadonlySet<LifecycleField> = new Set(Object.values(FIELD_OF));
    let replaceVersion: number | null = null;
    if (input.incident !== undefined) {
      const target = await existingTarget(tx.repos, actor, input.incident, input.replace);
      const existing = target.hasPostmortem ? await tx.repos.postmortems.findByIncident(target.incident.id) : null;
      if (existing) {
        // Checked before anything is written, so a refused save leaves the incident as it was.
        assertNotPublished(existing, 'be replaced');
        replaceVersion = existing.version;
      }
      const filled = await fillLifecycle(tx, actor, target.incident, extraction.markers);
      incident = filled.incident;
      setByImport = filled.filled;
      if (!existing) {
        await createPostmortemIn(tx, actor, incident, { templateId: BUILT_IN_TEMPLATE_ID, body: doc.body });
      }
    } else {
      authorize(actor, 'postmortem.edit');
      incident = await declareResolved(tx, actor, doc, extraction, {
        severity: input.severity ?? 'SEV3',
        services,
        fileName: input.fileName,
      });
    }
    const fresh = await addEvents(tx, actor, incident, extraction.events, input.fileName);
    await insertMarked(tx, actor, incident, fresh, setByImport);
    await tx.audit(actor, 'incident.import', 'incident', incident.key, null, {
      file: input.fileName ?? null,
      title: doc.title,
      mapped: doc.mapped,
      unmapped: doc.unmapped,
      events: { extracted: extraction.events.length, added: fresh.length },
      markers: markerNames(extraction.markers),
      replace: replaceVersion !== null,
    });
    return { key: incident.key, replaceVersion };
  });
  if (imported.replaceVersion !== null) {
    await savePostmortemBody(ctx, actor, imported.key, { body: doc.body, version: imported.replaceVersion });
  }
  return report(imported.key);
}
