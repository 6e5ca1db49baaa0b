import { beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDialect } from '../../test/harness/dialects.js';
import type { Principal, TimelineEvent } from '../domain/types.js';
import { listAlerts } from './alerts.js';
import { listServices } from './catalog.js';
import { listChanges, listSuspects } from './changes.js';
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

async function allChanges(ctx: AppContext) {
  const page = await listChanges(ctx, ADMIN, { limit: 200 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

async function allSignals(ctx: AppContext) {
  const page = await listAlerts(ctx, ADMIN, { limit: 200 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

const isOpen = (i: IncidentView): boolean => i.status === 'investigating' || i.status === 'mitigated';
/** Where suspects are measured from: impact start, else detection, else declaration. */
const referenceOf = (i: IncidentView): string => i.impactStartedAt ?? i.detectedAt ?? i.declaredAt;
const identityOf = (labels: Record<string, string>): string =>
  [labels.alertname, labels.service, labels.severity].join('/');

describeEachDialect('demo data', (db) => {
  let ctx: AppContext;
  let first: DemoResult;
  let incidents: IncidentView[];
  const timelines = new Map<string, TimelineEvent[]>();
  const lines: string[] = [];

  beforeAll(async () => {
    ctx = createAppContext(db.database, { now: () => NOW });
    first = await loadDemoData(ctx, { now: NOW, log: (line) => lines.push(line) });
    incidents = await allIncidents(ctx);
    for (const incident of incidents) {
      timelines.set(incident.key, (await getIncident(ctx, ADMIN, incident.key, { timeline: true })).timeline ?? []);
    }
  });

  const timelineOf = (key: string): TimelineEvent[] => timelines.get(key) ?? [];

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
      const changeShape = async (c: AppContext) =>
        (await allChanges(c)).map((ch) => [ch.at, ch.service, ch.kind, ch.version, ch.description].join('|')).sort();
      expect(await changeShape(otherCtx)).toEqual(await changeShape(ctx));
      const signalShape = async (c: AppContext) =>
        (await allSignals(c)).map((s) => [s.fingerprint, s.status, s.startsAt, s.endsAt, s.incident].join('|')).sort();
      expect(await signalShape(otherCtx)).toEqual(await signalShape(ctx));
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

  it('records deploys and config changes through the changes pipeline, each on a timeline at most once', async () => {
    const changes = await allChanges(ctx);
    expect(changes.length).toBeGreaterThan(incidents.length * 2);
    expect(new Set(changes.map((c) => c.kind))).toEqual(new Set(['deploy', 'config', 'flag']));
    for (const change of changes) expect(Date.parse(change.at)).toBeLessThanOrEqual(NOW.getTime());
    const known = new Set(changes.map((c) => c.id));
    let showing = 0;
    for (const incident of incidents) {
      const ids = timelineOf(incident.key).flatMap((e) => (e.labels.change_id ? [e.labels.change_id] : []));
      if (ids.length > 0) showing++;
      expect(new Set(ids).size, `${incident.key} shows each change once`).toBe(ids.length);
      for (const id of ids) expect(known.has(id)).toBe(true);
    }
    // A tabletop exercise changes nothing that runs; every other incident shows recorded changes.
    expect(showing).toBeGreaterThan(incidents.length * 0.9);
  });

  it('ranks the change behind an incident as its top suspect for most incidents, among others', async () => {
    let withCause = 0;
    let causeFirst = 0;
    let crowded = 0;
    for (const incident of incidents) {
      const reference = referenceOf(incident);
      const cause = timelineOf(incident.key).find(
        (e) => e.kind === 'change' && e.labels.change_id !== undefined && e.at <= reference,
      );
      const { items } = await listSuspects(ctx, ADMIN, incident.key);
      if (items.length >= 3) crowded++;
      if (!cause) continue;
      withCause++;
      expect(
        items.map((s) => s.change.id),
        incident.key,
      ).toContain(cause.labels.change_id);
      if (items[0]?.change.id === cause.labels.change_id) causeFirst++;
    }
    expect(withCause).toBeGreaterThan(incidents.length * 0.8);
    expect(causeFirst).toBeGreaterThanOrEqual(withCause * 0.8);
    expect(crowded).toBeGreaterThan(incidents.length / 2);
  });

  it('routes alerts through the alert pipeline: signals on their incidents, firing then resolved', async () => {
    const signals = await allSignals(ctx);
    const byKey = new Map(incidents.map((i) => [i.key, i]));
    // A recurring alert is one signal (one fingerprint), on the latest incident it fired for.
    const latest = new Map<string, IncidentView>();
    for (const incident of [...incidents].sort((a, b) => a.number - b.number)) {
      const firing = timelineOf(incident.key).filter((e) => e.kind === 'alert' && e.title.includes(' firing: '));
      for (const alert of firing) latest.set(identityOf(alert.labels), incident);
    }
    expect(signals).toHaveLength(latest.size);
    expect(new Set(signals.map((s) => s.incident)).size).toBeGreaterThan(incidents.length / 2);
    for (const signal of signals) {
      expect(signal.source).toBe('alertmanager');
      expect(signal.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(signal.groupKey).toBe(`{}:{alertname="${signal.labels.alertname}", service="${signal.service}"}`);
      const incident = byKey.get(signal.incident ?? '');
      expect(incident?.key, signal.title).toBe(latest.get(identityOf(signal.labels))?.key);
      if (incident && !isOpen(incident)) {
        expect(signal.status, signal.title).toBe('resolved');
        expect(Date.parse(signal.endsAt ?? '')).toBeGreaterThan(Date.parse(signal.startsAt));
      }
    }
    for (const incident of incidents.filter(isOpen)) {
      const own = await listAlerts(ctx, ADMIN, { incident: incident.key });
      expect(own.items.length, incident.key).toBeGreaterThanOrEqual(1);
      if (incident.status === 'investigating') expect(own.items.map((s) => s.status)).toContain('firing');
    }
    for (const incident of incidents.filter((i) => !isOpen(i))) {
      const alerts = timelineOf(incident.key).filter((e) => e.kind === 'alert');
      const firing = alerts.filter((e) => e.title.includes(' firing: '));
      expect(firing.length, incident.key).toBeGreaterThanOrEqual(1);
      for (const alert of firing) {
        const cleared = alerts.find(
          (e) => e.title.includes(' resolved: ') && identityOf(e.labels) === identityOf(alert.labels),
        );
        expect(cleared, `${incident.key} ${alert.title}`).toBeDefined();
        expect(Date.parse(cleared?.at ?? '')).toBeGreaterThan(Date.parse(alert.at));
      }
    }
  });

  it('audits every write as the demo principal, at the time it happened', async () => {
    const rows = await db.database.db.selectFrom('audit_events').select(['actor', 'at', 'action']).execute();
    expect(rows.length).toBeGreaterThan(incidents.length * 5);
    const demoRows = rows.filter((r) => r.action !== 'session.create');
    expect(new Set(demoRows.map((r) => r.actor))).toEqual(new Set(['system:demo']));
    for (const row of demoRows) expect(Date.parse(row.at)).toBeLessThanOrEqual(NOW.getTime());
  });
});
