import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';
import type { LogEvidence, LogUploadResult } from '../../app/evidence.js';
import { EVIDENCE_BODY_LIMIT_BYTES } from './evidence.js';

const MINUTE = 60_000;

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: { field: string; message: string }[];
}

interface Event {
  id: string;
  kind: string;
  source: string;
  title: string;
  artifactId: string | null;
}

describeEachDialect('evidence API', (db) => {
  let api: TestApi;
  let key = '';
  const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    api = await createTestApi(db.database, { now: () => new Date(NOW) });
    const res = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: 'Checkout errors',
        severity: 'SEV2',
        services: ['checkout'],
        impactStartedAt: iso(NOW - 30 * MINUTE),
      },
    });
    key = res.json<{ key: string }>().key;
    // Baseline: healthy requests; incident window: the same plus a new error.
    const records = [
      ...Array.from({ length: 40 }, (_, i) => ({ at: NOW - 85 * MINUTE + i * MINUTE, body: `GET /cart/${i} 200` })),
      ...Array.from({ length: 12 }, (_, i) => ({
        at: NOW - 20 * MINUTE + i * MINUTE,
        body: `upstream payments timed out after ${i + 1}s`,
        severityNumber: 17,
      })),
    ];
    const otlp = await api.call('responder', {
      method: 'POST',
      url: '/v1/logs',
      payload: {
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
            scopeLogs: [
              {
                logRecords: records.map((r) => ({
                  timeUnixNano: `${r.at}000000`,
                  body: { stringValue: r.body },
                  ...('severityNumber' in r ? { severityNumber: r.severityNumber } : {}),
                })),
              },
            ],
          },
        ],
      },
    });
    expect(otlp.statusCode).toBe(200);
  });
  afterAll(async () => {
    await api.close();
  });

  it('shows the log templates of the incident window to a viewer', async () => {
    const res = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/logs` });
    expect(res.statusCode).toBe(200);
    const evidence = res.json<LogEvidence>();
    expect(evidence).toMatchObject({ incident: key, source: 'buffer', services: ['checkout'], summary: { new: 1 } });
    expect(evidence.findings[0]).toMatchObject({
      status: 'new',
      template: 'upstream payments timed out after <DUR>',
      severity: 'error',
      incidentCount: 12,
    });
  });

  it('answers 404 for an unknown incident and 401 without a token', async () => {
    expect((await api.call('viewer', { method: 'GET', url: '/api/v1/incidents/INC-999/logs' })).statusCode).toBe(404);
    expect((await api.call(null, { method: 'GET', url: `/api/v1/incidents/${key}/evidence` })).statusCode).toBe(401);
  });

  it('snapshots the log evidence onto the timeline (responders only)', async () => {
    const viewer = await api.call('viewer', { method: 'POST', url: `/api/v1/incidents/${key}/logs/snapshot` });
    expect(viewer.statusCode).toBe(403);
    const res = await api.call('responder', { method: 'POST', url: `/api/v1/incidents/${key}/logs/snapshot` });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ event: Event; artifact: { id: string; mediaType: string }; created: boolean }>();
    expect(body.event).toMatchObject({ kind: 'log', title: 'Log templates: 1 new, 0 spiking' });
    expect(body.event.artifactId).toBe(body.artifact.id);
    expect(body.artifact.mediaType).toBe('application/json');
    const again = await api.call('responder', { method: 'POST', url: `/api/v1/incidents/${key}/logs/snapshot` });
    expect(again.statusCode).toBe(200);
  });

  it('stores an uploaded log file as an artifact with a timeline event, once', async () => {
    const lines = [
      JSON.stringify({ level: 'info', time: NOW - 80 * MINUTE, msg: 'worker ready' }),
      ...Array.from({ length: 5 }, (_, i) =>
        JSON.stringify({ level: 'error', time: NOW - 10 * MINUTE + i * 1000, msg: `card ${1000 + i} declined` }),
      ),
    ].join('\n');
    const res = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${key}/logs?name=checkout.ndjson`,
      payload: lines,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.statusCode).toBe(201);
    const result = res.json<LogUploadResult>();
    expect(result.upload).toMatchObject({ mediaType: 'application/x-ndjson', size: Buffer.byteLength(lines) });
    expect(result.evidence.findings[0]).toMatchObject({ template: 'card <NUM> declined', status: 'new' });
    expect(result.event).toMatchObject({ kind: 'log', source: 'upload', artifactId: result.artifact.id });

    const timeline = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/timeline?kind=log` });
    const items = timeline.json<{ items: Event[] }>().items;
    expect(items.map((e) => e.source).sort()).toEqual(['otlp', 'upload']);

    const again = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${key}/logs`,
      payload: lines,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json<LogUploadResult>().event.id).toBe(result.event.id);
  });

  it('refuses uploads that are not text, empty, or too large', async () => {
    const json = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${key}/logs`,
      payload: { msg: 'not a file' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json<Problem>().detail).toMatch(/text\/plain or application\/x-ndjson/);
    const empty = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${key}/logs`,
      payload: '\n\n',
      headers: { 'content-type': 'text/plain' },
    });
    expect(empty.statusCode).toBe(400);
    const huge = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${key}/logs`,
      payload: 'x'.repeat(EVIDENCE_BODY_LIMIT_BYTES + 1),
      headers: { 'content-type': 'text/plain' },
    });
    expect(huge.statusCode).toBe(413);
  });

  it('summarises the evidence: completeness, sources, gaps', async () => {
    const res = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/evidence` });
    expect(res.statusCode).toBe(200);
    const summary = res.json<{
      completeness: { score: number; present: string[]; missing: string[] };
      gaps: unknown[];
      sources: { source: string; kind: string; count: number }[];
    }>();
    expect(summary.completeness).toEqual({
      score: 0.17,
      present: ['logs'],
      missing: ['alerts', 'metrics', 'traces', 'changes', 'chat'],
    });
    expect(summary.sources).toContainEqual(
      expect.objectContaining({ source: 'otlp:checkout', kind: 'log', count: 12 }),
    );
    expect(summary.sources).toContainEqual(expect.objectContaining({ source: 'upload', kind: 'log', count: 1 }));
    expect(Array.isArray(summary.gaps)).toBe(true);
  });

  it('adds events in bulk, idempotently, within the batch limits', async () => {
    const events = Array.from({ length: 1500 }, (_, i) => ({
      kind: 'chat',
      source: 'slack',
      body: `message ${i} ${'.'.repeat(800)}`,
      at: iso(NOW - 25 * MINUTE + i * 100),
      dedupeKey: `slack:C1:${i}`,
    }));
    const url = `/api/v1/incidents/${key}/timeline/batch`;
    const first = await api.call('responder', { method: 'POST', url, payload: { events } });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ created: 1500, existing: 0 });
    const second = await api.call('responder', { method: 'POST', url, payload: { events } });
    expect(second.json()).toEqual({ created: 0, existing: 1500 });

    const tooMany = await api.call('responder', {
      method: 'POST',
      url,
      payload: { events: Array.from({ length: 5001 }, () => ({ kind: 'note', body: 'x' })) },
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<Problem>().errors[0]?.field).toBe('events');
    const badField = await api.call('responder', {
      method: 'POST',
      url,
      payload: { events: [{ kind: 'chat', body: 'x', at: 'noon' }] },
    });
    expect(badField.statusCode).toBe(400);
    expect(badField.json<Problem>().errors[0]?.field).toBe('events[0].at');
    const viewer = await api.call('viewer', { method: 'POST', url, payload: { events: [{ body: 'x' }] } });
    expect(viewer.statusCode).toBe(403);
  });
});
