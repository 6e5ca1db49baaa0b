import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import type { Principal } from '../domain/types.js';
import { createService } from './catalog.js';
import { recordChange } from './changes.js';
import { createAppContext, read, type AppContext } from './context.js';
import { changeIncidentStatus, declareIncident } from './incidents.js';
import { captureMetricEvidence, type PrometheusClient } from './metrics-capture.js';
import { refreshPostmortemCharts } from './postmortem-draft.js';
import { createTemplate, getPostmortem, requestReview, savePostmortemBody } from './postmortems.js';
import { parseSettings } from './settings.js';

const SYSTEM: Principal = { kind: 'system', name: 'test', role: 'admin' };
const RESPONDER: Principal = { kind: 'token', id: 't-1', name: 'pager', role: 'responder' };
const EVIDENCE: Principal = { kind: 'system', name: 'evidence', role: 'admin' };

/** A Prometheus double answering every query with one flat series. */
const prometheus: PrometheusClient = {
  url: 'http://prometheus.test',
  queryRange: (q) =>
    Promise.resolve({
      result: [{ metric: { __name__: 'ratio' }, values: [[Math.floor(q.start.getTime() / 1000), '0.25']] }],
      warnings: [],
    }),
};

describeEachDialect('postmortem drafts', (db) => {
  let clock = Date.parse('2026-05-04T10:00:00Z');
  let ctx: AppContext;
  const at = (minutes: number) => new Date(Date.parse('2026-05-04T10:00:00Z') + minutes * 60_000).toISOString();

  beforeAll(async () => {
    ctx = createAppContext(db.database, {
      now: () => new Date(clock),
      settings: parseSettings({
        prometheus: { queries: { checkout: [{ name: 'error ratio', query: 'sum(rate(errors[5m]))' }] } },
      }),
    });
    await createService(ctx, SYSTEM, {
      name: 'checkout',
      owners: ['ana@example.com'],
      runbookUrl: 'https://runbooks.example.com/checkout',
    });
  });

  async function declare(payload: Record<string, unknown> = {}) {
    return declareIncident(ctx, RESPONDER, {
      title: 'Checkout errors',
      severity: 'SEV2',
      services: ['checkout'],
      impactStartedAt: at(0),
      detectedAt: at(3),
      ...payload,
    });
  }

  it('names the suspect change and the captured charts in the draft, then keeps the chart block current', async () => {
    await recordChange(ctx, SYSTEM, { service: 'checkout', version: 'v2.3.1', at: at(-6), author: 'ci-bot' });
    clock = Date.parse(at(5));
    const incident = await declare();
    await captureMetricEvidence(ctx, EVIDENCE, {
      incident: { key: incident.key },
      phase: 'declare',
      client: prometheus,
    });
    clock = Date.parse(at(40));
    await changeIncidentStatus(ctx, RESPONDER, incident.key, { status: 'resolved' });

    const draft = (await getPostmortem(ctx, RESPONDER, incident.key)).postmortem;
    expect(draft.body).toContain('deploy checkout v2.3.1');
    expect(draft.body).toContain('https://runbooks.example.com/checkout');
    const declareChart = /!\[error ratio \(checkout\)\]\(\/api\/v1\/artifacts\/([0-9a-f]+)\/chart\.svg\)/.exec(
      draft.body,
    );
    expect(declareChart).not.toBeNull();

    clock = Date.parse(at(41));
    await captureMetricEvidence(ctx, EVIDENCE, {
      incident: { key: incident.key },
      phase: 'resolve',
      client: prometheus,
    });
    expect(await refreshPostmortemCharts(ctx, EVIDENCE, incident.id)).toBe(true);
    const refreshed = (await getPostmortem(ctx, RESPONDER, incident.key)).postmortem;
    const charts = [...refreshed.body.matchAll(/!\[error ratio \(checkout\)\]\(\/api\/v1\/artifacts\/([0-9a-f]+)\//g)];
    // One chart per query: the resolve-time snapshot, which spans the whole incident, replaces the earlier one.
    expect(charts).toHaveLength(1);
    expect(charts[0]?.[1]).not.toBe(declareChart?.[1]);
    expect(refreshed.version).toBe(draft.version + 1);
    expect(await refreshPostmortemCharts(ctx, EVIDENCE, incident.id)).toBe(false);

    const audit = await read(ctx).audit.list({ entityType: 'postmortem', entityId: incident.key }, 10);
    expect(audit.items.map((e) => e.action)).toEqual(['postmortem.charts', 'postmortem.draft']);
  });

  it('leaves the text alone once the postmortem has left draft', async () => {
    const incident = await declare();
    await changeIncidentStatus(ctx, RESPONDER, incident.key, { status: 'resolved' });
    const before = (await getPostmortem(ctx, RESPONDER, incident.key)).postmortem;
    const saved = await savePostmortemBody(ctx, RESPONDER, incident.key, {
      body: '# Written\n\n## Summary\n\nText.\n',
      version: before.version,
    });
    await requestReview(ctx, RESPONDER, incident.key, { version: saved.version });
    await captureMetricEvidence(ctx, EVIDENCE, {
      incident: { key: incident.key },
      phase: 'resolve',
      client: prometheus,
    });
    expect(await refreshPostmortemCharts(ctx, EVIDENCE, incident.id)).toBe(false);
    expect((await getPostmortem(ctx, RESPONDER, incident.key)).postmortem.body).toBe(
      '# Written\n\n## Summary\n\nText.\n',
    );
  });

  it('composes with the most specific template for the incident', async () => {
    const security = await createTemplate(ctx, SYSTEM, {
      name: 'Security incident',
      types: ['security'],
      sections: [
        { title: 'Summary', prompt: 'What happened.' },
        { title: 'Exposure', prompt: 'What data was exposed, to whom, for how long.' },
      ],
    });
    const incident = await declare({ type: 'security' });
    await changeIncidentStatus(ctx, RESPONDER, incident.key, { status: 'resolved' });
    const detail = await getPostmortem(ctx, RESPONDER, incident.key);
    expect(detail.postmortem.template).toEqual({ id: security.id, name: 'Security incident' });
    expect(detail.sections.map((s) => s.id)).toEqual(['summary', 'exposure']);
    expect(detail.postmortem.body).toContain('What data was exposed');

    const standard = await declare();
    await changeIncidentStatus(ctx, RESPONDER, standard.key, { status: 'resolved' });
    expect((await getPostmortem(ctx, RESPONDER, standard.key)).postmortem.template.id).toBe('default');
  });

  it('creates nothing when a resolve rolls back', async () => {
    const incident = await declare();
    await expect(
      changeIncidentStatus(ctx, RESPONDER, incident.key, { status: 'resolved', at: at(-30) }),
    ).rejects.toMatchObject({ code: 'DEBRIEF_ERR_LIFECYCLE_ORDER' });
    expect(await read(ctx).postmortems.findByIncident(incident.id)).toBeNull();
  });
});
