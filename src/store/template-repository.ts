import type { Kysely, Selectable } from 'kysely';
import type { PostmortemTemplate, TemplateSection } from '../domain/postmortem/types.js';
import type { IncidentType, Severity } from '../domain/types.js';
import { fromJson, toJson } from './json.js';
import type { DB, PostmortemTemplatesTable } from './schema.js';

function toTemplate(row: Selectable<PostmortemTemplatesTable>): PostmortemTemplate {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    severities: fromJson<Severity[]>(row.severities, []),
    types: fromJson<IncidentType[]>(row.types, []),
    sections: fromJson<TemplateSection[]>(row.sections, []),
    // The built-in default is a constant in the domain; every stored template is a custom one.
    builtIn: false,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function toRow(t: PostmortemTemplate): PostmortemTemplatesTable {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    severities: toJson(t.severities),
    types: toJson(t.types),
    sections: toJson(t.sections),
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    version: t.version,
  };
}

/** Custom postmortem templates. */
export class TemplateRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(template: PostmortemTemplate): Promise<void> {
    await this.db.insertInto('postmortem_templates').values(toRow(template)).execute();
  }

  /** Writes the new state when the stored version is still `expectedVersion`; false when someone else won. */
  async update(template: PostmortemTemplate, expectedVersion: number): Promise<boolean> {
    const { id: _id, created_at: _created, ...row } = toRow(template);
    const result = await this.db
      .updateTable('postmortem_templates')
      .set(row)
      .where('id', '=', template.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async get(id: string): Promise<PostmortemTemplate | null> {
    const row = await this.db.selectFrom('postmortem_templates').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTemplate(row) : null;
  }

  async findByName(name: string): Promise<PostmortemTemplate | null> {
    const row = await this.db
      .selectFrom('postmortem_templates')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toTemplate(row) : null;
  }

  /** Every custom template, by name. */
  async list(): Promise<PostmortemTemplate[]> {
    const rows = await this.db.selectFrom('postmortem_templates').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map(toTemplate);
  }

  /** False when there was no such template. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('postmortem_templates').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** How many postmortems were written from this template. */
  async countUsing(templateId: string): Promise<number> {
    const row = await this.db
      .selectFrom('postmortems')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('template_id', '=', templateId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
