import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/app/catalog.js';
import type { Change, SuspectsView } from '../../src/app/changes.js';
import { createAppContext } from '../../src/app/context.js';
import { migrateToLatest, openDatabase, type Database } from '../../src/store/database.js';
import { debrief, json, lines, tempDir } from './run.js';
import { createTokens, listen, type TestServer } from './server.js';

const MINUTE = 60_000;
const DIFF = '--- a/checkout.yaml\n+++ b/checkout.yaml\n@@ -1 +1 @@\n-timeout_ms: 2000\n+timeout_ms: 200\n';

describe('debrief change (local SQLite data directory, and over HTTP)', () => {
  const dir = tempDir();
  const files = tempDir('debrief-cli-files-');
  const env = { DEBRIEF_DATA_DIR: dir.path };
  const run = (...args: string[]) => debrief(args, { env });
  const impact = Math.floor((Date.now() - 2 * 60 * MINUTE) / MINUTE) * MINUTE;
  const at = (minutes: number) => new Date(impact + minutes * MINUTE).toISOString();
  const diffFile = join(files.path, 'checkout.diff');
  let database: Database;

  beforeAll(async () => {
    database = openDatabase({ dataDir: dir.path });
    await migrateToLatest(database);
    const ctx = createAppContext(database);
    const system = { kind: 'system', name: 'test', role: 'admin' } as const;
    await createService(ctx, system, { name: 'payments', tier: 1 });
    await createService(ctx, system, { name: 'checkout', tier: 1, dependencies: ['payments'] });
    writeFileSync(diffFile, DIFF);
  });
  afterAll(async () => {
    await database.close();
    dir.remove();
    files.remove();
  });

  const count = async (table: 'changes' | 'artifacts') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('records a change with its diff, once per --id, and keeps the diff byte for byte', async () => {
    const args = [
      'change',
      'record',
      '--service',
      'checkout',
      '--change-version',
      'v2.3.1',
      '--environment',
      'production',
      '--author',
      'ana',
      '--change-url',
      'https://ci.example.com/runs/8812',
      '--at',
      at(-6),
      '--id',
      'run-8812',
      '--diff',
      diffFile,
    ];
    const recorded = await run(...args, '--format', 'json');
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
    const change = json<Change>(recorded);
    expect(change).toMatchObject({
      source: 'change',
      kind: 'deploy',
      service: 'checkout',
      version: 'v2.3.1',
      environment: 'production',
      url: 'https://ci.example.com/runs/8812',
      at: at(-6),
    });
    const artifact = await database.db
      .selectFrom('artifacts')
      .selectAll()
      .where('id', '=', change.diffArtifactId ?? '')
      .executeTakeFirstOrThrow();
    expect(Buffer.from(artifact.content).equals(Buffer.from(DIFF))).toBe(true);

    const before = [await count('changes'), await count('artifacts')];
    const again = await run(...args);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`Recorded change ${change.id}`);
    expect(again.stdout).toMatch(/Version\s+v2\.3\.1/);
    expect([await count('changes'), await count('artifacts')]).toEqual(before);
  });

  it('fails with one line and exit 2 for a missing, unreadable or binary diff, recording nothing', async () => {
    const before = await count('changes');
    const binary = join(files.path, 'image.png');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]));
    const nul = join(files.path, 'nul.diff');
    writeFileSync(nul, 'a\u0000b');
    const folder = join(files.path, 'folder');
    mkdirSync(folder);
    const record = (file: string) =>
      run('change', 'record', '--service', 'checkout', '--change-version', 'v9', '--diff', file);
    for (const [file, message] of [
      [join(files.path, 'missing.diff'), /--diff: cannot read .*missing\.diff: no such file/],
      [folder, /--diff: cannot read .*folder: is a directory/],
      [binary, /--diff: .*image\.png is not UTF-8 text/],
      [nul, /--diff: .*nul\.diff looks binary/],
    ] as const) {
      const result = await record(file);
      expect(result.code).toBe(2);
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect(await count('changes')).toBe(before);
  });

  it('refuses bad input with exit 2', async () => {
    const kind = await run('change', 'record', '--service', 'checkout', '--change-version', 'v1', '--kind', 'rollout');
    expect(kind.code).toBe(2);
    expect(kind.stderr).toMatch(/kind.*deploy, config, flag/);
    const time = await run('change', 'record', '--service', 'checkout', '--change-version', 'v1', '--at', 'soon');
    expect(time.code).toBe(2);
    expect(lines(time.stderr)).toEqual([expect.stringMatching(/^debrief: .*at: /)]);
    const missing = await run('change', 'record', '--change-version', 'v1');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--service/);
  });

  it('lists changes newest first, as a table or JSON', async () => {
    await run(
      'change',
      'record',
      '--service',
      'payments',
      '--change-version',
      'cfg-41',
      '--kind',
      'config',
      '--at',
      at(-10),
    );
    const table = await run('change', 'list');
    expect(table.code).toBe(0);
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^AT\s+KIND\s+SERVICE\s+VERSION\s+ENV\s+STATUS\s+SOURCE\s+AUTHOR$/);
    expect(rows[1]).toMatch(/deploy\s+checkout\s+v2\.3\.1\s+production/);
    expect(rows[2]).toMatch(/config\s+payments\s+cfg-41/);
    const filtered = json<{ items: Change[] }>(await run('change', 'list', '--kind', 'config', '--format', 'json'));
    expect(filtered.items.map((c) => c.version)).toEqual(['cfg-41']);
  });

  it('prints the suspects of an incident with their explanations', async () => {
    const declared = await run(
      'incident',
      'declare',
      '--title',
      'Checkout 5xx spike',
      '--severity',
      'SEV2',
      '--service',
      'checkout',
      '--impact-start',
      at(0),
      '--format',
      'json',
    );
    const key = json<{ key: string }>(declared).key;
    const text = await run('incident', 'suspects', key);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Suspects for ${key}, measured from impact start`);
    expect(text.stdout).toMatch(
      /1\s+0\.\d\d\s+-\s+\S+\s+deploy checkout v2\.3\.1, 6 min before impact start, same service/,
    );
    expect(text.stdout).toMatch(/2\s+0\.\d\d\s+-\s+\S+\s+config change payments cfg-41, 10 min before impact start/);
    const view = json<SuspectsView>(await run('incident', 'suspects', key.replace('INC-', ''), '--format', 'json'));
    expect(view.items.map((s) => s.change.version)).toEqual(['v2.3.1', 'cfg-41']);
    const unknown = await run('incident', 'suspects', 'INC-999');
    expect(unknown.code).toBe(1);
  });

  describe('with --url', () => {
    let server: TestServer;
    let tokens: Record<string, string> = {};

    beforeAll(async () => {
      tokens = await createTokens(run, 'ci', ['viewer', 'responder']);
      server = await listen(database);
    });
    afterAll(() => server.close());

    const remote = (role: string, ...args: string[]) => server.cli(tokens[role] ?? '')(...args);

    it('records with a diff and lists the same way a local run does', async () => {
      const recorded = await remote(
        'responder',
        'change',
        'record',
        '--service',
        'checkout',
        '--change-version',
        'v2.3.2',
        '--kind',
        'flag',
        '--diff',
        diffFile,
        '--format',
        'json',
      );
      expect(recorded.stderr).toBe('');
      expect(recorded.code).toBe(0);
      const change = json<Change>(recorded);
      expect(change).toMatchObject({ kind: 'flag', version: 'v2.3.2' });
      const local = json<{ items: Change[] }>(await run('change', 'list', '--format', 'json'));
      expect(local.items.find((c) => c.id === change.id)?.diffArtifactId).toBe(change.diffArtifactId);
      const listed = json<{ items: Change[] }>(
        await remote('viewer', 'change', 'list', '--service', 'checkout', '--format', 'json'),
      );
      expect(listed.items[0]?.id).toBe(change.id);
    });

    it('reports a rejected role and rejected input with the same exit codes as locally', async () => {
      const viewer = await remote('viewer', 'change', 'record', '--service', 'checkout', '--change-version', 'v3');
      expect(viewer.code).toBe(1);
      expect(lines(viewer.stderr)).toEqual([
        expect.stringMatching(/^debrief: your role \(viewer\) may not record changes/),
      ]);
      const time = await remote(
        'responder',
        'change',
        'record',
        '--service',
        'checkout',
        '--change-version',
        'v3',
        '--at',
        'soon',
      );
      expect(time.code).toBe(2);
      const suspects = await remote('viewer', 'incident', 'suspects', 'INC-1', '--format', 'json');
      expect(suspects.code).toBe(0);
      expect(json<SuspectsView>(suspects).items[0]?.change.version).toBe('v2.3.1');
    });
  });
});
