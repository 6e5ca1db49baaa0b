/**
 * Postmortem use cases: reading one with everything its page shows, creating it, saving its text with optimistic
 * concurrency and revision history, hiding sections from the external version, live text checks, and the list.
 * Reviews, publishing, readership and templates live in the neighbouring `postmortem-*.ts` files and are
 * re-exported here, so callers import every postmortem use case from this module.
 */
import { parseSections } from '../analysis/postmortem/index.js';
import { can, principalLabel } from '../domain/access.js';
import { DebriefError, validationError } from '../domain/errors.js';
import { canEditBody, statusAfterEdit } from '../domain/postmortem/index.js';
import type { Postmortem, PostmortemRevision } from '../domain/postmortem/types.js';
import type { Principal } from '../domain/types.js';
import type { RevisionSummary } from '../store/postmortem-repository.js';
import { read, transact, type AppContext } from './context.js';
import { authorize, loadIncident } from './guard.js';
import { accessScope } from './incidents.js';
import {
  assess,
  assertNotPublished,
  auditState,
  findTemplate,
  loadForWrite,
  loadPostmortem,
  nextVersion,
  presentPostmortem,
  recordRevision,
  requireTemplate,
  storePostmortem,
} from './postmortem-common.js';
import { createPostmortemIn } from './postmortem-draft.js';
import {
  checkPostmortemTextInput,
  createPostmortemInput,
  listPostmortemsInput,
  revisionInput,
  savePostmortemBodyInput,
  updatePostmortemInput,
  type CheckPostmortemTextInput,
  type CreatePostmortemInput,
  type ListPostmortemsInput,
  type SavePostmortemBodyInput,
  type UpdatePostmortemInput,
} from './postmortem-inputs.js';
import { checkText } from './postmortem-text.js';
import type { PostmortemDetailView, PostmortemSummaryView, PostmortemView, TextCheckView } from './postmortem-views.js';
import { parseInput } from './validate.js';

export { createPostmortemIn, refreshPostmortemCharts } from './postmortem-draft.js';
export {
  applyRedactions,
  publishPostmortem,
  reopenPostmortem,
  getPostmortemVersions,
} from './postmortem-publishing.js';
export { acknowledgePostmortem, getReadership, recordView } from './postmortem-readership.js';
export {
  addComment,
  removeWaiver,
  requestReview,
  resolveComment,
  reviewPostmortem,
  waiveRedaction,
} from './postmortem-reviews.js';
export { createTemplate, deleteTemplate, getTemplate, listTemplates, updateTemplate } from './postmortem-templates.js';
export { checkText, externalVersion, redactionFingerprint } from './postmortem-text.js';
export { PostmortemConflictError } from './postmortem-common.js';

/** Saves by one author within this long of the revision they started fold into it, so history stays readable. */
export const REVISION_FOLD_MS = 5 * 60_000;

/**
 * Everything the postmortem page shows: the text, its sections, contributing factors and action items read from
 * it, blame-language and redaction findings (matched text only for those who may edit), approvals, reviews,
 * comments, waivers, the quality rubric, publish blockers, the latest publication and the caller's permissions.
 *
 * @throws DebriefError DEBRIEF_ERR_NOT_FOUND when the incident is missing or private to others, or has no
 * postmortem yet (field `postmortem`).
 * @example
 * const detail = await getPostmortem(ctx, actor, 'INC-12');
 * detail.blockers.map((b) => b.message); // ['status is draft: request review first']
 */
export async function getPostmortem(ctx: AppContext, actor: Principal, key: string): Promise<PostmortemDetailView> {
  const repos = read(ctx);
  const { incident, postmortem } = await loadPostmortem(repos, actor, key, 'postmortem.read');
  const [assessment, comments, template] = await Promise.all([
    assess(ctx, repos, incident, postmortem),
    repos.postmortems.listComments(postmortem.id),
    findTemplate(repos, postmortem.templateId),
  ]);
  const editable = canEditBody(postmortem.status);
  const mayEdit = can(actor, 'postmortem.edit', incident);
  const hidden = new Set(postmortem.hiddenSections);
  return {
    postmortem: presentPostmortem(postmortem, incident, template),
    sections: assessment.sections.map((s) => ({
      id: s.id,
      title: s.title,
      line: s.line,
      filled: s.filled,
      hiddenExternally: hidden.has(s.id),
    })),
    factors: assessment.factors,
    actionItems: assessment.actionItems,
    lint: assessment.check.lint,
    redaction: mayEdit ? assessment.check.redaction : assessment.check.redaction.map((f) => ({ ...f, text: '' })),
    approvals: assessment.approval,
    reviews: assessment.reviews,
    comments,
    waivers: assessment.waivers,
    quality: assessment.quality,
    // A published postmortem has nothing left to publish: "already published" is not a gate anyone can act on.
    blockers: postmortem.status === 'published' ? [] : assessment.blockers,
    publication: assessment.publication
      ? {
          version: assessment.publication.version,
          publishedAt: assessment.publication.publishedAt,
          publishedBy: assessment.publication.publishedBy,
        }
      : null,
    permissions: {
      edit: mayEdit && editable,
      comment: can(actor, 'postmortem.comment', incident),
      review:
        can(actor, 'postmortem.review', incident) &&
        (postmortem.status === 'in_review' || postmortem.status === 'approved'),
      waive: can(actor, 'postmortem.waive', incident) && editable,
      publish: can(actor, 'postmortem.publish', incident) && editable,
    },
  };
}

