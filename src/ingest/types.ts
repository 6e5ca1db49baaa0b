import type { EventKind } from '../domain/types.js';

/** Where a normalised event came from; one value per adapter. */
export const INGEST_SOURCES = [
  'alertmanager',
  'grafana',
  'pagerduty',
  'github',
  'gitlab',
  'change',
  'otlp',
  'kubernetes',
  'slack',
] as const;
export type IngestSource = (typeof INGEST_SOURCES)[number];

/**
 * Source states mapped onto one vocabulary: alert states (`firing`/`resolved`), paging states
 * (`triggered`/`acknowledged`/`resolved`) and deployment states (`pending` … `success`/`failure`).
 */
export const EVENT_STATUSES = [
  'firing',
  'resolved',
  'triggered',
  'acknowledged',
  'pending',
  'queued',
  'in_progress',
  'success',
  'failure',
  'error',
  'canceled',
  'inactive',
] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const CHANGE_KINDS = ['deploy', 'config', 'flag'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** What changed, for `kind: 'change'` events; feeds change correlation and the "what changed?" view. */
export interface ChangeInfo {
  kind: ChangeKind;
  service: string;
  version: string | null;
  environment: string | null;
  author: string | null;
  url: string | null;
  /** The source's own state word (`success`, `failed`, `in_progress`, …), when it has one. */
  status?: string;
}

/** One timeline event, not yet attached to an incident. */
export interface NormalizedEvent {
  /** ISO-8601 UTC, `Date#toISOString()` form. */
  at: string;
  kind: EventKind;
  source: IngestSource;
  title: string;
  body: string;
  labels: Record<string, string>;
  /** Stable id from the source, so that re-deliveries and repeats are idempotent. */
  dedupeKey: string;
  /** The service the event is about, when the payload tells. */
  service: string | null;
  /** The source's own severity word (critical, warning, P1, error, …). */
  severity: string | null;
  status?: EventStatus;
  /** Alert group or incident id at the source, to attach related events to one incident. */
  groupKey?: string;
  /** Alert identity across firing/resolved and repeats. */
  fingerprint?: string;
  /** Alert active window. */
  startsAt?: string;
  endsAt?: string;
  change?: ChangeInfo;
  /** Raw diff text sent with a change; the app stores it as an artifact rather than in the timeline. */
  diff?: string;
}
