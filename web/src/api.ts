import type {
  EventKind,
  IncidentRoles,
  IncidentStatus,
  IncidentType,
  LifecycleField,
  Marker,
  Service,
  ServiceTier,
  Severity,
  Team,
  TimelineEvent,
  UserRole,
  Visibility,
} from '../../src/domain/types';
import type {
  PostmortemComment,
  PostmortemReview,
  PostmortemRevision,
  PostmortemStatus,
  RedactionWaiver,
  ReviewDecision,
  TemplateSection,
} from '../../src/domain/postmortem/types';
import type {
  ApprovalStateView,
  PostmortemDetailView,
  PostmortemView,
  PostmortemSummaryView,
  PostmortemVersionsView,
  ReadershipView,
  TemplateView,
  TextCheckView,
} from '../../src/app/postmortem-views';
import type { SignalView as AlertSignal } from '../../src/app/alert-views';
import type {
  ChangeKind,
  ChangeView as Change,
  ChangeVerdictView as ChangeVerdict,
  SuspectView as Suspect,
  SuspectsView as SuspectList,
  VerdictView as Verdict,
} from '../../src/app/change-views';
import type {
  EvidenceKind,
  EvidenceSummary,
  LogEvidence,
  LogFinding,
  MetricEvidence,
} from '../../src/app/evidence-views';
import type { IncidentView } from '../../src/app/incident-views';

export type {
  AlertSignal,
  Change,
  ChangeKind,
  ChangeVerdict,
  EvidenceKind,
  EvidenceSummary,
  IncidentView,
  LogEvidence,
  LogFinding,
  MetricEvidence,
  Suspect,
  SuspectList,
  Verdict,
};
export type {
  LintFindingView,
  PostmortemDetailView,
  PostmortemSummaryView,
  PostmortemVersionsView,
  PostmortemView,
  ReadershipView,
  RedactionFindingView,
  SectionView,
  TemplateView,
  TextCheckView,
} from '../../src/app/postmortem-views';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
}

export interface FieldError {
  field: string;
  message: string;
}

