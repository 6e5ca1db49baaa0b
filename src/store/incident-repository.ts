import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Incident, IncidentRoles, IncidentStatus, IncidentType, Severity, Visibility } from '../domain/types.js';
import { fromJson, toJson } from './json.js';
import type { DB, IncidentsTable } from './schema.js';

export interface IncidentFilter {
  status?: IncidentStatus[] | undefined;
  severity?: Severity[] | undefined;
  type?: IncidentType[] | undefined;
  visibility?: Visibility | undefined;
  service?: string | undefined;
  /** Declared at or after. */
  from?: string | undefined;
  /** Declared before. */
  to?: string | undefined;
  /** Case-insensitive substring of the title. */
  q?: string | undefined;
}

/** Which private incidents a reader may see: all, or those listing one of these principals. */
export type AccessScope = { all: true } | { all: false; principals: string[] };

/**
 * The visibility rule as one SQL condition, for every query that lists incidents or what hangs off them: public,
 * or one of the reader's principals is on the incident's access list. `table` names the incidents table as the
 * query refers to it.
 *
 * @example
 * query.where(visibleIncidents(scope.principals, 'incidents'));
 */
export function visibleIncidents(principals: readonly string[], table = 'incidents'): RawBuilder<boolean> {
  const visibility = sql.ref(`${table}.visibility`);
  if (principals.length === 0) return sql<boolean>`${visibility} = 'public'`;
  return sql<boolean>`(${visibility} = 'public' or ${sql.ref(`${table}.id`)} in (select incident_id from incident_access where principal in (${sql.join(principals)})))`;
}

export interface IncidentPage {
  items: Incident[];
  /** Incident number to continue below, or null at the end. */
  next: number | null;
}

