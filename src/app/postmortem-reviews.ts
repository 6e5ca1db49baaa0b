/**
 * Review of a postmortem: requesting a review round, approving or requesting changes, comments anchored to
 * sections, and redaction waivers (a reviewer's decision to keep a value in the internal version).
 */
import { parseSections } from '../analysis/postmortem/index.js';
import { can, principalLabel } from '../domain/access.js';
import { DebriefError, notFound, validationError } from '../domain/errors.js';
import { assertCanRequestReview, assertCanReview, statusAfterReview } from '../domain/postmortem/index.js';
import type {
  ApprovalState,
  Postmortem,
  PostmortemComment,
  PostmortemReview,
  RedactionWaiver,
} from '../domain/postmortem/types.js';
import type { Principal } from '../domain/types.js';
import { newId } from '../store/ids.js';
import { read, transact, type AppContext } from './context.js';
import { statusEvent } from './incidents.js';
import {
  assertNotPublished,
  auditState,
  currentApproval,
  findTemplate,
  loadForWrite,
  loadPostmortem,
  nextVersion,
  presentPostmortem,
  storePostmortem,
} from './postmortem-common.js';
import {
  addCommentInput,
  requestReviewInput,
  resolveCommentInput,
  reviewPostmortemInput,
  waiveRedactionInput,
  type AddCommentInput,
  type RequestReviewInput,
  type ResolveCommentInput,
  type ReviewPostmortemInput,
  type WaiveRedactionInput,
} from './postmortem-inputs.js';
import { findRedactions, redactionFingerprint } from './postmortem-text.js';
import type { PostmortemView } from './postmortem-views.js';
import { parseInput } from './validate.js';

/**
 * Opens a review round: the round number goes up (approvals of earlier rounds no longer count) and the
 * postmortem is in review. Allowed from draft or changes requested. An optional note goes on the incident's
 * timeline with the request.
 *
 * @example
 * await requestReview(ctx, author, 'INC-12', { version: 6, note: 'Ready for the Thursday review' });
 */
export async function requestReview(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: RequestReviewInput = {},
): Promise<PostmortemView> {
  const input = parseInput(requestReviewInput, raw);
  return transact(ctx, async (tx) => {
    const { incident, postmortem: before } = await loadForWrite(tx.repos, actor, key, 'postmortem.edit', {
      version: input.version,
      status: (postmortem) => assertCanRequestReview(postmortem.status),
    });
    const label = principalLabel(actor);
    const after: Postmortem = {
      ...nextVersion(tx, before),
      status: 'in_review',
      round: before.round + 1,
      reviewRequestedAt: tx.now,
      reviewRequestedBy: label,
    };
    await storePostmortem(tx, incident, before, after);
    const title = `Postmortem review requested (round ${after.round})`;
    await tx.repos.timeline.insert(statusEvent(incident, tx, label, tx.now, title, input.note ?? ''));
    await tx.audit(actor, 'postmortem.request_review', 'postmortem', incident.key, auditState(before), {
      ...auditState(after),
      note: input.note ?? '',
    });
    return presentPostmortem(after, incident, await findTemplate(tx.repos, after.templateId));
  });
}

export interface ReviewResult {
  postmortem: PostmortemView;
  review: PostmortemReview;
  approvals: ApprovalState;
}

/**
 * Records a reviewer's decision in the current round and moves the status: changes requested when anyone's latest
 * decision asks for changes, approved when the approval policy is met, in review otherwise. Whoever requested the
 * review may not approve it; asking for changes needs a comment saying which.
 *
 * @throws DebriefError DEBRIEF_ERR_FORBIDDEN for a self-approval or a role below reviewer.
 * @example
 * await reviewPostmortem(ctx, reviewer, 'INC-12', { decision: 'approve', score: 4 });
 */
export async function reviewPostmortem(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: ReviewPostmortemInput,
): Promise<ReviewResult> {
  const input = parseInput(reviewPostmortemInput, raw);
  if (input.decision === 'request_changes' && input.comment === '') {
    throw validationError('comment', 'say which changes you are asking for');
  }
  return transact(ctx, async (tx) => {
    const { incident, postmortem: before } = await loadPostmortem(tx.repos, actor, key, 'postmortem.review');
    assertCanReview(before.status);
    const label = principalLabel(actor);
    if (input.decision === 'approve' && before.reviewRequestedBy === label) {
      throw new DebriefError(
        'DEBRIEF_ERR_FORBIDDEN',
        'you requested this review, so you cannot approve it; another reviewer must',
        { field: 'decision' },
      );
    }
    const review: PostmortemReview = {
      id: newId(Date.parse(tx.now)),
      postmortemId: before.id,
      round: before.round,
      reviewer: label,
      decision: input.decision,
      score: input.score ?? null,
      comment: input.comment,
      createdAt: tx.now,
    };
    await tx.repos.postmortems.insertReview(review);
    const approvals = await currentApproval(ctx, tx.repos, incident, before);
    const after: Postmortem = { ...nextVersion(tx, before), status: statusAfterReview(approvals) };
    await storePostmortem(tx, incident, before, after);
    await tx.audit(actor, 'postmortem.review', 'postmortem', incident.key, auditState(before), {
      ...auditState(after),
      decision: review.decision,
      score: review.score,
    });
    return {
      postmortem: presentPostmortem(after, incident, await findTemplate(tx.repos, after.templateId)),
      review,
      approvals,
    };
  });
}

