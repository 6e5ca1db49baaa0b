/**
 * What the postmortem use cases share: loading a postmortem with its incident for an action, optimistic writes,
 * the presenter, and the assessment (findings, approvals, gates, quality) every read and publish derives.
 */
import {
  countSentences,
  findSection,
  isImpactQuantified,
  parseActionItems,
  parseContributingFactors,
  parseSections,
  stripPrompts,
  type ParsedSection,
} from '../analysis/postmortem/index.js';
import type { Action } from '../domain/access.js';
import { DebriefError, validationError } from '../domain/errors.js';
import {
  approvalState,
  BUILT_IN_TEMPLATE_ID,
  DEFAULT_TEMPLATE,
  EVIDENCE_BLOCK_END,
  EVIDENCE_BLOCK_START,
  publishBlockers,
  scoreQuality,
} from '../domain/postmortem/index.js';
import type {
  ActionItem,
  ApprovalState,
  ContributingFactor,
  Postmortem,
  PostmortemPublication,
  PostmortemReview,
  PostmortemTemplate,
  PublishBlocker,
  QualityReport,
  RedactionWaiver,
} from '../domain/postmortem/types.js';
import type { Incident, Principal } from '../domain/types.js';
import { newId } from '../store/ids.js';
import type { Repositories } from '../store/repositories.js';
import type { AppContext, Tx } from './context.js';
import { loadIncident } from './guard.js';
import { checkText } from './postmortem-text.js';
import type { PostmortemView, TextCheckView } from './postmortem-views.js';

/** Whether the text's chart block holds at least one chart (an empty block links nothing). */
export function hasCharts(body: string): boolean {
  const start = body.indexOf(EVIDENCE_BLOCK_START);
  const end = start === -1 ? -1 : body.indexOf(EVIDENCE_BLOCK_END, start);
  return end !== -1 && body.slice(start, end).includes('![');
}

export interface LoadedPostmortem {
  incident: Incident;
  postmortem: Postmortem;
}

/**
 * The incident (visible to `actor`, who must be allowed `action` on it) and its postmortem. A private incident the
 * actor cannot see is "not found" exactly like a missing one; an incident without a postmortem yet is a 404 naming
 * the postmortem.
 */
export async function loadPostmortem(
  repos: Repositories,
  actor: Principal,
  key: string,
  action: Action,
): Promise<LoadedPostmortem> {
  const incident = await loadIncident(repos, actor, key, action);
  const postmortem = await repos.postmortems.findByIncident(incident.id);
  if (!postmortem) {
    throw new DebriefError('DEBRIEF_ERR_NOT_FOUND', `${incident.key} has no postmortem yet`, { field: 'postmortem' });
  }
  return { incident, postmortem };
}

/**
 * A stale write: the problem carries the stored state (`current`) so an editor can show both texts and let the
 * writer merge instead of losing either.
 */
export class PostmortemConflictError extends DebriefError {
  readonly extensions: { current: { version: number; body: string; updatedBy: string; updatedAt: string } };

  constructor(incident: Incident, current: Postmortem, sent: number) {
    super(
      'DEBRIEF_ERR_VERSION_CONFLICT',
      `the postmortem of ${incident.key} was changed by ${current.updatedBy} (now version ${current.version}, you ` +
        `sent ${sent}); merge your text with the current one and save again`,
      { field: 'version' },
    );
    this.name = 'PostmortemConflictError';
    this.extensions = {
      current: {
        version: current.version,
        body: current.body,
        updatedBy: current.updatedBy,
        updatedAt: current.updatedAt,
      },
    };
  }
}

/** Throws the conflict when the client's `version` is not the stored one. */
export function expectVersion(loaded: LoadedPostmortem, sent: number | undefined): void {
  if (sent !== undefined && sent !== loaded.postmortem.version) {
    throw new PostmortemConflictError(loaded.incident, loaded.postmortem, sent);
  }
}

/**
 * {@link loadPostmortem} for a write made against the version the writer saw (`version` undefined: no check).
 * `status` runs first, so a write the status forbids is refused for that reason rather than as a conflict.
 *
 * Writes that check the text before their transaction load twice: outside it with the client's version, and inside
 * it with the version the checks were done for, since they are only valid for that exact text.
 *
 * @example
 * const { incident, postmortem } = await loadForWrite(repos, actor, 'INC-12', 'postmortem.edit', {
 *   version: 4,
 *   status: (p) => assertNotPublished(p, 'be edited'),
 * });
 */
