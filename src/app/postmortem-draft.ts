/**
 * Creating a postmortem: the draft composed from the incident's evidence (timeline, durations, suspect changes,
 * catalog, captured charts), or an imported text; and keeping the draft's chart block current as metric snapshots
 * arrive after resolution.
 */
import { principalLabel } from '../domain/access.js';
import { computeDurations } from '../domain/durations.js';
import { DebriefError } from '../domain/errors.js';
import { telemetryCompleteness } from '../domain/evidence/telemetry.js';
import { composeDraft, replaceEvidenceBlock, selectTemplate, type DraftInput } from '../domain/postmortem/index.js';
import type { Postmortem, PostmortemTemplate } from '../domain/postmortem/types.js';
import type { Incident, Principal, Service, TimelineEvent } from '../domain/types.js';
import { newId } from '../store/ids.js';
import type { Repositories } from '../store/repositories.js';
import { transact, type AppContext, type Tx } from './context.js';
import { changeSubject, rankSuspects } from './changes.js';
import { PROMETHEUS_RANGE_MEDIA_TYPE } from './metrics-capture.js';
import { auditState, nextVersion, recordRevision, requireTemplate } from './postmortem-common.js';

/** How far before the incident began changes are considered for the draft's candidate factors. */
const SUSPECT_LOOKBACK_MS = 24 * 3_600_000;
/** The draft names the strongest few; the full ranking stays on the incident's suspects page. */
const MAX_DRAFT_SUSPECTS = 5;

/**
 * Suspect changes as the draft lists them, in the suspects page's ranking. Changes a responder dismissed are left
 * out, unrelated ones too unless someone confirmed them.
 */
async function draftSuspects(
  repos: Repositories,
  incident: Incident,
  timeline: readonly TimelineEvent[],
): Promise<DraftInput['suspects']> {
  const alerts = timeline.filter((event) => event.kind === 'alert');
  const { items } = await rankSuspects(repos, incident, alerts, SUSPECT_LOOKBACK_MS);
  const out: DraftInput['suspects'] = [];
  for (const { suspect, change, verdict } of items) {
    if (verdict?.verdict === 'dismissed') continue;
    if (suspect.relation === 'unrelated' && verdict?.verdict !== 'confirmed') continue;
    out.push({
      subject: changeSubject(change),
      service: change.service,
      version: change.version,
      author: change.author,
      at: change.at,
      url: change.url,
      reason:
        verdict?.verdict === 'confirmed' ? `confirmed by responders; ${suspect.explanation}` : suspect.explanation,
    });
    if (out.length === MAX_DRAFT_SUSPECTS) break;
  }
  return out;
}

/**
 * Captured metric charts of the incident: the latest snapshot of each service and query (the resolve-time one
 * spans the whole incident), in service and name order.
 */
async function draftCharts(repos: Repositories, timeline: readonly TimelineEvent[]): Promise<DraftInput['charts']> {
  const metricEvents = timeline.filter(
    (e) => e.kind === 'metric' && e.source === 'prometheus' && e.artifactId !== null,
  );
  if (metricEvents.length === 0) return [];
  const metas = await repos.artifacts.meta(metricEvents.map((e) => e.artifactId ?? ''));
  const snapshots = new Set(metas.filter((m) => m.mediaType === PROMETHEUS_RANGE_MEDIA_TYPE).map((m) => m.id));
  const latest = new Map<string, { event: TimelineEvent; chart: DraftInput['charts'][number] }>();
  for (const event of metricEvents) {
    const artifactId = event.artifactId;
    if (artifactId === null || !snapshots.has(artifactId)) continue;
    const service = event.labels.service ?? '';
    const title = event.labels.query ?? event.title;
    const key = `${service}\u0000${title}`;
    const known = latest.get(key);
    if (!known || event.at >= known.event.at) latest.set(key, { event, chart: { artifactId, title, service } });
  }
  return [...latest.values()]
    .map((v) => v.chart)
    .sort((a, b) => a.service.localeCompare(b.service, 'en') || a.title.localeCompare(b.title, 'en'));
}

