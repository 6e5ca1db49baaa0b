import { readFileSync } from 'node:fs';
import { validationField } from './fixtures/load.js';
import { describe, expect, it } from 'vitest';
import { anyValue, otlpEvents, parseOtlp, parseOtlpLogs, parseOtlpTraces, type OtlpLogRecord } from './otlp.js';

const raw = (name: string): string => readFileSync(new URL(`./fixtures/otlp/${name}`, import.meta.url), 'utf8');
type Json = Record<string, unknown>;
interface KeyValue {
  key: string;
  value: Json & { arrayValue?: { values: Json[] } };
}
type LogRecordJson = Json & { attributes: KeyValue[] };
type SpanJson = Json & { attributes: KeyValue[] };
interface LogsJson {
  resourceLogs: { resource: { attributes: KeyValue[] }; scopeLogs: { logRecords: LogRecordJson[] }[] }[];
}
interface TracesJson {
  resourceSpans: { resource: { attributes: KeyValue[] }; scopeSpans: { spans: SpanJson[] }[] }[];
}

const logs = (name = 'logs.json'): LogsJson => JSON.parse(raw(name)) as LogsJson;
const traces = (): TracesJson => JSON.parse(raw('trace.json')) as TracesJson;
const defined = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error('fixture is missing a part');
  return value;
};
/** The first log record of an export. */
const firstRecord = (payload: LogsJson): LogRecordJson =>
  defined(defined(defined(payload.resourceLogs[0]).scopeLogs[0]).logRecords[0]);
/** The first span of an export. */
const firstSpan = (payload: TracesJson): SpanJson =>
  defined(defined(defined(payload.resourceSpans[0]).scopeSpans[0]).spans[0]);

const LOG_PATH = 'resourceLogs[0].scopeLogs[0].logRecords[0]';
const SPAN_PATH = 'resourceSpans[0].scopeSpans[0].spans[0]';

describe('parseOtlpLogs', () => {
  it('flattens the upstream example log export, with every AnyValue kind', () => {
    expect(parseOtlpLogs(logs())).toEqual([
      {
        service: 'my.service',
        at: '2018-12-13T14:51:00.300Z',
        timeUnixNano: '1544712660300000000',
        severity: 'info',
        severityText: 'Information',
        severityNumber: 10,
        body: 'Example log record',
        attributes: {
          'string.attribute': 'some string',
          'boolean.attribute': true,
          'int.attribute': 10,
          'double.attribute': 637.704,
          'array.attribute': ['many', 'values'],
          'map.attribute': { 'some.map.key': 'some value' },
        },
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
      },
    ]);
  });

  it('renders a structured (kvlist) body as JSON, as in the upstream event example', () => {
    const [record] = parseOtlpLogs(logs('events.json'));
    expect(JSON.parse(record?.body ?? '')).toEqual({
      type: 0,
      url: 'https://www.guidgenerator.com/online-guid-generator.aspx',
      referrer: 'https://wwww.google.com',
      title: 'Free Online GUID Generator',
    });
    expect(record).toMatchObject({ severity: 'info', severityText: 'test severity text', traceId: null });
  });

  it('reads nanoseconds written as JSON numbers, as older exporters do', () => {
    const payload = logs();
    firstRecord(payload).timeUnixNano = 1544712660300000000;
    defined(firstRecord(payload).attributes[2]).value = { intValue: 10 };
    expect(parseOtlpLogs(payload)[0]).toMatchObject({
      at: '2018-12-13T14:51:00.300Z',
      timeUnixNano: '1544712660300000000',
    });
  });

  it('falls back to the observed time, and to the severity text', () => {
    const payload = logs();
    const record = firstRecord(payload);
    record.timeUnixNano = '0';
    record.observedTimeUnixNano = '1544712661000000000';
    delete record.severityNumber;
    record.severityText = 'WARNING';
    expect(parseOtlpLogs(payload)[0]).toMatchObject({ at: '2018-12-13T14:51:01.000Z', severity: 'warn' });
  });

  it('keeps 64-bit integers beyond 2^53 as text', () => {
    expect(anyValue({ intValue: '9223372036854775807' }, 'v')).toBe('9223372036854775807');
    expect(anyValue({ intValue: '-42' }, 'v')).toBe(-42);
    expect(anyValue({ doubleValue: 'NaN' }, 'v')).toBe('NaN');
    expect(anyValue({}, 'v')).toBeNull();
  });

  it('names the offending field of a malformed export', () => {
    const badTime = logs();
    firstRecord(badTime).timeUnixNano = '2018-12-13';
    expect(validationField(() => parseOtlpLogs(badTime))).toBe(`${LOG_PATH}.timeUnixNano`);

    const noTime = logs();
    delete firstRecord(noTime).timeUnixNano;
    delete firstRecord(noTime).observedTimeUnixNano;
    expect(validationField(() => parseOtlpLogs(noTime))).toBe(`${LOG_PATH}.timeUnixNano`);

    const badValue = logs();
    defined(defined(firstRecord(badValue).attributes[4]).value.arrayValue).values[1] = { intValue: 'many' };
    expect(validationField(() => parseOtlpLogs(badValue))).toBe(
      `${LOG_PATH}.attributes[4].value.arrayValue.values[1].intValue`,
    );

    expect(validationField(() => parseOtlpLogs({ resourceLogs: {} }))).toBe('resourceLogs');
  });
});

