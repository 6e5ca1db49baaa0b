import { beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDialect } from '../../test/harness/dialects.js';
import type { Principal } from '../domain/types.js';
import { listServices } from './catalog.js';
import { createAppContext, type AppContext } from './context.js';
import { DEMO_SIGN_IN, loadDemoData, type DemoResult } from './demo.js';
import { login } from './identity.js';
import { getIncident, listIncidents } from './incidents.js';
import type { IncidentView } from './presenters.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const ADMIN: Principal = { kind: 'system', name: 'test', role: 'admin' };

async function allIncidents(ctx: AppContext): Promise<IncidentView[]> {
  return (await listIncidents(ctx, ADMIN, { limit: 200 })).items;
}

describeEachDialect('demo data', (db) => {
  let ctx: AppContext;
  let first: DemoResult;
  let incidents: IncidentView[];
  const lines: string[] = [];

  beforeAll(async () => {
    ctx = createAppContext(db.database, { now: () => NOW });
    first = await loadDemoData(ctx, { now: NOW, log: (line) => lines.push(line) });
    incidents = await allIncidents(ctx);
  });

  it('loads a catalog of about six services and about forty incidents', async () => {
    expect(first.loaded).toBe(true);
    expect(first.services).toBe(6);
    expect((await listServices(ctx, ADMIN)).map((s) => s.name).sort()).toEqual([
      'api-gateway',
      'auth',
      'checkout',
      'notifications',
      'payments',
      'search',
    ]);
    expect(first.incidents).toBeGreaterThanOrEqual(35);
    expect(first.incidents).toBeLessThanOrEqual(45);
    expect(incidents).toHaveLength(first.incidents);
    expect(first.signIn).toEqual(DEMO_SIGN_IN);
  });

  it('reports progress and a done line with counts and elapsed time', () => {
    expect(lines[0]).toMatch(/^Loading demo data: .*\d+ incidents…$/);
    expect(lines.at(-1)).toMatch(/^Demo data loaded in \d+\.\d s: \d+ incidents, 6 services, \d+ people\.$/);
  });

  it('loads nothing when incidents already exist', async () => {
    const again = await loadDemoData(ctx, { now: NOW });
    expect(again).toEqual({ loaded: false, incidents: first.incidents, services: 6, signIn: DEMO_SIGN_IN });
    expect(await allIncidents(ctx)).toHaveLength(first.incidents);
  });

  it('gives the same incidents for the same now on a fresh database', async () => {
    const other = await createTestDatabase(db.dialect);
    try {
      const otherCtx = createAppContext(other, { now: () => NOW });
      await loadDemoData(otherCtx, { now: NOW });
      const shape = (list: IncidentView[]) =>
        list.map((i) => ({
          key: i.key,
          title: i.title,
          severity: i.severity,
          status: i.status,
          detectedAt: i.detectedAt,
        }));
      expect(shape(await allIncidents(otherCtx))).toEqual(shape(incidents));
    } finally {
      await other.drop();
    }
  });

  it('lets the demo user sign in as an admin', async () => {
    const session = await login(ctx, DEMO_SIGN_IN);
    expect(session.user).toMatchObject({ email: DEMO_SIGN_IN.email, role: 'admin' });
  });

  it('mixes severities, types, visibility and statuses like a real quarter', () => {
    const count = (pick: (i: IncidentView) => string) =>
      incidents.reduce<Record<string, number>>((m, i) => ({ ...m, [pick(i)]: (m[pick(i)] ?? 0) + 1 }), {});
    const severities = count((i) => i.severity);
    expect(severities.SEV1 ?? 0).toBeGreaterThanOrEqual(1);
    expect(severities.SEV1 ?? 0).toBeLessThan(severities.SEV3 ?? 0);
    expect(severities.SEV1 ?? 0).toBeLessThan(severities.SEV4 ?? 0);
    const types = count((i) => i.type);
    expect(types.standard).toBeGreaterThan(incidents.length / 2);
    expect(Object.keys(types).sort()).toEqual(['exercise', 'near_miss', 'security', 'standard']);
    const statuses = count((i) => i.status);
    expect((statuses.closed ?? 0) + (statuses.resolved ?? 0)).toBeGreaterThan(incidents.length * 0.8);
    expect((statuses.investigating ?? 0) + (statuses.mitigated ?? 0)).toBeGreaterThanOrEqual(2);
    const privates = incidents.filter((i) => i.visibility === 'private');
    expect(privates.length).toBeGreaterThanOrEqual(2);
    expect(privates.length).toBeLessThanOrEqual(3);
    for (const incident of privates) expect(incident.members.length).toBeGreaterThan(0);
    const oldest = Math.min(...incidents.map((i) => Date.parse(i.declaredAt)));
    expect(NOW.getTime() - oldest).toBeLessThanOrEqual(90 * 24 * 3600 * 1000);
    expect(NOW.getTime() - oldest).toBeGreaterThan(60 * 24 * 3600 * 1000);
  });

  it('keeps open incidents recent and numbers incidents in declaration order', () => {
    const open = incidents.filter((i) => i.status === 'investigating' || i.status === 'mitigated');
    for (const incident of open) {
      expect(NOW.getTime() - Date.parse(incident.declaredAt)).toBeLessThan(2 * 24 * 3600 * 1000);
    }
    const byNumber = [...incidents].sort((a, b) => a.number - b.number);
    expect(byNumber.map((i) => i.declaredAt)).toEqual(byNumber.map((i) => i.declaredAt).sort());
  });

  it('gives every incident a realistic timeline, with lifecycle times in order', async () => {
    let pinnedIncidents = 0;
    for (const summary of incidents) {
      const incident = await getIncident(ctx, ADMIN, summary.key, { timeline: true });
      const timeline = incident.timeline ?? [];
      expect(timeline.length, incident.key).toBeGreaterThanOrEqual(4);
      const kinds = new Set(timeline.map((e) => e.kind));
      for (const kind of ['alert', 'page', 'change', 'chat', 'status'])
        expect(kinds, `${incident.key} ${kind}`).toContain(kind);
      const alert = timeline.find((e) => e.kind === 'alert' && e.marker === 'detected');
      expect(alert?.source).toBe('alertmanager');
      expect(Object.keys(alert?.labels ?? {}).sort()).toEqual(['alertname', 'service', 'severity']);
      expect(alert?.at).toBe(incident.detectedAt);
      for (const event of timeline) expect(Date.parse(event.at)).toBeLessThanOrEqual(NOW.getTime());
      expect(incident.roles.commander).not.toBeNull();
      expect(incident.acknowledgedAt).not.toBeNull();
      if (timeline.some((e) => e.pinned)) pinnedIncidents++;

      if (incident.status === 'resolved' || incident.status === 'closed') {
        const { detectedAt, mitigatedAt, resolvedAt } = incident;
        expect(detectedAt && mitigatedAt && resolvedAt, incident.key).toBeTruthy();
        expect(Date.parse(detectedAt ?? '')).toBeLessThanOrEqual(Date.parse(mitigatedAt ?? ''));
        expect(Date.parse(mitigatedAt ?? '')).toBeLessThanOrEqual(Date.parse(resolvedAt ?? ''));
        const markers = timeline.map((e) => e.marker).filter((m) => m !== null && m !== 'key_moment');
        expect(new Set(markers).size, `${incident.key} has each marker once`).toBe(markers.length);
        expect(markers).toEqual(expect.arrayContaining(['detected', 'acknowledged', 'mitigated', 'resolved']));
      }
    }
    expect(pinnedIncidents).toBeGreaterThan(incidents.length / 2);
  });

  it('audits every write as the demo principal, at the time it happened', async () => {
    const rows = await db.database.db.selectFrom('audit_events').select(['actor', 'at', 'action']).execute();
    expect(rows.length).toBeGreaterThan(incidents.length * 5);
    const demoRows = rows.filter((r) => r.action !== 'session.create');
    expect(new Set(demoRows.map((r) => r.actor))).toEqual(new Set(['system:demo']));
    for (const row of demoRows) expect(Date.parse(row.at)).toBeLessThanOrEqual(NOW.getTime());
  });
});
