/**
 * The review workflow of a postmortem: `draft -> in_review -> approved -> published`, with `changes_requested`
 * when a reviewer asks for changes, approvals counted per review round, and the gates that must be closed before
 * publishing.
 */
import { DebriefError } from '../errors.js';
import type { Severity } from '../types.js';
import type { ApprovalState, PostmortemReview, PostmortemStatus, PublishBlocker } from './types.js';

/**
 * Whether the body may be edited: in every status but `published` (reopen it first).
 *
 * @example
 * canEditBody('approved'); // true
 */
export function canEditBody(status: PostmortemStatus): boolean {
  return status !== 'published';
}

function invalid(message: string): DebriefError {
  return new DebriefError('DEBRIEF_ERR_INVALID_TRANSITION', message, { field: 'status' });
}

/**
 * The body may be edited in every status but `published`.
 *
 * @throws DebriefError DEBRIEF_ERR_INVALID_TRANSITION (field `status`) when the postmortem is published.
 */
export function assertCanEditBody(status: PostmortemStatus): void {
  if (!canEditBody(status)) throw invalid('the postmortem is published; reopen it to edit');
}

/**
 * Review may be requested of a draft, or again after changes were requested.
 *
 * @throws DebriefError DEBRIEF_ERR_INVALID_TRANSITION (field `status`) from any other status.
 */
export function assertCanRequestReview(status: PostmortemStatus): void {
  switch (status) {
    case 'draft':
    case 'changes_requested':
      return;
    case 'in_review':
      throw invalid('review is already requested (status in_review)');
    case 'approved':
      throw invalid('the postmortem is already approved; it can be published');
    case 'published':
      throw invalid('the postmortem is published; reopen it to change it and request review again');
  }
}

/**
 * Reviews are taken while the postmortem is in review, and after approval (another reviewer may still approve or
 * ask for changes).
 *
 * @throws DebriefError DEBRIEF_ERR_INVALID_TRANSITION (field `status`) from any other status.
 */
export function assertCanReview(status: PostmortemStatus): void {
  switch (status) {
    case 'in_review':
    case 'approved':
      return;
    case 'draft':
      throw invalid('the postmortem is a draft; its author must request review first');
    case 'changes_requested':
      throw invalid('changes were requested; review can start again when review is requested again');
    case 'published':
      throw invalid('the postmortem is published; reopen it to review it again');
  }
}

/**
 * Only a published postmortem can be reopened.
 *
 * @throws DebriefError DEBRIEF_ERR_INVALID_TRANSITION (field `status`) otherwise.
 */
export function assertCanReopen(status: PostmortemStatus): void {
  if (status !== 'published') throw invalid(`only a published postmortem can be reopened (status ${status})`);
}

export interface ApprovalInput {
  severity: Severity;
  /** The current review round; reviews of other rounds do not count. */
  round: number;
  reviews: readonly PostmortemReview[];
  /** Owners of the impacted services (emails). */
  owners: readonly string[];
  /** Approvals needed per severity. */
  approvals: Record<Severity, number>;
  /** Severities where one approval must come from an owner. */
  ownerApprovalSeverities: readonly Severity[];
}

/**
 * Where approval of a postmortem stands in the current round. Each reviewer's latest decision in the round counts
 * once. The rules are met when enough reviewers approved, an owner of an impacted service is among them where the
 * severity requires one, and nobody's latest decision asks for changes. Owners are compared without case.
 *
 * @example
 * approvalState({ severity: 'SEV2', round: 1, reviews, owners: ['ana@example.com'],
 *   approvals: { SEV1: 2, SEV2: 2, SEV3: 1, SEV4: 1 }, ownerApprovalSeverities: ['SEV1', 'SEV2'] });
 * // { required: 2, approvedBy: [...], ownerRequired: true, ownerApproved: ..., met: ... }
 */
export function approvalState(input: ApprovalInput): ApprovalState {
  const latest = new Map<string, PostmortemReview>();
  for (const review of input.reviews) {
    if (review.round !== input.round) continue;
    const key = review.reviewer.trim().toLowerCase();
    const previous = latest.get(key);
    if (!previous || review.createdAt >= previous.createdAt) latest.set(key, review);
  }
  const decided = [...latest.values()].sort((a, b) => (a.reviewer < b.reviewer ? -1 : a.reviewer > b.reviewer ? 1 : 0));
  const approvedBy = decided.filter((review) => review.decision === 'approve').map((review) => review.reviewer);
  const changesRequestedBy = decided
    .filter((review) => review.decision === 'request_changes')
    .map((review) => review.reviewer);
  const required = input.approvals[input.severity];
  const ownerRequired = input.ownerApprovalSeverities.includes(input.severity);
  const owners = [...input.owners];
  const ownerKeys = new Set(owners.map((owner) => owner.trim().toLowerCase()));
  const ownerApproved = approvedBy.some((reviewer) => ownerKeys.has(reviewer.trim().toLowerCase()));
  const met = approvedBy.length >= required && (!ownerRequired || ownerApproved) && changesRequestedBy.length === 0;
  return { required, approvedBy, changesRequestedBy, ownerRequired, owners, ownerApproved, met };
}

