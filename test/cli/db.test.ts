import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app/context.js';
import { declareIncident } from '../../src/app/incidents.js';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import { Capture, debrief, json, lines, tempDir } from './run.js';

const SYSTEM = { kind: 'system', name: 'test', role: 'admin' } as const;
const WRITER = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));

function count(file: string): number {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from incidents').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A backup is consistent when every incident arrived with the rows its declaration wrote in the same transaction. */
function inspectBackup(file: string): {
  incidents: number;
  declarations: number;
  audits: number;
  counter: number;
  check: unknown;
  journal: unknown;
} {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const one = (query: string) => (db.prepare(query).get() as { n: number }).n;
    return {
      incidents: one('select count(*) as n from incidents'),
      declarations: one("select count(*) as n from timeline_events where title like 'Declared INC-%'"),
      audits: one("select count(*) as n from audit_events where action = 'incident.declare'"),
      counter: one("select value as n from counters where name = 'incident'"),
      check: db.pragma('integrity_check', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
    };
  } finally {
    db.close();
  }
}

describe('debrief db', () => {
  const dir = tempDir();
  const out = tempDir('debrief-cli-backup-');
  const env = { DEBRIEF_DATA_DIR: dir.path };
  const run = (...args: string[]) => debrief(args, { env });
  const live = join(dir.path, 'debrief.sqlite');

  beforeAll(async () => {
    // Enough data that the copy takes many steps, so a concurrent writer really interleaves with it.
    const database = openDatabase({ dataDir: dir.path });
    await migrateToLatest(database);
    const ctx = createAppContext(database);
    for (let i = 0; i < 300; i++) {
      await declareIncident(ctx, SYSTEM, { title: `Seed ${i}`, severity: 'SEV3', summary: 's'.repeat(15_000) });
    }
    await database.close();
  });
  afterAll(() => {
    dir.remove();
    out.remove();
  });

  it('reports migration status without creating a database where there is none', async () => {
    const empty = tempDir();
    try {
      const result = await debrief(['db', 'status', '--format', 'json'], { env: { DEBRIEF_DATA_DIR: empty.path } });
      expect(result.code).toBe(0);
      const status = json<{ migrations: { name: string; applied: boolean }[]; pending: number }>(result);
      expect(status.pending).toBeGreaterThan(0);
      expect(status.migrations.every((m) => !m.applied)).toBe(true);
      expect(readdirSync(empty.path)).toEqual([]);

      const migrated = await debrief(['db', 'migrate'], { env: { DEBRIEF_DATA_DIR: empty.path } });
      expect(migrated.code).toBe(0);
      expect(migrated.stdout).toMatch(/^Applied 0001_/);
      expect(migrated.stdout).toMatch(/is up to date \(\d+ applied now\)\.\n$/);

      const again = await debrief(['db', 'migrate'], { env: { DEBRIEF_DATA_DIR: empty.path } });
      expect(again.stdout).toMatch(/is up to date; nothing to apply\.\n$/);
    } finally {
      empty.remove();
    }
  });

  it('lists applied migrations for an existing database', async () => {
    const result = await run('db', 'status');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^MIGRATION\s+STATE\n0001_\S+\s+applied\n/);
    expect(result.stdout).toMatch(/, 0 pending\.\n$/);
  });

  it('backs up to a readable, self-contained SQLite file with the same incident count, reporting progress', async () => {
    const file = join(out.path, 'quiet.sqlite');
    const result = await run('db', 'backup', file);
    expect(result.code).toBe(0);
    expect(lines(result.stderr)[0]).toMatch(/^Backing up 0%$/);
    expect(lines(result.stderr).at(-1)).toBe('Backing up 100%');
    expect(result.stdout).toMatch(new RegExp(`^Backed up ${live} to ${file} \\(\\d+\\.\\d MiB, \\d+ pages\\)\\.\\n$`));
    const copy = inspectBackup(file);
    expect(copy).toMatchObject({ incidents: count(live), check: 'ok', journal: 'delete' });
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(readdirSync(out.path).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('takes a consistent copy while another process keeps inserting incidents', async () => {
    const writer = spawn(process.execPath, ['--import', 'tsx', WRITER, dir.path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const writerOut = new Capture();
    const writerErr = new Capture();
    writer.stdout.setEncoding('utf8').on('data', (chunk: string) => writerOut.write(chunk));
    writer.stderr.setEncoding('utf8').on('data', (chunk: string) => writerErr.write(chunk));
    const exited = new Promise<number | null>((resolve) => writer.once('exit', resolve));
    try {
      await writerOut.waitFor(/ready\n/);
      const before = count(live);
      const file = join(out.path, 'busy.sqlite');
      const result = await run('db', 'backup', file, '--format', 'json');
      expect(result.stderr).toMatch(/Backing up 100%\n$/);
      expect(result.code).toBe(0);
      expect(json(result)).toMatchObject({ file, pages: expect.any(Number) as number, bytes: statSync(file).size });

      writer.kill('SIGTERM');
      expect(await exited, writerErr.text).toBe(0);
      const after = count(live);
      expect(after).toBeGreaterThan(before);

      const copy = inspectBackup(file);
      expect(copy.check).toBe('ok');
      expect(copy.incidents).toBeGreaterThanOrEqual(before);
      expect(copy.incidents).toBeLessThanOrEqual(after);
      expect(copy).toMatchObject({
        declarations: copy.incidents,
        audits: copy.incidents,
        counter: copy.incidents,
      });
    } finally {
      if (writer.exitCode === null) writer.kill('SIGKILL');
    }
  });

  it('refuses to overwrite a file unless --force', async () => {
    const file = join(out.path, 'existing.sqlite');
    writeFileSync(file, 'keep me');
    const refused = await run('db', 'backup', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`debrief: ${file} already exists; pass --force to overwrite it\n`);
    expect(statSync(file).size).toBe(7);

    const forced = await run('db', 'backup', file, '--force');
    expect(forced.code).toBe(0);
    expect(count(file)).toBe(count(live));
  });

  it('refuses a missing directory, the live file itself, and an empty data directory', async () => {
    const noDir = await run('db', 'backup', join(out.path, 'nope', 'x.sqlite'));
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/no such directory\n$/);

    const self = await run('db', 'backup', live, '--force');
    expect(self.code).toBe(2);
    expect(self.stderr).toMatch(/is the live database/);

    const empty = tempDir();
    try {
      const nothing = await debrief(['db', 'backup', join(out.path, 'none.sqlite')], {
        env: { DEBRIEF_DATA_DIR: empty.path },
      });
      expect(nothing.code).toBe(1);
      expect(nothing.stderr).toMatch(/^debrief: no database at .*; nothing to back up/);
    } finally {
      empty.remove();
    }
  });

  it('explains pg_dump on PostgreSQL, without connecting or printing the password, and exits 2', async () => {
    const result = await debrief(['db', 'backup', 'debrief.dump'], {
      env: { DEBRIEF_DATABASE_URL: 'postgres://debrief:hunter2@db.internal:5432/debrief' },
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('pg_dump "$DEBRIEF_DATABASE_URL" -Fc -f "debrief.dump"');
    expect(result.stderr).toContain('postgres://db.internal:5432/debrief');
    expect(result.stderr).not.toContain('hunter2');
  });
});
