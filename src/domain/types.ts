/**
 * Debrief's domain model: the shapes every layer agrees on.
 * Times are ISO-8601 UTC strings (`Date#toISOString()` form) so they sort and compare as text in both databases.
 */

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_TYPES = ['standard', 'security', 'near_miss', 'exercise'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const VISIBILITIES = ['public', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const INCIDENT_STATUSES = ['investigating', 'mitigated', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Incident roles held by people during the response. */
export const INCIDENT_ROLES = ['commander', 'scribe', 'communications'] as const;
export type IncidentRole = (typeof INCIDENT_ROLES)[number];
/** Role name -> user email, or null when unassigned. */
export type IncidentRoles = Record<IncidentRole, string | null>;

/** Lifecycle times, in the order they normally happen. */
export const LIFECYCLE_FIELDS = [
  'impactStartedAt',
  'detectedAt',
  'acknowledgedAt',
  'mitigatedAt',
  'resolvedAt',
] as const;
export type LifecycleField = (typeof LIFECYCLE_FIELDS)[number];
export type LifecycleTimes = Record<LifecycleField, string | null>;

export const EVENT_KINDS = ['alert', 'change', 'chat', 'log', 'trace', 'metric', 'status', 'note', 'page'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const MARKERS = ['impact_start', 'detected', 'acknowledged', 'mitigated', 'resolved', 'key_moment'] as const;
export type Marker = (typeof MARKERS)[number];

/** Access roles, ordered from least to most privileged. */
export const USER_ROLES = ['viewer', 'responder', 'reviewer', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const SERVICE_TIERS = [1, 2, 3, 4] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

export interface Team {
  id: string;
  name: string;
  displayName: string;
  /** Member emails, lowercased; asked to read the postmortems of incidents in the team's services. */
  members: string[];
  createdAt: string;
  updatedAt: string;
}

export interface Service {
  id: string;
  /** Stable slug, e.g. `checkout`. */
  name: string;
  displayName: string;
  description: string;
  /** Team name, or null when the service has no owning team yet. */
  team: string | null;
  tier: ServiceTier;
  runbookUrl: string | null;
  /** Owner emails. */
  owners: string[];
  /** Names of the services this one depends on. */
  dependencies: string[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface Incident extends LifecycleTimes {
  id: string;
  /** Sequence number behind the key: `INC-<number>`. */
  number: number;
  key: string;
  title: string;
  summary: string;
  severity: Severity;
  type: IncidentType;
  visibility: Visibility;
  status: IncidentStatus;
  /** Names of impacted services. */
  services: string[];
  customerImpact: string;
  roles: IncidentRoles;
  /** Emails of people who may see a private incident (besides admins and role holders). */
  members: string[];
  declaredAt: string;
  closedAt: string | null;
  /** Principal label of whoever declared it (email, or `token:<name>`). */
  declaredBy: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency version; every update increments it. */
  version: number;
}

export interface TimelineEvent {
  id: string;
  incidentId: string;
  at: string;
  kind: EventKind;
  /** Where it came from: `debrief`, `alertmanager`, `github`, `slack`, … */
  source: string;
  title: string;
  body: string;
  labels: Record<string, string>;
  /** Idempotency key: a second event with the same key on the same incident is not stored twice. */
  dedupeKey: string | null;
  marker: Marker | null;
  pinned: boolean;
  artifactId: string | null;
  /** How many occurrences this event stands for (alerts of one name and group fold into one event). */
  count: number;
  /** Principal label of whoever added it, or null for machine sources. */
  actor: string | null;
  createdAt: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: string;
  disabledAt: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  role: UserRole;
  /** First characters of the secret, to recognise it in lists; never enough to use it. */
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** Who is acting: a signed-in user, an API token, or the local operator running the CLI on the data directory. */
export type Principal =
  | { kind: 'user'; id: string; email: string; name: string; role: UserRole }
  | { kind: 'token'; id: string; name: string; role: UserRole }
  | { kind: 'system'; name: string; role: 'admin' };

export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** Derived durations in seconds, null when an end point is unknown. See docs/metrics.md. */
export interface IncidentDurations {
  timeToDetectSeconds: number | null;
  timeToAcknowledgeSeconds: number | null;
  timeToMitigateSeconds: number | null;
  timeToResolveSeconds: number | null;
}
