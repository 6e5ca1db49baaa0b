import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Team } from '../../src/domain/types.js';
import { migrateToLatest, openDatabase, type Database } from '../../src/store/database.js';
import { debrief, json, tempDir } from './run.js';
import { createTokens, listen, type TestServer } from './server.js';

describe('debrief team members (local, and over HTTP)', () => {
  const dir = tempDir();
  const env = { DEBRIEF_DATA_DIR: dir.path };
  const run = (...args: string[]) => debrief(args, { env });
  afterAll(() => dir.remove());

  it('creates a team with members and shows them in the list', async () => {
    const created = await run(
      'team',
      'create',
      '--name',
      'payments',
      '--display-name',
      'Payments',
      '--member',
      'Ana@Example.com,bo@example.com',
      '--member',
      'cy@example.com',
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const table = await run('team', 'list');
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+DISPLAY NAME\s+MEMBERS\s+CREATED$/);
    expect(table.stdout).toMatch(/payments\s+Payments\s+ana@example\.com, bo@example\.com, cy@example\.com\s/);
  });

  it('replaces the member list, keeps the display name unless given, and clears with ""', async () => {
    const updated = await run(
      'team',
      'update',
      'payments',
      '--member',
      'dee@example.com',
      '--member',
      'ana@example.com',
    );
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/^Updated team payments\n/);
    expect(updated.stdout).toMatch(/Members\s+dee@example\.com, ana@example\.com/);
    expect(updated.stdout).toMatch(/Display name\s+Payments/);

    const renamed = json<Team>(
      await run('team', 'update', 'payments', '--display-name', 'Payments Core', '--format', 'json'),
    );
    expect(renamed).toMatchObject({ displayName: 'Payments Core', members: ['dee@example.com', 'ana@example.com'] });

    const cleared = json<Team>(await run('team', 'update', 'payments', '--member', '', '--format', 'json'));
    expect(cleared.members).toEqual([]);
  });

  it('refuses an update with nothing to change, a bad email and an unknown team', async () => {
    const nothing = await run('team', 'update', 'payments');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);
    const bad = await run('team', 'update', 'payments', '--member', 'not-an-email');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/members/);
    const missing = await run('team', 'update', 'ghosts', '--member', 'ana@example.com');
    expect(missing.code).toBe(1);
  });

  describe('with --url', () => {
    let database: Database;
    let server: TestServer;
    let tokens: Record<string, string> = {};

    beforeAll(async () => {
      tokens = await createTokens(run, 'ci', ['responder', 'reviewer']);
      database = openDatabase({ dataDir: dir.path });
      await migrateToLatest(database);
      server = await listen(database);
    });
    afterAll(async () => {
      await server.close();
      await database.close();
    });

    const remote = (role: string, ...args: string[]) => server.cli(tokens[role] ?? '')(...args);

    it('updates members through the API with the same output and exit codes', async () => {
      const updated = json<Team>(
        await remote('reviewer', 'team', 'update', 'payments', '--member', 'Eve@Example.com', '--format', 'json'),
      );
      expect(updated).toMatchObject({ name: 'payments', members: ['eve@example.com'] });
      const local = json<{ items: Team[] }>(await run('team', 'list', '--format', 'json'));
      expect(local.items.find((t) => t.name === 'payments')?.members).toEqual(['eve@example.com']);

      const denied = await remote('responder', 'team', 'update', 'payments', '--member', 'ana@example.com');
      expect(denied.code).toBe(1);
      const missing = await remote('reviewer', 'team', 'update', 'ghosts', '--member', 'ana@example.com');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/ghosts/);
    });
  });
});
