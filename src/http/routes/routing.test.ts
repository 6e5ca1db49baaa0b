import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';
import { fixtureJson } from '../../ingest/fixtures/load.js';

interface Rule {
  id: string;
  origin: string;
  name: string;
  position: number;
  action: string;
  severity: string | null;
  enabled: boolean;
  version: number | null;
}

interface Window {
  id: string;
  service: string | null;
  labels: Record<string, string>;
  active: boolean;
}

const RULES = '/api/v1/routing-rules';
const WINDOWS = '/api/v1/maintenance-windows';

describeEachDialect('routing rules and maintenance windows API', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
    api.ctx.settings = {
      ...api.ctx.settings,
      routing: {
        defaultSeverity: 'SEV3',
        rules: [{ name: 'from the file', match: { severity: ['info'] }, action: 'ignore' }],
      },
    };
  });
  afterAll(async () => {
    await api.close();
  });

  const audit = async (entityId: string) =>
    (await api.call('admin', { method: 'GET', url: `/api/v1/audit?entityType=routing_rule&entityId=${entityId}` }))
      .json<{ items: { action: string }[] }>()
      .items.map((e) => e.action)
      .sort();

  let rule: Rule;

  it('creates a rule (reviewer), audits it, and lists it after the settings-file rules', async () => {
    const res = await api.call('reviewer', {
      method: 'POST',
      url: RULES,
      payload: {
        name: 'payments warnings page',
        match: { labels: { team: 'payments', alertname: '/Payment.*/' }, severity: ['warning'] },
        action: 'declare',
        severity: 'SEV1',
      },
    });
    expect(res.statusCode).toBe(201);
    rule = res.json<Rule>();
    expect(rule).toMatchObject({ origin: 'api', position: 0, enabled: true, version: 1, severity: 'SEV1' });
    const second = await api.call('admin', {
      method: 'POST',
      url: RULES,
      payload: { name: 'edge noise', match: { source: ['grafana'] }, action: 'ignore' },
    });
    expect(second.json<Rule>().position).toBe(1);
    const list = await api.call('viewer', { method: 'GET', url: RULES });
    expect(list.statusCode).toBe(200);
    const body = list.json<{ items: Rule[]; defaultSeverity: string }>();
    expect(body.defaultSeverity).toBe('SEV3');
    expect(body.items.map((r) => [r.origin, r.name])).toEqual([
      ['settings', 'from the file'],
      ['api', 'payments warnings page'],
      ['api', 'edge noise'],
    ]);
    expect(await audit(rule.id)).toEqual(['routing_rule.create']);
  });

  it('refuses responders (403), bad input naming the field (400) and duplicate names (409)', async () => {
    const responder = await api.call('responder', {
      method: 'POST',
      url: RULES,
      payload: { name: 'x', action: 'ignore' },
    });
    expect(responder.statusCode).toBe(403);
    const regex = await api.call('reviewer', {
      method: 'POST',
      url: RULES,
      payload: { name: 'bad regex', match: { labels: { team: '/pay(/' } }, action: 'ignore' },
    });
    expect(regex.statusCode).toBe(400);
    expect(regex.json()).toMatchObject({ errors: [{ field: 'match.labels.team' }] });
    const action = await api.call('reviewer', { method: 'POST', url: RULES, payload: { name: 'y', action: 'page' } });
    expect(action.json()).toMatchObject({
      errors: [{ field: 'action', message: 'must be one of declare, attach, ignore' }],
    });
    const severity = await api.call('reviewer', {
      method: 'POST',
      url: RULES,
      payload: { name: 'z', action: 'declare', severity: 'P1' },
    });
    expect(severity.json()).toMatchObject({ errors: [{ field: 'severity' }] });
    const unknown = await api.call('reviewer', {
      method: 'POST',
      url: RULES,
      payload: { name: 'z', action: 'declare', match: { team: 'payments' } },
    });
    expect(unknown.json()).toMatchObject({ errors: [{ field: 'match.team' }] });
    const duplicate = await api.call('reviewer', {
      method: 'POST',
      url: RULES,
      payload: { name: 'payments warnings page', action: 'ignore' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'DEBRIEF_ERR_ALREADY_EXISTS', errors: [{ field: 'name' }] });
  });

  it('updates with the current version and refuses a stale one with 409', async () => {
    const res = await api.call('reviewer', {
      method: 'PATCH',
      url: `${RULES}/${rule.id}`,
      payload: { version: 1, enabled: false, position: 5 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Rule>()).toMatchObject({ enabled: false, position: 5, version: 2 });
    const stale = await api.call('reviewer', {
      method: 'PATCH',
      url: `${RULES}/${rule.id}`,
      payload: { version: 1, enabled: true },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'DEBRIEF_ERR_VERSION_CONFLICT', errors: [{ field: 'version' }] });
    const settingsRule = await api.call('reviewer', {
      method: 'PATCH',
      url: `${RULES}/settings:0`,
      payload: { version: 1, enabled: false },
    });
    expect(settingsRule.statusCode).toBe(400);
    const missing = await api.call('reviewer', { method: 'PATCH', url: `${RULES}/nope`, payload: { version: 1 } });
    expect(missing.statusCode).toBe(404);
    expect(await audit(rule.id)).toEqual(['routing_rule.create', 'routing_rule.update']);
  });

  it('deletes a rule (reviewer), and routes alerts by the rules that remain', async () => {
    const del = await api.call('reviewer', { method: 'DELETE', url: `${RULES}/${rule.id}` });
    expect(del.statusCode).toBe(200);
    expect((await api.call('reviewer', { method: 'DELETE', url: `${RULES}/${rule.id}` })).statusCode).toBe(404);
    expect(await audit(rule.id)).toEqual(['routing_rule.create', 'routing_rule.delete', 'routing_rule.update']);
    const grafana = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/webhooks/grafana',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(fixtureJson('grafana/firing.json')),
    });
    expect(grafana.json()).toMatchObject({ ignored: 2, incidents: [] });
  });

  it('declares a critical alert at the SEV1 an API rule gives, after the rules before it', async () => {
    await api.call('reviewer', {
      method: 'POST',
      url: RULES,
      payload: { name: 'checkout is SEV1', match: { service: ['checkout'] }, action: 'declare', severity: 'SEV1' },
    });
    const res = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/webhooks/alertmanager',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(fixtureJson('alertmanager/firing.json')),
    });
    const key = res.json<{ declared: string[] }>().declared[0] ?? '';
    const incident = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}` });
    expect(incident.json()).toMatchObject({ severity: 'SEV1', services: ['checkout'] });
  });

  it('schedules, lists and deletes maintenance windows', async () => {
    const now = Date.now();
    const create = (payload: Record<string, unknown>) =>
      api.call('reviewer', { method: 'POST', url: WINDOWS, payload });
    const current = await create({
      service: 'payments',
      startsAt: new Date(now - 3_600_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      reason: 'database upgrade',
    });
    expect(current.statusCode).toBe(201);
    expect(current.json<Window>()).toMatchObject({ service: 'payments', labels: {}, active: true });
    const past = await create({
      labels: { cluster: '/eu-.*/' },
      startsAt: new Date(now - 7_200_000).toISOString(),
      endsAt: new Date(now - 3_600_000).toISOString(),
    });
    expect(past.json<Window>().active).toBe(false);
    const list = (await api.call('viewer', { method: 'GET', url: WINDOWS })).json<{ items: Window[] }>().items;
    expect(list.map((w) => w.id)).toEqual([current.json<Window>().id]);
    const all = (await api.call('viewer', { method: 'GET', url: `${WINDOWS}?past=true` })).json<{ items: Window[] }>();
    expect(all.items).toHaveLength(2);
    const del = await api.call('reviewer', { method: 'DELETE', url: `${WINDOWS}/${past.json<Window>().id}` });
    expect(del.statusCode).toBe(200);
    const audits = (
      await api.call('admin', {
        method: 'GET',
        url: `/api/v1/audit?entityType=maintenance_window&entityId=${past.json<Window>().id}`,
      })
    ).json<{ items: { action: string }[] }>().items;
    expect(audits.map((a) => a.action).sort()).toEqual(['maintenance_window.create', 'maintenance_window.delete']);
  });

  it('refuses windows that end before they start, mute everything, or come from a responder', async () => {
    const at = '2026-11-20T10:00:00Z';
    const backwards = await api.call('reviewer', {
      method: 'POST',
      url: WINDOWS,
      payload: { service: 'payments', startsAt: at, endsAt: '2026-11-20T09:00:00Z' },
    });
    expect(backwards.json()).toMatchObject({ status: 400, errors: [{ field: 'endsAt' }] });
    const everything = await api.call('reviewer', {
      method: 'POST',
      url: WINDOWS,
      payload: { startsAt: at, endsAt: '2026-11-20T11:00:00Z' },
    });
    expect(everything.json()).toMatchObject({ status: 400, errors: [{ field: 'service' }] });
    const noZone = await api.call('reviewer', {
      method: 'POST',
      url: WINDOWS,
      payload: { service: 'payments', startsAt: '2026-11-20T10:00:00', endsAt: '2026-11-20T11:00:00Z' },
    });
    expect(noZone.json()).toMatchObject({ status: 400, errors: [{ field: 'startsAt' }] });
    const regex = await api.call('reviewer', {
      method: 'POST',
      url: WINDOWS,
      payload: { labels: { env: '/[/' }, startsAt: at, endsAt: '2026-11-20T11:00:00Z' },
    });
    expect(regex.json()).toMatchObject({ status: 400, errors: [{ field: 'labels.env' }] });
    const responder = await api.call('responder', {
      method: 'POST',
      url: WINDOWS,
      payload: { service: 'payments', startsAt: at, endsAt: '2026-11-20T11:00:00Z' },
    });
    expect(responder.statusCode).toBe(403);
    expect((await api.call('reviewer', { method: 'DELETE', url: `${WINDOWS}/nope` })).statusCode).toBe(404);
  });
});
