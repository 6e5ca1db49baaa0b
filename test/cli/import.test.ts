import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LogUploadResult } from '../../src/app/evidence.js';
import type { IncidentView } from '../../src/app/presenters.js';
import type { TimelineEvent } from '../../src/domain/types.js';
import { describeEachDialect } from '../harness/dialects.js';
import { debrief, json, lines, tempDir } from './run.js';
import { createToken, listen, localArgs, type TestServer } from './server.js';

const fixture = (path: string): string => fileURLToPath(new URL(`../../src/ingest/fixtures/${path}`, import.meta.url));
const K8S_EVENTS = fixture('kubernetes/events.json');
const SLACK_DIR = fixture('slack/testarchive');
const MINUTE = 60_000;

/** Zips `dir` into `target` with Info-ZIP or Python's zipfile, whichever exists; false when neither does. */
function zipDirectory(dir: string, target: string): boolean {
  for (const [command, args] of [
    ['zip', ['-q', '-r', target, '.']],
    ['python3', ['-m', 'zipfile', '-c', target, '.']],
  ] as const) {
    try {
      execFileSync(command, [...args], { cwd: dir, stdio: 'ignore' });
      if (existsSync(target)) return true;
    } catch {
      // Try the next tool.
    }
  }
  return false;
}

interface Report {
  incident: string;
  read: number;
  skipped: number;
  created: number;
  existing: number;
  range: { start: string | null; end: string | null } | null;
}

