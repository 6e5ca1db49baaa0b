/**
 * The operations the CLI's data commands need, implemented twice: `local` runs the use cases in src/app against
 * the database (as the operator who owns the data directory), `http` calls a Debrief server with an API token.
 * Both return the API's JSON shapes and fail with the same DebriefError codes, so output and exit codes match.
 */
import { createService, createTeam, getService, listServices, listTeams, updateTeam } from '../app/catalog.js';
import {
  listChanges,
  listSuspects,
  recordChange,
  type Change,
  type ChangePage,
  type ListChangesInput,
  type RecordChangeInput,
  type SuspectsView,
} from '../app/changes.js';
import { createAppContext, type AppContext } from '../app/context.js';
import { loadSettings, type Settings } from '../app/settings.js';
import { uploadIncidentLogs, type LogMediaType, type LogUploadResult } from '../app/evidence.js';
import type { ExportFile, ExportOptions } from '../app/exports.js';
import { createApiToken, createUser, listApiTokens, listUsers, revokeApiToken } from '../app/identity.js';
import { addTimelineEvents, type BatchResult } from '../app/imports.js';
import {
  assignIncidentRoles,
  changeIncidentStatus,
  declareIncident,
  getIncident,
  listIncidents,
  updateIncident,
} from '../app/incidents.js';
import type {
  AddTimelineEventInput,
  ChangeStatusInput,
  CreateServiceInput,
  CreateTeamInput,
  CreateTokenInput,
  CreateUserInput,
  DeclareIncidentInput,
  ListIncidentsInput,
  UpdateIncidentInput,
  UpdateTeamInput,
} from '../app/inputs.js';
import type {
  ApplyRedactionsInput,
  CreatePostmortemInput,
  CreateTemplateInput,
  ListPostmortemsInput,
  PublishPostmortemInput,
  RequestReviewInput,
  ReviewPostmortemInput,
  SavePostmortemBodyInput,
  WaiveRedactionInput,
} from '../app/postmortem-inputs.js';
import type { PublicationResult, RedactionResult } from '../app/postmortem-publishing.js';
import type { ReviewResult } from '../app/postmortem-reviews.js';
import type {
  PostmortemDetailView,
  PostmortemSummaryView,
  PostmortemView,
  TemplateView,
} from '../app/postmortem-views.js';
import {
  applyRedactions,
  createPostmortem,
  createTemplate,
  deleteTemplate,
  getPostmortem,
  getTemplate,
  listPostmortems,
  listTemplates,
  publishPostmortem,
  reopenPostmortem,
  requestReview,
  reviewPostmortem,
  savePostmortemBody,
  waiveRedaction,
} from '../app/postmortems.js';
import type { IncidentView, UserView } from '../app/presenters.js';
import { addTimelineEvent } from '../app/timeline.js';
import type { Config } from '../config.js';
import { DebriefError, ERROR_CODES, type ErrorCode, type ErrorDetail } from '../domain/errors.js';
import type { RedactionWaiver } from '../domain/postmortem/types.js';
import type { ApiToken, IncidentRole, Principal, Service, Team, TimelineEvent } from '../domain/types.js';
import { DatabaseConfigError, migrateToLatest, openDatabase, type Database } from '../store/database.js';
import { CliError, describeError, EXIT_FAILURE, EXIT_USAGE, RemoteError, type Page } from './output.js';

export type IncidentPage = Page<IncidentView>;

export type RolesInput = Partial<Record<IncidentRole, string | null>>;

export type CreatedToken = ApiToken & { token: string };

export type PostmortemPage = Page<PostmortemSummaryView>;

/**
 * The page `filter` asks for or, with `all`, that page and every one after it, following the cursors: what `--all`
 * does on the list commands.
 *
 * @example
 * const page = await fetchPages((f) => client.listIncidents(f), { status: ['resolved'], limit: 200 }, true);
 * page.nextCursor; // null
 */
export async function fetchPages<F extends { cursor?: string | undefined }, T>(
  list: (filter: F) => Promise<Page<T>>,
  filter: F,
  all: boolean,
): Promise<Page<T>> {
  let current = await list(filter);
  if (!all) return current;
  const items = [...current.items];
  while (current.nextCursor) {
    current = await list({ ...filter, cursor: current.nextCursor });
    items.push(...current.items);
  }
  return { items, nextCursor: null };
}

