import { afterAll, beforeAll, expect, it } from 'vitest';
import { putArtifact } from '../../app/artifacts.js';
import { transact } from '../../app/context.js';
import { PROMETHEUS_RANGE_MEDIA_TYPE } from '../../app/metrics-capture.js';
import { addTimelineEventIn } from '../../app/timeline.js';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, SYSTEM, type TestApi } from '../../../test/support/api.js';

interface Problem {
  code: string;
  errors: { field: string; message: string }[];
}

function snapshot(label: string): string {
  const start = Date.parse('2026-03-04T14:00:00Z') / 1000;
  return JSON.stringify({
    format: 'debrief.prometheus-range/v1',
    service: 'checkout',
    name: `latency ${label}`,
    unit: 's',
    phase: 'manual',
    query: 'histogram_quantile(0.99, sum by (le) (rate(http_duration_seconds_bucket[5m])))',
    queryTemplate: 'histogram_quantile(0.99, sum by (le) (rate(http_duration_seconds_bucket[5m])))',
    prometheusUrl: 'http://127.0.0.1:9090',
    capturedAt: '2026-03-04T15:00:00.000Z',
    window: { start: '2026-03-04T14:00:00.000Z', end: '2026-03-04T14:59:00.000Z', stepSeconds: 60 },
    resultType: 'matrix',
    seriesTotal: 1,
    warnings: [],
    result: [{ metric: {}, values: Array.from({ length: 60 }, (_, i) => [start + i * 60, String(0.2 + i / 100)]) }],
  });
}

describeEachDialect('postmortem export API', (db) => {
  let api: TestApi;
  let key = '';
  let privateKey = '';
  let openKey = '';

  /** Stores content as an artifact linked from a metric event of the incident, as evidence capture does. */
  async function linked(incidentKey: string, content: string, mediaType: string): Promise<string> {
    return transact(api.ctx, async (tx) => {
      const meta = await putArtifact(tx, content, mediaType, 'evidence');
      const { event } = await addTimelineEventIn(tx, SYSTEM, incidentKey, {
        kind: 'metric',
        source: 'prometheus',
        title: `snapshot ${meta.id.slice(0, 8)}`,
      });
      await tx.repos.timeline.update({ ...event, artifactId: meta.id });
      return meta.id;
    });
  }

  beforeAll(async () => {
    api = await createTestApi(db.database);
    const declare = async (payload: Record<string, unknown>) =>
      (await api.call('responder', { method: 'POST', url: '/api/v1/incidents', payload })).json<{ key: string }>().key;
    const resolve = (k: string) =>
      api.call('responder', { method: 'POST', url: `/api/v1/incidents/${k}/status`, payload: { status: 'resolved' } });
    key = await declare({ title: 'Checkout latency', severity: 'SEV3', services: ['checkout'] });
    await resolve(key);
    privateKey = await declare({ title: 'Token leak', severity: 'SEV2', type: 'security', visibility: 'private' });
    await resolve(privateKey);
    openKey = await declare({ title: 'Still investigating', severity: 'SEV4' });
  });
  afterAll(async () => {
    await api.close();
  });

  const exportUrl = (k: string, query: string) => `/api/v1/incidents/${k}/postmortem/export?${query}`;

  it('downloads each format with its content type and a file name', async () => {
    const cases = [
      ['md', 'text/markdown; charset=utf-8', `${key}-postmortem.md`],
      ['html', 'text/html; charset=utf-8', `${key}-postmortem.html`],
      ['json', 'application/json; charset=utf-8', `${key}-postmortem.json`],
    ] as const;
    for (const [format, type, name] of cases) {
      const res = await api.call('viewer', { method: 'GET', url: exportUrl(key, `format=${format}`) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${name}"`);
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['content-security-policy']).toContain('sandbox');
    }
    const md = await api.call('viewer', { method: 'GET', url: exportUrl(key, 'format=md&variant=external') });
    expect(md.headers['content-disposition']).toBe(`attachment; filename="${key}-postmortem-external.md"`);
    expect(md.body).toContain(`incident: "${key}"`);
    expect(md.body).toContain('variant: "external"');
    const json = await api.call('viewer', { method: 'GET', url: exportUrl(key, 'format=json') });
    expect(json.json()).toMatchObject({ variant: 'internal', incident: { key }, draft: true });
  });

  it('sends PDF bytes unchanged', async () => {
    const res = await api.call('viewer', { method: 'GET', url: exportUrl(key, 'format=pdf&variant=external') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${key}-postmortem-external.pdf"`);
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
  });

  it('rejects a bad format or variant with a problem naming the field', async () => {
    const cases = [
      ['format=docx', 'format'],
      ['', 'format'],
      ['format=md&variant=public', 'variant'],
      ['format=md&download=1', 'download'],
    ] as const;
    for (const [query, field] of cases) {
      const res = await api.call('viewer', { method: 'GET', url: exportUrl(key, query) });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const problem = res.json<Problem>();
      expect(problem.code).toBe('DEBRIEF_ERR_VALIDATION');
      expect(problem.errors.map((e) => e.field)).toContain(field);
    }
  });

  it('hides a private incident from non-members, and needs a postmortem and a caller', async () => {
    const hidden = await api.call('viewer', { method: 'GET', url: exportUrl(privateKey, 'format=md') });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<Problem>().code).toBe('DEBRIEF_ERR_NOT_FOUND');
    expect((await api.call('admin', { method: 'GET', url: exportUrl(privateKey, 'format=md') })).statusCode).toBe(200);
    const none = await api.call('viewer', { method: 'GET', url: exportUrl(openKey, 'format=md') });
    expect(none.statusCode).toBe(404);
    expect((await api.call(null, { method: 'GET', url: exportUrl(key, 'format=md') })).statusCode).toBe(401);
  });

  it('draws a metric snapshot as an immutable SVG chart', async () => {
    const id = await linked(key, snapshot('p99'), PROMETHEUS_RANGE_MEDIA_TYPE);
    const res = await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${id}/chart.svg` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    expect(res.body.startsWith('<svg')).toBe(true);
    expect(res.body).toContain('latency p99 (checkout)');
    const etag = String(res.headers.etag);
    const cached = await api.call('viewer', {
      method: 'GET',
      url: `/api/v1/artifacts/${id}/chart.svg`,
      headers: { 'if-none-match': etag },
    });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
  });

  it('refuses a chart of an artifact that is not a metric snapshot, of a hidden one, and of a bad id', async () => {
    const log = await linked(key, '{"lines":["GET /checkout 500"]}', 'application/json');
    const wrong = await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${log}/chart.svg` });
    expect(wrong.statusCode).toBe(415);
    expect(wrong.json<Problem>()).toMatchObject({
      code: 'DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE',
      errors: [{ field: 'id' }],
    });
    const secret = await linked(privateKey, snapshot('private'), PROMETHEUS_RANGE_MEDIA_TYPE);
    expect((await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${secret}/chart.svg` })).statusCode).toBe(
      404,
    );
    expect((await api.call('admin', { method: 'GET', url: `/api/v1/artifacts/${secret}/chart.svg` })).statusCode).toBe(
      200,
    );
    const bad = await api.call('viewer', { method: 'GET', url: '/api/v1/artifacts/not-a-hash/chart.svg' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors[0]?.field).toBe('id');
  });
});