describeEachDialect('debrief import', (ctx) => {
  const work = tempDir('debrief-import-');
  let local: (...args: string[]) => ReturnType<typeof debrief>;
  let remote: (...args: string[]) => ReturnType<typeof debrief>;
  let server: TestServer;

  const timeline = async (key: string, kind: string): Promise<TimelineEvent[]> =>
    (json<IncidentView>(await local('incident', 'show', key, '--timeline', '--format', 'json')).timeline ?? []).filter(
      (e) => e.kind === kind,
    );

  const declare = async (...args: string[]): Promise<string> => {
    const res = await local('incident', 'declare', '--severity', 'SEV3', '--format', 'json', ...args);
    expect(res.stderr).toBe('');
    return json<IncidentView>(res).key;
  };

  beforeAll(async () => {
    const global = localArgs(ctx.dialect, ctx.database);
    local = (...args) => debrief([...global, ...args]);
    server = await listen(ctx.database);
    remote = server.cli(await createToken(local, 'importer', 'responder'));
  });
  afterAll(async () => {
    await server.close();
    work.remove();
  });

  it('imports the Kubernetes events of the incident window ± margin, then the rest with --all, idempotently', async () => {
    const key = await declare(
      '--title',
      'Checkout crash loop',
      '--impact-start',
      '2026-03-14T09:12:00Z',
      '--detected',
      '2026-03-14T09:13:00Z',
    );
    const first = await local('import', 'k8s-events', K8S_EVENTS, '--incident', key, '--margin', '5');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(lines(first.stdout)).toEqual([
      `Imported 2 Kubernetes events into ${key}: 2 added, 0 already there.`,
      expect.stringMatching(/^1 outside 2026-03-14T09:07:00Z – \S+ were left out; --all takes them in\.$/),
    ]);
    const events = await timeline(key, 'log');
    expect(events.map((e) => [e.source, e.labels.reason])).toEqual([
      ['kubernetes', 'Unhealthy'],
      ['kubernetes', 'BackOff'],
    ]);
    expect(events[1]?.labels.service).toBe('shop');

    const all = await remote('import', 'k8s-events', K8S_EVENTS, '--incident', key, '--all', '--format', 'json');
    expect(all.code).toBe(0);
    expect(json<Report>(all)).toEqual({ incident: key, read: 3, skipped: 0, created: 1, existing: 2, range: null });
    expect(await timeline(key, 'log')).toHaveLength(3);
  });

  it('imports a Slack channel from the export directory and from the zip, names resolved, nothing twice', async () => {
    const key = await declare('--title', 'Enrique build broken', '--impact-start', '2016-02-07T22:30:00Z');
    const fromDir = await local('import', 'slack', SLACK_DIR, '--channel', '#enrique', '--incident', key);
    expect(fromDir.code).toBe(0);
    expect(fromDir.stdout).toContain(`Imported 20 Slack messages into ${key}: 20 added, 0 already there.`);
    const chats = await timeline(key, 'chat');
    expect(chats).toHaveLength(20);
    expect(chats[0]).toMatchObject({ source: 'slack', at: '2016-02-07T22:42:07.000Z' });
    expect(chats[0]?.title).toMatch(/^Hamza Faran: @Harry Potter: /);
    expect(chats[0]?.labels).toMatchObject({ channel: 'enrique', channel_id: 'C0JGLMMNX', user_name: 'Hamza Faran' });

    const zipPath = join(work.path, `export-${ctx.dialect}.zip`);
    const copy = join(work.path, `export-${ctx.dialect}`);
    cpSync(SLACK_DIR, copy, { recursive: true });
    if (!zipDirectory(copy, zipPath)) {
      console.warn('skipping the zip half of the Slack import test: neither zip nor python3 is available');
      return;
    }
    const fromZip = await remote(
      'import',
      'slack',
      zipPath,
      '--channel',
      'enrique',
      '--incident',
      key,
      '--from',
      '2016-01-15T00:00:00Z',
      '--to',
      '2016-01-16T00:00:00Z',
      '--format',
      'json',
    );
    expect(fromZip.stderr).toBe('');
    expect(json<Report>(fromZip)).toMatchObject({ read: 30, skipped: 22, created: 8, existing: 0 });
    const again = await remote('import', 'slack', zipPath, '--channel', 'enrique', '--incident', key, '--all');
    expect(again.stdout).toContain('Imported 30 Slack messages');
    expect(again.stdout).toContain('2 added, 28 already there');
    expect(await timeline(key, 'chat')).toHaveLength(30);
  });

  it('uploads a log file and prints its new templates, locally and through a server', async () => {
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const iso = (ms: number) => new Date(ms).toISOString();
    const key = await declare('--title', 'Payments timeouts', '--impact-start', iso(now - 30 * MINUTE));
    const file = join(work.path, `payments-${ctx.dialect}.log`);
    writeFileSync(
      file,
      [
        ...Array.from({ length: 10 }, (_, i) => `${iso(now - 80 * MINUTE + i * MINUTE)} INFO request served`),
        ...Array.from({ length: 10 }, (_, i) => `${iso(now - 20 * MINUTE + i * MINUTE)} INFO request served`),
        ...Array.from({ length: 6 }, (_, i) => `${iso(now - 15 * MINUTE + i * MINUTE)} ERROR gateway 504 from psp`),
      ].join('\n'),
    );
    const uploaded = await remote('import', 'logs', file, '--incident', key);
    expect(uploaded.code).toBe(0);
    expect(uploaded.stdout).toContain(`payments-${ctx.dialect}.log (26 lines,`);
    expect(uploaded.stdout).toContain(`on ${key}: Log templates: 1 new, 0 spiking (payments-${ctx.dialect}.log)`);
    expect(uploaded.stdout).toMatch(/new\s+6\s+0\s+-\s+error\s+<TS> ERROR gateway <NUM> from psp/);

    const again = await local('import', 'logs', file, '--incident', key, '--format', 'json');
    expect(again.code).toBe(0);
    const result = json<LogUploadResult>(again);
    expect(result.created).toBe(false);
    expect(result.upload.mediaType).toBe('text/plain');
    const logs = await timeline(key, 'log');
    expect(logs).toHaveLength(1);
    expect(logs[0]?.artifactId).toBe(result.artifact.id);
  });

  it('fails with one line: missing file (2), bad JSON (2), unknown channel (2), unknown incident (1)', async () => {
    const missing = await local('import', 'k8s-events', join(work.path, 'nope.json'), '--incident', 'INC-1');
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([expect.stringMatching(/^debrief: cannot read .*nope\.json: no such file$/)]);

    const broken = join(work.path, 'broken.json');
    writeFileSync(broken, '{"kind": "List", "items": [');
    const bad = await local('import', 'k8s-events', broken, '--incident', 'INC-1');
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual([expect.stringMatching(/^debrief: .*broken\.json is not valid JSON/)]);

    const wrongShape = join(work.path, 'pods.json');
    writeFileSync(wrongShape, '{"kind": "PodList", "items": []}');
    const shape = await local('import', 'k8s-events', wrongShape, '--incident', 'INC-1');
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(/pods\.json: invalid Kubernetes event list payload: kind:/);

    const channel = await local('import', 'slack', SLACK_DIR, '--channel', 'general', '--incident', 'INC-1');
    expect(channel.code).toBe(2);
    expect(lines(channel.stderr)).toEqual([
      'debrief: channel: the export has no channel "general"; available: enrique, traveling-sailor',
    ]);

    const incident = await local('import', 'k8s-events', K8S_EVENTS, '--incident', 'INC-999');
    expect(incident.code).toBe(1);
    expect(lines(incident.stderr)).toEqual(['debrief: incident INC-999 not found']);

    const binary = join(work.path, 'core.bin');
    writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]));
    const logs = await local('import', 'logs', binary, '--incident', 'INC-1');
    expect(logs.code).toBe(2);
    expect(lines(logs.stderr)).toEqual([expect.stringMatching(/core\.bin looks binary/)]);
  });
});