export interface DebriefClient {
  /** Where the data lives, for messages: `sqlite: /path/debrief.sqlite` or `http://server`. */
  readonly target: string;
  declareIncident(input: DeclareIncidentInput): Promise<IncidentView>;
  listIncidents(input: ListIncidentsInput): Promise<IncidentPage>;
  getIncident(key: string, options?: { timeline?: boolean }): Promise<IncidentView>;
  updateIncident(key: string, input: UpdateIncidentInput): Promise<IncidentView>;
  changeStatus(key: string, input: ChangeStatusInput): Promise<IncidentView>;
  assignRoles(key: string, roles: RolesInput): Promise<IncidentView>;
  addTimelineEvent(key: string, input: AddTimelineEventInput): Promise<TimelineEvent>;
  listUsers(): Promise<UserView[]>;
  createUser(input: CreateUserInput): Promise<{ user: UserView; generatedPassword: string | null }>;
  listTokens(): Promise<ApiToken[]>;
  createToken(input: CreateTokenInput): Promise<CreatedToken>;
  revokeToken(id: string): Promise<ApiToken>;
  listServices(): Promise<Service[]>;
  getService(name: string): Promise<Service>;
  createService(input: CreateServiceInput): Promise<Service>;
  listTeams(): Promise<Team[]>;
  createTeam(input: CreateTeamInput): Promise<Team>;
  updateTeam(name: string, input: UpdateTeamInput): Promise<Team>;
  /** Adds up to 5,000 events in one transaction, idempotent by dedupe key. */
  addTimelineEvents(key: string, events: AddTimelineEventInput[]): Promise<BatchResult>;
  /** Stores a log file on the incident and mines it for new and spiking templates. */
  uploadLogs(
    key: string,
    content: string,
    options: { mediaType: LogMediaType; name?: string | undefined },
  ): Promise<LogUploadResult>;
  close(): Promise<void>;
  recordChange(input: RecordChangeInput): Promise<Change>;
  listChanges(input: ListChangesInput): Promise<ChangePage>;
  listSuspects(key: string): Promise<SuspectsView>;
  getPostmortem(key: string): Promise<PostmortemDetailView>;
  createPostmortem(key: string, input: CreatePostmortemInput): Promise<PostmortemView>;
  savePostmortemBody(key: string, input: SavePostmortemBodyInput): Promise<PostmortemView>;
  requestReview(key: string, input: RequestReviewInput): Promise<PostmortemView>;
  reviewPostmortem(key: string, input: ReviewPostmortemInput): Promise<ReviewResult>;
  applyRedactions(key: string, input: ApplyRedactionsInput): Promise<RedactionResult>;
  waiveRedaction(key: string, input: WaiveRedactionInput): Promise<RedactionWaiver>;
  publishPostmortem(key: string, input: PublishPostmortemInput): Promise<PublicationResult>;
  reopenPostmortem(key: string): Promise<PostmortemView>;
  listPostmortems(input: ListPostmortemsInput): Promise<PostmortemPage>;
  listTemplates(): Promise<TemplateView[]>;
  getTemplate(id: string): Promise<TemplateView>;
  createTemplate(input: CreateTemplateInput): Promise<TemplateView>;
  deleteTemplate(id: string): Promise<void>;
  /** The postmortem as a file: markdown, standalone HTML, PDF or JSON; internal or external variant. */
  exportPostmortem(key: string, options: ExportOptions): Promise<ExportFile>;
}

/** The local operator: whoever can read the data directory owns the data, so the CLI acts as admin. */
export const CLI_PRINCIPAL: Principal = { kind: 'system', name: 'cli', role: 'admin' };

export function describeDatabase(database: Database): string {
  return `${database.dialect}: ${database.location}`;
}

/**
 * Opens the configured database (PostgreSQL by URL, else SQLite in the data directory) and, unless told not to,
 * migrates it. Configuration mistakes are usage errors; an unreachable database is a runtime failure.
 */
export async function openLocalDatabase(config: Config, options: { migrate?: boolean } = {}): Promise<Database> {
  let database: Database;
  try {
    database = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof DatabaseConfigError) throw new CliError(error.message, EXIT_USAGE);
    throw new CliError(`cannot open the database in ${config.dataDir}: ${describeError(error)}`, EXIT_FAILURE);
  }
  if (options.migrate === false) return database;
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw new CliError(
      `cannot open the database (${describeDatabase(database)}): ${describeError(error)}`,
      EXIT_FAILURE,
    );
  }
  return database;
}

