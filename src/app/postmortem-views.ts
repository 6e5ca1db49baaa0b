/**
 * The shapes postmortem use cases return and the HTTP API sends (`/api/v1/incidents/:key/postmortem…`). The web
 * app and the CLI read these; presenters whitelist exactly these fields.
 */
import type {
  ActionItem,
  ApprovalState,
  ContributingFactor,
  PostmortemComment,
  PublishBlocker,
  QualityReport,
  PostmortemReview,
  PostmortemStatus,
  PostmortemTemplate,
  RedactionWaiver,
} from '../domain/postmortem/types.js';
import type { IncidentStatus, IncidentType, Severity, Visibility } from '../domain/types.js';

/** A blameless-lint finding as the API sends it (same fields as `debrief lint --format json`). */
export interface LintFindingView {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
  suggestion: string | null;
}

/**
 * A redaction finding on the stored body. The matched text is sent only to people who may edit the postmortem
 * (they can read the body anyway); `fingerprint` identifies it for waivers.
 */
export interface RedactionFindingView {
  kind: string;
  category: 'secret' | 'personal' | 'term';
  line: number;
  column: number;
  start: number;
  end: number;
  text: string;
  fingerprint: string;
  /** Present when a reviewer chose to keep this value in the internal version. */
  waiver: { id: string; reason: string; waivedBy: string; createdAt: string } | null;
}

export interface SectionView {
  id: string;
  title: string;
  /** 1-based line of the heading in `body`. */
  line: number;
  /** Whether the section has text beyond prompts (HTML comments) and whitespace. */
  filled: boolean;
  hiddenExternally: boolean;
}

export interface PostmortemView {
  id: string;
  incident: {
    key: string;
    title: string;
    severity: Severity;
    type: IncidentType;
    status: IncidentStatus;
    visibility: Visibility;
    services: string[];
    resolvedAt: string | null;
  };
  template: { id: string; name: string };
  status: PostmortemStatus;
  body: string;
  version: number;
  hiddenSections: string[];
  round: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  reviewRequestedAt: string | null;
  reviewRequestedBy: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
}

/** `GET /api/v1/incidents/:key/postmortem`: everything the postmortem page shows. */
export interface PostmortemDetailView {
  postmortem: PostmortemView;
  sections: SectionView[];
  factors: ContributingFactorView[];
  actionItems: ActionItemView[];
  lint: LintFindingView[];
  redaction: RedactionFindingView[];
  approvals: ApprovalStateView;
  reviews: PostmortemReview[];
  comments: PostmortemComment[];
  waivers: RedactionWaiver[];
  quality: QualityView;
  /** Empty when publishing is allowed now, and once published. */
  blockers: PublishBlockerView[];
  publication: { version: number; publishedAt: string; publishedBy: string } | null;
  /** What the caller may do, so the UI shows only working buttons. */
  permissions: { edit: boolean; comment: boolean; review: boolean; waive: boolean; publish: boolean };
}

/** `POST …/postmortem/check`: findings for text being typed, before it is saved. */
export interface TextCheckView {
  lint: LintFindingView[];
  redaction: RedactionFindingView[];
}

/** `GET …/postmortem/versions`: the two texts for the side-by-side diff. */
export interface PostmortemVersionsView {
  internal: string;
  external: string;
  hiddenSections: string[];
  /** Number of redactions the external version applies. */
  redactions: number;
}

export interface ReadershipView {
  readers: { user: string; views: number; firstViewedAt: string; lastViewedAt: string }[];
  acknowledgements: { user: string; at: string }[];
  /** People asked to acknowledge: members of the teams owning impacted services (and service owners). */
  expected: { user: string; teams: string[] }[];
  /** Expected people who have not acknowledged yet. */
  pending: string[];
}

export interface PostmortemSummaryView {
  incident: { key: string; title: string; severity: Severity; type: IncidentType; resolvedAt: string | null };
  status: PostmortemStatus;
  score: number;
  updatedAt: string;
  publishedAt: string | null;
}

export type TemplateView = PostmortemTemplate;
export type ApprovalStateView = ApprovalState;
export type PublishBlockerView = PublishBlocker;
export type QualityView = QualityReport;
export type ContributingFactorView = ContributingFactor;
export type ActionItemView = ActionItem;