/**
 * The status after a review: `changes_requested` when anyone's latest decision in the round asks for changes,
 * `approved` when the approval rules are met, else `in_review`.
 *
 * @example
 * statusAfterReview({ ...state, changesRequestedBy: ['bo@example.com'] }); // 'changes_requested'
 */
export function statusAfterReview(approval: ApprovalState): PostmortemStatus {
  if (approval.changesRequestedBy.length > 0) return 'changes_requested';
  return approval.met ? 'approved' : 'in_review';
}

/**
 * The status after the body changed: an approved postmortem goes back to review when stale approvals are
 * dismissed (the approvals were for another text); every other status stays.
 *
 * @example
 * statusAfterEdit('approved', true); // 'in_review'
 * statusAfterEdit('approved', false); // 'approved'
 */
export function statusAfterEdit(status: PostmortemStatus, dismissStaleApprovals: boolean): PostmortemStatus {
  return status === 'approved' && dismissStaleApprovals ? 'in_review' : status;
}

export interface PublishGateInput {
  status: PostmortemStatus;
  approval: ApprovalState;
  /** Open blameless-lint findings of severity `error`. */
  blameErrors: number;
  /** Redaction findings neither redacted in the text nor waived. */
  unresolvedRedactions: number;
  /** Impacted service names, to say whose owner must approve. */
  services?: readonly string[];
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function statusMessage(status: PostmortemStatus): string | null {
  switch (status) {
    case 'approved':
      return null;
    case 'draft':
      return 'status is draft: request review first';
    case 'in_review':
      return 'status is in_review: waiting for approval';
    case 'changes_requested':
      return 'status is changes_requested: make the requested changes and request review again';
    case 'published':
      return 'status is published: it is already published';
  }
}

function approvalMessage(
  approval: ApprovalState,
  services: readonly string[],
): { message: string; count: number } | null {
  if (approval.met) return null;
  const missing = Math.max(0, approval.required - approval.approvedBy.length);
  const ownerMissing = approval.ownerRequired && !approval.ownerApproved;
  const parts: string[] = [];
  if (missing > 0) parts.push(`${plural(missing, 'more approval', 'more approvals')} needed`);
  if (ownerMissing) {
    if (approval.owners.length === 0) {
      const of = services.length > 0 ? services.join(', ') : 'the impacted services';
      parts.push(`an owner must approve, but no owner of ${of} is recorded in the service catalog`);
    } else {
      const of = services.length > 0 ? services.join(', ') : 'an impacted service';
      parts.push(`an owner of ${of} must approve`);
    }
  }
  if (approval.changesRequestedBy.length > 0)
    parts.push(`changes requested by ${approval.changesRequestedBy.join(', ')}`);
  return {
    message: parts.join('; '),
    count: Math.max(missing, ownerMissing ? 1 : 0, approval.changesRequestedBy.length),
  };
}

/**
 * Why a postmortem cannot be published now: one blocker per open gate (blame language, redaction, approvals,
 * status), each with a message a person can act on. Empty when publishing is allowed.
 *
 * @example
 * publishBlockers({ status: 'in_review', approval, blameErrors: 2, unresolvedRedactions: 0, services: ['checkout'] });
 * // [{ gate: 'blame', message: '2 blame-language errors are open', count: 2 },
 * //  { gate: 'approvals', message: '1 more approval needed; an owner of checkout must approve (ana@example.com)', count: 1 },
 * //  { gate: 'status', message: 'status is in_review: waiting for approval', count: 1 }]
 */
export function publishBlockers(input: PublishGateInput): PublishBlocker[] {
  const blockers: PublishBlocker[] = [];
  if (input.blameErrors > 0) {
    const verb = input.blameErrors === 1 ? 'is' : 'are';
    blockers.push({
      gate: 'blame',
      message: `${plural(input.blameErrors, 'blame-language error', 'blame-language errors')} ${verb} open`,
      count: input.blameErrors,
    });
  }
  if (input.unresolvedRedactions > 0) {
    const verb = input.unresolvedRedactions === 1 ? 'is' : 'are';
    blockers.push({
      gate: 'redaction',
      message: `${plural(input.unresolvedRedactions, 'redaction finding', 'redaction findings')} ${verb} neither redacted nor waived`,
      count: input.unresolvedRedactions,
    });
  }
  const approvals = approvalMessage(input.approval, input.services ?? []);
  if (approvals) blockers.push({ gate: 'approvals', ...approvals });
  const status = statusMessage(input.status);
  if (status) blockers.push({ gate: 'status', message: status, count: 1 });
  return blockers;
}

/**
 * Publishing is allowed only when no gate is open.
 *
 * @throws DebriefError DEBRIEF_ERR_PUBLISH_BLOCKED with one detail per blocker (`field` is the gate) when any gate
 *   is open.
 */
export function assertPublishable(blockers: readonly PublishBlocker[]): void {
  if (blockers.length === 0) return;
  throw new DebriefError(
    'DEBRIEF_ERR_PUBLISH_BLOCKED',
    `cannot publish: ${blockers.map((blocker) => blocker.message).join('; ')}`,
    {
      field: blockers[0]?.gate,
      details: blockers.map((blocker) => ({ field: blocker.gate, message: blocker.message })),
    },
  );
}
