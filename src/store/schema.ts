/**
 * Row shapes as stored. Times are ISO-8601 strings on both dialects (PostgreSQL `timestamptz` is parsed back to
 * ISO text by the pool's type parsers); JSON columns are text; booleans are 0/1 integers because SQLite cannot
 * bind booleans.
 */
export interface CountersTable {
  name: string;
  value: number;
}

export interface TeamsTable {
  id: string;
  name: string;
  display_name: string;
  /** JSON array of lowercased emails. */
  members: string;
  created_at: string;
  updated_at: string;
}

export interface ServicesTable {
  id: string;
  name: string;
  display_name: string;
  description: string;
  team: string | null;
  tier: number;
  runbook_url: string | null;
  owners: string;
  dependencies: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  role: string;
  token_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface IncidentsTable {
  id: string;
  number: number;
  key: string;
  title: string;
  summary: string;
  severity: string;
  type: string;
  visibility: string;
  status: string;
  customer_impact: string;
  roles: string;
  members: string;
  impact_started_at: string | null;
  detected_at: string | null;
  acknowledged_at: string | null;
  mitigated_at: string | null;
  resolved_at: string | null;
  closed_at: string | null;
  declared_at: string;
  declared_by: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface IncidentServicesTable {
  incident_id: string;
  service_name: string;
}

/** Everyone who may see a private incident besides admins: members, role holders and the declarer. */
export interface IncidentAccessTable {
  incident_id: string;
  principal: string;
}

export interface TimelineEventsTable {
  id: string;
  incident_id: string;
  at: string;
  kind: string;
  source: string;
  title: string;
  body: string;
  labels: string;
  dedupe_key: string | null;
  marker: string | null;
  pinned: number;
  artifact_id: string | null;
  count: number;
  actor: string | null;
  created_at: string;
}

export interface AuditEventsTable {
  id: string;
  at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: string | null;
  after: string | null;
}

export interface JobsTable {
  id: string;
  kind: string;
  /** At most one queued or running job per key (recurring jobs use `recurring:<kind>`). */
  unique_key: string | null;
  payload: string;
  status: string;
  run_at: string;
  attempts: number;
  last_error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface ArtifactsTable {
  /** sha256 of the content, hex. */
  id: string;
  media_type: string;
  size: number;
  content: Buffer;
  description: string;
  created_at: string;
}

export interface SignalsTable {
  id: string;
  source: string;
  fingerprint: string;
  group_key: string | null;
  service: string | null;
  severity: string | null;
  status: string;
  title: string;
  labels: string;
  starts_at: string;
  ends_at: string | null;
  last_received_at: string;
  deliveries: number;
  incident_id: string | null;
  suppressed_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ChangesTable {
  id: string;
  source: string;
  dedupe_key: string;
  kind: string;
  service: string;
  version: string | null;
  environment: string | null;
  author: string | null;
  url: string | null;
  status: string | null;
  description: string;
  labels: string;
  diff_artifact_id: string | null;
  at: string;
  created_at: string;
}

export interface ChangeVerdictsTable {
  incident_id: string;
  change_id: string;
  verdict: string;
  reason: string;
  decided_by: string;
  decided_at: string;
}

export interface RoutingRulesTable {
  id: string;
  name: string;
  position: number;
  matchers: string;
  action: string;
  severity: string | null;
  service: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MaintenanceWindowsTable {
  id: string;
  service: string | null;
  matchers: string;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_by: string;
  created_at: string;
}

export interface TelemetryRecordsTable {
  id: string;
  service: string;
  kind: string;
  at: string;
  severity: string | null;
  body: string;
  attributes: string;
  trace_id: string | null;
  span_id: string | null;
  duration_ms: number | null;
  error: number;
  received_at: string;
}

export interface PostmortemTemplatesTable {
  id: string;
  name: string;
  description: string;
  severities: string;
  types: string;
  sections: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface PostmortemsTable {
  id: string;
  incident_id: string;
  template_id: string;
  status: string;
  body: string;
  hidden_sections: string;
  round: number;
  created_by: string;
  created_at: string;
  updated_at: string;
  updated_by: string;
  review_requested_at: string | null;
  review_requested_by: string | null;
  published_at: string | null;
  published_by: string | null;
  version: number;
}

export interface PostmortemRevisionsTable {
  id: string;
  postmortem_id: string;
  version: number;
  body: string;
  author: string;
  created_at: string;
}

export interface PostmortemReviewsTable {
  id: string;
  postmortem_id: string;
  round: number;
  reviewer: string;
  decision: string;
  score: number | null;
  comment: string;
  created_at: string;
}

export interface PostmortemCommentsTable {
  id: string;
  postmortem_id: string;
  section: string;
  author: string;
  body: string;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

export interface PostmortemWaiversTable {
  id: string;
  postmortem_id: string;
  fingerprint: string;
  kind: string;
  reason: string;
  waived_by: string;
  created_at: string;
}

export interface PostmortemPublicationsTable {
  id: string;
  postmortem_id: string;
  version: number;
  internal_body: string;
  external_body: string;
  published_by: string;
  published_at: string;
}

export interface PostmortemReadersTable {
  postmortem_id: string;
  user: string;
  first_viewed_at: string;
  last_viewed_at: string;
  views: number;
}

export interface PostmortemAcknowledgementsTable {
  postmortem_id: string;
  user: string;
  at: string;
}

export interface DB {
  counters: CountersTable;
  teams: TeamsTable;
  services: ServicesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  incidents: IncidentsTable;
  incident_services: IncidentServicesTable;
  incident_access: IncidentAccessTable;
  timeline_events: TimelineEventsTable;
  audit_events: AuditEventsTable;
  jobs: JobsTable;
  artifacts: ArtifactsTable;
  signals: SignalsTable;
  changes: ChangesTable;
  change_verdicts: ChangeVerdictsTable;
  routing_rules: RoutingRulesTable;
  maintenance_windows: MaintenanceWindowsTable;
  telemetry_records: TelemetryRecordsTable;
  postmortem_templates: PostmortemTemplatesTable;
  postmortems: PostmortemsTable;
  postmortem_revisions: PostmortemRevisionsTable;
  postmortem_reviews: PostmortemReviewsTable;
  postmortem_comments: PostmortemCommentsTable;
  postmortem_waivers: PostmortemWaiversTable;
  postmortem_publications: PostmortemPublicationsTable;
  postmortem_readers: PostmortemReadersTable;
  postmortem_acknowledgements: PostmortemAcknowledgementsTable;
}
