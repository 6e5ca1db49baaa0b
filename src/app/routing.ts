/**
 * Routing rules and maintenance windows: the settings file's rules first, then the rules kept in the database by
 * position; maintenance windows keep alerts from declaring incidents. Reading needs any role; writing needs
 * reviewer or admin.
 */
import { z } from 'zod';
import { can, minimumRole, principalLabel, type Action } from '../domain/access.js';
import {
  ROUTING_ACTIONS,
  compileMatch,
  compileWindow,
  type AlertMatch,
  type CompiledRule,
  type CompiledWindow,
  type RoutingRule,
} from '../domain/alert-routing.js';
import { DebriefError, notFound, validationError } from '../domain/errors.js';
import { normalizeTimestamp } from '../domain/lifecycle.js';
import type { Principal, Severity } from '../domain/types.js';
import { newId } from '../store/ids.js';
import type { MaintenanceWindow, StoredRoutingRule } from '../store/routing-repository.js';
import { read, transact, type AppContext, type Logger, type Tx } from './context.js';
import { severity, timestamp } from './inputs.js';
import type { Settings } from './settings.js';
import { parseInput } from './validate.js';

/** Sources whose alerts are routed. */
export const ALERT_SOURCES = ['alertmanager', 'grafana', 'pagerduty'] as const;

const labelName = z.string().min(1).max(200);
const labelMatchers = z
  .record(labelName, z.string().max(1_000))
  .meta({ description: 'Label name -> exact value, or a regular expression between slashes, e.g. "/5\\\\d\\\\d/"' });
const words = z.array(z.string().trim().min(1).max(100)).max(100);

export const alertMatchInput = z.strictObject({
  labels: labelMatchers.optional(),
  severity: words.optional().meta({ description: 'Alert severities (critical, warning, P1, …), any case' }),
  service: words.optional(),
  source: z
    .array(z.enum(ALERT_SOURCES, { error: () => `must be one of ${ALERT_SOURCES.join(', ')}` }))
    .max(10)
    .optional(),
});

const routingAction = z.enum(ROUTING_ACTIONS, { error: () => `must be one of ${ROUTING_ACTIONS.join(', ')}` });
const routedService = z.string().trim().min(1).max(100);
const position = z.number().int().min(0).max(1_000_000);

export const createRoutingRuleInput = z.strictObject({
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100),
  match: alertMatchInput.default({}),
  action: routingAction,
  severity: severity.nullable().optional(),
  service: routedService.nullable().optional(),
  position: position.optional().meta({ description: 'Order among database rules; appended when omitted' }),
  enabled: z.boolean().default(true),
});
export type CreateRoutingRuleInput = z.input<typeof createRoutingRuleInput>;

