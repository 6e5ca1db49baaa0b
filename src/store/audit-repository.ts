import type { Kysely } from 'kysely';
import type { AuditEvent } from '../domain/types.js';
import { fromJson, toJson } from './json.js';
import type { DB } from './schema.js';

export interface AuditFilter {
  entityType?: string | undefined;
  entityId?: string | undefined;
  actor?: string | undefined;
}

/** Append-only: there is no update or delete here on purpose. */
export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async append(event: AuditEvent): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        id: event.id,
        at: event.at,
        actor: event.actor,
        action: event.action,
        entity_type: event.entityType,
        entity_id: event.entityId,
        before: event.before === undefined ? null : toJson(event.before),
        after: event.after === undefined ? null : toJson(event.after),
      })
      .execute();
  }

  /** Newest first; `before` is the id to continue below (ids sort by time). */
  async list(
    filter: AuditFilter,
    limit: number,
    before?: string,
  ): Promise<{ items: AuditEvent[]; next: string | null }> {
    let query = this.db.selectFrom('audit_events').selectAll();
    if (filter.entityType) query = query.where('entity_type', '=', filter.entityType);
    if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
    if (filter.actor) query = query.where('actor', '=', filter.actor);
    if (before) query = query.where('id', '<', before);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: fromJson<unknown>(r.before, null),
      after: fromJson<unknown>(r.after, null),
    }));
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? last.id : null };
  }
}
