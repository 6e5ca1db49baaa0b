import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTeam } from '../app/catalog.js';
import { createAppContext } from '../app/context.js';
import { migrateToLatest, openDatabase } from './database.js';

const SYSTEM = { kind: 'system', name: 'test', role: 'admin' } as const;

describe('SQLite with another process writing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'debrief-lock-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for the other writer instead of failing with "database is locked"', async () => {
    const database = openDatabase({ dataDir: dir });
    await migrateToLatest(database);
    const ctx = createAppContext(database);
    await createTeam(ctx, SYSTEM, { name: 'first' });

    // Another process takes the write lock and holds it for a moment, as the CLI beside a running server would.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = require('better-sqlite3')(${JSON.stringify(join(dir, 'debrief.sqlite'))});
         db.exec('begin immediate');
         db.prepare("insert into counters (name, value) values ('lock-test', 1)").run();
         process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('commit'); db.close(); }, 700);`,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));

    // createTeam reads (is the name taken?) before it writes: a deferred BEGIN could not upgrade its lock.
    const team = await createTeam(ctx, SYSTEM, { name: 'second' });
    expect(team.name).toBe('second');
    await new Promise((resolve) => holder.once('exit', resolve));
    await database.close();
  });
});
