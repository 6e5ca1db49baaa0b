import type { PostmortemStatus } from '../../src/domain/postmortem/types';
import type { EventKind, IncidentStatus, IncidentType, Severity } from '../../src/domain/types';

export const SEVERITY_COLOR: Record<Severity, string> = {
  SEV1: 'red',
  SEV2: 'orange',
  SEV3: 'yellow',
  SEV4: 'gray',
};

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  investigating: 'Investigating',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const STATUS_COLOR: Record<IncidentStatus, string> = {
  investigating: 'red',
  mitigated: 'yellow',
  resolved: 'green',
  closed: 'gray',
};

export const TYPE_LABEL: Record<IncidentType, string> = {
  standard: 'Standard',
  security: 'Security',
  near_miss: 'Near miss',
  exercise: 'Exercise',
};

export const KIND_LABEL: Record<EventKind, { label: string; color: string }> = {
  alert: { label: 'Alert', color: 'red' },
  change: { label: 'Change', color: 'violet' },
  chat: { label: 'Chat', color: 'blue' },
  log: { label: 'Log', color: 'gray' },
  trace: { label: 'Trace', color: 'cyan' },
  metric: { label: 'Metric', color: 'teal' },
  status: { label: 'Status', color: 'indigo' },
  note: { label: 'Note', color: 'yellow' },
  page: { label: 'Page', color: 'orange' },
};

export { MARKER_LABELS as MARKER_LABEL } from '../../src/domain/lifecycle';

/** Button text for moving an incident from `from` to `to`. */
export function transitionLabel(from: IncidentStatus, to: IncidentStatus): string {
  switch (to) {
    case 'mitigated':
      return 'Mark mitigated';
    case 'resolved':
      return 'Resolve';
    case 'closed':
      return 'Close';
    case 'investigating':
      return from === 'mitigated' ? 'Back to investigating' : 'Reopen';
  }
}

export const POSTMORTEM_STATUS_LABEL: Record<PostmortemStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  published: 'Published',
};

export const POSTMORTEM_STATUS_COLOR: Record<PostmortemStatus, string> = {
  draft: 'gray',
  in_review: 'blue',
  changes_requested: 'orange',
  approved: 'teal',
  published: 'green',
};

/** Colour of a 0–100 quality score: the rubric reads as poor below 50 and good from 80. */
export function scoreColor(score: number): string {
  return score >= 80 ? 'green' : score >= 50 ? 'yellow' : 'red';
}