export class LocalClient implements DebriefClient {
  readonly target: string;
  private readonly ctx: AppContext;
  private readonly actor: Principal = CLI_PRINCIPAL;

  constructor(
    private readonly database: Database,
    settings?: Settings,
  ) {
    this.ctx = createAppContext(database, settings ? { settings } : {});
    this.target = describeDatabase(database);
  }

  declareIncident(input: DeclareIncidentInput): Promise<IncidentView> {
    return declareIncident(this.ctx, this.actor, input);
  }

  listIncidents(input: ListIncidentsInput): Promise<IncidentPage> {
    return listIncidents(this.ctx, this.actor, input);
  }

  getIncident(key: string, options: { timeline?: boolean } = {}): Promise<IncidentView> {
    return getIncident(this.ctx, this.actor, key, options);
  }

  updateIncident(key: string, input: UpdateIncidentInput): Promise<IncidentView> {
    return updateIncident(this.ctx, this.actor, key, input);
  }

  changeStatus(key: string, input: ChangeStatusInput): Promise<IncidentView> {
    return changeIncidentStatus(this.ctx, this.actor, key, input);
  }

  assignRoles(key: string, roles: RolesInput): Promise<IncidentView> {
    return assignIncidentRoles(this.ctx, this.actor, key, roles);
  }

  async addTimelineEvent(key: string, input: AddTimelineEventInput): Promise<TimelineEvent> {
    return (await addTimelineEvent(this.ctx, this.actor, key, input)).event;
  }

  listUsers(): Promise<UserView[]> {
    return listUsers(this.ctx, this.actor);
  }

  createUser(input: CreateUserInput): Promise<{ user: UserView; generatedPassword: string | null }> {
    return createUser(this.ctx, this.actor, input);
  }

  listTokens(): Promise<ApiToken[]> {
    return listApiTokens(this.ctx, this.actor);
  }

  async createToken(input: CreateTokenInput): Promise<CreatedToken> {
    const { token, apiToken } = await createApiToken(this.ctx, this.actor, input);
    return { ...apiToken, token };
  }

  revokeToken(id: string): Promise<ApiToken> {
    return revokeApiToken(this.ctx, this.actor, id);
  }

  listServices(): Promise<Service[]> {
    return listServices(this.ctx, this.actor);
  }

  getService(name: string): Promise<Service> {
    return getService(this.ctx, this.actor, name);
  }

  createService(input: CreateServiceInput): Promise<Service> {
    return createService(this.ctx, this.actor, input);
  }

  listTeams(): Promise<Team[]> {
    return listTeams(this.ctx, this.actor);
  }

  createTeam(input: CreateTeamInput): Promise<Team> {
    return createTeam(this.ctx, this.actor, input);
  }

  updateTeam(name: string, input: UpdateTeamInput): Promise<Team> {
    return updateTeam(this.ctx, this.actor, name, input);
  }

  addTimelineEvents(key: string, events: AddTimelineEventInput[]): Promise<BatchResult> {
    return addTimelineEvents(this.ctx, this.actor, key, { events });
  }

  uploadLogs(
    key: string,
    content: string,
    options: { mediaType: LogMediaType; name?: string | undefined },
  ): Promise<LogUploadResult> {
    return uploadIncidentLogs(this.ctx, this.actor, key, content, options);
  }

  close(): Promise<void> {
    return this.database.close();
  }

  async recordChange(input: RecordChangeInput): Promise<Change> {
    return (await recordChange(this.ctx, this.actor, input)).change;
  }

  listChanges(input: ListChangesInput): Promise<ChangePage> {
    return listChanges(this.ctx, this.actor, input);
  }

  listSuspects(key: string): Promise<SuspectsView> {
    return listSuspects(this.ctx, this.actor, key);
  }

  getPostmortem(key: string): Promise<PostmortemDetailView> {
    return getPostmortem(this.ctx, this.actor, key);
  }

  createPostmortem(key: string, input: CreatePostmortemInput): Promise<PostmortemView> {
    return createPostmortem(this.ctx, this.actor, key, input);
  }

  savePostmortemBody(key: string, input: SavePostmortemBodyInput): Promise<PostmortemView> {
    return savePostmortemBody(this.ctx, this.actor, key, input);
  }

  requestReview(key: string, input: RequestReviewInput): Promise<PostmortemView> {
    return requestReview(this.ctx, this.actor, key, input);
  }

  reviewPostmortem(key: string, input: ReviewPostmortemInput): Promise<ReviewResult> {
    return reviewPostmortem(this.ctx, this.actor, key, input);
  }