/** A failed call, carrying the RFC 9457 problem fields so forms can show the message next to the field. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** The whole problem document, for extension members such as a version conflict's `current`. */
  readonly problem: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    detail: string,
    errors: FieldError[],
    title?: string,
    problem: Record<string, unknown> = {},
  ) {
    super(detail || title || `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.problem = problem;
  }

  /** The first message for `field`, or for a path under it (`roles.commander` or `owners[0]` for `roles`/`owners`). */
  fieldMessage(field: string): string | undefined {
    const hit = this.errors.find((e) => fieldIsUnder(e.field, field));
    if (!hit) return undefined;
    // Shown under the field itself, so a leading "field: " would only repeat the label.
    const prefix = `${hit.field}: `;
    return hit.message.startsWith(prefix) ? hit.message.slice(prefix.length) : hit.message;
  }
}

/** Whether the error path `path` (`a.b[0]`) is `field` or inside it. */
export function fieldIsUnder(path: string, field: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => {};

/** Registers what to do when the session has ended (a 401 from any call that did not opt out). */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler): void {
  onUnauthenticated = handler;
}

type QueryValue = string | number | boolean | null | undefined;

interface RequestOptions {
  body?: unknown;
  /** Sent as is (a file), with `contentType`, instead of a JSON `body`. */
  rawBody?: Blob;
  contentType?: string;
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** False for calls where a 401 is an expected answer (signing in, asking who is signed in). */
  redirectOn401?: boolean;
  /** Lets the request finish after the page is closed (a last save); browsers cap such bodies at 64 KiB. */
  keepalive?: boolean;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(`/api/v1${path}`, window.location.origin);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: string | Blob | undefined;
  if (options.rawBody !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
    body = options.rawBody;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'DEBRIEF_ERR_NETWORK', 'Could not reach the Debrief server. Check your connection.', []);
  }

  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && options.redirectOn401 !== false) onUnauthenticated();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function toApiError(response: Response): Promise<ApiError> {
  let problem: Partial<{ code: string; detail: string; title: string; errors: FieldError[] }> &
    Record<string, unknown> = {};
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === 'object') problem = parsed as typeof problem;
  } catch {
    // Not JSON (e.g. a proxy error page): fall back to the status line.
  }
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter((e) => typeof e?.field === 'string' && typeof e?.message === 'string')
    : [];
  return new ApiError(
    response.status,
    typeof problem.code === 'string' ? problem.code : `HTTP_${response.status}`,
    typeof problem.detail === 'string' ? problem.detail : (problem.title ?? response.statusText),
    errors,
    problem.title,
    problem,
  );
}

/** A comma list for list filters, or undefined when empty so the parameter is left out. */
function commaList(values: readonly string[] | undefined): string | undefined {
  return values && values.length > 0 ? values.join(',') : undefined;
}

export interface IncidentFilters {
  status?: IncidentStatus[];
  severity?: Severity[];
  type?: IncidentType[];
  service?: string;
  visibility?: Visibility;
  from?: string;
  to?: string;
  q?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface DeclareIncidentInput {
  title: string;
  severity: Severity;
  type?: IncidentType;
  visibility?: Visibility;
  services?: string[];
  summary?: string;
  customerImpact?: string;
  impactStartedAt?: string;
  roles?: Partial<IncidentRoles>;
}

export type LifecyclePatch = Partial<Record<LifecycleField, string | null>>;

export interface TimelineFilters {
  kind?: EventKind[];
  source?: string[];
  pinned?: boolean;
}

export interface AddTimelineEventInput {
  body: string;
  marker?: Marker;
}

export interface CreateServiceInput {
  name: string;
  displayName?: string;
  description?: string;
  team?: string;
  tier?: ServiceTier;
  runbookUrl?: string;
  owners?: string[];
  dependencies?: string[];
}

export interface LogUploadResult {
  evidence: LogEvidence;
  event: TimelineEvent;
  created: boolean;
}

export type AlertStatus = 'firing' | 'resolved' | 'triggered' | 'acknowledged';

const incidentPath = (key: string) => `/incidents/${encodeURIComponent(key)}`;
const postmortemPath = (key: string) => `${incidentPath(key)}/postmortem`;
const templatePath = (id: string) => `/postmortem-templates/${encodeURIComponent(id)}`;

/** One saved state of the text (`GET …/postmortem/revisions/:version`). */
export type PostmortemRevisionView = PostmortemRevision;

/** A revision in the history (`GET …/postmortem/revisions`, newest first): no text, its size in UTF-8 bytes. */
export type RevisionSummaryView = Omit<PostmortemRevision, 'body'> & { size: number };

/** What a version conflict on the body carries: the text that won, so nobody's words are lost. */
export interface BodyConflict {
  version: number;
  body: string;
  updatedBy: string;
  updatedAt: string;
}

/** The stored text from a `DEBRIEF_ERR_VERSION_CONFLICT` problem on a body save, when the server sent it. */
export function bodyConflict(error: unknown): BodyConflict | null {
  if (!isApiError(error, 'DEBRIEF_ERR_VERSION_CONFLICT')) return null;
  const current = error.problem.current as Partial<BodyConflict> | undefined;
  if (!current || typeof current.body !== 'string' || typeof current.version !== 'number') return null;
  return {
    version: current.version,
    body: current.body,
    updatedBy: typeof current.updatedBy === 'string' ? current.updatedBy : 'someone',
    updatedAt: typeof current.updatedAt === 'string' ? current.updatedAt : '',
  };
}

export type ExportFormat = 'md' | 'html' | 'pdf' | 'json';
export type ExportVariant = 'internal' | 'external';

/** Where a postmortem export is downloaded from (a plain link: the browser handles the attachment). */
export const postmortemExportUrl = (key: string, format: ExportFormat, variant: ExportVariant) =>
  `/api/v1${postmortemPath(key)}/export?format=${format}&variant=${variant}`;

export interface ReviewInput {
  decision: ReviewDecision;
  score?: number;
  comment?: string;
}

/** A template as the editor sends it; the section `id` is the slug of its title. */
export interface TemplateInput {
  name: string;
  description?: string;
  severities?: Severity[];
  types?: IncidentType[];
  sections: TemplateSection[];
}

/** Where an artifact's bytes are served, for links. */
export const artifactUrl = (id: string) => `/api/v1/artifacts/${encodeURIComponent(id)}`;

export const api = {
  login: (email: string, password: string) =>
    request<unknown>('POST', '/auth/login', { body: { email, password }, redirectOn401: false }),
  logout: () => request<unknown>('POST', '/auth/logout', { redirectOn401: false }),
  me: (signal?: AbortSignal) =>
    request<{ user: SessionUser }>('GET', '/auth/me', { signal, redirectOn401: false }).then((r) => r.user),

  listIncidents: (filters: IncidentFilters, cursor: string | null, signal?: AbortSignal) =>
    request<Page<IncidentView>>('GET', '/incidents', {
      signal,
      query: {
        status: commaList(filters.status),
        severity: commaList(filters.severity),
        type: commaList(filters.type),
        service: filters.service,
        visibility: filters.visibility,
        from: filters.from,
        to: filters.to,
        q: filters.q,
        limit: 50,
        cursor,
      },
    }),
  getIncident: (key: string, signal?: AbortSignal) => request<IncidentView>('GET', incidentPath(key), { signal }),
  declareIncident: (input: DeclareIncidentInput) => request<IncidentView>('POST', '/incidents', { body: input }),
  updateLifecycle: (key: string, version: number, patch: LifecyclePatch) =>
    request<IncidentView>('PATCH', incidentPath(key), { body: { version, ...patch } }),
  changeStatus: (key: string, status: IncidentStatus) =>
    request<IncidentView>('POST', `${incidentPath(key)}/status`, { body: { status } }),
  setRoles: (key: string, roles: IncidentRoles) =>
    request<IncidentView>('PUT', `${incidentPath(key)}/roles`, { body: roles }),

  timeline: (key: string, filters: TimelineFilters, signal?: AbortSignal) =>
    request<{ items: TimelineEvent[] }>('GET', `${incidentPath(key)}/timeline`, {
      signal,
      query: {
        kind: commaList(filters.kind),
        source: commaList(filters.source),
        pinned: filters.pinned ? 'true' : undefined,
      },
    }).then((r) => r.items),
  addTimelineEvent: (key: string, input: AddTimelineEventInput) =>
    request<TimelineEvent>('POST', `${incidentPath(key)}/timeline`, { body: { kind: 'note', ...input } }),
  updateTimelineEvent: (key: string, id: string, patch: { pinned?: boolean; marker?: Marker | null }) =>
    request<TimelineEvent>('PATCH', `${incidentPath(key)}/timeline/${encodeURIComponent(id)}`, { body: patch }),

  suspects: (key: string, signal?: AbortSignal) =>
    request<SuspectList>('GET', `${incidentPath(key)}/suspects`, { signal }),
  decideSuspect: (key: string, changeId: string, verdict: Verdict, reason: string) =>
    request<ChangeVerdict>('POST', `${incidentPath(key)}/suspects/${encodeURIComponent(changeId)}`, {
      body: { verdict, reason },
    }),

  metrics: (key: string, signal?: AbortSignal) =>
    request<{ items: MetricEvidence[] }>('GET', `${incidentPath(key)}/metrics`, { signal }).then((r) => r.items),
  captureMetrics: (key: string) =>
    request<{ items: MetricEvidence[] }>('POST', `${incidentPath(key)}/metrics/capture`).then((r) => r.items),

  evidence: (key: string, signal?: AbortSignal) =>
    request<EvidenceSummary>('GET', `${incidentPath(key)}/evidence`, { signal }),
  logs: (key: string, signal?: AbortSignal) => request<LogEvidence>('GET', `${incidentPath(key)}/logs`, { signal }),
  uploadLogs: (key: string, file: File) =>
    request<LogUploadResult>('POST', `${incidentPath(key)}/logs`, {
      rawBody: file,
      contentType: /\.(jsonl|ndjson)$/i.test(file.name) ? 'application/x-ndjson' : 'text/plain',
      query: { name: file.name },
    }),
  /** A stored log analysis (the JSON artifact a `log` timeline event links to). */
  logSnapshot: (artifactId: string, signal?: AbortSignal) =>
    request<LogEvidence>('GET', `/artifacts/${encodeURIComponent(artifactId)}`, { signal }),

  alerts: (incident: string, status: AlertStatus[], cursor: string | null, signal?: AbortSignal) =>
    request<Page<AlertSignal>>('GET', '/alerts', {
      signal,
      query: { incident, status: commaList(status), limit: 20, cursor },
    }),

  services: (signal?: AbortSignal) =>
    request<{ items: Service[] }>('GET', '/services', { signal }).then((r) => r.items),
  createService: (input: CreateServiceInput) => request<Service>('POST', '/services', { body: input }),
  teams: (signal?: AbortSignal) => request<{ items: Team[] }>('GET', '/teams', { signal }).then((r) => r.items),

  listPostmortems: (status: PostmortemStatus[], cursor: string | null, signal?: AbortSignal) =>
    request<Page<PostmortemSummaryView>>('GET', '/postmortems', {
      signal,
      query: { status: commaList(status), limit: 50, cursor },
    }),
  getPostmortem: (key: string, signal?: AbortSignal) =>
    request<PostmortemDetailView>('GET', postmortemPath(key), { signal }),
  createPostmortem: (key: string, templateId?: string) =>
    request<PostmortemView>('POST', postmortemPath(key), { body: templateId ? { templateId } : {} }),
  savePostmortemBody: (
    key: string,
    body: string,
    version: number,
    options: { keepalive?: boolean; restoredFrom?: number } = {},
  ) =>
    request<PostmortemView>('PUT', `${postmortemPath(key)}/body`, {
      body:
        options.restoredFrom === undefined ? { body, version } : { body, version, restoredFrom: options.restoredFrom },
      keepalive: options.keepalive,
    }),
  updatePostmortem: (key: string, version: number, patch: { hiddenSections?: string[]; templateId?: string }) =>
    request<PostmortemView>('PATCH', postmortemPath(key), { body: { version, ...patch } }),
  checkPostmortemText: (key: string, body: string, signal?: AbortSignal) =>
    request<TextCheckView>('POST', `${postmortemPath(key)}/check`, { body: { body }, signal }),
  requestReview: (key: string, version: number, note?: string) =>
    request<PostmortemView>('POST', `${postmortemPath(key)}/review-request`, {
      body: note ? { version, note } : { version },
    }),
  reviewPostmortem: (key: string, input: ReviewInput) =>
    request<{ postmortem: PostmortemView; review: PostmortemReview; approvals: ApprovalStateView }>(
      'POST',
      `${postmortemPath(key)}/reviews`,
      { body: input },
    ),
  addComment: (key: string, section: string, body: string) =>
    request<PostmortemComment>('POST', `${postmortemPath(key)}/comments`, { body: { section, body } }),
  resolveComment: (key: string, id: string, resolved: boolean) =>
    request<PostmortemComment>('PATCH', `${postmortemPath(key)}/comments/${encodeURIComponent(id)}`, {
      body: { resolved },
    }),
  applyRedactions: (key: string, version: number, fingerprints?: string[]) =>
    request<{ postmortem: PostmortemView; redacted: number; kinds: Record<string, number> }>(
      'POST',
      `${postmortemPath(key)}/redactions`,
      { body: fingerprints ? { version, fingerprints } : { version } },
    ),
  waiveRedaction: (key: string, fingerprint: string, reason: string) =>
    request<RedactionWaiver>('POST', `${postmortemPath(key)}/waivers`, { body: { fingerprint, reason } }),
  removeWaiver: (key: string, id: string) =>
    request<undefined>('DELETE', `${postmortemPath(key)}/waivers/${encodeURIComponent(id)}`),
  publishPostmortem: (key: string, version: number) =>
    request<{ postmortem: PostmortemView; publication: NonNullable<PostmortemDetailView['publication']> }>(
      'POST',
      `${postmortemPath(key)}/publish`,
      { body: { version } },
    ),
  reopenPostmortem: (key: string) => request<PostmortemView>('POST', `${postmortemPath(key)}/reopen`),
  postmortemVersions: (key: string, signal?: AbortSignal) =>
    request<PostmortemVersionsView>('GET', `${postmortemPath(key)}/versions`, { signal }),
  postmortemRevisions: (key: string, signal?: AbortSignal) =>
    request<{ items: RevisionSummaryView[] }>('GET', `${postmortemPath(key)}/revisions`, { signal }).then(
      (r) => r.items,
    ),
  postmortemRevision: (key: string, version: number, signal?: AbortSignal) =>
    request<PostmortemRevisionView>('GET', `${postmortemPath(key)}/revisions/${version}`, { signal }),
  recordPostmortemView: (key: string) => request<undefined>('POST', `${postmortemPath(key)}/views`),
  acknowledgePostmortem: (key: string) => request<ReadershipView>('POST', `${postmortemPath(key)}/acknowledgements`),
  readership: (key: string, signal?: AbortSignal) =>
    request<ReadershipView>('GET', `${postmortemPath(key)}/readership`, { signal }),

  templates: (signal?: AbortSignal) =>
    request<{ items: TemplateView[] }>('GET', '/postmortem-templates', { signal }).then((r) => r.items),
  createTemplate: (input: TemplateInput) => request<TemplateView>('POST', '/postmortem-templates', { body: input }),
  updateTemplate: (id: string, version: number, input: TemplateInput) =>
    request<TemplateView>('PATCH', templatePath(id), { body: { version, ...input } }),
  deleteTemplate: (id: string) => request<undefined>('DELETE', templatePath(id)),
};
