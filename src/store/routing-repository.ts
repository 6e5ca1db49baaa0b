import type { Kysely, Selectable } from 'kysely';
import type { AlertMatch, RoutingAction } from '../domain/alert-routing.js';
import type { Severity } from '../domain/types.js';
import { fromJson, toJson } from './json.js';
import type { DB, MaintenanceWindowsTable, RoutingRulesTable } from './schema.js';

/** A routing rule kept in the database (rules from the settings file are never stored). */
export interface StoredRoutingRule {
  id: string;
  name: string;
  /** Rules apply in ascending position, after the settings file's rules. */
  position: number;
  match: AlertMatch;
  action: RoutingAction;
  severity: Severity | null;
  service: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface MaintenanceWindow {
  id: string;
  service: string | null;
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

function toRule(row: Selectable<RoutingRulesTable>): StoredRoutingRule {
  return {
    id: row.id,
    name: row.name,
    position: Number(row.position),
    match: fromJson<AlertMatch>(row.matchers, {}),
    action: row.action as RoutingAction,
    severity: row.severity as Severity | null,
    service: row.service,
    enabled: Number(row.enabled) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function toRuleRow(r: StoredRoutingRule): RoutingRulesTable {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    matchers: toJson(r.match),
    action: r.action,
    severity: r.severity,
    service: r.service,
    enabled: r.enabled ? 1 : 0,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    version: r.version,
  };
}

function toWindow(row: Selectable<MaintenanceWindowsTable>): MaintenanceWindow {
  return {
    id: row.id,
    service: row.service,
    labels: fromJson<{ labels?: Record<string, string> }>(row.matchers, {}).labels ?? {},
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** Routing rules and maintenance windows. */
export class RoutingRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** In the order they apply: position, then name. */
  async listRules(options: { enabledOnly?: boolean } = {}): Promise<StoredRoutingRule[]> {
    let query = this.db.selectFrom('routing_rules').selectAll();
    if (options.enabledOnly) query = query.where('enabled', '=', 1);
    const rows = await query.orderBy('position').orderBy('name').execute();
    return rows.map(toRule);
  }

  async findRule(id: string): Promise<StoredRoutingRule | null> {
    const row = await this.db.selectFrom('routing_rules').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRule(row) : null;
  }

  async findRuleByName(name: string): Promise<StoredRoutingRule | null> {
    const row = await this.db.selectFrom('routing_rules').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toRule(row) : null;
  }

  /** The position after the last rule, for appending. */
  async nextPosition(): Promise<number> {
    const row = await this.db
      .selectFrom('routing_rules')
      .select((eb) => eb.fn.max<number | null>('position').as('p'))
      .executeTakeFirst();
    return row?.p === null || row?.p === undefined ? 0 : Number(row.p) + 1;
  }

  async insertRule(rule: StoredRoutingRule): Promise<void> {
    await this.db.insertInto('routing_rules').values(toRuleRow(rule)).execute();
  }

  /** Writes the rule when the stored version is still `expectedVersion`; false when someone else won. */
  async updateRule(rule: StoredRoutingRule, expectedVersion: number): Promise<boolean> {
    const { id: _id, ...row } = toRuleRow(rule);
    const result = await this.db
      .updateTable('routing_rules')
      .set(row)
      .where('id', '=', rule.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async deleteRule(id: string): Promise<void> {
    await this.db.deleteFrom('routing_rules').where('id', '=', id).execute();
  }

  /** Windows ending after `endingAfter` and starting at or before `startingBefore` (each optional), soonest first. */
  async listWindows(options: { endingAfter?: string; startingBefore?: string } = {}): Promise<MaintenanceWindow[]> {
    let query = this.db.selectFrom('maintenance_windows').selectAll();
    if (options.endingAfter !== undefined) query = query.where('ends_at', '>', options.endingAfter);
    if (options.startingBefore !== undefined) query = query.where('starts_at', '<=', options.startingBefore);
    const rows = await query.orderBy('starts_at').orderBy('id').execute();
    return rows.map(toWindow);
  }

  async findWindow(id: string): Promise<MaintenanceWindow | null> {
    const row = await this.db.selectFrom('maintenance_windows').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toWindow(row) : null;
  }

  async insertWindow(window: MaintenanceWindow): Promise<void> {
    await this.db
      .insertInto('maintenance_windows')
      .values({
        id: window.id,
        service: window.service,
        matchers: toJson({ labels: window.labels }),
        starts_at: window.startsAt,
        ends_at: window.endsAt,
        reason: window.reason,
        created_by: window.createdBy,
        created_at: window.createdAt,
      })
      .execute();
  }

  async deleteWindow(id: string): Promise<void> {
    await this.db.deleteFrom('maintenance_windows').where('id', '=', id).execute();
  }
}