  applyRedactions(key: string, input: ApplyRedactionsInput): Promise<RedactionResult> {
    return applyRedactions(this.ctx, this.actor, key, input);
  }

  waiveRedaction(key: string, input: WaiveRedactionInput): Promise<RedactionWaiver> {
    return waiveRedaction(this.ctx, this.actor, key, input);
  }

  publishPostmortem(key: string, input: PublishPostmortemInput): Promise<PublicationResult> {
    return publishPostmortem(this.ctx, this.actor, key, input);
  }

  reopenPostmortem(key: string): Promise<PostmortemView> {
    return reopenPostmortem(this.ctx, this.actor, key);
  }

  listPostmortems(input: ListPostmortemsInput): Promise<PostmortemPage> {
    return listPostmortems(this.ctx, this.actor, input);
  }

  listTemplates(): Promise<TemplateView[]> {
    return listTemplates(this.ctx, this.actor);
  }

  getTemplate(id: string): Promise<TemplateView> {
    return getTemplate(this.ctx, this.actor, id);
  }

  createTemplate(input: CreateTemplateInput): Promise<TemplateView> {
    return createTemplate(this.ctx, this.actor, input);
  }

  deleteTemplate(id: string): Promise<void> {
    return deleteTemplate(this.ctx, this.actor, id);
  }

  async exportPostmortem(key: string, options: ExportOptions): Promise<ExportFile> {
    // The renderer, ECharts and Chromium's driver load only for an export, not for every command.
    const { exportPostmortem } = await import('../app/exports.js');
    return exportPostmortem(this.ctx, this.actor, key, options);
  }
}

interface ProblemBody {
  code?: unknown;
  detail?: unknown;
  title?: unknown;
  errors?: unknown;
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

/** Turns a problem+json answer into the error the same failure raises locally. */
export function problemToError(status: number, body: unknown, server: string): Error {
  const p = (typeof body === 'object' && body !== null ? body : {}) as ProblemBody;
  const detail = typeof p.detail === 'string' && p.detail !== '' ? p.detail : undefined;
  const details = Array.isArray(p.errors)
    ? (p.errors as unknown[]).filter(
        (e): e is ErrorDetail =>
          typeof e === 'object' &&
          e !== null &&
          typeof (e as ErrorDetail).field === 'string' &&
          typeof (e as ErrorDetail).message === 'string',
      )
    : [];
  if (p.code === 'DEBRIEF_ERR_UNAUTHENTICATED') {
    return new DebriefError(
      'DEBRIEF_ERR_UNAUTHENTICATED',
      `${server} did not accept DEBRIEF_TOKEN (unknown, revoked or expired); create one with \`debrief token create\``,
    );
  }
  if (isErrorCode(p.code)) {
    return new DebriefError(p.code, detail ?? `${server} answered ${status}`, {
      details,
      ...(details[0] ? { field: details[0].field } : {}),
    });
  }
  const title = typeof p.title === 'string' ? p.title : '';
  const message = detail ?? (title || `${server} answered HTTP ${status}`);
  return new RemoteError(status, typeof p.code === 'string' ? p.code : `HTTP_${status}`, message);
}

const REQUEST_TIMEOUT_MS = 30_000;
/** A PDF of a long postmortem takes Chromium a while to print. */
const EXPORT_TIMEOUT_MS = 180_000;

export class HttpClient implements DebriefClient {
  readonly target: string;
  private readonly base: string;

  constructor(
    serverUrl: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    let url: URL;
    try {
      url = new URL(serverUrl);
    } catch {
      throw new CliError(`--url: not a URL: ${JSON.stringify(serverUrl)}`, EXIT_USAGE);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new CliError(`--url: must be an http(s) URL, got ${JSON.stringify(serverUrl)}`, EXIT_USAGE);
    }
    this.base = url.toString().replace(/\/+$/, '');
    this.target = this.base;
  }

