import { describe, expect, it } from 'vitest';
import { DebriefError } from '../errors.js';
import type { Severity } from '../types.js';
import { POSTMORTEM_STATUSES, type ApprovalState, type PostmortemReview, type PostmortemStatus } from './types.js';
import {
  approvalState,
  assertCanEditBody,
  assertCanReopen,
  assertCanRequestReview,
  assertCanReview,
  assertPublishable,
  canEditBody,
  publishBlockers,
  statusAfterEdit,
  statusAfterReview,
} from './workflow.js';

const APPROVALS: Record<Severity, number> = { SEV1: 2, SEV2: 2, SEV3: 1, SEV4: 1 };

let sequence = 0;
function review(
  reviewer: string,
  decision: PostmortemReview['decision'],
  round = 1,
  score: number | null = null,
): PostmortemReview {
  sequence += 1;
  return {
    id: `r${sequence}`,
    postmortemId: 'pm1',
    round,
    reviewer,
    decision,
    score,
    comment: '',
    createdAt: `2026-03-10T10:${String(sequence).padStart(2, '0')}:00.000Z`,
  };
}

function state(
  severity: Severity,
  reviews: PostmortemReview[],
  owners: string[] = ['owner@example.com'],
): ApprovalState {
  return approvalState({
    severity,
    round: 1,
    reviews,
    owners,
    approvals: APPROVALS,
    ownerApprovalSeverities: ['SEV1', 'SEV2'],
  });
}

function transitionError(assertion: () => void): DebriefError {
  try {
    assertion();
  } catch (error) {
    if (error instanceof DebriefError) return error;
    throw error;
  }
  throw new Error('expected a DebriefError');
}

describe('status guards', () => {
  const allowed: Record<string, readonly PostmortemStatus[]> = {
    edit: ['draft', 'in_review', 'changes_requested', 'approved'],
    requestReview: ['draft', 'changes_requested'],
    review: ['in_review', 'approved'],
    reopen: ['published'],
  };
  const guards: Record<string, (status: PostmortemStatus) => void> = {
    edit: assertCanEditBody,
    requestReview: assertCanRequestReview,
    review: assertCanReview,
    reopen: assertCanReopen,
  };

  for (const [action, guard] of Object.entries(guards)) {
    for (const status of POSTMORTEM_STATUSES) {
      const ok = allowed[action]?.includes(status) ?? false;
      it(`${ok ? 'allows' : 'refuses'} ${action} from ${status}`, () => {
        if (ok) {
          expect(() => guard(status)).not.toThrow();
          return;
        }
        const error = transitionError(() => guard(status));
        expect(error.code).toBe('DEBRIEF_ERR_INVALID_TRANSITION');
        expect(error.status).toBe(422);
        expect(error.field).toBe('status');
        expect(error.message.length).toBeGreaterThan(10);
      });
    }
  }

  it('canEditBody agrees with assertCanEditBody', () => {
    expect(POSTMORTEM_STATUSES.filter(canEditBody)).toEqual(allowed.edit);
  });

  it('explains why review cannot be requested again', () => {
    expect(transitionError(() => assertCanRequestReview('in_review')).message).toContain('already requested');
    expect(transitionError(() => assertCanReview('draft')).message).toContain('request review first');
  });
});

describe('approvalState', () => {
  it('counts approvals of the current round only', () => {
    const result = state('SEV3', [review('a@example.com', 'approve', 0)]);
    expect(result).toEqual({
      required: 1,
      approvedBy: [],
      changesRequestedBy: [],
      ownerRequired: false,
      owners: ['owner@example.com'],
      ownerApproved: false,
      met: false,
    });
    expect(state('SEV3', [review('a@example.com', 'approve')]).met).toBe(true);
  });

  it("counts each reviewer's latest decision once, whatever the order of the list", () => {
    const first = review('a@example.com', 'request_changes');
    const second = review('A@example.com', 'approve');
    const third = review('a@example.com', 'approve');
    for (const reviews of [
      [first, second, third],
      [third, first, second],
    ]) {
      const result = state('SEV3', reviews);
      expect(result.approvedBy).toHaveLength(1);
      expect(result.changesRequestedBy).toEqual([]);
      expect(result.met).toBe(true);
    }
    const changed = state('SEV3', [review('a@example.com', 'approve'), review('a@example.com', 'request_changes')]);
    expect(changed).toMatchObject({ approvedBy: [], changesRequestedBy: ['a@example.com'], met: false });
  });

  it('needs the configured number of approvals per severity', () => {
    expect(state('SEV2', [review('owner@example.com', 'approve')]).met).toBe(false);
    expect(state('SEV2', [review('owner@example.com', 'approve'), review('b@example.com', 'approve')]).met).toBe(true);
    expect(
      approvalState({
        severity: 'SEV4',
        round: 1,
        reviews: [],
        owners: [],
        approvals: { ...APPROVALS, SEV4: 0 },
        ownerApprovalSeverities: [],
      }).met,
    ).toBe(true);
  });

  it('needs an owner among the approvers where the severity requires one, comparing emails without case', () => {
    const notOwners = state('SEV1', [review('a@example.com', 'approve'), review('b@example.com', 'approve')]);
    expect(notOwners).toMatchObject({ ownerRequired: true, ownerApproved: false, met: false });
    const withOwner = state('SEV1', [review('a@example.com', 'approve'), review('Owner@Example.com', 'approve')]);
    expect(withOwner).toMatchObject({
      ownerApproved: true,
      met: true,
      approvedBy: ['Owner@Example.com', 'a@example.com'],
    });
  });

  it('is not met while anyone asks for changes', () => {
    const result = state('SEV3', [review('a@example.com', 'approve'), review('b@example.com', 'request_changes')]);
    expect(result).toMatchObject({ approvedBy: ['a@example.com'], changesRequestedBy: ['b@example.com'], met: false });
  });
});

