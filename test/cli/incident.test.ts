import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/app/catalog.js';
import { createAppContext } from '../../src/app/context.js';
import type { IncidentView } from '../../src/app/presenters.js';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import { debrief, json, tempDir } from './run.js';

const MINUTE = 60_000;

describe('debrief incident (local SQLite data directory)', () => {
  const dir = tempDir();
  const env = { DEBRIEF_DATA_DIR: dir.path };
  const run = (...args: string[]) => debrief(args, { env });
  // Lifecycle times may not lie in the future, so the story is told relative to now.
  const base = Math.floor((Date.now() - 3 * 60 * MINUTE) / MINUTE) * MINUTE;
  const at = (minutes: number) => new Date(base + minutes * MINUTE).toISOString();

  beforeAll(async () => {
    const database = openDatabase({ dataDir: dir.path });
    await migrateToLatest(database);
    const ctx = createAppContext(database);
    const system = { kind: 'system', name: 'test', role: 'admin' } as const;
    await createService(ctx, system, { name: 'checkout', tier: 1 });
    await createService(ctx, system, { name: 'payments', tier: 1 });
    await database.close();
  });
  afterAll(() => dir.remove());

  it('declares, lists, shows, updates and resolves an incident, with durations derived at every step', async () => {
    const declared = await run(
      'incident',
      'declare',
      '--title',
      'Checkout 5xx spike',
      '--severity',
      'SEV2',
      '--service',
      'checkout,payments',
      '--impact',
      'Some card payments failed',
      '--impact-start',
      at(0),
      '--detected',
      at(4),
      '--commander',
      'Ana@Example.com',
      '--format',
      'json',
    );
    expect(declared.stderr).toBe('');
    expect(declared.code).toBe(0);
    const incident = json<IncidentView>(declared);
    expect(incident).toMatchObject({
      key: 'INC-1',
      status: 'investigating',
      severity: 'SEV2',
      services: ['checkout', 'payments'],
      customerImpact: 'Some card payments failed',
      roles: { commander: 'ana@example.com', scribe: null, communications: null },
      declaredBy: 'system:cli',
      durations: { timeToDetectSeconds: 240, timeToResolveSeconds: null },
      allowedTransitions: ['mitigated', 'resolved'],
      version: 1,
    });

    const listed = await run('incident', 'list', '--format', 'json');
    expect(listed.code).toBe(0);
    const page = json<{ items: IncidentView[]; nextCursor: string | null }>(listed);
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((i) => i.key)).toEqual(['INC-1']);
    expect(Object.keys(page.items[0] ?? {}).sort()).toEqual(Object.keys(incident).sort());

    const shown = await run('incident', 'show', 'INC-1');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('INC-1  Checkout 5xx spike');
    expect(shown.stdout).toMatch(/Status\s+investigating \(next: mitigated, resolved\)/);
    expect(shown.stdout).toMatch(/Time to detect\s+4m\n/);
    expect(shown.stdout).toMatch(/Commander\s+ana@example\.com/);
    expect(shown.stdout).toContain(`Impact started  ${at(0).replace('.000Z', 'Z')}`);

    const updated = await run(
      'incident',
      'update',
      'inc-1',
      '--severity',
      'sev1',
      '--acknowledged',
      at(6),
      '--title',
      'Checkout 5xx',
      '--format',
      'json',
    );
    expect(updated.code).toBe(0);
    expect(json<IncidentView>(updated)).toMatchObject({
      severity: 'SEV1',
      title: 'Checkout 5xx',
      version: 2,
      durations: { timeToAcknowledgeSeconds: 120 },
    });

    const noted = await run(
      'incident',
      'note',
      '1',
      'Rolled back payments to v41',
      '--marker',
      'mitigated',
      '--pin',
      '--at',
      at(30),
    );
    expect(noted.code).toBe(0);
    expect(noted.stdout).toMatch(/Marker\s+mitigated/);
    expect(noted.stdout).toMatch(/Pinned\s+yes/);

    const resolved = await run('incident', 'resolve', 'INC-1', '--at', at(62), '--note', 'error rate back to baseline');
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toMatch(/Status\s+resolved \(next: closed, investigating\)/);

    const final = await run('incident', 'show', 'INC-1', '--timeline');
    expect(final.code).toBe(0);
    expect(final.stdout).toMatch(/Time to detect\s+4m\n/);
    expect(final.stdout).toMatch(/Time to acknowledge\s+2m\n/);
    expect(final.stdout).toMatch(/Time to mitigate\s+30m\n/);
    expect(final.stdout).toMatch(/Time to resolve\s+1h 02m\n/);
    expect(final.stdout).toMatch(/Timeline \(\d+ events\)/);
    expect(final.stdout).toMatch(/note\s+debrief\s+\[mitigated\]\s+\*\s+Rolled back payments to v41/);
    expect(final.stdout).toMatch(/\[resolved\]\s+Status: Investigating → Resolved/);

    const asJson = json<IncidentView>(await run('incident', 'show', 'INC-1', '--timeline', '--format', 'json'));
    expect(asJson.durations).toEqual({
      timeToDetectSeconds: 240,
      timeToAcknowledgeSeconds: 120,
      timeToMitigateSeconds: 1800,
      timeToResolveSeconds: 3720,
    });
    expect(asJson.timeline?.map((e) => e.marker).filter(Boolean)).toEqual(
      expect.arrayContaining(['impact_start', 'detected', 'acknowledged', 'mitigated', 'resolved']),
    );
  });

  it('changes status with a note, and refuses a transition the lifecycle does not allow (exit 2)', async () => {
    await run('incident', 'declare', '--title', 'Queue backlog', '--severity', 'SEV3');
    const mitigated = await run(
      'incident',
      'status',
      'INC-2',
      'mitigated',
      '--note',
      'scaled consumers',
      '--format',
      'json',
    );
    expect(mitigated.code).toBe(0);
    expect(json<IncidentView>(mitigated).status).toBe('mitigated');

    const refused = await run('incident', 'status', 'INC-2', 'closed');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('debrief: cannot move from mitigated to closed; allowed: resolved, investigating\n');
  });

  it('filters the list and follows cursors with --all', async () => {
    await run('incident', 'declare', '--title', 'Search slow', '--severity', 'SEV4', '--type', 'near_miss');

    const resolved = json<{ items: IncidentView[] }>(
      await run('incident', 'list', '--status', 'resolved', '--format', 'json'),
    );
    expect(resolved.items.map((i) => i.key)).toEqual(['INC-1']);

    const bySeverity = json<{ items: IncidentView[] }>(
      await run('incident', 'list', '--severity', 'sev3,SEV4', '--format', 'json'),
    );
    expect(bySeverity.items.map((i) => i.key)).toEqual(['INC-3', 'INC-2']);

    const firstPage = await run('incident', 'list', '--limit', '1');
    expect(firstPage.code).toBe(0);
    expect(firstPage.stdout.split('\n')[0]).toMatch(/^KEY\s+SEV\s+STATUS\s+TYPE\s+DECLARED\s+SERVICES\s+TITLE$/);
    expect(firstPage.stdout).toContain('INC-3');
    expect(firstPage.stderr).toMatch(/^More incidents: add --cursor \S+, or --all/);

    const all = json<{ items: IncidentView[]; nextCursor: null }>(
      await run('incident', 'list', '--limit', '1', '--all', '--format', 'json'),
    );
    expect(all.items.map((i) => i.key)).toEqual(['INC-3', 'INC-2', 'INC-1']);
    expect(all.nextCursor).toBeNull();

    const none = await run('incident', 'list', '--service', 'nothing-here');
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No incidents match.\n');
  });

  it('assigns and clears incident roles', async () => {
    const assigned = json<IncidentView>(
      await run('incident', 'roles', 'INC-2', '--scribe', 'sam@example.com', '--commander', 'none', '--format', 'json'),
    );
    expect(assigned.roles).toEqual({ commander: null, scribe: 'sam@example.com', communications: null });
  });

  it('reports an unknown incident in one line and exits 1', async () => {
    for (const args of [
      ['incident', 'show', 'INC-999'],
      ['incident', 'resolve', 'INC-999'],
      ['incident', 'update', 'INC-999', '--title', 'x'],
      ['incident', 'note', 'INC-999', 'hello'],
    ]) {
      const result = await run(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('debrief: incident INC-999 not found\n');
    }
  });

  it('rejects an update that changes nothing, and lifecycle times out of order', async () => {
    const empty = await run('incident', 'update', 'INC-1');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^debrief: nothing to update: pass at least one of --title/);

    const disordered = await run(
      'incident',
      'update',
      'INC-3',
      '--impact-start',
      new Date(Date.now() + 60 * MINUTE).toISOString(),
    );
    expect(disordered.code).toBe(2);
    expect(disordered.stderr.split('\n')).toHaveLength(2);
  });

  it('rejects an unknown service with the field that named it', async () => {
    const result = await run(
      'incident',
      'declare',
      '--title',
      'x',
      '--severity',
      'SEV2',
      '--service',
      'checkout',
      '--service',
      'nope',
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('debrief: services[1]: unknown service "nope"; add it to the catalog first\n');
  });
});