export async function loadForWrite(
  repos: Repositories,
  actor: Principal,
  key: string,
  action: Action,
  check: { version: number | undefined; status?: (postmortem: Postmortem) => void },
): Promise<LoadedPostmortem> {
  const loaded = await loadPostmortem(repos, actor, key, action);
  check.status?.(loaded.postmortem);
  expectVersion(loaded, check.version);
  return loaded;
}

/** Writes `after` if the stored version is still `before.version`; otherwise the conflict with the current state. */
export async function storePostmortem(
  tx: Tx,
  incident: Incident,
  before: Postmortem,
  after: Postmortem,
): Promise<void> {
  if (await tx.repos.postmortems.update(after, before.version)) return;
  const current = (await tx.repos.postmortems.get(before.id)) ?? before;
  throw new PostmortemConflictError(incident, current, before.version);
}

/** Keeps the postmortem's current text in its history as the revision of its version, written by `author`. */
export async function recordRevision(tx: Tx, postmortem: Postmortem, author: string): Promise<void> {
  await tx.repos.postmortems.insertRevision({
    id: newId(Date.parse(tx.now)),
    postmortemId: postmortem.id,
    version: postmortem.version,
    body: postmortem.body,
    author,
    createdAt: tx.now,
  });
}

/** A template that must exist: the built-in default or a stored one, else a validation error on `templateId`. */
export async function requireTemplate(repos: Repositories, id: string): Promise<PostmortemTemplate> {
  const template = await findTemplate(repos, id);
  if (!template) throw validationError('templateId', `no template with id "${id}"`);
  return template;
}

/** The next state of a postmortem for any write: a new version at the transaction's time. */
export function nextVersion(tx: Tx, postmortem: Postmortem): Postmortem {
  return { ...postmortem, updatedAt: tx.now, version: postmortem.version + 1 };
}

/** Refuses changes to a published postmortem: its text is frozen until someone reopens it. */
export function assertNotPublished(postmortem: Postmortem, what: string): void {
  if (postmortem.status === 'published') {
    throw new DebriefError(
      'DEBRIEF_ERR_INVALID_TRANSITION',
      `status: a published postmortem cannot ${what}; reopen it first`,
      { field: 'status' },
    );
  }
}

/** A template by id: the built-in default, a stored one, or null. */
export async function findTemplate(repos: Repositories, id: string): Promise<PostmortemTemplate | null> {
  if (id === BUILT_IN_TEMPLATE_ID) return DEFAULT_TEMPLATE;
  return repos.templates.get(id);
}

/** The audit record of a postmortem: its state without the text, which may be megabytes and hold secrets. */
export function auditState(postmortem: Postmortem): Record<string, unknown> {
  return {
    status: postmortem.status,
    version: postmortem.version,
    round: postmortem.round,
    templateId: postmortem.templateId,
    hiddenSections: postmortem.hiddenSections,
    size: Buffer.byteLength(postmortem.body, 'utf8'),
  };
}

/**
 * The postmortem as it leaves the server. A template deleted after the postmortem was written keeps its id and is
 * named by it.
 */
export function presentPostmortem(
  postmortem: Postmortem,
  incident: Incident,
  template: PostmortemTemplate | null,
): PostmortemView {
  return {
    id: postmortem.id,
    incident: {
      key: incident.key,
      title: incident.title,
      severity: incident.severity,
      type: incident.type,
      status: incident.status,
      visibility: incident.visibility,
      services: incident.services,
      resolvedAt: incident.resolvedAt,
    },
    template: { id: postmortem.templateId, name: template?.name ?? postmortem.templateId },
    status: postmortem.status,
    body: postmortem.body,
    version: postmortem.version,
    hiddenSections: postmortem.hiddenSections,
    round: postmortem.round,
    createdBy: postmortem.createdBy,
    createdAt: postmortem.createdAt,
    updatedAt: postmortem.updatedAt,
    updatedBy: postmortem.updatedBy,
    reviewRequestedAt: postmortem.reviewRequestedAt,
    reviewRequestedBy: postmortem.reviewRequestedBy,
    publishedAt: postmortem.publishedAt,
    publishedBy: postmortem.publishedBy,
  };
}

