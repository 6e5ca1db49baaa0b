/**
 * The postmortem model: one per incident, written as one markdown document whose `##` headings are the template's
 * sections. Structured facts (contributing factors, action items) are read from their sections, so the document
 * stays the single source of truth that people edit, review, diff and export.
 */
import type { IncidentType, Severity } from '../types.js';

export const POSTMORTEM_STATUSES = ['draft', 'in_review', 'changes_requested', 'approved', 'published'] as const;
export type PostmortemStatus = (typeof POSTMORTEM_STATUSES)[number];

/** The taxonomy contributing factors are filed under. Never one "root cause": a list of factors, each categorised. */
export const FACTOR_CATEGORIES = [
  'change',
  'config',
  'capacity',
  'dependency',
  'detection_gap',
  'process',
  'hardware',
  'time',
  'security',
  'data',
] as const;
export type FactorCategory = (typeof FACTOR_CATEGORIES)[number];

export const ACTION_ITEM_TYPES = ['mitigate', 'prevent', 'detect', 'process'] as const;
export type ActionItemType = (typeof ACTION_ITEM_TYPES)[number];

export const REVIEW_DECISIONS = ['approve', 'request_changes'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** One section of a template. `id` is the slug of `title` and names the section in comments and hidden lists. */
export interface TemplateSection {
  id: string;
  title: string;
  /** Guidance shown to the writer (as an HTML comment in the draft, so it never reaches a rendered page). */
  prompt: string;
  /** Required sections count toward completeness; optional ones (e.g. 5 whys) may be deleted. */
  required: boolean;
}

export interface PostmortemTemplate {
  id: string;
  name: string;
  description: string;
  /** Severities this template applies to; empty means any. */
  severities: Severity[];
  /** Incident types this template applies to; empty means any. */
  types: IncidentType[];
  sections: TemplateSection[];
  /** The built-in default: cannot be deleted, is used when nothing more specific matches. */
  builtIn: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Postmortem {
  id: string;
  incidentId: string;
  templateId: string;
  status: PostmortemStatus;
  /** The whole document, markdown. */
  body: string;
  /** Section ids left out of the external (public) version. */
  hiddenSections: string[];
  /**
   * Review round: starts at 0, incremented by each review request. Reviews count toward approval only in the
   * round they were given in, so approvals of an older text do not carry over after changes were requested.
   */
  round: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Principal label of the last writer of `body`. */
  updatedBy: string;
  reviewRequestedAt: string | null;
  reviewRequestedBy: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
  /** Optimistic-concurrency version; every write increments it. */
  version: number;
}

/** A saved state of the body. Saves by one author within a few minutes fold into one revision. */
export interface PostmortemRevision {
  id: string;
  postmortemId: string;
  /** The postmortem version this revision's body belongs to. */
  version: number;
  body: string;
  author: string;
  createdAt: string;
}

export interface PostmortemReview {
  id: string;
  postmortemId: string;
  round: number;
  /** Reviewer email (or principal label). */
  reviewer: string;
  decision: ReviewDecision;
  /** Reviewer's quality score 1–5, optional. */
  score: number | null;
  comment: string;
  createdAt: string;
}

/** A review comment anchored to a section. */
export interface PostmortemComment {
  id: string;
  postmortemId: string;
  /** Section id (slug of its heading). */
  section: string;
  author: string;
  body: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

/**
 * A decision to keep one redaction finding in the internal version. Identified by a fingerprint (sha256 of kind
 * and matched text) so the waiver survives edits that move the text, and so the secret itself is never stored here.
 */
export interface RedactionWaiver {
  id: string;
  postmortemId: string;
  fingerprint: string;
  kind: string;
  reason: string;
  waivedBy: string;
  createdAt: string;
}

/** What was published: the internal and the external text, frozen. */
export interface PostmortemPublication {
  id: string;
  postmortemId: string;
  /** Postmortem version at publication. */
  version: number;
  internalBody: string;
  externalBody: string;
  publishedBy: string;
  publishedAt: string;
}

/** Readership: one row per reader. */
export interface PostmortemReader {
  postmortemId: string;
  user: string;
  firstViewedAt: string;
  lastViewedAt: string;
  views: number;
}

/** "I have read this". */
export interface PostmortemAcknowledgement {
  postmortemId: string;
  user: string;
  at: string;
}

export interface ApprovalState {
  /** Approvals this severity needs (settings.postmortems.approvals). */
  required: number;
  /** Reviewers who approved in the current round. */
  approvedBy: string[];
  /** Reviewers who requested changes in the current round. */
  changesRequestedBy: string[];
  /** Whether an owner of an impacted service must be among the approvers. */
  ownerRequired: boolean;
  /** Owners of the impacted services who could give that approval. */
  owners: string[];
  ownerApproved: boolean;
  /** All approval rules are met. */
  met: boolean;
}

export interface PublishBlocker {
  /** `blame`, `redaction`, `approvals` or `status`. */
  gate: 'blame' | 'redaction' | 'approvals' | 'status';
  message: string;
  count: number;
}

export interface QualityItem {
  id:
    | 'tldr'
    | 'impact'
    | 'timeline'
    | 'factors'
    | 'action_items'
    | 'blame'
    | 'redaction'
    | 'evidence'
    | 'published_on_time';
  label: string;
  /** Points this item is worth; the weights add up to 100. */
  weight: number;
  passed: boolean;
  /** Why it passed or what is missing, one line. */
  detail: string;
}

export interface QualityReport {
  /** 0–100: the sum of the weights of passed items. */
  score: number;
  items: QualityItem[];
  /** Mean of reviewer scores (1–5) in the current round, or null when nobody scored. */
  reviewerScore: number | null;
}

export interface ContributingFactor {
  category: FactorCategory | null;
  description: string;
  line: number;
}

export interface ActionItem {
  description: string;
  type: string | null;
  owner: string | null;
  due: string | null;
  priority: string | null;
  ticket: string | null;
  line: number;
}
