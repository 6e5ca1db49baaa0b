import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import type { Principal, TimelineEvent } from '../domain/types.js';
import { parseAlertmanager } from '../ingest/alertmanager.js';
import { fixtureJson } from '../ingest/fixtures/load.js';
import { parseGrafana } from '../ingest/grafana.js';
import { parsePagerDuty } from '../ingest/pagerduty.js';
import type { NormalizedEvent } from '../ingest/types.js';
import { PAGERDUTY_PRINCIPAL, alertStats, ingestAlerts, listAlerts } from './alerts.js';
import { createService } from './catalog.js';
import { createAppContext, type AppContext } from './context.js';
import { createApiToken, authenticateToken } from './identity.js';
import { declareIncident, getIncident } from './incidents.js';
import { createMaintenanceWindow, createRoutingRule } from './routing.js';
import { DEFAULT_SETTINGS, type Settings } from './settings.js';

const SYSTEM: Principal = { kind: 'system', name: 'test', role: 'admin' };

interface AlertmanagerPayload {
  groupKey: string;
  status: string;
  alerts: {
    status: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    fingerprint: string;
  }[];
}

const firing = () => fixtureJson<AlertmanagerPayload>('alertmanager/firing.json');
const resolved = () => fixtureJson<AlertmanagerPayload>('alertmanager/resolved.json');

/** The fixture moved to another service, group and identity, so scenarios do not meet each other's incidents. */
function relabel(payload: AlertmanagerPayload, tag: string, service: string): AlertmanagerPayload {
  return {
    ...payload,
    groupKey: `${payload.groupKey}/${tag}`,
    alerts: payload.alerts.map((a) => ({
      ...a,
      fingerprint: `${tag}-${a.fingerprint}`,
      labels: { ...a.labels, service },
    })),
  };
}

const am = (payload: AlertmanagerPayload): NormalizedEvent[] => parseAlertmanager(payload);

