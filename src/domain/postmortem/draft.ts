/**
 * The first draft of a postmortem, composed from what is already known: the incident, its lifecycle durations,
 * pinned and marked timeline events, suspect changes, the service catalog and captured charts. Sections that need
 * human thought carry only their prompt. The same input always gives the same text.
 */
import {
  canonicalSectionId,
  findSection,
  parseSections,
  scanDocument,
  UNCONFIRMED_FACTOR_MARK,
} from '../../analysis/postmortem/index.js';
import { formatDuration } from '../durations.js';
import { MARKER_LABELS } from '../lifecycle.js';
import type { Incident, IncidentDurations, LifecycleField, Marker, Service, TimelineEvent } from '../types.js';
import { headingLine, promptComment, sectionStarter } from './templates.js';
import type { PostmortemTemplate } from './types.js';

/** A change the correlation ranked as a suspect, as the draft names it. */
export interface DraftSuspect {
  subject: string;
  service: string;
  version: string | null;
  author: string | null;
  at: string;
  url: string | null;
  /** Why it is a suspect, in words ("deployed 7m before impact start on the same service"). */
  reason: string;
}

/** A captured chart (an artifact) to show in the evidence block. */
export interface DraftChart {
  artifactId: string;
  title: string;
  service: string;
}

export interface DraftInput {
  template: PostmortemTemplate;
  incident: Incident;
  durations: IncidentDurations;
  timeline: TimelineEvent[];
  suspects: DraftSuspect[];
  /** Catalog entries of the impacted services (others are ignored). */
  services: Service[];
  charts: DraftChart[];
  /** Which kinds of evidence were captured and which are missing, or null when not assessed. */
  evidence: { present: string[]; missing: string[] } | null;
  /**
   * Display names by lowercased email. People are written by name, so the draft names who took part without
   * filling the document with addresses the redaction gate would then have to clear.
   */
  people?: Readonly<Record<string, string>>;
}

/**
 * How the draft names a person: the display name when known, else the part of an email address before the `@`
 * (a handle colleagues recognise, not a deliverable address), else the label as given.
 *
 * @example
 * personName({ 'ana@example.com': 'Ana Souza' }, 'ana@example.com'); // 'Ana Souza'
 * personName({}, 'ben.okafor@example.com'); // 'ben.okafor'
 */
export function personName(people: Readonly<Record<string, string>> | undefined, label: string): string {
  const trimmed = label.trim();
  const known = people?.[trimmed.toLowerCase()];
  if (known) return known;
  const at = trimmed.indexOf('@');
  return at > 0 && !trimmed.includes(' ') ? trimmed.slice(0, at) : trimmed;
}

export const EVIDENCE_BLOCK_START = '<!-- debrief:evidence:start -->';
export const EVIDENCE_BLOCK_END = '<!-- debrief:evidence:end -->';

const LIFECYCLE_MARKERS: readonly [LifecycleField, Marker][] = [
  ['impactStartedAt', 'impact_start'],
  ['detectedAt', 'detected'],
  ['acknowledgedAt', 'acknowledged'],
  ['mitigatedAt', 'mitigated'],
  ['resolvedAt', 'resolved'],
];

/**
 * A time as people read it in a postmortem, always in UTC.
 *
 * @example
 * formatUtc('2026-03-04T14:05:09.000Z'); // '2026-03-04 14:05 UTC'
 */
export function formatUtc(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return inline(iso);
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/**
 * Untrusted text (titles of alerts, chat lines, change subjects) as one line of markdown: line breaks become
 * spaces and `<` an entity, so it can neither start a heading or block nor open an HTML comment.
 */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/</g, '&lt;');
}

/** Untrusted text in a table cell: one line, pipes escaped. */
function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

/** Untrusted text in a link's or image's brackets. */
function bracketText(text: string): string {
  return inline(text).replace(/([[\]])/g, '\\$1');
}