describe('parseOtlpTraces', () => {
  it('flattens the upstream example trace export', () => {
    expect(parseOtlpTraces(traces())).toEqual([
      {
        service: 'my.service',
        at: '2018-12-13T14:51:00.000Z',
        startTimeUnixNano: '1544712660000000000',
        durationMs: 1000,
        name: "I'm a server span",
        error: false,
        statusMessage: null,
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        parentSpanId: 'eee19b7ec3c1b173',
        attributes: { 'my.span.attr': 'some value' },
      },
    ]);
  });

  it('reads the error status as a number or as its enum name', () => {
    const numeric = traces();
    firstSpan(numeric).status = { code: 2, message: 'upstream timed out' };
    const named = traces();
    firstSpan(named).status = { code: 'STATUS_CODE_ERROR' };
    expect(parseOtlpTraces(numeric)[0]).toMatchObject({ error: true, statusMessage: 'upstream timed out' });
    expect(parseOtlpTraces(named)[0]?.error).toBe(true);
  });

  it('keeps sub-millisecond durations', () => {
    const payload = traces();
    firstSpan(payload).endTimeUnixNano = '1544712660000250500';
    expect(parseOtlpTraces(payload)[0]?.durationMs).toBe(0.25);
  });

  it('names the offending field of a malformed export', () => {
    const badEnd = traces();
    firstSpan(badEnd).endTimeUnixNano = '1544712659000000000';
    expect(validationField(() => parseOtlpTraces(badEnd))).toBe(`${SPAN_PATH}.endTimeUnixNano`);

    const badTrace = traces();
    firstSpan(badTrace).traceId = 'W4vv95gDgQPSabYzgT/GDA==';
    expect(validationField(() => parseOtlpTraces(badTrace))).toBe(`${SPAN_PATH}.traceId`);

    const badResource = traces();
    defined(defined(badResource.resourceSpans[0]).resource.attributes[0]).value = 'my.service' as unknown as Json;
    expect(validationField(() => parseOtlpTraces(badResource))).toBe('resourceSpans[0].resource.attributes[0].value');
  });
});

describe('otlpEvents', () => {
  const errorLog = (): unknown => {
    const payload = logs();
    const record = firstRecord(payload);
    record.severityNumber = 17;
    record.severityText = 'ERROR';
    record.body = { stringValue: 'payment provider returned 503\nretrying in 2s' };
    record.attributes = [{ key: 'http.route', value: { stringValue: '/pay' } }];
    return payload;
  };

  it('turns warn-and-above logs into log events and leaves info logs out', () => {
    expect(parseOtlp(logs())).toEqual([]);
    const events = parseOtlp(errorLog());
    expect(events[0]?.dedupeKey).toMatch(/^otlp:log:[0-9a-f]{32}$/);
    expect(events).toEqual([
      {
        at: '2018-12-13T14:51:00.300Z',
        kind: 'log',
        source: 'otlp',
        title: 'my.service: payment provider returned 503',
        body: 'payment provider returned 503\nretrying in 2s',
        labels: {
          'http.route': '/pay',
          'service.name': 'my.service',
          severity_text: 'ERROR',
          trace_id: '5b8efff798038103d269b633813fc60c',
          span_id: 'eee19b7ec3c1b174',
        },
        dedupeKey: events[0]?.dedupeKey,
        service: 'my.service',
        severity: 'error',
      },
    ]);
    expect(parseOtlp(logs(), { minSeverity: 'info' })).toHaveLength(1);
  });

  it('turns error spans into trace events', () => {
    const payload = traces();
    firstSpan(payload).status = { code: 2, message: 'upstream timed out' };
    expect(parseOtlp(traces())).toEqual([]);
    expect(parseOtlp(payload)).toEqual([
      {
        at: '2018-12-13T14:51:00.000Z',
        kind: 'trace',
        source: 'otlp',
        title: "my.service: I'm a server span failed: upstream timed out",
        body: 'upstream timed out\nDuration: 1000 ms\nTrace: 5b8efff798038103d269b633813fc60c',
        labels: {
          'my.span.attr': 'some value',
          'service.name': 'my.service',
          trace_id: '5b8efff798038103d269b633813fc60c',
          span_id: 'eee19b7ec3c1b174',
          duration_ms: '1000',
        },
        dedupeKey: 'otlp:span:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174',
        service: 'my.service',
        severity: 'error',
      },
    ]);
  });

  it('gives a re-exported record the same dedupe key and another record another', () => {
    const [first] = parseOtlp(errorLog());
    const [again] = parseOtlp(JSON.parse(JSON.stringify(errorLog())));
    expect(again?.dedupeKey).toBe(first?.dedupeKey);
    const records = parseOtlpLogs(errorLog());
    const other: OtlpLogRecord = { ...records[0]!, timeUnixNano: '1544712660300000001' };
    expect(otlpEvents({ logs: [other] })[0]?.dedupeKey).not.toBe(first?.dedupeKey);
  });

  it('refuses an export that is neither logs nor traces', () => {
    expect(validationField(() => parseOtlp({ resourceMetrics: [] }))).toBe('(body)');
  });
});
