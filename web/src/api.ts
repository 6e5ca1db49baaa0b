import type {
  EventKind,
  Incident,
  IncidentDurations,
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

/** An incident as the API presents it: the stored shape plus server-derived fields. */
export interface IncidentView extends Incident {
  durations: IncidentDurations;
  allowedTransitions: IncidentStatus[];
  timeline?: TimelineEvent[];
}

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

  constructor(status: number, code: string, detail: string, errors: FieldError[], title?: string) {
    super(detail || title || `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
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
  query?: Record<string, QueryValue>;
  signal?: AbortSignal;
  /** False for calls where a 401 is an expected answer (signing in, asking who is signed in). */
  redirectOn401?: boolean;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const url = new URL(`/api/v1${path}`, window.location.origin);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: string | undefined;
  if (options.body !== undefined) {
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
  let problem: Partial<{ code: string; detail: string; title: string; errors: FieldError[] }> = {};
  try {
    const parsed: unknown = await response.json();
    if (parsed && typeof parsed === 'object') problem = parsed;
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

const incidentPath = (key: string) => `/incidents/${encodeURIComponent(key)}`;

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

  services: (signal?: AbortSignal) =>
    request<{ items: Service[] }>('GET', '/services', { signal }).then((r) => r.items),
  createService: (input: CreateServiceInput) => request<Service>('POST', '/services', { body: input }),
  teams: (signal?: AbortSignal) => request<{ items: Team[] }>('GET', '/teams', { signal }).then((r) => r.items),
};
