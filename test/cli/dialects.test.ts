import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IncidentView } from '../../src/app/presenters.js';
import type { ApiToken, TimelineEvent } from '../../src/domain/types.js';
import { describeEachDialect } from '../harness/dialects.js';
import { closedPort, debrief, json, lines } from './run.js';
import { listen, localArgs, type TestServer } from './server.js';

type Page = { items: IncidentView[]; nextCursor: string | null };

describeEachDialect('debrief CLI on the database and over HTTP', (ctx) => {
  let local: (...args: string[]) => ReturnType<typeof debrief>;
  let server: TestServer;
  const tokens: Record<string, string> = {};
  let remote: (token: string, ...args: string[]) => ReturnType<typeof debrief>;

  beforeAll(async () => {
    const global = localArgs(ctx.dialect, ctx.database);
    local = (...args) => debrief([...global, ...args]);
    server = await listen(ctx.database);
    remote = (token, ...args) => server.cli(token)(...args);
  });
  afterAll(() => server.close());

  it('declares, lists and shows incidents on the database directly', async () => {
    const declared = await local(
      'incident',
      'declare',
      '--title',
      'Checkout 5xx spike',
      '--severity',
      'SEV2',
      '--format',
      'json',
    );
    expect(declared.stderr).toBe('');
    expect(declared.code).toBe(0);
    const incident = json<IncidentView>(declared);
    expect(incident).toMatchObject({
      title: 'Checkout 5xx spike',
      severity: 'SEV2',
      declaredBy: 'system:cli',
      version: 1,
    });

    const page = json<Page>(await local('incident', 'list', '--format', 'json'));
    expect(page.items.map((i) => i.key)).toContain(incident.key);

    const shown = await local('incident', 'show', incident.key, '--timeline');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`${incident.key}  Checkout 5xx spike`);
    expect(shown.stdout).toMatch(/\[detected\]\s+Declared INC-\d+ \(SEV2\): Checkout 5xx spike/);

    const resolved = json<IncidentView>(await local('incident', 'resolve', incident.key, '--format', 'json'));
    expect(resolved.status).toBe('resolved');
    expect(resolved.durations.timeToResolveSeconds).toBeNull();
  });

  it('creates tokens with the CLI that a server accepts', async () => {
    for (const role of ['viewer', 'responder', 'admin']) {
      const created = await local('token', 'create', '--name', `cli-${role}`, '--role', role, '--format', 'json');
      expect(created.code).toBe(0);
      tokens[role] = json<{ token: string }>(created).token;
      expect(tokens[role]).toMatch(/^dbf_/);
    }
  });

  it('runs the incident commands against the server with the same JSON and text output as locally', async () => {
    const token = tokens.responder ?? '';
    const declared = await remote(
      token,
      'incident',
      'declare',
      '--title',
      'Search latency',
      '--severity',
      'sev3',
      '--summary',
      'p99 over 2 s',
      '--format',
      'json',
    );
    expect(declared.stderr).toBe('');
    expect(declared.code).toBe(0);
    const incident = json<IncidentView>(declared);
    expect(incident).toMatchObject({ severity: 'SEV3', summary: 'p99 over 2 s', declaredBy: 'token:cli-responder' });

    const page = json<Page>(await remote(token, 'incident', 'list', '--severity', 'SEV3', '--format', 'json'));
    expect(page).toEqual(json<Page>(await local('incident', 'list', '--severity', 'SEV3', '--format', 'json')));
    expect(page.items.map((i) => i.key)).toEqual([incident.key]);

    const updated = json<IncidentView>(
      await remote(
        token,
        'incident',
        'update',
        incident.key,
        '--severity',
        'SEV2',
        '--title',
        'Search latency (EU)',
        '--format',
        'json',
      ),
    );
    expect(updated).toMatchObject({ severity: 'SEV2', title: 'Search latency (EU)', version: 2 });

    const note = json<TimelineEvent>(
      await remote(
        token,
        'incident',
        'note',
        incident.key,
        'Shifted traffic to us-east',
        '--marker',
        'key_moment',
        '--pin',
        '--format',
        'json',
      ),
    );
    expect(note).toMatchObject({ kind: 'note', marker: 'key_moment', pinned: true, actor: 'token:cli-responder' });

    const resolved = await remote(token, 'incident', 'status', incident.key, 'resolved', '--note', 'fixed');
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toMatch(/Status\s+resolved/);

    const overHttp = await remote(token, 'incident', 'show', incident.key, '--timeline');
    const onDatabase = await local('incident', 'show', incident.key, '--timeline');
    expect(overHttp.code).toBe(0);
    expect(overHttp.stdout).toBe(onDatabase.stdout);
    expect(
      json<IncidentView>(await remote(token, 'incident', 'show', incident.key, '--timeline', '--format', 'json')),
    ).toEqual(json<IncidentView>(await local('incident', 'show', incident.key, '--timeline', '--format', 'json')));
  });

  it('fails over HTTP with the same lines and exit codes as locally', async () => {
    const token = tokens.responder ?? '';
    const cases: [string[], number][] = [
      [['incident', 'declare', '--title', 'x', '--severity', 'SEV9'], 2],
      [['incident', 'declare', '--title', 'x', '--severity', 'SEV2', '--impact-start', 'noon'], 2],
      [['incident', 'show', 'INC-4040'], 1],
      [['incident', 'status', 'INC-1', 'mitigated'], 2],
    ];
    for (const [args, code] of cases) {
      const overHttp = await remote(token, ...args);
      const onDatabase = await local(...args);
      expect(overHttp.code, args.join(' ')).toBe(code);
      expect(onDatabase.code, args.join(' ')).toBe(code);
      expect(lines(overHttp.stderr)).toHaveLength(1);
      expect(overHttp.stderr).toBe(onDatabase.stderr);
    }
  });

  it('honours the token role, and reports a rejected token or an unreachable server in one line', async () => {
    const forbidden = await remote(tokens.viewer ?? '', 'incident', 'declare', '--title', 'x', '--severity', 'SEV2');
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toBe('debrief: your role (viewer) may not incident.create\n');

    const admin = json<{ items: ApiToken[] }>(await remote(tokens.admin ?? '', 'token', 'list', '--format', 'json'));
    expect(admin.items.map((t) => t.name)).toEqual(
      expect.arrayContaining(['cli-viewer', 'cli-responder', 'cli-admin']),
    );

    const bad = await remote('dbf_not-a-real-token', 'incident', 'list');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `debrief: ${server.url} did not accept DEBRIEF_TOKEN (unknown, revoked or expired); create one with \`debrief token create\`\n`,
    );

    const port = await closedPort();
    const unreachable = await debrief(['--url', `http://127.0.0.1:${port}`, 'incident', 'list'], {
      env: { DEBRIEF_TOKEN: 'dbf_x' },
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      new RegExp(`^debrief: cannot reach http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\\n$`),
    );
  });
});
