/**
 * The dialect harness every store and API test uses: the same tests run once on SQLite and once on PostgreSQL,
 * each against its own fresh, migrated database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { migrateToLatest, openDatabase, type Database } from '../../src/store/database.js';
import { testDialects, type TestDialect } from './dialect-list.js';

export { testDialects, type TestDialect };

export type TestDatabase = Database & {
  /** Closes the connection and deletes the database (the SQLite directory, or DROP DATABASE on PostgreSQL). */
  drop(): Promise<void>;
};

/** Small pools: many test files run at once against one cluster with a fixed connection limit. */
const PG_POOL_SIZE = 5;

function clusterUrl(): string {
  const url = inject('pgUrl');
  if (!url) {
    throw new Error(
      'The postgres test lane has no cluster: pgUrl was not provided. Run through vitest.config.ts (its global setup ' +
        'starts PostgreSQL), set DEBRIEF_TEST_DATABASE_URL, or leave postgres out with DEBRIEF_TEST_DIALECTS=sqlite.',
    );
  }
  return url;
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Makes `close` safe to call twice: a pg pool throws when ended twice. */
function withDrop(database: Database, remove: () => Promise<void>): TestDatabase {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= database.close());
  return {
    ...database,
    close,
    drop: async () => {
      try {
        await close();
      } finally {
        await remove();
      }
    },
  };
}

async function migrated(database: TestDatabase): Promise<TestDatabase> {
  try {
    await migrateToLatest(database);
    return database;
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  }
}

/**
 * Creates a fresh, migrated database of the dialect: SQLite in a new temp data dir, PostgreSQL as a new randomly
 * named database (CREATE DATABASE) on the pgUrl cluster.
 *
 * @example
 * const database = await createTestDatabase('postgres');
 * try {
 *   await database.db.selectFrom('counters').selectAll().execute();
 * } finally {
 *   await database.drop();
 * }
 */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'debrief-test-sqlite-'));
    const database = openDatabase({ dataDir: dir });
    const removeDir = (): Promise<void> => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    };
    return migrated(withDrop(database, removeDir));
  }

  const url = clusterUrl();
  // Lowercase letters and digits only, so the name needs no quoting rules beyond the double quotes.
  const name = `debrief_test_${randomBytes(8).toString('hex')}`;
  await adminQuery(url, `CREATE DATABASE "${name}"`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = openDatabase({ url: target.toString(), poolSize: PG_POOL_SIZE });
  return migrated(withDrop(database, () => adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
}

/**
 * `describe(`${title} [${dialect}]`, …)` once per dialect; inside, `ctx.database` is a fresh migrated database
 * created in beforeAll and dropped in afterAll. Read `ctx.database` inside hooks and tests, not while collecting.
 *
 * @example
 * describeEachDialect('incident repository', (ctx) => {
 *   it('stores an incident', async () => {
 *     await ctx.database.db.insertInto('counters').values({ name: 'incident', value: 1 }).execute();
 *   });
 * });
 */
export function describeEachDialect(
  title: string,
  body: (ctx: { readonly database: Database; readonly dialect: TestDialect }) => void,
): void {
  for (const dialect of testDialects()) {
    describe(`${title} [${dialect}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.drop();
        database = undefined;
      });
      body({
        get database(): Database {
          if (!database) {
            throw new Error(`ctx.database for "${title} [${dialect}]" is only available inside hooks and tests`);
          }
          return database;
        },
        dialect,
      });
    });
  }
}