/**
 * Creates the postmortem of an incident that has none (resolving an incident creates one by itself): a draft
 * composed from the evidence, with `templateId` or the template that best matches the incident.
 *
 * @throws DebriefError DEBRIEF_ERR_ALREADY_EXISTS (409) when it already has one.
 * @example
 * await createPostmortem(ctx, actor, 'INC-12', { templateId: 'default' });
 */
export async function createPostmortem(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: CreatePostmortemInput = {},
): Promise<PostmortemView> {
  const input = parseInput(createPostmortemInput, raw);
  return transact(ctx, async (tx) => {
    const incident = await loadIncident(tx.repos, actor, key, 'postmortem.edit');
    const postmortem = await createPostmortemIn(tx, actor, incident, { templateId: input.templateId });
    return presentPostmortem(postmortem, incident, await findTemplate(tx.repos, postmortem.templateId));
  });
}

/**
 * Whether a save extends the author's latest revision instead of starting one: same author, nothing else written
 * since, started less than {@link REVISION_FOLD_MS} ago. The first revision (the composed draft) is never folded,
 * so what people changed in it stays visible.
 */
function foldsInto(latest: PostmortemRevision | null, postmortem: Postmortem, author: string, now: string): boolean {
  return (
    latest !== null &&
    latest.version > 1 &&
    latest.version === postmortem.version &&
    latest.author === author &&
    Date.parse(now) - Date.parse(latest.createdAt) < REVISION_FOLD_MS
  );
}

/**
 * Saves the text. `version` must be the one the writer loaded; otherwise DEBRIEF_ERR_VERSION_CONFLICT (409) whose
 * problem carries `current: { version, body, updatedBy, updatedAt }`. With `dismissStaleApprovals`, an edit while
 * approvals are counting (in review with approvals, or approved) starts a new review round so approvals of the
 * older text no longer count, and an approved postmortem goes back to review. Published ones are read-only. With
 * `restoredFrom` (a revision's version) the save restores that revision: it gets its own revision and audit entry.
 *
 * @example
 * const saved = await savePostmortemBody(ctx, actor, 'INC-12', { body: text, version: 3 }); // saved.version === 4
 */
export async function savePostmortemBody(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: SavePostmortemBodyInput,
): Promise<PostmortemView> {
  const input = parseInput(savePostmortemBodyInput, raw);
  return transact(ctx, async (tx) => {
    const { incident, postmortem: before } = await loadForWrite(tx.repos, actor, key, 'postmortem.edit', {
      version: input.version,
      status: (postmortem) => assertNotPublished(postmortem, 'be edited'),
    });
    const template = await findTemplate(tx.repos, before.templateId);
    if (input.restoredFrom !== undefined && !(await tx.repos.postmortems.getRevision(before.id, input.restoredFrom))) {
      throw validationError('restoredFrom', `no revision ${input.restoredFrom} of this postmortem`);
    }
    if (input.body === before.body) return presentPostmortem(before, incident, template);
    const label = principalLabel(actor);
    const dismiss = ctx.settings.postmortems.dismissStaleApprovals;
    let round = before.round;
    if (dismiss && (before.status === 'in_review' || before.status === 'approved')) {
      const reviews = await tx.repos.postmortems.listReviews(before.id);
      if (reviews.some((r) => r.round === before.round && r.decision === 'approve')) round += 1;
    }
    const after: Postmortem = {
      ...nextVersion(tx, before),
      body: input.body,
      updatedBy: label,
      status: statusAfterEdit(before.status, dismiss),
      round,
    };
    await storePostmortem(tx, incident, before, after);
    const latest = await tx.repos.postmortems.latestRevision(before.id);
    // A restore keeps the text it replaces in the history, however recent that was.
    if (latest && input.restoredFrom === undefined && foldsInto(latest, before, label, tx.now)) {
      await tx.repos.postmortems.updateRevision({ ...latest, version: after.version, body: after.body });
    } else {
      await recordRevision(tx, after, label);
    }
    await tx.audit(
      actor,
      input.restoredFrom === undefined ? 'postmortem.edit' : 'postmortem.restore',
      'postmortem',
      incident.key,
      auditState(before),
      input.restoredFrom === undefined ? auditState(after) : { ...auditState(after), restoredFrom: input.restoredFrom },
    );
    return presentPostmortem(after, incident, template);
  });
}