describe('statusAfterReview', () => {
  it('requests changes when anyone asks, approves when met, else stays in review', () => {
    expect(statusAfterReview(state('SEV3', [review('a@example.com', 'request_changes')]))).toBe('changes_requested');
    expect(
      statusAfterReview(
        state('SEV3', [review('a@example.com', 'approve'), review('b@example.com', 'request_changes')]),
      ),
    ).toBe('changes_requested');
    expect(statusAfterReview(state('SEV3', [review('a@example.com', 'approve')]))).toBe('approved');
    expect(statusAfterReview(state('SEV2', [review('a@example.com', 'approve')]))).toBe('in_review');
  });
});

describe('statusAfterEdit', () => {
  it('sends an approved postmortem back to review only when stale approvals are dismissed', () => {
    expect(statusAfterEdit('approved', true)).toBe('in_review');
    expect(statusAfterEdit('approved', false)).toBe('approved');
  });

  it('leaves every other status alone', () => {
    for (const status of ['draft', 'in_review', 'changes_requested', 'published'] as const) {
      expect(statusAfterEdit(status, true)).toBe(status);
    }
  });
});

describe('publishBlockers', () => {
  const met = state('SEV3', [review('a@example.com', 'approve')]);

  it('is empty when approved with no open findings', () => {
    expect(publishBlockers({ status: 'approved', approval: met, blameErrors: 0, unresolvedRedactions: 0 })).toEqual([]);
  });

  it('gives one blocker per open gate with a message a person can act on', () => {
    const approval = state('SEV2', [review('a@example.com', 'approve')]);
    expect(
      publishBlockers({ status: 'draft', approval, blameErrors: 2, unresolvedRedactions: 1, services: ['checkout'] }),
    ).toEqual([
      { gate: 'blame', message: '2 blame-language errors are open', count: 2 },
      { gate: 'redaction', message: '1 redaction finding is neither redacted nor waived', count: 1 },
      { gate: 'approvals', message: '1 more approval needed; an owner of checkout must approve', count: 1 },
      { gate: 'status', message: 'status is draft: request review first', count: 1 },
    ]);
  });

  it('uses the singular and plural forms', () => {
    const [blame, redaction] = publishBlockers({
      status: 'approved',
      approval: met,
      blameErrors: 1,
      unresolvedRedactions: 3,
    });
    expect(blame?.message).toBe('1 blame-language error is open');
    expect(redaction?.message).toBe('3 redaction findings are neither redacted nor waived');
  });

  it('names a missing owner approval even when enough people approved', () => {
    const approval = state('SEV1', [review('a@example.com', 'approve'), review('b@example.com', 'approve')]);
    expect(publishBlockers({ status: 'in_review', approval, blameErrors: 0, unresolvedRedactions: 0 })).toEqual([
      { gate: 'approvals', message: 'an owner of an impacted service must approve', count: 1 },
      { gate: 'status', message: 'status is in_review: waiting for approval', count: 1 },
    ]);
  });

  it('says when no owner is recorded, so the catalog can be fixed', () => {
    const approval = state('SEV1', [review('a@example.com', 'approve'), review('b@example.com', 'approve')], []);
    const [blocker] = publishBlockers({
      status: 'approved',
      approval,
      blameErrors: 0,
      unresolvedRedactions: 0,
      services: ['checkout'],
    });
    expect(blocker?.message).toBe('an owner must approve, but no owner of checkout is recorded in the service catalog');
  });

  it('names who asked for changes', () => {
    const approval = state('SEV3', [review('b@example.com', 'request_changes')]);
    const blockers = publishBlockers({
      status: 'changes_requested',
      approval,
      blameErrors: 0,
      unresolvedRedactions: 0,
    });
    expect(blockers.map((blocker) => blocker.message)).toEqual([
      '1 more approval needed; changes requested by b@example.com',
      'status is changes_requested: make the requested changes and request review again',
    ]);
  });

  it('blocks publishing twice', () => {
    expect(publishBlockers({ status: 'published', approval: met, blameErrors: 0, unresolvedRedactions: 0 })).toEqual([
      { gate: 'status', message: 'status is published: it is already published', count: 1 },
    ]);
  });
});

describe('assertPublishable', () => {
  it('passes without blockers and throws DEBRIEF_ERR_PUBLISH_BLOCKED naming each gate otherwise', () => {
    expect(() => assertPublishable([])).not.toThrow();
    const error = transitionError(() =>
      assertPublishable([
        { gate: 'blame', message: '1 blame-language error is open', count: 1 },
        { gate: 'status', message: 'status is draft: request review first', count: 1 },
      ]),
    );
    expect(error.code).toBe('DEBRIEF_ERR_PUBLISH_BLOCKED');
    expect(error.status).toBe(409);
    expect(error.details).toEqual([
      { field: 'blame', message: '1 blame-language error is open' },
      { field: 'status', message: 'status is draft: request review first' },
    ]);
  });
});
