import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';
import { read } from '../../app/context.js';
import { fixtureText } from '../../ingest/fixtures/load.js';
import { OTLP_BODY_LIMIT_BYTES } from './otlp.js';

/** Shortly after the upstream examples' time (2018-12-13 14:51 UTC), so their records are inside the retention. */
const NOW = new Date('2018-12-13T15:00:00.000Z');

interface Problem {
  status: number;
  code: string;
  detail: string;
  errors: { field: string; message: string }[];
}

describeEachDialect('OTLP/HTTP receivers', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database, { now: () => NOW });
  });
  afterAll(async () => {
    await api.close();
  });

  const post = (
    role: Parameters<TestApi['call']>[0],
    url: string,
    payload: string | Buffer,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => api.call(role, { method: 'POST', url, payload, headers });

  const stored = () =>
    read(api.ctx).telemetry.list({
      services: ['my.service'],
      from: '2018-12-13T00:00:00.000Z',
      to: '2018-12-14T00:00:00.000Z',
    });

  it('accepts the upstream example logs and traces and answers with an empty partialSuccess', async () => {
    const logs = await post('responder', '/v1/logs', fixtureText('otlp/logs.json'));
    expect(logs.statusCode).toBe(200);
    expect(logs.headers['content-type']).toMatch(/^application\/json/);
    expect(logs.json()).toEqual({ partialSuccess: {} });
    const traces = await post('responder', '/v1/traces', fixtureText('otlp/trace.json'));
    expect(traces.statusCode).toBe(200);
    expect(traces.json()).toEqual({ partialSuccess: {} });
    expect((await stored()).map((r) => [r.kind, r.body])).toEqual([
      ['trace', "I'm a server span"],
      ['log', 'Example log record'],
    ]);
  });

  it('inflates gzip bodies, the OpenTelemetry Collector default', async () => {
    const before = (await stored()).length;
    const res = await post('responder', '/v1/logs', gzipSync(fixtureText('otlp/logs.json')), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(res.statusCode).toBe(200);
    expect(await stored()).toHaveLength(before + 1);
  });

  it('counts records older than the retention in partialSuccess', async () => {
    const old = fixtureText('otlp/logs.json').replaceAll('1544712660300000000', '1544600000000000000');
    const res = await post('responder', '/v1/logs', old);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: '1 log record was older than the 120-minute retention and dropped',
      },
    });
  });

  it('answers 401 without a valid token and 403 to a viewer, storing nothing', async () => {
    const before = (await stored()).length;
    const anonymous = await post(null, '/v1/logs', fixtureText('otlp/logs.json'));
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(anonymous.json<Problem>().code).toBe('DEBRIEF_ERR_UNAUTHENTICATED');
    const forged = await api.app.inject({
      method: 'POST',
      url: '/v1/traces',
      payload: fixtureText('otlp/trace.json'),
      headers: { 'content-type': 'application/json', authorization: 'Bearer dbf_not-a-real-token' },
    });
    expect(forged.statusCode).toBe(401);
    const viewer = await post('viewer', '/v1/logs', fixtureText('otlp/logs.json'));
    expect(viewer.statusCode).toBe(403);
    expect(await stored()).toHaveLength(before);
  });

  it('refuses protobuf with 415 saying JSON only', async () => {
    const res = await post('responder', '/v1/logs', Buffer.from([0x0a, 0x02, 0x08, 0x01]), {
      'content-type': 'application/x-protobuf',
    });
    expect(res.statusCode).toBe(415);
    const body = res.json<Problem>();
    expect(body.code).toBe('DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE');
    expect(body.detail).toMatch(/JSON only.*encoding: json/);
  });

  it('answers 400 naming the malformed field, and for a body that is not JSON', async () => {
    const bad = fixtureText('otlp/trace.json').replace('"EEE19B7EC3C1B174"', '"not-hex"');
    const res = await post('responder', '/v1/traces', bad);
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors[0]?.field).toBe('resourceSpans[0].scopeSpans[0].spans[0].spanId');
    const notJson = await post('responder', '/v1/logs', '{"resourceLogs": [');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json<Problem>().errors[0]?.field).toBe('(body)');
    const farFuture = fixtureText('otlp/logs.json').replaceAll('1544712660300000000', '99999999999999999999999');
    const outOfRange = await post('responder', '/v1/logs', farFuture);
    expect(outOfRange.statusCode).toBe(400);
    expect(outOfRange.json<Problem>().detail).toMatch(/outside the range of dates/);
    const wrongShape = await post('responder', '/v1/logs', '{"resourceMetrics": []}');
    expect(wrongShape.statusCode).toBe(400);
    expect(wrongShape.json<Problem>().errors[0]?.field).toBe('resourceLogs');
  });

  it('takes bodies above the API limit but answers 413 beyond its own', async () => {
    const record = (i: number) =>
      `{"timeUnixNano":"1544712660300000000","body":{"stringValue":"padding line ${i} ${'x'.repeat(900)}"}}`;
    const exportOf = (n: number) =>
      `{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"big"}}]},` +
      `"scopeLogs":[{"logRecords":[${Array.from({ length: n }, (_, i) => record(i)).join(',')}]}]}]}`;
    const twoMiB = exportOf(2_000);
    expect(twoMiB.length).toBeGreaterThan(1024 * 1024);
    const accepted = await post('responder', '/v1/logs', twoMiB);
    expect(accepted.statusCode).toBe(200);
    expect(await read(api.ctx).telemetry.count('big')).toBe(2_000);

    const tooBig = exportOf(Math.ceil(OTLP_BODY_LIMIT_BYTES / 950) + 10);
    const refused = await post('responder', '/v1/logs', tooBig);
    expect(refused.statusCode).toBe(413);
    expect(refused.json<Problem>().code).toBe('DEBRIEF_ERR_PAYLOAD_TOO_LARGE');
    expect(await read(api.ctx).telemetry.count('big')).toBe(2_000);
  });

  it('keeps the API routes under the usual limit', async () => {
    const res = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'x'.repeat(2 * 1024 * 1024), severity: 'SEV3' },
    });
    expect(res.statusCode).toBe(413);
  });
});
