/**
 * The change and suspect shapes the API sends (`/api/v1/changes`, `/api/v1/incidents/:key/suspects`). Types only,
 * importing only from the domain, so the web app can import them without server code; the stored change lives
 * with its repository, which the web app must not import, hence the explicit fields.
 */
import type { ChangeKind, ChangeRelation, ChangeSuspect } from '../domain/evidence/change-correlation.js';

export type { ChangeKind, ChangeRelation };

/** A recorded deploy, config change or flag flip. */
export interface ChangeView {
  id: string;
  /** `github`, `gitlab`, or `change` for the generic endpoint and the CLI. */
  source: string;
  /** The source's identity for the change: re-deliveries match it. */
  dedupeKey: string;
  kind: ChangeKind;
  service: string;
  version: string | null;
  environment: string | null;
  author: string | null;
  url: string | null;
  /** Latest deployment state (`pending`, `in_progress`, `success`, `failure`, …), or null. */
  status: string | null;
  description: string;
  labels: Record<string, string>;
  /** sha256 of the diff artifact, when a diff came with the change. */
  diffArtifactId: string | null;
  /** When the change started: the earliest time any delivery of it carried. */
  at: string;
  createdAt: string;
}

export type VerdictView = 'confirmed' | 'dismissed';

/** A responder's decision on a suspect change for one incident. */
export interface ChangeVerdictView {
  incidentId: string;
  changeId: string;
  verdict: VerdictView;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

export interface SuspectView {
  rank: number;
  /** 0–1. */
  score: number;
  explanation: string;
  reasons: string[];
  relation: ChangeRelation;
  relatedService: string | null;
  via: string[];
  /** Milliseconds from the change to the reference time; negative when it came after (within the grace). */
  leadMs: number;
  errorOnsetAfterMs: number | null;
  factors: ChangeSuspect['factors'];
  change: ChangeView;
  verdict: ChangeVerdictView | null;
}

export interface SuspectsView {
  incident: string;
  /** The time suspects are measured against, and how explanations name it. */
  reference: { at: string; label: string };
  /** The changes considered: `from <= at <= to`. */
  window: { from: string; to: string };
  items: SuspectView[];
}