/** A URL safe inside `(…)` of a markdown link. */
function linkTarget(url: string): string {
  return url
    .trim()
    .replace(/[\s()<>]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Untrusted multi-line text (an incident summary) as paragraphs: lines that would start a heading, a setext
 * underline or a code fence are escaped, so the text cannot add sections or swallow the rest of the document.
 */
function paragraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split('\n')
    .map((line) => line.replace(/</g, '&lt;').replace(/^(\s{0,3})(#|=+\s*$|-{2,}\s*$|`{3,}|~{3,})/, '$1\\$2'))
    .join('\n');
}

function durationText(seconds: number | null): string | null {
  return seconds === null ? null : formatDuration(seconds);
}

function listLine(label: string, value: string): string {
  return `- **${label}:** ${value}`;
}

/** Events in time order; events at the same time keep their input order. */
function byTime(events: readonly TimelineEvent[]): TimelineEvent[] {
  return events
    .map((event, index) => ({ event, index, ms: Date.parse(event.at) }))
    .sort((a, b) => (a.ms === b.ms || Number.isNaN(a.ms - b.ms) ? a.index - b.index : a.ms - b.ms))
    .map(({ event }) => event);
}

function eventText(event: TimelineEvent): string {
  const text = event.title.trim() !== '' ? event.title : (event.body.split('\n')[0] ?? '');
  return event.count > 1 ? `${text} (×${event.count})` : text;
}

function summarySection({ incident }: DraftInput): string {
  const lines = [
    listLine('Severity', incident.severity),
    listLine('Type', incident.type.replace(/_/g, ' ')),
    listLine('Services', incident.services.length > 0 ? incident.services.map(inline).join(', ') : 'none recorded'),
  ];
  if (incident.customerImpact.trim() !== '') lines.push(listLine('Customer impact', inline(incident.customerImpact)));
  const summary = incident.summary.trim() === '' ? [] : [paragraphs(incident.summary)];
  return [...summary, lines.join('\n')].join('\n\n');
}

function impactSection({ incident, durations }: DraftInput): string {
  const mitigated = durations.timeToMitigateSeconds;
  const resolved = durations.timeToResolveSeconds;
  const impact =
    mitigated !== null
      ? `${formatDuration(mitigated)} (impact start to mitigation)`
      : resolved !== null
        ? `${formatDuration(resolved)} (impact start to resolution)`
        : 'not recorded (impact start and mitigation or resolution are needed)';
  const notRecorded = 'not recorded';
  const services = incident.services.length > 0 ? incident.services.map(inline).join(', ') : 'the impacted services';
  const lines = [
    listLine('Impact started', incident.impactStartedAt ? formatUtc(incident.impactStartedAt) : notRecorded),
    listLine('Impact duration', impact),
    listLine('Time to detect', durationText(durations.timeToDetectSeconds) ?? notRecorded),
    listLine('Time to acknowledge', durationText(durations.timeToAcknowledgeSeconds) ?? notRecorded),
    listLine('Time to mitigate', durationText(mitigated) ?? notRecorded),
    listLine('Time to resolve', durationText(resolved) ?? notRecorded),
    listLine('Error budget', `no SLO defined for ${services}`),
  ];
  const customer = incident.customerImpact.trim() === '' ? [] : [paragraphs(incident.customerImpact)];
  return [...customer, lines.join('\n')].join('\n\n');
}

/** Lifecycle moments at the same minute are listed in lifecycle order, before other events of that minute. */
function rankOf(marker: Marker | null): number {
  const index = LIFECYCLE_MARKERS.findIndex(([, lifecycle]) => lifecycle === marker);
  return index < 0 ? LIFECYCLE_MARKERS.length : index;
}

/** Known people's addresses in event text, replaced by their names (status events name role holders by email). */
function withNames(text: string, people: Readonly<Record<string, string>> | undefined): string {
  if (!people) return text;
  return text.replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, (address) => people[address.toLowerCase()] ?? address);
}

function timelineSection({ incident, timeline, people }: DraftInput): string {
  const shown = timeline.filter((event) => event.pinned || event.marker !== null || event.kind === 'status');
  const rows: { at: string; text: string; source: string; rank: number; order: number }[] = byTime(shown).map(
    (event, order) => {
      const label = event.marker ? `**${MARKER_LABELS[event.marker]}:** ` : '';
      return {
        at: event.at,
        text: `${label}${cell(withNames(eventText(event), people))}`,
        source: cell(event.source),
        rank: rankOf(event.marker),
        order,
      };
    },
  );
  // Lifecycle times set on the incident without a marked event still belong in the story.
  const marked = new Set(timeline.map((event) => event.marker));
  for (const [field, marker] of LIFECYCLE_MARKERS) {
    const at = incident[field];
    if (at === null || marked.has(marker)) continue;
    const text = `**${MARKER_LABELS[marker]}** (recorded on the incident)`;
    rows.push({ at, text, source: 'debrief', rank: rankOf(marker), order: rows.length });
  }
  if (rows.length === 0) return 'No pinned events, markers or status changes yet: pin the events that tell the story.';
  rows.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.rank - b.rank || a.order - b.order);
  const table = rows.map((row) => `| ${formatUtc(row.at)} | ${row.text} | ${row.source} |`);
  return ['| Time (UTC) | Event | Source |', '| --- | --- | --- |', ...table].join('\n');
}

function detectionSection({ incident, durations, timeline }: DraftInput): string {
  const ordered = byTime(timeline);
  const firstAlert = ordered.find((event) => event.kind === 'alert');
  const marker = ordered.find((event) => event.marker === 'detected');
  const lines: string[] = [];
  if (incident.detectedAt) {
    const after = durationText(durations.timeToDetectSeconds);
    lines.push(
      listLine('Detected', `${formatUtc(incident.detectedAt)}${after ? `, ${after} after impact started` : ''}`),
    );
  }
  if (firstAlert) {
    lines.push(
      listLine(
        'First alert',
        `${inline(eventText(firstAlert))} (${inline(firstAlert.source)}) at ${formatUtc(firstAlert.at)}`,
      ),
    );
  }
  if (marker) lines.push(listLine('Detection marker', `${inline(eventText(marker))} at ${formatUtc(marker.at)}`));
  if (lines.length === 0) return 'No alert or detection marker is recorded yet.';
  if (!incident.detectedAt || durations.timeToDetectSeconds === null) {
    lines.push(listLine('Time to detect', 'not recorded (impact start and detection are needed)'));
  }
  return lines.join('\n');
}

function responseSection({ incident, durations, people }: DraftInput): string {
  const moment = (at: string | null, seconds: number | null, from: string): string => {
    if (!at) return 'not recorded';
    const duration = durationText(seconds);
    return duration ? `${formatUtc(at)} (${duration} after ${from})` : formatUtc(at);
  };
  const role = (email: string | null): string => (email ? inline(personName(people, email)) : 'unassigned');
  return [
    listLine('Acknowledged', moment(incident.acknowledgedAt, durations.timeToAcknowledgeSeconds, 'detection')),
    listLine('Mitigated', moment(incident.mitigatedAt, durations.timeToMitigateSeconds, 'impact start')),
    listLine('Resolved', moment(incident.resolvedAt, durations.timeToResolveSeconds, 'impact start')),
    listLine('Incident commander', role(incident.roles.commander)),
    listLine('Scribe', role(incident.roles.scribe)),
    listLine('Communications', role(incident.roles.communications)),
  ].join('\n');
}

function changeSubject(suspect: DraftSuspect): string {
  return suspect.url ? `[${bracketText(suspect.subject)}](${linkTarget(suspect.url)})` : inline(suspect.subject);
}

function changeVersion(suspect: DraftSuspect): string {
  return `${inline(suspect.service)}${suspect.version ? ` ${inline(suspect.version)}` : ''}`;
}

function factorsSection({ suspects }: DraftInput): string {
  return suspects
    .map(
      (suspect) =>
        `- **Change:** ${changeSubject(suspect)} (${changeVersion(suspect)}, ${formatUtc(suspect.at)}) — ` +
        `suspect (${inline(suspect.reason)}); ${UNCONFIRMED_FACTOR_MARK}`,
    )
    .join('\n');
}

function servicesPart({ incident, services, people }: DraftInput): string {
  const lines = incident.services.map((name) => {
    const service = services.find((candidate) => candidate.name === name);
    if (!service) return `- **${inline(name)}**: not in the service catalog`;
    const facts = [
      `team ${service.team ? inline(service.team) : 'not set'}`,
      service.owners.length > 0
        ? `owners ${service.owners.map((owner) => inline(personName(people, owner))).join(', ')}`
        : 'no owners recorded',
    ];
    if (service.runbookUrl) facts.push(`[runbook](${linkTarget(service.runbookUrl)})`);
    const display =
      service.displayName && service.displayName !== service.name ? ` (${inline(service.displayName)})` : '';
    return `- **${inline(service.name)}**${display}: ${facts.join('; ')}`;
  });
  return lines.length > 0 ? lines.join('\n') : 'No impacted services recorded.';
}

function alertsPart({ timeline }: DraftInput): string {
  const groups = new Map<string, { title: string; count: number; first: string; sources: Set<string> }>();
  for (const event of byTime(timeline)) {
    if (event.kind !== 'alert') continue;
    const title = eventText({ ...event, count: 1 });
    const group = groups.get(title) ?? { title, count: 0, first: event.at, sources: new Set<string>() };
    group.count += Math.max(event.count, 1);
    group.sources.add(event.source);
    groups.set(title, group);
  }
  if (groups.size === 0) return 'No alerts on the timeline.';
  return [...groups.values()]
    .map((group) => {
      const sources = [...group.sources].map(inline).join(', ');
      return `- **${inline(group.title)}** ×${group.count}, first at ${formatUtc(group.first)} (${sources})`;
    })
    .join('\n');
}

function changesPart({ suspects, timeline, people }: DraftInput): string {
  if (suspects.length > 0) {
    return suspects
      .map((suspect) => {
        const author = suspect.author ? `, by ${inline(personName(people, suspect.author))}` : '';
        return `- ${formatUtc(suspect.at)}: ${changeSubject(suspect)} (${changeVersion(suspect)}${author})`;
      })
      .join('\n');
  }
  const changes = byTime(timeline).filter((event) => event.kind === 'change');
  if (changes.length === 0) return 'No changes recorded.';
  return changes
    .map((event) => `- ${formatUtc(event.at)}: ${inline(eventText(event))} (${inline(event.source)})`)
    .join('\n');
}

/** Principal labels of machines rather than people. */
const MACHINE_ACTOR = /^(?:token|system):/;

function participantsPart({ incident, timeline, people: names }: DraftInput): string {
  const people = new Map<string, { name: string; roles: string[] }>();
  const add = (name: string | null, role?: string): void => {
    if (!name || MACHINE_ACTOR.test(name)) return;
    const key = name.trim().toLowerCase();
    const entry = people.get(key) ?? { name: personName(names, name), roles: [] };
    if (role && !entry.roles.includes(role)) entry.roles.push(role);
    people.set(key, entry);
  };
  add(incident.roles.commander, 'commander');
  add(incident.roles.scribe, 'scribe');
  add(incident.roles.communications, 'communications');
  for (const member of incident.members) add(member);
  for (const event of byTime(timeline)) add(event.actor);
  if (people.size === 0) return 'No participants recorded.';
  return [...people.values()]
    .map((person) => `- ${inline(person.name)}${person.roles.length > 0 ? ` (${person.roles.join(', ')})` : ''}`)
    .join('\n');
}

/**
 * The evidence block: one image per chart between the start and end markers.
 *
 * @example
 * evidenceBlock([{ artifactId: 'a1', title: 'Error rate', service: 'checkout' }]);
 * // '<!-- debrief:evidence:start -->\n![Error rate (checkout)](/api/v1/artifacts/a1/chart.svg)\n<!-- debrief:evidence:end -->'
 */
export function evidenceBlock(charts: readonly DraftChart[]): string {
  const images = charts.map(
    (chart) =>
      `![${bracketText(`${chart.title} (${chart.service})`)}](/api/v1/artifacts/${encodeURIComponent(chart.artifactId)}/chart.svg)`,
  );
  return [EVIDENCE_BLOCK_START, ...images, EVIDENCE_BLOCK_END].join('\n');
}

function supportingSection(input: DraftInput): string {
  const parts = [
    ['Services', servicesPart(input)],
    ['Alerts', alertsPart(input)],
    ['Changes', changesPart(input)],
    ['Participants', participantsPart(input)],
  ];
  if (input.evidence) {
    const list = (kinds: readonly string[]): string => (kinds.length > 0 ? kinds.map(inline).join(', ') : 'none');
    parts.push([
      'Evidence completeness',
      [listLine('Present', list(input.evidence.present)), listLine('Missing', list(input.evidence.missing))].join('\n'),
    ]);
  }
  parts.push(['Charts', evidenceBlock(input.charts)]);
  return parts.map(([title, text]) => `### ${title}\n\n${text}`).join('\n\n');
}

const GENERATED: Readonly<Record<string, (input: DraftInput) => string>> = {
  summary: summarySection,
  impact: impactSection,
  timeline: timelineSection,
  detection: detectionSection,
  'response-and-recovery': responseSection,
  'contributing-factors': factorsSection,
  'supporting-information': supportingSection,
};

/**
 * The first draft of a postmortem from evidence, in the template's section order: Summary, Impact, Timeline,
 * Detection, Response and recovery, Contributing factors (suspect changes as candidates to confirm or delete) and
 * Supporting information are filled; every section keeps its prompt as an HTML comment, and the sections that
 * need human thought carry only the prompt. Sections are recognised by canonical id or alias, each filled once.
 * Deterministic: no clock is read, and times are printed in UTC (`2026-03-04 14:05 UTC`).
 *
 * @example
 * composeDraft({ template: DEFAULT_TEMPLATE, incident, durations, timeline, suspects: [], services: [],
 *   charts: [], evidence: null }).split('\n')[0];
 * // '# INC-7: Checkout errors'
 */
export function composeDraft(input: DraftInput): string {
  const filled = new Set<string>();
  const parts = [`# ${inline(`${input.incident.key}: ${input.incident.title}`)}`];
  for (const templateSection of input.template.sections) {
    const canonical = canonicalSectionId(templateSection.title);
    const generate = canonical && !filled.has(canonical) ? GENERATED[canonical] : undefined;
    if (canonical) filled.add(canonical);
    const body = [
      promptComment(templateSection.prompt),
      generate ? generate(input) : '',
      sectionStarter(templateSection),
    ];
    parts.push([`## ${headingLine(templateSection.title)}`, ...body.filter((part) => part !== '')].join('\n\n'));
  }
  const draft = `${parts.join('\n\n')}\n`;
  return filled.has('supporting-information') || input.charts.length === 0
    ? draft
    : replaceEvidenceBlock(draft, input.charts);
}

/**
 * `body` with the evidence block rewritten to show `charts`, and nothing else changed. When the body has no block,
 * one is added at the end of the Supporting information section, or of the document. Running it twice with the
 * same charts gives the same text.
 *
 * @example
 * const once = replaceEvidenceBlock(body, charts);
 * replaceEvidenceBlock(once, charts) === once; // true
 */
export function replaceEvidenceBlock(body: string, charts: readonly DraftChart[]): string {
  const { comments } = scanDocument(body);
  const start = comments.find((range) => body.slice(range.start, range.end) === EVIDENCE_BLOCK_START);
  const end = start
    ? comments.find((range) => range.start >= start.end && body.slice(range.start, range.end) === EVIDENCE_BLOCK_END)
    : undefined;
  const block = evidenceBlock(charts);
  if (start && end) return body.slice(0, start.start) + block + body.slice(end.end);
  const supporting = findSection(parseSections(body), 'supporting-information');
  if (supporting) {
    const before = body.slice(0, supporting.end).replace(/\s+$/, '');
    const after = body.slice(supporting.end);
    return after === '' ? `${before}\n\n${block}\n` : `${before}\n\n${block}\n\n${after}`;
  }
  const trimmed = body.replace(/\s+$/, '');
  return trimmed === '' ? `${block}\n` : `${trimmed}\n\n${block}\n`;
}