/**
 * Changes which sections the external version leaves out (each must be a section of the current text) or which
 * template the postmortem is filed under (its text stays as it is).
 *
 * @example
 * await updatePostmortem(ctx, actor, 'INC-12', { version: 4, hiddenSections: ['where-we-got-lucky'] });
 */
export async function updatePostmortem(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: UpdatePostmortemInput,
): Promise<PostmortemView> {
  const input = parseInput(updatePostmortemInput, raw);
  return transact(ctx, async (tx) => {
    const { incident, postmortem: before } = await loadForWrite(tx.repos, actor, key, 'postmortem.edit', {
      version: input.version,
      status: (postmortem) => assertNotPublished(postmortem, 'be changed'),
    });
    const after = nextVersion(tx, before);
    if (input.hiddenSections !== undefined) {
      const ids = new Set(parseSections(before.body).map((s) => s.id));
      input.hiddenSections.forEach((id, i) => {
        if (!ids.has(id)) throw validationError(`hiddenSections[${i}]`, `the text has no section "${id}"`);
      });
      after.hiddenSections = [...new Set(input.hiddenSections)];
    }
    let template = await findTemplate(tx.repos, before.templateId);
    if (input.templateId !== undefined) {
      template = await requireTemplate(tx.repos, input.templateId);
      after.templateId = template.id;
    }
    await storePostmortem(tx, incident, before, after);
    await tx.audit(actor, 'postmortem.update', 'postmortem', incident.key, auditState(before), auditState(after));
    return presentPostmortem(after, incident, template);
  });
}

/**
 * Blame-language and redaction findings for text being written, before it is saved, with the postmortem's waivers
 * applied. Needs edit permission: it is the editor's live feedback.
 *
 * @example
 * const { lint, redaction } = await checkPostmortemText(ctx, actor, 'INC-12', { body: draft });
 */
export async function checkPostmortemText(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: CheckPostmortemTextInput,
): Promise<TextCheckView> {
  const input = parseInput(checkPostmortemTextInput, raw);
  const repos = read(ctx);
  const { postmortem } = await loadPostmortem(repos, actor, key, 'postmortem.edit');
  return checkText(ctx, input.body, await repos.postmortems.listWaivers(postmortem.id));
}

/**
 * Postmortems the caller may see, most recently updated first, one page at a time, each with its quality score.
 * Private incidents' postmortems appear only to those who may see the incident.
 *
 * @example
 * const page = await listPostmortems(ctx, actor, { status: ['in_review'], limit: 20 });
 * const next = await listPostmortems(ctx, actor, { status: ['in_review'], limit: 20, cursor: page.nextCursor ?? undefined });
 */
export async function listPostmortems(
  ctx: AppContext,
  actor: Principal,
  raw: ListPostmortemsInput = {},
): Promise<{ items: PostmortemSummaryView[]; nextCursor: string | null }> {
  const input = parseInput(listPostmortemsInput, raw);
  authorize(actor, 'postmortem.read');
  const repos = read(ctx);
  const page = await repos.postmortems.list({
    statuses: input.status,
    scope: accessScope(actor),
    limit: input.limit,
    cursor: input.cursor ?? null,
  });
  const items: PostmortemSummaryView[] = [];
  for (const { postmortem, incident } of page.items) {
    const { quality } = await assess(ctx, repos, incident, postmortem);
    items.push({
      incident: {
        key: incident.key,
        title: incident.title,
        severity: incident.severity,
        type: incident.type,
        resolvedAt: incident.resolvedAt,
      },
      status: postmortem.status,
      score: quality.score,
      updatedAt: postmortem.updatedAt,
      publishedAt: postmortem.publishedAt,
    });
  }
  return { items, nextCursor: page.nextCursor };
}

/** The revision history, newest first, without the texts (each with its size in bytes). */
export async function listRevisions(ctx: AppContext, actor: Principal, key: string): Promise<RevisionSummary[]> {
  const repos = read(ctx);
  const { postmortem } = await loadPostmortem(repos, actor, key, 'postmortem.read');
  return repos.postmortems.listRevisions(postmortem.id);
}

/**
 * One revision's text by the postmortem version it was saved as.
 *
 * @throws DebriefError DEBRIEF_ERR_NOT_FOUND when there is no revision of that version (saves folded into a later
 * revision have none of their own).
 */
export async function getRevision(
  ctx: AppContext,
  actor: Principal,
  key: string,
  rawVersion: unknown,
): Promise<PostmortemRevision> {
  const { version } = parseInput(revisionInput, { version: rawVersion });
  const repos = read(ctx);
  const { incident, postmortem } = await loadPostmortem(repos, actor, key, 'postmortem.read');
  const revision = await repos.postmortems.getRevision(postmortem.id, version);
  if (!revision) {
    throw new DebriefError('DEBRIEF_ERR_NOT_FOUND', `the postmortem of ${incident.key} has no revision ${version}`, {
      field: 'version',
    });
  }
  return revision;
}
