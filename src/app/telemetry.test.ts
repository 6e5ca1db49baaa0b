import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import { DebriefError } from '../domain/errors.js';
import { fixtureJson } from '../ingest/fixtures/load.js';
import { createAppContext, read } from './context.js';
import { DEFAULT_SETTINGS, type Settings } from './settings.js';
import { ingestOtlpLogs, ingestOtlpTraces, pruneTelemetry, UNKNOWN_SERVICE } from './telemetry.js';

const MINUTE = 60_000;
/** The upstream OTLP examples are dated 2018-12-13 14:51:00 UTC. */
const FIXTURE_TIME = Date.parse('2018-12-13T14:51:00.000Z');

/** An OTLP/JSON logs export for one service: one record per `[minutesFromBase, body]`. */
function logsExport(service: string | null, base: number, records: [number, string][]): unknown {
  return {
    resourceLogs: [
      {
        resource: { attributes: service ? [{ key: 'service.name', value: { stringValue: service } }] : [] },
        scopeLogs: [
          {
            logRecords: records.map(([minutes, body]) => ({
              timeUnixNano: `${base + minutes * MINUTE}000000`,
              severityNumber: 17,
              body: { stringValue: body },
            })),
          },
        ],
      },
    ],
  };
}

describeEachDialect('telemetry buffer', (db) => {
  let clock = FIXTURE_TIME + 10 * MINUTE;
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    telemetry: { retentionMinutes: 60, maxRecordsPerService: 100 },
  };
  const context = () => createAppContext(db.database, { now: () => new Date(clock), settings });

  it('keeps the upstream example log record and span per service, with their fields', async () => {
    const ctx = context();
    expect(await ingestOtlpLogs(ctx, fixtureJson('otlp/logs.json'))).toEqual({
      accepted: 1,
      rejected: 0,
      partialSuccess: {},
    });
    expect(await ingestOtlpTraces(ctx, fixtureJson('otlp/trace.json'))).toMatchObject({ accepted: 1, rejected: 0 });
    const stored = await read(ctx).telemetry.list({
      services: ['my.service'],
      from: '2018-12-13T00:00:00.000Z',
      to: '2018-12-14T00:00:00.000Z',
    });
    expect(stored.map((r) => [r.kind, r.at, r.body])).toEqual([
      ['trace', '2018-12-13T14:51:00.000Z', "I'm a server span"],
      ['log', '2018-12-13T14:51:00.300Z', 'Example log record'],
    ]);
    const [span, log] = stored;
    expect(log).toMatchObject({
      service: 'my.service',
      severity: 'info',
      error: false,
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      durationMs: null,
      receivedAt: new Date(clock).toISOString(),
    });
    expect(log?.attributes).toMatchObject({
      'string.attribute': 'some string',
      'int.attribute': 10,
      'array.attribute': ['many', 'values'],
      'map.attribute': { 'some.map.key': 'some value' },
      'otlp.severity_text': 'Information',
      'otlp.severity_number': 10,
    });
    expect(span).toMatchObject({ durationMs: 1000, error: false, attributes: { 'my.span.attr': 'some value' } });
  });

  it('files records without service.name under unknown_service', async () => {
    const ctx = context();
    await ingestOtlpLogs(ctx, logsExport(null, FIXTURE_TIME, [[1, 'no resource name']]));
    expect(await read(ctx).telemetry.count(UNKNOWN_SERVICE)).toBe(1);
  });

  it('rejects a malformed export whole, naming the field, and stores nothing', async () => {
    const ctx = context();
    const before = await read(ctx).telemetry.count();
    const bad = logsExport('bad', FIXTURE_TIME, [
      [1, 'fine'],
      [2, 'also fine'],
    ]) as { resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[] };
    const record = bad.resourceLogs[0]?.scopeLogs[0]?.logRecords[1];
    if (record) record.timeUnixNano = 'yesterday';
    const error = await ingestOtlpLogs(ctx, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DebriefError);
    expect((error as DebriefError).field).toBe('resourceLogs[0].scopeLogs[0].logRecords[1].timeUnixNano');
    expect(await read(ctx).telemetry.count()).toBe(before);
  });

  it('drops records already older than the retention and says how many', async () => {
    const ctx = context();
    const result = await ingestOtlpLogs(
      ctx,
      logsExport('late', clock, [
        [-90, 'far too old'],
        [-61, 'just too old'],
        [-59, 'recent enough'],
      ]),
    );
    expect(result).toEqual({
      accepted: 1,
      rejected: 2,
      partialSuccess: {
        rejectedLogRecords: '2',
        errorMessage: '2 log records were older than the 60-minute retention and dropped',
      },
    });
  });

  it('prunes by age as the clock moves, then to the per-service cap, newest kept', async () => {
    const ctx = context();
    const base = clock;
    await ingestOtlpLogs(
      ctx,
      logsExport(
        'checkout',
        base,
        Array.from({ length: 150 }, (_, i): [number, string] => [-50 + i * 0.2, `line ${i}`]),
      ),
    );
    await ingestOtlpLogs(ctx, logsExport('search', base, [[-30, 'search line']]));
    expect(await read(ctx).telemetry.count('checkout')).toBe(150);

    // Nothing has expired yet, but checkout holds 150 records against a cap of 100: its 50 oldest go.
    const first = await pruneTelemetry(ctx);
    expect(first).toMatchObject({ expired: 0, overCap: 50 });
    const kept = await read(ctx).telemetry.list({
      services: ['checkout'],
      from: '2000-01-01T00:00:00Z',
      to: '2100-01-01T00:00:00Z',
    });
    expect(kept).toHaveLength(100);
    expect(kept[0]?.body).toBe('line 50');
    expect(kept.at(-1)?.body).toBe('line 149');

    // 25 minutes later the retention (60 min) reaches back to base − 35 min.
    clock = base + 25 * MINUTE;
    const second = await pruneTelemetry(context());
    expect(second.expired).toBeGreaterThan(0);
    const remaining = await read(ctx).telemetry.list({
      services: ['checkout', 'search'],
      from: '2000-01-01T00:00:00Z',
      to: '2100-01-01T00:00:00Z',
    });
    expect(remaining.every((r) => Date.parse(r.at) >= base - 35 * MINUTE)).toBe(true);
    expect(remaining.some((r) => r.service === 'search')).toBe(true);
    expect(remaining.filter((r) => r.service === 'checkout')).toHaveLength(75);
  });
});
