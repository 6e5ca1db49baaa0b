/**
 * One migration set for both dialects. Migrations are code (not files) so they ship inside the build; each is
 * append-only: never edit a released migration, add a new one.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export function migrations(dialect: Dialect): Record<string, Migration> {
  const ts = dialect === 'postgres' ? sql`timestamptz` : sql`text`;
  const json = sql`text`;

  return {
    '0001_foundation': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('counters')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('value', 'integer', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('teams')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('services')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('team', 'text')
          .addColumn('tier', 'integer', (c) => c.notNull())
          .addColumn('runbook_url', 'text')
          .addColumn('owners', json, (c) => c.notNull())
          .addColumn('dependencies', json, (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('disabled_at', ts)
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('expires_at', ts, (c) => c.notNull())
          .addColumn('last_seen_at', ts, (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('prefix', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('last_used_at', ts)
          .addColumn('expires_at', ts)
          .addColumn('revoked_at', ts)
          .execute();

        await db.schema
          .createTable('incidents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('number', 'integer', (c) => c.notNull().unique())
          .addColumn('key', 'text', (c) => c.notNull().unique())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('summary', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('visibility', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('customer_impact', 'text', (c) => c.notNull())
          .addColumn('roles', json, (c) => c.notNull())
          .addColumn('members', json, (c) => c.notNull())
          .addColumn('impact_started_at', ts)
          .addColumn('detected_at', ts)
          .addColumn('acknowledged_at', ts)
          .addColumn('mitigated_at', ts)
          .addColumn('resolved_at', ts)
          .addColumn('closed_at', ts)
          .addColumn('declared_at', ts, (c) => c.notNull())
          .addColumn('declared_by', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('incidents_declared_at').on('incidents').column('declared_at').execute();
        await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'number']).execute();
        await db.schema.createIndex('incidents_severity').on('incidents').columns(['severity', 'number']).execute();

        await db.schema
          .createTable('incident_services')
          .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
          .addColumn('service_name', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('incident_services_pk', ['incident_id', 'service_name'])
          .execute();
        await db.schema
          .createIndex('incident_services_service')
          .on('incident_services')
          .columns(['service_name', 'incident_id'])
          .execute();

        await db.schema
          .createTable('incident_access')
          .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
          .addColumn('principal', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('incident_access_pk', ['incident_id', 'principal'])
          .execute();
        await db.schema
          .createIndex('incident_access_principal')
          .on('incident_access')
          .columns(['principal', 'incident_id'])
          .execute();

        await db.schema
          .createTable('timeline_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
          .addColumn('at', ts, (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('labels', json, (c) => c.notNull())
          .addColumn('dedupe_key', 'text')
          .addColumn('marker', 'text')
          .addColumn('pinned', 'integer', (c) => c.notNull())
          .addColumn('artifact_id', 'text')
          .addColumn('count', 'integer', (c) => c.notNull())
          .addColumn('actor', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('timeline_events_incident_at')
          .on('timeline_events')
          .columns(['incident_id', 'at', 'id'])
          .execute();
        await db.schema
          .createIndex('timeline_events_dedupe')
          .on('timeline_events')
          .columns(['incident_id', 'dedupe_key'])
          .unique()
          .execute();

        await db.schema
          .createTable('audit_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('at', ts, (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('entity_type', 'text', (c) => c.notNull())
          .addColumn('entity_id', 'text', (c) => c.notNull())
          .addColumn('before', json)
          .addColumn('after', json)
          .execute();
        await db.schema
          .createIndex('audit_events_entity')
          .on('audit_events')
          .columns(['entity_type', 'entity_id', 'id'])
          .execute();

        await db.schema
          .createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('unique_key', 'text')
          .addColumn('payload', json, (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('run_at', ts, (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('last_error', 'text')
          .addColumn('locked_by', 'text')
          .addColumn('locked_until', ts)
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
        await db.schema
          .createIndex('jobs_unique_pending')
          .on('jobs')
          .column('unique_key')
          .unique()
          .where(sql.ref('status'), 'in', sql`('queued', 'running')`)
          .execute();
      },
    },
  };
}
