import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createTestDatabase, describeEachDialect, testDialects, type TestDialect } from './dialects.js';

async function stillExists(dialect: TestDialect, location: string): Promise<boolean> {
  if (dialect === 'sqlite') return existsSync(location);
  const client = new pg.Client({ connectionString: inject('pgUrl') ?? undefined });
  await client.connect();
  try {
    const name = new URL(location).pathname.slice(1);
    const result = await client.query('select 1 from pg_database where datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describeEachDialect('dialect harness', (ctx) => {
  it('gives each lane a migrated database of its dialect', async () => {
    expect(ctx.database.dialect).toBe(ctx.dialect);
    const row = await ctx.database.db
      .selectFrom('counters')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(row?.n)).toBe(0);
  });

  it('round-trips a counter as a number', async () => {
    await ctx.database.db.insertInto('counters').values({ name: 'incident', value: 41 }).execute();
    await ctx.database.db
      .updateTable('counters')
      .set((eb) => ({ value: eb('value', '+', 1) }))
      .where('name', '=', 'incident')
      .execute();

    const row = await ctx.database.db
      .selectFrom('counters')
      .selectAll()
      .where('name', '=', 'incident')
      .executeTakeFirstOrThrow();

    expect(row).toEqual({ name: 'incident', value: 42 });
    expect(typeof row.value).toBe('number');
  });

  it('returns a time column as the ISO-8601 text that was stored', async () => {
    const createdAt = '2026-01-02T03:04:05.678Z';
    await ctx.database.db
      .insertInto('users')
      .values({
        id: 'usr_harness',
        email: 'harness@example.com',
        name: 'Harness',
        role: 'admin',
        password_hash: null,
        created_at: createdAt,
        disabled_at: null,
      })
      .execute();

    const row = await ctx.database.db
      .selectFrom('users')
      .select(['created_at', 'disabled_at'])
      .where('id', '=', 'usr_harness')
      .executeTakeFirstOrThrow();

    expect(row.created_at).toBe(createdAt);
    expect(row.disabled_at).toBeNull();
  });

  it('compares stored times in time order', async () => {
    const later = await ctx.database.db
      .selectFrom('users')
      .select('id')
      .where('created_at', '>', '2026-01-02T03:04:05.000Z')
      .execute();
    expect(later.map((user) => user.id)).toEqual(['usr_harness']);
  });

  if (ctx.dialect === 'postgres') {
    it('stores times as timestamptz on PostgreSQL', async () => {
      const result = await sql<{ data_type: string }>`
        select data_type from information_schema.columns where table_name = 'users' and column_name = 'created_at'
      `.execute(ctx.database.db);
      expect(result.rows[0]?.data_type).toBe('timestamp with time zone');
    });
  }
});

describe('createTestDatabase', () => {
  for (const dialect of testDialects()) {
    it(`gives every call its own database and removes it on drop [${dialect}]`, async () => {
      const first = await createTestDatabase(dialect);
      const second = await createTestDatabase(dialect);
      try {
        expect(first.location).not.toBe(second.location);
        await first.db.insertInto('counters').values({ name: 'only-in-first', value: 1 }).execute();
        const seen = await second.db.selectFrom('counters').selectAll().execute();
        expect(seen).toEqual([]);
      } finally {
        await first.drop();
        await second.drop();
      }
      expect(await stillExists(dialect, first.location)).toBe(false);
      expect(await stillExists(dialect, second.location)).toBe(false);
    });
  }
});