/**
 * Comments on one section of the text (by its id, the slug of its heading).
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION naming `section` when the text has no such section.
 * @example
 * await addComment(ctx, reviewer, 'INC-12', { section: 'contributing-factors', body: 'Is the retry storm a factor?' });
 */
export async function addComment(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: AddCommentInput,
): Promise<PostmortemComment> {
  const input = parseInput(addCommentInput, raw);
  return transact(ctx, async (tx) => {
    const { incident, postmortem } = await loadPostmortem(tx.repos, actor, key, 'postmortem.comment');
    const sections = parseSections(postmortem.body);
    if (!sections.some((s) => s.id === input.section)) {
      const known = sections.map((s) => s.id).join(', ');
      throw validationError('section', `the text has no section "${input.section}"; sections are ${known || 'none'}`);
    }
    const comment: PostmortemComment = {
      id: newId(Date.parse(tx.now)),
      postmortemId: postmortem.id,
      section: input.section,
      author: principalLabel(actor),
      body: input.body,
      createdAt: tx.now,
      resolvedAt: null,
      resolvedBy: null,
    };
    await tx.repos.postmortems.insertComment(comment);
    await tx.audit(actor, 'postmortem.comment', 'postmortem', incident.key, null, comment);
    return comment;
  });
}

/**
 * Marks a comment resolved, or open again. Its author may, and so may anyone who may edit the postmortem.
 *
 * @example
 * await resolveComment(ctx, author, 'INC-12', commentId, { resolved: true });
 */
export async function resolveComment(
  ctx: AppContext,
  actor: Principal,
  key: string,
  id: string,
  raw: ResolveCommentInput,
): Promise<PostmortemComment> {
  const input = parseInput(resolveCommentInput, raw);
  return transact(ctx, async (tx) => {
    const { incident, postmortem } = await loadPostmortem(tx.repos, actor, key, 'postmortem.comment');
    const before = await tx.repos.postmortems.getComment(id);
    if (!before || before.postmortemId !== postmortem.id) throw notFound('comment', id);
    const label = principalLabel(actor);
    if (before.author !== label && !can(actor, 'postmortem.edit', incident)) {
      throw new DebriefError(
        'DEBRIEF_ERR_FORBIDDEN',
        `only the comment's author or someone who may edit the postmortem may resolve it`,
      );
    }
    if ((before.resolvedAt !== null) === input.resolved) return before;
    const after: PostmortemComment = input.resolved
      ? { ...before, resolvedAt: tx.now, resolvedBy: label }
      : { ...before, resolvedAt: null, resolvedBy: null };
    await tx.repos.postmortems.updateComment(after);
    await tx.audit(
      actor,
      input.resolved ? 'postmortem.comment_resolve' : 'postmortem.comment_reopen',
      'postmortem',
      incident.key,
      before,
      after,
    );
    return after;
  });
}

/**
 * Keeps one redaction finding in the internal version, with the reason; the external version still redacts it.
 * The finding must be in the current text; the waiver stores its fingerprint, never the value.
 *
 * @throws DebriefError DEBRIEF_ERR_ALREADY_EXISTS (409, field `fingerprint`) when it is already waived.
 * @example
 * await waiveRedaction(ctx, reviewer, 'INC-12', { fingerprint, reason: 'public status page address' });
 */
export async function waiveRedaction(
  ctx: AppContext,
  actor: Principal,
  key: string,
  raw: WaiveRedactionInput,
): Promise<RedactionWaiver> {
  const input = parseInput(waiveRedactionInput, raw);
  const checked = await loadPostmortem(read(ctx), actor, key, 'postmortem.waive');
  assertNotPublished(checked.postmortem, 'get new waivers');
  const findings = await findRedactions(ctx, checked.postmortem.body);
  const finding = findings.find((f) => redactionFingerprint(f.kind, f.text) === input.fingerprint);
  if (!finding) throw validationError('fingerprint', 'no redaction finding with this fingerprint in the current text');
  return transact(ctx, async (tx) => {
    const { incident, postmortem } = await loadPostmortem(tx.repos, actor, key, 'postmortem.waive');
    const waiver: RedactionWaiver = {
      id: newId(Date.parse(tx.now)),
      postmortemId: postmortem.id,
      fingerprint: input.fingerprint,
      kind: finding.kind,
      reason: input.reason,
      waivedBy: principalLabel(actor),
      createdAt: tx.now,
    };
    await tx.repos.postmortems.insertWaiver(waiver);
    await tx.audit(actor, 'postmortem.waive', 'postmortem', incident.key, null, waiver);
    return waiver;
  });
}

/**
 * Withdraws a waiver: the finding counts as unresolved again until it is redacted or waived anew.
 *
 * @example
 * await removeWaiver(ctx, reviewer, 'INC-12', waiverId);
 */
export async function removeWaiver(ctx: AppContext, actor: Principal, key: string, id: string): Promise<void> {
  await transact(ctx, async (tx) => {
    const { incident, postmortem } = await loadPostmortem(tx.repos, actor, key, 'postmortem.waive');
    const waiver = await tx.repos.postmortems.getWaiver(id);
    if (!waiver || waiver.postmortemId !== postmortem.id) throw notFound('waiver', id);
    await tx.repos.postmortems.deleteWaiver(id);
    await tx.audit(actor, 'postmortem.unwaive', 'postmortem', incident.key, waiver, null);
  });
}