  private async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = contentType;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.base}/api/v1${path}`, {
        method,
        headers,
        body:
          body === undefined
            ? null
            : typeof body === 'string' && contentType !== 'application/json'
              ? body
              : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      throw new CliError(`cannot reach ${this.base}: ${describeError(cause)}`, EXIT_FAILURE);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!response.ok) throw problemToError(response.status, parsed, this.base);
    if (parsed === undefined && text !== '') {
      throw new RemoteError(response.status, 'BAD_RESPONSE', `${this.base} answered with something other than JSON`);
    }
    return parsed as T;
  }

  private incidentPath(key: string): string {
    return `/incidents/${encodeURIComponent(key)}`;
  }

  declareIncident(input: DeclareIncidentInput): Promise<IncidentView> {
    return this.request('POST', '/incidents', input);
  }

  listIncidents(input: ListIncidentsInput): Promise<IncidentPage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(input)) {
      if (value === undefined) continue;
      query.set(name, Array.isArray(value) ? value.join(',') : String(value));
    }
    const qs = query.toString();
    return this.request('GET', `/incidents${qs ? `?${qs}` : ''}`);
  }

  getIncident(key: string, options: { timeline?: boolean } = {}): Promise<IncidentView> {
    return this.request('GET', `${this.incidentPath(key)}${options.timeline ? '?include=timeline' : ''}`);
  }

  updateIncident(key: string, input: UpdateIncidentInput): Promise<IncidentView> {
    return this.request('PATCH', this.incidentPath(key), input);
  }

  changeStatus(key: string, input: ChangeStatusInput): Promise<IncidentView> {
    return this.request('POST', `${this.incidentPath(key)}/status`, input);
  }

  assignRoles(key: string, roles: RolesInput): Promise<IncidentView> {
    return this.request('PUT', `${this.incidentPath(key)}/roles`, roles);
  }

  addTimelineEvent(key: string, input: AddTimelineEventInput): Promise<TimelineEvent> {
    return this.request('POST', `${this.incidentPath(key)}/timeline`, input);
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.request<{ items: UserView[] }>('GET', '/users')).items;
  }

  createUser(input: CreateUserInput): Promise<{ user: UserView; generatedPassword: string | null }> {
    return this.request('POST', '/users', input);
  }

  async listTokens(): Promise<ApiToken[]> {
    return (await this.request<{ items: ApiToken[] }>('GET', '/tokens')).items;
  }

  createToken(input: CreateTokenInput): Promise<CreatedToken> {
    return this.request('POST', '/tokens', input);
  }

  revokeToken(id: string): Promise<ApiToken> {
    return this.request('DELETE', `/tokens/${encodeURIComponent(id)}`);
  }

  async listServices(): Promise<Service[]> {
    return (await this.request<{ items: Service[] }>('GET', '/services')).items;
  }

  getService(name: string): Promise<Service> {
    return this.request('GET', `/services/${encodeURIComponent(name)}`);
  }

  createService(input: CreateServiceInput): Promise<Service> {
    return this.request('POST', '/services', input);
  }

  async listTeams(): Promise<Team[]> {
    return (await this.request<{ items: Team[] }>('GET', '/teams')).items;
  }

  createTeam(input: CreateTeamInput): Promise<Team> {
    return this.request('POST', '/teams', input);
  }

  updateTeam(name: string, input: UpdateTeamInput): Promise<Team> {
    return this.request('PATCH', `/teams/${encodeURIComponent(name)}`, input);
  }

  addTimelineEvents(key: string, events: AddTimelineEventInput[]): Promise<BatchResult> {
    return this.request('POST', `${this.incidentPath(key)}/timeline/batch`, { events });
  }

  uploadLogs(
    key: string,
    content: string,
    options: { mediaType: LogMediaType; name?: string | undefined },
  ): Promise<LogUploadResult> {
    const query = options.name ? `?${new URLSearchParams({ name: options.name }).toString()}` : '';
    return this.request('POST', `${this.incidentPath(key)}/logs${query}`, content, options.mediaType);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  recordChange(input: RecordChangeInput): Promise<Change> {
    return this.request('POST', '/changes', input);
  }

  listChanges(input: ListChangesInput): Promise<ChangePage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(input)) {
      if (value === undefined) continue;
      query.set(name, Array.isArray(value) ? value.join(',') : String(value));
    }
    const qs = query.toString();
    return this.request('GET', `/changes${qs ? `?${qs}` : ''}`);
  }

  listSuspects(key: string): Promise<SuspectsView> {
    return this.request('GET', `${this.incidentPath(key)}/suspects`);
  }

  private postmortemPath(key: string): string {
    return `${this.incidentPath(key)}/postmortem`;
  }

  getPostmortem(key: string): Promise<PostmortemDetailView> {
    return this.request('GET', this.postmortemPath(key));
  }

  createPostmortem(key: string, input: CreatePostmortemInput): Promise<PostmortemView> {
    return this.request('POST', this.postmortemPath(key), input);
  }

  savePostmortemBody(key: string, input: SavePostmortemBodyInput): Promise<PostmortemView> {
    return this.request('PUT', `${this.postmortemPath(key)}/body`, input);
  }

  requestReview(key: string, input: RequestReviewInput): Promise<PostmortemView> {
    return this.request('POST', `${this.postmortemPath(key)}/review-request`, input);
  }

  reviewPostmortem(key: string, input: ReviewPostmortemInput): Promise<ReviewResult> {
    return this.request('POST', `${this.postmortemPath(key)}/reviews`, input);
  }

  applyRedactions(key: string, input: ApplyRedactionsInput): Promise<RedactionResult> {
    return this.request('POST', `${this.postmortemPath(key)}/redactions`, input);
  }

  waiveRedaction(key: string, input: WaiveRedactionInput): Promise<RedactionWaiver> {
    return this.request('POST', `${this.postmortemPath(key)}/waivers`, input);
  }

  publishPostmortem(key: string, input: PublishPostmortemInput): Promise<PublicationResult> {
    return this.request('POST', `${this.postmortemPath(key)}/publish`, input);
  }

  reopenPostmortem(key: string): Promise<PostmortemView> {
    return this.request('POST', `${this.postmortemPath(key)}/reopen`, {});
  }

  listPostmortems(input: ListPostmortemsInput): Promise<PostmortemPage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(input)) {
      if (value === undefined) continue;
      query.set(name, Array.isArray(value) ? value.join(',') : String(value));
    }
    const qs = query.toString();
    return this.request('GET', `/postmortems${qs ? `?${qs}` : ''}`);
  }

  async listTemplates(): Promise<TemplateView[]> {
    return (await this.request<{ items: TemplateView[] }>('GET', '/postmortem-templates')).items;
  }

  getTemplate(id: string): Promise<TemplateView> {
    return this.request('GET', `/postmortem-templates/${encodeURIComponent(id)}`);
  }

  createTemplate(input: CreateTemplateInput): Promise<TemplateView> {
    return this.request('POST', '/postmortem-templates', input);
  }

  async deleteTemplate(id: string): Promise<void> {
    await this.request('DELETE', `/postmortem-templates/${encodeURIComponent(id)}`);
  }

  exportPostmortem(key: string, options: ExportOptions): Promise<ExportFile> {
    const query = new URLSearchParams({ format: options.format, variant: options.variant ?? 'internal' });
    return this.download(`${this.incidentPath(key)}/postmortem/export?${query.toString()}`, EXPORT_TIMEOUT_MS);
  }

  /** A file download: the body as bytes, named as the server's Content-Disposition says. */
  private async download(path: string, timeoutMs: number): Promise<ExportFile> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.base}/api/v1${path}`, {
        headers: { accept: '*/*', authorization: `Bearer ${this.token}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      throw new CliError(`cannot reach ${this.base}: ${describeError(cause)}`, EXIT_FAILURE);
    }
    const data = Buffer.from(await response.arrayBuffer());
    if (!response.ok) {
      let problem: unknown;
      try {
        problem = JSON.parse(data.toString('utf8'));
      } catch {
        // A proxy's error page: the status alone is all there is to report.
      }
      throw problemToError(response.status, problem, this.base);
    }
    const named = /filename="([^"/\\]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
    return {
      filename: named ?? path.split('?')[0]?.split('/').pop() ?? 'download',
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      data,
    };
  }
}

/** A client for the configuration: the server at `serverUrl` when set, else the local database (migrated). */
export async function openClient(config: Config): Promise<DebriefClient> {
  if (config.serverUrl) {
    if (!config.token) {
      throw new CliError(
        `talking to ${config.serverUrl} needs an API token: export DEBRIEF_TOKEN=dbf_… (create one with \`debrief token create\` on the server)`,
        EXIT_USAGE,
      );
    }
    return new HttpClient(config.serverUrl, config.token);
  }
  // Settings are read before the database opens so a broken settings file fails without touching the data.
  const settings = localSettings(config);
  return new LocalClient(await openLocalDatabase(config), settings);
}

/**
 * The settings the server would use for this data directory (`DEBRIEF_SETTINGS` or `settings.json` there), so
 * local commands apply the same approvals, lint rules and redaction terms as the server.
 */
export function localSettings(config: Config): Settings {
  return loadSettings({ path: config.settingsPath, dataDir: config.dataDir });
}