/** Owners of the incident's impacted services, sorted and deduplicated: who may give the owner approval. */
export async function serviceOwners(repos: Repositories, incident: Incident): Promise<string[]> {
  const owners = new Set<string>();
  for (const name of incident.services) {
    const service = await repos.catalog.findService(name);
    for (const owner of service?.owners ?? []) owners.add(owner);
  }
  return [...owners].sort();
}

/** The approval state of the postmortem's current review round under the organisation's policy. */
export async function currentApproval(
  ctx: AppContext,
  repos: Repositories,
  incident: Incident,
  postmortem: Postmortem,
  reviews?: readonly PostmortemReview[],
): Promise<ApprovalState> {
  const policy = ctx.settings.postmortems;
  return approvalState({
    severity: incident.severity,
    round: postmortem.round,
    reviews: reviews ?? (await repos.postmortems.listReviews(postmortem.id)),
    owners: await serviceOwners(repos, incident),
    approvals: policy.approvals,
    ownerApprovalSeverities: policy.ownerApprovalSeverities,
  });
}

/** Everything derived from a postmortem's stored text and records: what pages show and what publishing checks. */
export interface Assessment {
  sections: ParsedSection[];
  factors: ContributingFactor[];
  actionItems: ActionItem[];
  check: TextCheckView;
  waivers: RedactionWaiver[];
  reviews: PostmortemReview[];
  approval: ApprovalState;
  blameErrors: number;
  unresolvedRedactions: number;
  blockers: PublishBlocker[];
  quality: QualityReport;
  publication: PostmortemPublication | null;
}

/**
 * Checks the stored text (blame lint, redaction with waivers), works out approvals, publish gates and the quality
 * rubric. Pure reads; runs outside transactions so a long text check never holds a write lock.
 */
export async function assess(
  ctx: AppContext,
  repos: Repositories,
  incident: Incident,
  postmortem: Postmortem,
): Promise<Assessment> {
  const [waivers, reviews, publication, linkedEvidence] = await Promise.all([
    repos.postmortems.listWaivers(postmortem.id),
    repos.postmortems.listReviews(postmortem.id),
    repos.postmortems.latestPublication(postmortem.id),
    repos.timeline.hasLinkedEvidence(incident.id),
  ]);
  const body = postmortem.body;
  const check = await checkText(ctx, body, waivers);
  const sections = parseSections(body);
  const factors = parseContributingFactors(body);
  const actionItems = parseActionItems(body);
  const approval = await currentApproval(ctx, repos, incident, postmortem, reviews);
  const blameErrors = check.lint.filter((f) => f.severity === 'error').length;
  const unresolvedRedactions = check.redaction.filter((f) => f.waiver === null).length;
  const blockers = publishBlockers({
    status: postmortem.status,
    approval,
    blameErrors,
    unresolvedRedactions,
    services: incident.services,
  });
  const tldr = findSection(sections, 'tldr');
  const tldrText = tldr ? stripPrompts(tldr.content) : '';
  const impact = findSection(sections, 'impact');
  const policy = ctx.settings.postmortems;
  const quality = scoreQuality({
    tldr: { filled: tldr?.filled ?? false, sentences: countSentences(tldrText) },
    impactQuantified: impact ? isImpactQuantified(stripPrompts(impact.content)) : false,
    markers: {
      impactStart: incident.impactStartedAt !== null,
      detected: incident.detectedAt !== null,
      mitigated: incident.mitigatedAt !== null,
      resolved: incident.resolvedAt !== null,
    },
    factors,
    actionItems,
    openBlameFindings: blameErrors,
    unresolvedRedactions,
    evidenceLinked: linkedEvidence || hasCharts(body),
    resolvedAt: incident.resolvedAt,
    publishedAt: postmortem.publishedAt ?? publication?.publishedAt ?? null,
    now: ctx.now().toISOString(),
    publishWithinDays: policy.publishWithinDays,
    reviewerScores: reviews.filter((r) => r.round === postmortem.round && r.score !== null).map((r) => r.score ?? 0),
  });
  return {
    sections,
    factors,
    actionItems,
    check,
    waivers,
    reviews,
    approval,
    blameErrors,
    unresolvedRedactions,
    blockers,
    quality,
    publication,
  };
}
