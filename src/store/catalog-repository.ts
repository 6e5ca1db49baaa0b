import type { Kysely, Selectable } from 'kysely';
import type { Service, ServiceTier, Team } from '../domain/types.js';
import { fromJson, toJson } from './json.js';
import type { DB, ServicesTable, TeamsTable } from './schema.js';

function toService(row: Selectable<ServicesTable>): Service {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    description: row.description,
    team: row.team,
    tier: Number(row.tier) as ServiceTier,
    runbookUrl: row.runbook_url,
    owners: fromJson<string[]>(row.owners, []),
    dependencies: fromJson<string[]>(row.dependencies, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function toServiceRow(s: Service): ServicesTable {
  return {
    id: s.id,
    name: s.name,
    display_name: s.displayName,
    description: s.description,
    team: s.team,
    tier: s.tier,
    runbook_url: s.runbookUrl,
    owners: toJson(s.owners),
    dependencies: toJson(s.dependencies),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    version: s.version,
  };
}

function toTeam(row: Selectable<TeamsTable>): Team {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    members: fromJson<string[]>(row.members, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toTeamRow(t: Team): TeamsTable {
  return {
    id: t.id,
    name: t.name,
    display_name: t.displayName,
    members: toJson(t.members),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
  };
}

/** The service and team catalog. */
export class CatalogRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async listServices(): Promise<Service[]> {
    const rows = await this.db.selectFrom('services').selectAll().orderBy('name').execute();
    return rows.map(toService);
  }

  async findService(name: string): Promise<Service | null> {
    const row = await this.db.selectFrom('services').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toService(row) : null;
  }

  async insertService(service: Service): Promise<void> {
    await this.db.insertInto('services').values(toServiceRow(service)).execute();
  }

  async updateService(service: Service, expectedVersion: number): Promise<boolean> {
    const { id: _id, ...row } = toServiceRow(service);
    const result = await this.db
      .updateTable('services')
      .set(row)
      .where('id', '=', service.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async listTeams(): Promise<Team[]> {
    const rows = await this.db.selectFrom('teams').selectAll().orderBy('name').execute();
    return rows.map(toTeam);
  }

  async findTeam(name: string): Promise<Team | null> {
    const row = await this.db.selectFrom('teams').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toTeam(row) : null;
  }

  async insertTeam(team: Team): Promise<void> {
    await this.db.insertInto('teams').values(toTeamRow(team)).execute();
  }

  /** Writes the display name and members; false when the team does not exist. */
  async updateTeam(team: Team): Promise<boolean> {
    const { id: _id, name: _name, created_at: _created, ...row } = toTeamRow(team);
    const result = await this.db.updateTable('teams').set(row).where('id', '=', team.id).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
