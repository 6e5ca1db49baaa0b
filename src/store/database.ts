/**
 * Dialect selection: SQLite (better-sqlite3, WAL, foreign keys on) in the data directory by default, PostgreSQL
 * when a `postgres://` URL is given. Both return ISO-8601 text for times and numbers for counts.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type MigrationProvider,
} from 'kysely';
import pg from 'pg';
import { migrations, type Dialect } from './migrations.js';
import type { DB } from './schema.js';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where the data lives, without credentials: a file path or `postgres://host:port/db`. */
  location: string;
  /** The raw SQLite handle, for online backups; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` selects PostgreSQL. */
  url?: string | undefined;
  /** Directory holding `debrief.sqlite` when no URL is given. */
  dataDir?: string | undefined;
  /** Pool size on PostgreSQL. */
  poolSize?: number | undefined;
  /** Told when PostgreSQL cuts a pooled connection; the pool recovers by itself. */
  onConnectionError?: ((error: Error) => void) | undefined;
}

export class DatabaseConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseConfigError';
  }
}

const PG_TIMESTAMPTZ = 1184;
const PG_TIMESTAMP = 1114;
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

function pgTypeParser(oid: number): ((value: string) => unknown) | undefined {
  switch (oid) {
    case PG_TIMESTAMPTZ:
    case PG_TIMESTAMP:
      return (value) =>
        new Date(value.endsWith('Z') || /[+-]\d\d(:?\d\d)?$/.test(value) ? value : `${value}Z`).toISOString();
    case PG_INT8:
    case PG_NUMERIC:
      return (value) => Number(value);
    default:
      return undefined;
  }
}

/**
 * Every Debrief transaction writes, so on SQLite it takes the write lock when it begins (`BEGIN IMMEDIATE`). A
 * deferred `BEGIN` would read first and then fail at once with SQLITE_BUSY when another process (the CLI beside a
 * running server) holds the lock, because SQLite cannot wait on a lock upgrade; an immediate one waits for
 * `busy_timeout` instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly sqliteConfig: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(sqliteConfig);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.sqliteConfig);
  }
}

/** Strips any password from a connection URL so it can be printed or logged. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/**
 * Opens the database named by the options.
 *
 * @example
 * const database = openDatabase({ dataDir: './.debrief' });
 * await migrateToLatest(database);
 */
export function openDatabase(options: DatabaseOptions): Database {
  const url = options.url?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new DatabaseConfigError('DEBRIEF_DATABASE_URL must start with postgres:// or postgresql://');
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number) =>
          pgTypeParser(oid) ??
          (pg.types.getTypeParser(oid, 'text') as (v: string) => unknown)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle or closing connection can be cut by the server (restart, failover, pg_terminate_backend). pg reports
    // that on the pool; without a listener it would crash the process. The pool has already dropped that client and
    // the next query opens a new one, so there is nothing to do but report it.
    pool.on('error', (error) => options.onConnectionError?.(error));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: 'postgres',
      location: describeUrl(url),
      sqlite: null,
      close: () => db.destroy(),
    };
  }

  const dataDir = resolve(options.dataDir ?? '.debrief');
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'debrief.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect({ database: reusingStatements(sqlite) }) });
  return { db, dialect: 'sqlite', location: file, sqlite, close: () => db.destroy() };
}

/** Prepared statements kept per SQLite connection, least recently used dropped first. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The SQLite handle as Kysely sees it, reusing prepared statements by SQL text: Kysely asks for a new one for every
 * query it runs, and preparing them cost a tenth of the server's CPU on the alert webhook path. Reuse is safe because
 * the single connection runs one query at a time to completion (a streamed query holds the connection until done).
 */
function reusingStatements(sqlite: SQLite.Database): { prepare(sql: string): SQLite.Statement; close(): void } {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) statements.delete(sql);
      else statement = sqlite.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      return statement;
    },
    close: () => sqlite.close(),
  };
}

function provider(dialect: Dialect): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(dialect)) };
}

/** Applies every pending migration; returns the names applied now. Throws when one fails. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({ db: database.db, provider: provider(database.dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations known to this build and whether each is applied. */
export async function migrationStatus(database: Database): Promise<{ name: string; applied: boolean }[]> {
  const migrator = new Migrator({ db: database.db, provider: provider(database.dialect) });
  const all = await migrator.getMigrations();
  return all.map((m) => ({ name: m.name, applied: m.executedAt !== undefined }));
}