/** Everything the draft is composed from, read in the caller's transaction. */
async function draftInput(tx: Tx, incident: Incident, template: PostmortemTemplate): Promise<DraftInput> {
  const timeline = await tx.repos.timeline.list(incident.id);
  const services: Service[] = [];
  for (const name of incident.services) {
    const service = await tx.repos.catalog.findService(name);
    if (service) services.push(service);
  }
  const completeness = telemetryCompleteness(timeline.map((e) => e.kind));
  const people = Object.fromEntries((await tx.repos.identity.listUsers()).map((u) => [u.email.toLowerCase(), u.name]));
  return {
    template,
    incident,
    durations: computeDurations(incident),
    timeline,
    suspects: await draftSuspects(tx.repos, incident, timeline),
    services,
    charts: await draftCharts(tx.repos, timeline),
    evidence: { present: completeness.present, missing: completeness.missing },
    people,
  };
}

/** The template for a new postmortem: the one asked for, else the most specific match for the incident. */
async function chooseTemplate(tx: Tx, incident: Incident, templateId: string | undefined): Promise<PostmortemTemplate> {
  if (templateId === undefined) return selectTemplate(await tx.repos.templates.list(), incident);
  return requireTemplate(tx.repos, templateId);
}

/**
 * Creates the postmortem of `incident` inside the caller's transaction: with `body` (an import) as given, otherwise
 * a draft composed from the incident's evidence with the chosen or best-matching template. Writes revision 1 and
 * audits as `actor`. The caller checks permissions; this is also the step resolving an incident runs.
 *
 * @throws DebriefError DEBRIEF_ERR_ALREADY_EXISTS when the incident already has a postmortem.
 * @example
 * await transact(ctx, (tx) => createPostmortemIn(tx, actor, incident)); // draft with the matching template
 */
export async function createPostmortemIn(
  tx: Tx,
  actor: Principal,
  incident: Incident,
  options: { templateId?: string | undefined; body?: string | undefined } = {},
): Promise<Postmortem> {
  if (await tx.repos.postmortems.findByIncident(incident.id)) {
    throw new DebriefError('DEBRIEF_ERR_ALREADY_EXISTS', `${incident.key} already has a postmortem`, {
      field: 'postmortem',
    });
  }
  const template = await chooseTemplate(tx, incident, options.templateId);
  const body = options.body ?? composeDraft(await draftInput(tx, incident, template));
  const label = principalLabel(actor);
  const postmortem: Postmortem = {
    id: newId(Date.parse(tx.now)),
    incidentId: incident.id,
    templateId: template.id,
    status: 'draft',
    body,
    hiddenSections: [],
    round: 0,
    createdBy: label,
    createdAt: tx.now,
    updatedAt: tx.now,
    updatedBy: label,
    reviewRequestedAt: null,
    reviewRequestedBy: null,
    publishedAt: null,
    publishedBy: null,
    version: 1,
  };
  await tx.repos.postmortems.insert(postmortem);
  await recordRevision(tx, postmortem, label);
  await tx.audit(
    actor,
    options.body === undefined ? 'postmortem.draft' : 'postmortem.import',
    'postmortem',
    incident.key,
    null,
    {
      ...auditState(postmortem),
      template: template.name,
    },
  );
  return postmortem;
}

/**
 * Rewrites the chart block of the incident's postmortem from the metric snapshots captured so far, while it is
 * still a draft (after that the text is the writers', and reviews may be under way). Returns whether the text
 * changed. Safe to run repeatedly: an unchanged block writes nothing.
 */
export async function refreshPostmortemCharts(ctx: AppContext, actor: Principal, incidentId: string): Promise<boolean> {
  return transact(ctx, async (tx) => {
    const incident = await tx.repos.incidents.findById(incidentId);
    const before = incident ? await tx.repos.postmortems.findByIncident(incident.id) : null;
    if (!incident || !before || before.status !== 'draft') return false;
    const charts = await draftCharts(tx.repos, await tx.repos.timeline.list(incident.id));
    const body = replaceEvidenceBlock(before.body, charts);
    if (body === before.body) return false;
    const after: Postmortem = { ...nextVersion(tx, before), body, updatedBy: principalLabel(actor) };
    // Lost to a concurrent edit: the writer's text wins, and the charts stay reachable from the timeline.
    if (!(await tx.repos.postmortems.update(after, before.version))) return false;
    await recordRevision(tx, after, principalLabel(actor));
    await tx.audit(actor, 'postmortem.charts', 'postmortem', incident.key, auditState(before), {
      ...auditState(after),
      charts: charts.length,
    });
    return true;
  });
}
