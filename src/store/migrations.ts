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
    '0002_evidence': {
      async up(db: Kysely<unknown>) {
        const bytes = dialect === 'postgres' ? sql`bytea` : sql`blob`;

        // Immutable evidence, addressed by the sha256 of its content: a Prometheus range result, a log excerpt, a
        // config diff. Inserting the same content twice stores it once.
        await db.schema
          .createTable('artifacts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('media_type', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('content', bytes, (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();

        // One row per alert identity (source + fingerprint), however often it is delivered.
        await db.schema
          .createTable('signals')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addColumn('group_key', 'text')
          .addColumn('service', 'text')
          .addColumn('severity', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('labels', json, (c) => c.notNull())
          .addColumn('starts_at', ts, (c) => c.notNull())
          .addColumn('ends_at', ts)
          .addColumn('last_received_at', ts, (c) => c.notNull())
          .addColumn('deliveries', 'integer', (c) => c.notNull())
          .addColumn('incident_id', 'text', (c) => c.references('incidents.id').onDelete('set null'))
          .addColumn('suppressed_by', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .addUniqueConstraint('signals_identity', ['source', 'fingerprint'])
          .execute();
        await db.schema.createIndex('signals_incident').on('signals').column('incident_id').execute();
        await db.schema.createIndex('signals_group').on('signals').columns(['source', 'group_key']).execute();
        await db.schema.createIndex('signals_received').on('signals').column('last_received_at').execute();

        // Deploys, config changes and feature flags, whether or not an incident exists yet.
        await db.schema
          .createTable('changes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('version', 'text')
          .addColumn('environment', 'text')
          .addColumn('author', 'text')
          .addColumn('url', 'text')
          .addColumn('status', 'text')
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('labels', json, (c) => c.notNull())
          .addColumn('diff_artifact_id', 'text', (c) => c.references('artifacts.id'))
          .addColumn('at', ts, (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('changes_service_at').on('changes').columns(['service', 'at']).execute();
        await db.schema.createIndex('changes_at').on('changes').column('at').execute();
        await db.schema.createIndex('changes_diff_artifact').on('changes').column('diff_artifact_id').execute();
        await db.schema.createIndex('timeline_events_artifact').on('timeline_events').column('artifact_id').execute();

        // A responder's verdict on a suspected change for an incident.
        await db.schema
          .createTable('change_verdicts')
          .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
          .addColumn('change_id', 'text', (c) => c.notNull().references('changes.id').onDelete('cascade'))
          .addColumn('verdict', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('decided_by', 'text', (c) => c.notNull())
          .addColumn('decided_at', ts, (c) => c.notNull())
          .addPrimaryKeyConstraint('change_verdicts_pk', ['incident_id', 'change_id'])
          .execute();

        // Alert routing: first matching rule (by position) decides.
        await db.schema
          .createTable('routing_rules')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('matchers', json, (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('severity', 'text')
          .addColumn('service', 'text')
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('maintenance_windows')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('service', 'text')
          .addColumn('matchers', json, (c) => c.notNull())
          .addColumn('starts_at', ts, (c) => c.notNull())
          .addColumn('ends_at', ts, (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('maintenance_windows_time')
          .on('maintenance_windows')
          .columns(['starts_at', 'ends_at'])
          .execute();

        // Recent logs and spans per service (OTLP), kept for a bounded time so evidence from before a declaration
        // survives; pruned by a job.
        await db.schema
          .createTable('telemetry_records')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('at', ts, (c) => c.notNull())
          .addColumn('severity', 'text')
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('attributes', json, (c) => c.notNull())
          .addColumn('trace_id', 'text')
          .addColumn('span_id', 'text')
          .addColumn('duration_ms', 'integer')
          .addColumn('error', 'integer', (c) => c.notNull())
          .addColumn('received_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('telemetry_service_at')
          .on('telemetry_records')
          .columns(['service', 'at'])
          .execute();
        await db.schema.createIndex('telemetry_received').on('telemetry_records').column('received_at').execute();
      },
    },
    '0003_signal_lookups': {
      // Routing an alert looks for open incidents holding a signal of its service or of its group. Without these,
      // the service lookup read every signal of every open incident, and the group lookup every signal of the group.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createIndex('signals_service_incident')
          .on('signals')
          .columns(['service', 'incident_id'])
          .execute();
        await db.schema
          .createIndex('signals_group_incident')
          .on('signals')
          .columns(['source', 'group_key', 'incident_id'])
          .execute();
        await db.schema.dropIndex('signals_group').execute();
      },
    },
    '0004_postmortems': {
      async up(db: Kysely<unknown>) {
        // People who belong to a team, so "members of the teams owning the impacted services" can be asked to read
        // a postmortem.
        await db.schema
          .alterTable('teams')
          .addColumn('members', json, (c) => c.notNull().defaultTo('[]'))
          .execute();

        // Custom templates only: the built-in default lives in code so it can improve with releases.
        await db.schema
          .createTable('postmortem_templates')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('severities', json, (c) => c.notNull())
          .addColumn('types', json, (c) => c.notNull())
          .addColumn('sections', json, (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();

        // Not a foreign key to postmortem_templates: the built-in template has no row, and a custom template
        // in use cannot be deleted (the app checks), so ids stay resolvable.
        await db.schema
          .createTable('postmortems')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('incident_id', 'text', (c) => c.notNull().unique().references('incidents.id').onDelete('cascade'))
          .addColumn('template_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('hidden_sections', json, (c) => c.notNull())
          .addColumn('round', 'integer', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts, (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .addColumn('review_requested_at', ts)
          .addColumn('review_requested_by', 'text')
          .addColumn('published_at', ts)
          .addColumn('published_by', 'text')
          .addColumn('version', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('postmortems_status').on('postmortems').columns(['status', 'updated_at']).execute();
        await db.schema.createIndex('postmortems_updated').on('postmortems').columns(['updated_at', 'id']).execute();
        await db.schema.createIndex('postmortems_template').on('postmortems').column('template_id').execute();

        const child = (name: string) =>
          db.schema
            .createTable(name)
            .addColumn('postmortem_id', 'text', (c) => c.notNull().references('postmortems.id').onDelete('cascade'));

        await child('postmortem_revisions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addUniqueConstraint('postmortem_revisions_version', ['postmortem_id', 'version'])
          .execute();

        await child('postmortem_reviews')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('round', 'integer', (c) => c.notNull())
          .addColumn('reviewer', 'text', (c) => c.notNull())
          .addColumn('decision', 'text', (c) => c.notNull())
          .addColumn('score', 'integer')
          .addColumn('comment', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('postmortem_reviews_postmortem')
          .on('postmortem_reviews')
          .columns(['postmortem_id', 'created_at'])
          .execute();

        await child('postmortem_comments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('section', 'text', (c) => c.notNull())
          .addColumn('author', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('resolved_at', ts)
          .addColumn('resolved_by', 'text')
          .execute();
        await db.schema
          .createIndex('postmortem_comments_postmortem')
          .on('postmortem_comments')
          .columns(['postmortem_id', 'created_at'])
          .execute();

        // The fingerprint, not the matched value: a waiver must not become a second copy of the secret.
        await child('postmortem_waivers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('waived_by', 'text', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addUniqueConstraint('postmortem_waivers_fingerprint', ['postmortem_id', 'fingerprint'])
          .execute();

        await child('postmortem_publications')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('internal_body', 'text', (c) => c.notNull())
          .addColumn('external_body', 'text', (c) => c.notNull())
          .addColumn('published_by', 'text', (c) => c.notNull())
          .addColumn('published_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('postmortem_publications_postmortem')
          .on('postmortem_publications')
          .columns(['postmortem_id', 'published_at'])
          .execute();

        await child('postmortem_readers')
          .addColumn('user', 'text', (c) => c.notNull())
          .addColumn('first_viewed_at', ts, (c) => c.notNull())
          .addColumn('last_viewed_at', ts, (c) => c.notNull())
          .addColumn('views', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('postmortem_readers_pk', ['postmortem_id', 'user'])
          .execute();

        await child('postmortem_acknowledgements')
          .addColumn('user', 'text', (c) => c.notNull())
          .addColumn('at', ts, (c) => c.notNull())
          .addPrimaryKeyConstraint('postmortem_acknowledgements_pk', ['postmortem_id', 'user'])
          .execute();
      },
    },
  };
}