function toIncident(row: Selectable<IncidentsTable>, services: string[]): Incident {
  return {
    id: row.id,
    number: Number(row.number),
    key: row.key,
    title: row.title,
    summary: row.summary,
    severity: row.severity as Severity,
    type: row.type as IncidentType,
    visibility: row.visibility as Visibility,
    status: row.status as IncidentStatus,
    services,
    customerImpact: row.customer_impact,
    roles: fromJson<IncidentRoles>(row.roles, { commander: null, scribe: null, communications: null }),
    members: fromJson<string[]>(row.members, []),
    impactStartedAt: row.impact_started_at,
    detectedAt: row.detected_at,
    acknowledgedAt: row.acknowledged_at,
    mitigatedAt: row.mitigated_at,
    resolvedAt: row.resolved_at,
    closedAt: row.closed_at,
    declaredAt: row.declared_at,
    declaredBy: row.declared_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function toRow(i: Incident): IncidentsTable {
  return {
    id: i.id,
    number: i.number,
    key: i.key,
    title: i.title,
    summary: i.summary,
    severity: i.severity,
    type: i.type,
    visibility: i.visibility,
    status: i.status,
    customer_impact: i.customerImpact,
    roles: toJson(i.roles),
    members: toJson(i.members),
    impact_started_at: i.impactStartedAt,
    detected_at: i.detectedAt,
    acknowledged_at: i.acknowledgedAt,
    mitigated_at: i.mitigatedAt,
    resolved_at: i.resolvedAt,
    closed_at: i.closedAt,
    declared_at: i.declaredAt,
    declared_by: i.declaredBy,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    version: i.version,
  };
}

/** Principals that may see an incident when it is private. */
function accessPrincipals(i: Incident): string[] {
  const roleHolders = Object.values(i.roles).filter((v): v is string => typeof v === 'string' && v !== '');
  return [...new Set([...i.members, ...roleHolders, i.declaredBy])];
}

/** The incident aggregate: the incident row, its services and its access list, always written together. */
export class IncidentRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Allocates the next incident number inside the caller's transaction. */
  async nextNumber(): Promise<number> {
    const updated = await this.db
      .updateTable('counters')
      .set({ value: sql<number>`value + 1` })
      .where('name', '=', 'incident')
      .returning('value')
      .executeTakeFirst();
    if (updated) return Number(updated.value);
    const max = await this.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.max<number | null>('number').as('n'))
      .executeTakeFirst();
    const value = Number(max?.n ?? 0) + 1;
    await this.db.insertInto('counters').values({ name: 'incident', value }).execute();
    return value;
  }

  async insert(incident: Incident): Promise<void> {
    await this.db.insertInto('incidents').values(toRow(incident)).execute();
    await this.writeChildren(incident);
  }

  /** Writes the new state when the stored version is still `expectedVersion`; false when someone else won. */
  async update(incident: Incident, expectedVersion: number): Promise<boolean> {
    const { id: _id, ...row } = toRow(incident);
    const result = await this.db
      .updateTable('incidents')
      .set(row)
      .where('id', '=', incident.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await this.db.deleteFrom('incident_services').where('incident_id', '=', incident.id).execute();
    await this.db.deleteFrom('incident_access').where('incident_id', '=', incident.id).execute();
    await this.writeChildren(incident);
    return true;
  }

  private async writeChildren(incident: Incident): Promise<void> {
    if (incident.services.length > 0) {
      await this.db
        .insertInto('incident_services')
        .values(incident.services.map((service_name) => ({ incident_id: incident.id, service_name })))
        .execute();
    }
    await this.db
      .insertInto('incident_access')
      .values(accessPrincipals(incident).map((principal) => ({ incident_id: incident.id, principal })))
      .execute();
  }

  async findByNumber(number: number): Promise<Incident | null> {
    const row = await this.db.selectFrom('incidents').selectAll().where('number', '=', number).executeTakeFirst();
    if (!row) return null;
    const services = await this.servicesOf([row.id]);
    return toIncident(row, services.get(row.id) ?? []);
  }

  async findById(id: string): Promise<Incident | null> {
    const row = await this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    const services = await this.servicesOf([row.id]);
    return toIncident(row, services.get(row.id) ?? []);
  }

  /**
   * Several incidents at once, in two queries whatever their number, keyed by id; ids that do not exist are absent.
   *
   * @example
   * const byId = await repos.incidents.findByIds(postmortems.map((p) => p.incidentId));
   */
  async findByIds(ids: readonly string[]): Promise<Map<string, Incident>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db.selectFrom('incidents').selectAll().where('id', 'in', unique).execute();
    const services = await this.servicesOf(rows.map((r) => r.id));
    return new Map(rows.map((r) => [r.id, toIncident(r, services.get(r.id) ?? [])]));
  }

  private async servicesOf(ids: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    if (ids.length === 0) return map;
    const rows = await this.db
      .selectFrom('incident_services')
      .select(['incident_id', 'service_name'])
      .where('incident_id', 'in', ids)
      .orderBy('service_name')
      .execute();
    for (const r of rows) {
      const list = map.get(r.incident_id) ?? [];
      list.push(r.service_name);
      map.set(r.incident_id, list);
    }
    return map;
  }

  /** Newest first, keyset-paginated on the incident number. */
  async list(filter: IncidentFilter, scope: AccessScope, limit: number, before?: number): Promise<IncidentPage> {
    let query = this.db.selectFrom('incidents').selectAll();
    if (filter.status?.length) query = query.where('status', 'in', filter.status);
    if (filter.severity?.length) query = query.where('severity', 'in', filter.severity);
    if (filter.type?.length) query = query.where('type', 'in', filter.type);
    if (filter.visibility) query = query.where('visibility', '=', filter.visibility);
    if (filter.from) query = query.where('declared_at', '>=', filter.from);
    if (filter.to) query = query.where('declared_at', '<', filter.to);
    if (filter.q) {
      const pattern = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(sql<boolean>`lower(title) like ${pattern} escape '\\'`);
    }
    if (filter.service) {
      const service = filter.service;
      query = query.where('id', 'in', (eb) =>
        eb.selectFrom('incident_services').select('incident_id').where('service_name', '=', service),
      );
    }
    if (!scope.all) query = query.where(visibleIncidents(scope.principals));
    if (before !== undefined) query = query.where('number', '<', before);
    const rows = await query
      .orderBy('number', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const services = await this.servicesOf(page.map((r) => r.id));
    const items = page.map((r) => toIncident(r, services.get(r.id) ?? []));
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? last.number : null };
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