describeEachDialect('alerts → incidents', (db) => {
  let ctx: AppContext;
  let actor: Principal;
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    routing: {
      defaultSeverity: 'SEV2',
      rules: [
        { name: 'quiet canaries', match: { labels: { alertname: '/Canary.*/' } }, action: 'ignore' },
        {
          name: 'payments warnings page',
          match: { labels: { team: 'payments' }, severity: ['warning'] },
          action: 'declare',
          severity: 'SEV1',
        },
        {
          name: 'pagerduty checkout',
          match: { source: ['pagerduty'], labels: { service: 'Checkout API' } },
          action: 'declare',
          service: 'checkout',
        },
      ],
    },
  };

  const timeline = async (key: string): Promise<TimelineEvent[]> =>
    (await getIncident(ctx, SYSTEM, key, { timeline: true })).timeline ?? [];
  const signals = (service?: string) =>
    db.database.db
      .selectFrom('signals')
      .selectAll()
      .$if(service !== undefined, (q) => q.where('service', '=', service ?? ''))
      .orderBy('fingerprint')
      .execute();

  beforeAll(async () => {
    ctx = createAppContext(db.database, { settings });
    for (const name of ['checkout', 'payments', 'search', 'ledger', 'billing', 'storage']) {
      await createService(ctx, SYSTEM, { name, tier: 2 });
    }
    const { token } = await createApiToken(ctx, SYSTEM, { name: 'alertmanager', role: 'responder' });
    actor = (await authenticateToken(ctx, token)) as Principal;
  });

  let incidentKey = '';

  it('declares a SEV2 incident from the first firing critical alert, with the alert on its timeline', async () => {
    const summary = await ingestAlerts(ctx, actor, am(firing()));
    expect(summary).toMatchObject({ accepted: 2, deduplicated: 0, suppressed: 0, ignored: 0 });
    expect(summary.declared).toHaveLength(1);
    expect(summary.incidents).toEqual(summary.declared);
    incidentKey = summary.declared[0] ?? '';
    const incident = await getIncident(ctx, SYSTEM, incidentKey, { timeline: true });
    expect(incident).toMatchObject({
      severity: 'SEV2',
      status: 'investigating',
      services: ['checkout'],
      title: 'CheckoutHighErrorRate: 5xx ratio above 5% in eu-west-1',
      impactStartedAt: '2026-03-14T09:12:31.000Z',
      detectedAt: '2026-03-14T09:12:31.000Z',
      declaredBy: 'token:alertmanager',
    });
    const alerts = incident.timeline?.filter((e) => e.kind === 'alert') ?? [];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      source: 'alertmanager',
      at: '2026-03-14T09:12:31.000Z',
      marker: 'detected',
      count: 2,
      title: 'CheckoutHighErrorRate firing (2 alerts)',
    });
    expect(alerts[0]?.labels).toEqual({
      alertname: 'CheckoutHighErrorRate',
      service: 'checkout',
      severity: 'critical',
      namespace: 'shop',
    });
    expect(alerts[0]?.body).toContain('5xx ratio above 5% in us-east-1');
    expect(incident.timeline?.filter((e) => e.marker === 'detected')).toHaveLength(1);
    expect(incident.timeline?.find((e) => e.marker === 'impact_start')?.at).toBe('2026-03-14T09:12:31.000Z');
    const stored = await signals('checkout');
    expect(stored.map((s) => [s.fingerprint, s.status, Number(s.deliveries)])).toEqual([
      ['3f68016eec97af5c', 'firing', 1],
      ['506b7cc49c429700', 'firing', 1],
    ]);
  });

  it('changes nothing on a re-send but the delivery count', async () => {
    const before = await timeline(incidentKey);
    const summary = await ingestAlerts(ctx, actor, am(firing()));
    expect(summary).toMatchObject({ accepted: 2, deduplicated: 2, declared: [], incidents: [incidentKey] });
    expect(await timeline(incidentKey)).toEqual(before);
    expect((await signals('checkout')).map((s) => Number(s.deliveries))).toEqual([2, 2]);
  });

  it('adds one event for the resolution and leaves the incident open', async () => {
    const before = await timeline(incidentKey);
    const summary = await ingestAlerts(ctx, actor, am(resolved()));
    expect(summary).toMatchObject({ deduplicated: 0, incidents: [incidentKey], declared: [] });
    const after = await timeline(incidentKey);
    expect(after).toHaveLength(before.length + 1);
    const resolution = after.find((e) => e.kind === 'alert' && e.title.includes('resolved'));
    expect(resolution).toMatchObject({ at: '2026-03-14T09:57:30.000Z', count: 2, marker: null });
    const incident = await getIncident(ctx, SYSTEM, incidentKey);
    expect(incident.status).toBe('investigating');
    expect(incident.resolvedAt).toBeNull();
    expect((await signals('checkout')).map((s) => [s.status, s.ends_at])).toEqual([
      ['resolved', '2026-03-14T09:57:30.000Z'],
      ['resolved', '2026-03-14T09:58:01.000Z'],
    ]);
  });

  it('ignores a firing delivered after its own resolution, and a repeated resolution', async () => {
    const before = await timeline(incidentKey);
    const late = await ingestAlerts(ctx, actor, am(firing()));
    const again = await ingestAlerts(ctx, actor, am(resolved()));
    expect(late.deduplicated).toBe(2);
    expect(again.deduplicated).toBe(2);
    expect(await timeline(incidentKey)).toEqual(before);
    expect((await signals('checkout')).map((s) => [s.status, Number(s.deliveries)])).toEqual([
      ['resolved', 5],
      ['resolved', 5],
    ]);
  });

  it('attaches a warning alert to the open incident of its service without declaring', async () => {
    const summary = await ingestAlerts(ctx, actor, parseGrafana(fixtureJson('grafana/firing.json')));
    expect(summary).toMatchObject({ declared: [], incidents: [incidentKey] });
    const grafana = (await timeline(incidentKey)).filter((e) => e.source === 'grafana');
    expect(grafana).toHaveLength(1);
    expect(grafana[0]).toMatchObject({ kind: 'alert', count: 2, at: '2026-03-14T09:14:10.000Z' });
  });

  it('records a warning alert without an incident when its service has none open', async () => {
    const payload = relabel(firing(), 'warn', 'search');
    for (const a of payload.alerts) a.labels.severity = 'warning';
    const summary = await ingestAlerts(ctx, actor, am(payload));
    expect(summary).toMatchObject({ declared: [], incidents: [], deduplicated: 0 });
    expect((await signals('search')).map((s) => [s.status, s.incident_id])).toEqual([
      ['firing', null],
      ['firing', null],
    ]);
  });

  it('handles a resolution delivered before its firing: recorded, never declared, never flipped back', async () => {
    const summary = await ingestAlerts(ctx, actor, am(relabel(resolved(), 'ooo', 'ledger')));
    expect(summary).toMatchObject({ declared: [], incidents: [] });
    const late = await ingestAlerts(ctx, actor, am(relabel(firing(), 'ooo', 'ledger')));
    expect(late).toMatchObject({ declared: [], deduplicated: 2 });
    expect((await signals('ledger')).map((s) => [s.status, s.incident_id])).toEqual([
      ['resolved', null],
      ['resolved', null],
    ]);
  });

  it('keeps the newer episode when an older resolution arrives after a re-fire', async () => {
    const first = relabel(firing(), 'refire', 'billing');
    const declared = await ingestAlerts(ctx, actor, am(first));
    const key = declared.declared[0] ?? '';
    expect(key).not.toBe('');
    const refire = relabel(firing(), 'refire', 'billing');
    for (const a of refire.alerts) a.startsAt = '2026-03-14T10:30:00.000Z';
    const again = await ingestAlerts(ctx, actor, am(refire));
    expect(again).toMatchObject({ declared: [], incidents: [key] });
    const before = await timeline(key);
    expect(before.filter((e) => e.kind === 'alert').map((e) => e.count)).toEqual([4]);
    const stale = await ingestAlerts(ctx, actor, am(relabel(resolved(), 'refire', 'billing')));
    expect(stale.deduplicated).toBe(2);
    expect(await timeline(key)).toEqual(before);
    expect((await signals('billing')).map((s) => [s.status, s.starts_at])).toEqual([
      ['firing', '2026-03-14T10:30:00.000Z'],
      ['firing', '2026-03-14T10:30:00.000Z'],
    ]);
  });

  it('takes firing and resolved of one alert in a single delivery in order', async () => {
    const both = relabel(firing(), 'both', 'storage');
    const done = relabel(resolved(), 'both', 'storage');
    const summary = await ingestAlerts(ctx, actor, [...am(both), ...am(done)]);
    const key = summary.declared[0] ?? '';
    const alerts = (await timeline(key)).filter((e) => e.kind === 'alert');
    expect(alerts.map((e) => [e.title, e.count])).toEqual([
      ['CheckoutHighErrorRate firing (2 alerts)', 2],
      ['CheckoutHighErrorRate resolved (2 alerts)', 2],
    ]);
    expect((await signals('storage')).every((s) => s.incident_id !== null && s.status === 'resolved')).toBe(true);
  });

  it('applies routing rules: ignore, declare a warning at SEV1', async () => {
    const canary = relabel(firing(), 'canary', 'payments');
    for (const a of canary.alerts) a.labels.alertname = 'CanaryDown';
    const ignored = await ingestAlerts(ctx, actor, am(canary));
    expect(ignored).toMatchObject({ ignored: 2, declared: [], incidents: [] });
    const warning = relabel(firing(), 'sev1', 'payments');
    for (const a of warning.alerts) Object.assign(a.labels, { severity: 'warning', team: 'payments' });
    const declared = await ingestAlerts(ctx, actor, am(warning));
    expect(declared.declared).toHaveLength(1);
    const incident = await getIncident(ctx, SYSTEM, declared.declared[0] ?? '');
    expect(incident).toMatchObject({ severity: 'SEV1', services: ['payments'] });
    expect(incident.summary).toContain('routing rule "payments warnings page"');
  });

  it('lets a database rule route after the settings rules', async () => {
    await createRoutingRule(ctx, SYSTEM, {
      name: 'search critical is ignored',
      match: { service: ['search'], severity: ['critical'] },
      action: 'ignore',
    });
    const summary = await ingestAlerts(ctx, actor, am(relabel(firing(), 'dbrule', 'search')));
    expect(summary).toMatchObject({ ignored: 2, declared: [] });
  });

  it('suppresses declaration inside a maintenance window, recording the window on the signal', async () => {
    const window = await createMaintenanceWindow(ctx, SYSTEM, {
      labels: { cluster: '/eu-.*|us-.*/' },
      startsAt: '2026-03-14T09:00:00Z',
      endsAt: '2026-03-14T10:00:00Z',
      reason: 'database upgrade',
    });
    const summary = await ingestAlerts(ctx, actor, am(relabel(firing(), 'maint', 'unlisted-service')));
    expect(summary).toMatchObject({ declared: [], incidents: [], suppressed: 2 });
    expect((await signals('unlisted-service')).map((s) => s.suppressed_by)).toEqual([window.id, window.id]);
  });

  it('declares from a triggered PagerDuty page, acknowledges it, and records the resolution only', async () => {
    const ctxNoRules = createAppContext(db.database);
    const triggered = await ingestAlerts(
      ctxNoRules,
      PAGERDUTY_PRINCIPAL,
      parsePagerDuty(fixtureJson('pagerduty/incident-triggered.json')),
    );
    expect(triggered.declared).toHaveLength(1);
    const key = triggered.declared[0] ?? '';
    const declared = await getIncident(ctx, SYSTEM, key);
    expect(declared).toMatchObject({
      services: [],
      title: '[FIRING:2] CheckoutHighErrorRate (critical)',
      detectedAt: '2026-03-14T09:13:40.412Z',
      declaredBy: 'system:pagerduty',
    });
    expect(declared.summary).toContain('"Checkout API" is not in the catalog');
    const ack = parsePagerDuty(fixtureJson('pagerduty/incident-acknowledged.json'));
    expect(await ingestAlerts(ctxNoRules, PAGERDUTY_PRINCIPAL, ack)).toMatchObject({ incidents: [key] });
    const retried = await ingestAlerts(ctxNoRules, PAGERDUTY_PRINCIPAL, ack);
    expect(retried.deduplicated).toBe(1);
    await ingestAlerts(
      ctxNoRules,
      PAGERDUTY_PRINCIPAL,
      parsePagerDuty(fixtureJson('pagerduty/incident-resolved.json')),
    );
    const incident = await getIncident(ctx, SYSTEM, key, { timeline: true });
    expect(incident).toMatchObject({ status: 'investigating', acknowledgedAt: '2026-03-14T09:16:02.118Z' });
    expect(incident.durations.timeToAcknowledgeSeconds).toBe(141);
    const pages = incident.timeline?.filter((e) => e.kind === 'page') ?? [];
    expect(pages.map((e) => [e.at, e.marker])).toEqual([
      ['2026-03-14T09:13:40.412Z', 'detected'],
      ['2026-03-14T09:16:02.118Z', 'acknowledged'],
      ['2026-03-14T10:02:45.901Z', null],
    ]);
  });

  it('attaches a PagerDuty page to the open incident of the service a rule routes it to', async () => {
    const open = await declareIncident(ctx, SYSTEM, {
      title: 'Checkout degraded',
      severity: 'SEV3',
      services: ['checkout'],
    });
    const page = fixtureJson<{ event: { id: string; data: { id: string } } }>('pagerduty/incident-triggered.json');
    page.event.id = 'another-event';
    page.event.data.id = 'ANOTHERPDINCIDENT';
    const summary = await ingestAlerts(ctx, PAGERDUTY_PRINCIPAL, parsePagerDuty(page));
    expect(summary.declared).toEqual([]);
    expect(summary.incidents).toHaveLength(1);
    expect([open.key, incidentKey]).toContain(summary.incidents[0]);
  });

  it('lists signals, hiding the key of incidents the reader cannot see, and measures alerts per incident', async () => {
    const privateIncident = await declareIncident(ctx, SYSTEM, {
      title: 'Private',
      severity: 'SEV3',
      visibility: 'private',
      services: ['search'],
    });
    const { token } = await createApiToken(ctx, SYSTEM, { name: 'reader', role: 'viewer' });
    const reader = (await authenticateToken(ctx, token)) as Principal;
    const payload = relabel(firing(), 'private', 'search');
    for (const a of payload.alerts) Object.assign(a.labels, { severity: 'warning', alertname: 'SearchSlow' });
    const summary = await ingestAlerts(ctx, SYSTEM, am(payload));
    expect(summary.incidents).toEqual([privateIncident.key]);
    const asAdmin = await listAlerts(ctx, SYSTEM, { incident: privateIncident.key });
    expect(asAdmin.items.map((s) => s.incident)).toEqual([privateIncident.key, privateIncident.key]);
    const asReader = await listAlerts(ctx, reader, { service: 'search', status: ['firing'], limit: 200 });
    expect(asReader.items.some((s) => s.incident === privateIncident.key)).toBe(false);
    expect(asReader.items.filter((s) => s.title.startsWith('SearchSlow'))).toHaveLength(2);
    const page = await listAlerts(ctx, reader, { limit: 3 });
    expect(page.items).toHaveLength(3);
    const next = await listAlerts(ctx, reader, { limit: 3, cursor: page.nextCursor ?? '' });
    expect((next.items[0]?.id ?? '') < (page.items[2]?.id ?? '')).toBe(true);

    const stats = await alertStats(ctx, reader, { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' });
    const all = await db.database.db.selectFrom('signals').select(['incident_id', 'source']).execute();
    const incidents = new Set(all.map((s) => s.incident_id).filter((id) => id !== null)).size;
    expect(stats).toMatchObject({ signals: all.length, incidents });
    expect(stats.ratio).toBeCloseTo(all.length / incidents, 2);
    expect(Object.keys(stats.bySource).sort()).toEqual(['alertmanager', 'grafana', 'pagerduty']);
    expect(stats.bySource.grafana).toMatchObject({ signals: 2, incidents: 1, ratio: 2 });
    expect(stats.suppressed).toBe(2);
  });
});