export const updateRoutingRuleInput = z.strictObject({
  version: z.number().int().positive(),
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100).optional(),
  match: alertMatchInput.optional(),
  action: routingAction.optional(),
  severity: severity.nullable().optional(),
  service: routedService.nullable().optional(),
  position: position.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateRoutingRuleInput = z.input<typeof updateRoutingRuleInput>;

export const createMaintenanceWindowInput = z.strictObject({
  service: routedService.nullable().optional(),
  labels: labelMatchers.default({}),
  startsAt: timestamp,
  endsAt: timestamp,
  reason: z.string().trim().max(1_000).default(''),
});
export type CreateMaintenanceWindowInput = z.input<typeof createMaintenanceWindowInput>;

export const listMaintenanceWindowsInput = z.strictObject({
  past: z.boolean().default(false),
});
export type ListMaintenanceWindowsInput = z.input<typeof listMaintenanceWindowsInput>;

export interface RoutingRuleView {
  id: string;
  /** `settings`: from the settings file, read-only here; `api`: kept in the database. */
  origin: 'settings' | 'api';
  name: string;
  position: number;
  match: AlertMatch;
  action: StoredRoutingRule['action'];
  severity: Severity | null;
  service: string | null;
  enabled: boolean;
  createdAt: string | null;
  updatedAt: string | null;
  /** Null for settings-file rules. */
  version: number | null;
}

export interface MaintenanceWindowView extends MaintenanceWindow {
  active: boolean;
}

const SETTINGS_PREFIX = 'settings:';

function presentRule(rule: StoredRoutingRule): RoutingRuleView {
  return { ...rule, origin: 'api' };
}

function settingsRuleViews(settings: Settings): RoutingRuleView[] {
  return settings.routing.rules.map((rule, i) => ({
    id: `${SETTINGS_PREFIX}${i}`,
    origin: 'settings',
    name: rule.name,
    position: i,
    match: rule.match,
    action: rule.action,
    severity: rule.severity ?? null,
    service: rule.service ?? null,
    enabled: true,
    createdAt: null,
    updatedAt: null,
    version: null,
  }));
}

function presentWindow(window: MaintenanceWindow, now: string): MaintenanceWindowView {
  return { ...window, active: window.startsAt <= now && now < window.endsAt };
}

/** The policy decides; the refusal says in words what was refused and which role may do it instead. */
function requireAction(actor: Principal, action: Action, what: string): void {
  if (!can(actor, action)) {
    throw new DebriefError(
      'DEBRIEF_ERR_FORBIDDEN',
      `your role (${actor.role}) may not ${what}; ${minimumRole(action)} or admin may`,
    );
  }
}

function settingsRuleRefused(id: string): DebriefError {
  return validationError('id', `rule ${id} comes from the settings file; change it there`);
}

function staleRule(rule: StoredRoutingRule, sent: number): DebriefError {
  return new DebriefError(
    'DEBRIEF_ERR_VERSION_CONFLICT',
    `routing rule "${rule.name}" was changed by someone else (now version ${rule.version}, you sent ${sent}); reload and retry`,
    { field: 'version' },
  );
}

async function checkUniqueName(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const existing = await tx.repos.routing.findRuleByName(name);
  if (existing && existing.id !== exceptId) {
    throw new DebriefError('DEBRIEF_ERR_ALREADY_EXISTS', `a routing rule named "${name}" already exists`, {
      field: 'name',
    });
  }
}

/** Every rule in the order it applies: the settings file's first, then the database's. */
export async function listRoutingRules(
  ctx: AppContext,
  actor: Principal,
): Promise<{ items: RoutingRuleView[]; defaultSeverity: Severity }> {
  requireAction(actor, 'routing.read', 'read routing rules');
  const stored = await read(ctx).routing.listRules();
  return {
    items: [...settingsRuleViews(ctx.settings), ...stored.map(presentRule)],
    defaultSeverity: ctx.settings.routing.defaultSeverity,
  };
}

/** Adds a rule (appended after the others unless a position is given). */
export async function createRoutingRule(
  ctx: AppContext,
  actor: Principal,
  raw: CreateRoutingRuleInput,
): Promise<RoutingRuleView> {
  const input = parseInput(createRoutingRuleInput, raw);
  requireAction(actor, 'routing.manage', 'manage routing rules');
  compileMatch(input.match, 'match');
  return transact(ctx, async (tx) => {
    await checkUniqueName(tx, input.name);
    const rule: StoredRoutingRule = {
      id: newId(),
      name: input.name,
      position: input.position ?? (await tx.repos.routing.nextPosition()),
      match: input.match,
      action: input.action,
      severity: input.severity ?? null,
      service: input.service ?? null,
      enabled: input.enabled,
      createdAt: tx.now,
      updatedAt: tx.now,
      version: 1,
    };
    await tx.repos.routing.insertRule(rule);
    await tx.audit(actor, 'routing_rule.create', 'routing_rule', rule.id, null, rule);
    return presentRule(rule);
  });
}

/** Changes a rule; `version` must match the stored one. */
export async function updateRoutingRule(
  ctx: AppContext,
  actor: Principal,
  id: string,
  raw: UpdateRoutingRuleInput,
): Promise<RoutingRuleView> {
  const input = parseInput(updateRoutingRuleInput, raw);
  requireAction(actor, 'routing.manage', 'manage routing rules');
  if (id.startsWith(SETTINGS_PREFIX)) throw settingsRuleRefused(id);
  if (input.match) compileMatch(input.match, 'match');
  return transact(ctx, async (tx) => {
    const before = await tx.repos.routing.findRule(id);
    if (!before) throw notFound('routing rule', id);
    if (before.version !== input.version) throw staleRule(before, input.version);
    if (input.name !== undefined) await checkUniqueName(tx, input.name, id);
    const after: StoredRoutingRule = {
      ...before,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.match !== undefined ? { match: input.match } : {}),
      ...(input.action !== undefined ? { action: input.action } : {}),
      ...(input.severity !== undefined ? { severity: input.severity } : {}),
      ...(input.service !== undefined ? { service: input.service } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      updatedAt: tx.now,
      version: before.version + 1,
    };
    if (!(await tx.repos.routing.updateRule(after, before.version))) {
      throw staleRule((await tx.repos.routing.findRule(id)) ?? before, input.version);
    }
    await tx.audit(actor, 'routing_rule.update', 'routing_rule', id, before, after);
    return presentRule(after);
  });
}

/** Removes a rule; returns it as it was. */
export async function deleteRoutingRule(ctx: AppContext, actor: Principal, id: string): Promise<RoutingRuleView> {
  requireAction(actor, 'routing.manage', 'manage routing rules');
  if (id.startsWith(SETTINGS_PREFIX)) throw settingsRuleRefused(id);
  return transact(ctx, async (tx) => {
    const before = await tx.repos.routing.findRule(id);
    if (!before) throw notFound('routing rule', id);
    await tx.repos.routing.deleteRule(id);
    await tx.audit(actor, 'routing_rule.delete', 'routing_rule', id, before, null);
    return presentRule(before);
  });
}

/** Current and upcoming windows, soonest first; `past: true` includes the ended ones. */
export async function listMaintenanceWindows(
  ctx: AppContext,
  actor: Principal,
  raw: ListMaintenanceWindowsInput = {},
): Promise<MaintenanceWindowView[]> {
  const input = parseInput(listMaintenanceWindowsInput, raw);
  requireAction(actor, 'maintenance.read', 'read maintenance windows');
  const now = ctx.now().toISOString();
  const windows = await read(ctx).routing.listWindows(input.past ? {} : { endingAfter: now });
  return windows.map((w) => presentWindow(w, now));
}

/** Schedules a window in which alerts of a service (or matching labels) do not declare incidents. */
export async function createMaintenanceWindow(
  ctx: AppContext,
  actor: Principal,
  raw: CreateMaintenanceWindowInput,
): Promise<MaintenanceWindowView> {
  const input = parseInput(createMaintenanceWindowInput, raw);
  requireAction(actor, 'maintenance.manage', 'manage maintenance windows');
  const startsAt = normalizeTimestamp(input.startsAt, 'startsAt');
  const endsAt = normalizeTimestamp(input.endsAt, 'endsAt');
  if (endsAt <= startsAt) throw validationError('endsAt', 'must be after startsAt');
  const service = input.service ?? null;
  if (service === null && Object.keys(input.labels).length === 0) {
    throw validationError('service', 'name a service or at least one label matcher; a window cannot mute every alert');
  }
  compileMatch({ labels: input.labels });
  return transact(ctx, async (tx) => {
    const window: MaintenanceWindow = {
      id: newId(),
      service,
      labels: input.labels,
      startsAt,
      endsAt,
      reason: input.reason,
      createdBy: principalLabel(actor),
      createdAt: tx.now,
    };
    await tx.repos.routing.insertWindow(window);
    await tx.audit(actor, 'maintenance_window.create', 'maintenance_window', window.id, null, window);
    return presentWindow(window, tx.now);
  });
}

/** Removes a window (ending a maintenance early); returns it as it was. */
export async function deleteMaintenanceWindow(
  ctx: AppContext,
  actor: Principal,
  id: string,
): Promise<MaintenanceWindowView> {
  requireAction(actor, 'maintenance.manage', 'manage maintenance windows');
  return transact(ctx, async (tx) => {
    const before = await tx.repos.routing.findWindow(id);
    if (!before) throw notFound('maintenance window', id);
    await tx.repos.routing.deleteWindow(id);
    await tx.audit(actor, 'maintenance_window.delete', 'maintenance_window', id, before, null);
    return presentWindow(before, tx.now);
  });
}

/**
 * The rules alert ingestion applies, compiled: the settings file's, then the enabled database rules. A settings
 * rule whose regular expression does not compile is skipped with a warning rather than failing every delivery.
 */
export async function effectiveRules(tx: Tx, settings: Settings, logger: Logger): Promise<CompiledRule[]> {
  const fromSettings: RoutingRule[] = settings.routing.rules.map((rule, i) => ({
    id: `${SETTINGS_PREFIX}${i}`,
    name: rule.name,
    match: rule.match,
    action: rule.action,
    severity: rule.severity ?? null,
    service: rule.service ?? null,
  }));
  const stored: RoutingRule[] = await tx.repos.routing.listRules({ enabledOnly: true });
  const compiled: CompiledRule[] = [];
  for (const rule of [...fromSettings, ...stored]) {
    try {
      compiled.push({ ...rule, compiled: compileMatch(rule.match, `routing rule "${rule.name}" match`) });
    } catch (error) {
      logger.warn({ err: error, rule: rule.name }, 'routing rule skipped: its match does not compile');
    }
  }
  return compiled;
}

/** Maintenance windows that overlap [from, to], compiled. */
export async function windowsBetween(tx: Tx, from: string, to: string, logger: Logger): Promise<CompiledWindow[]> {
  const windows = await tx.repos.routing.listWindows({ endingAfter: from, startingBefore: to });
  const out: CompiledWindow[] = [];
  for (const window of windows) {
    try {
      out.push(compileWindow(window));
    } catch (error) {
      logger.warn({ err: error, window: window.id }, 'maintenance window skipped');
    }
  }
  return out;
}
