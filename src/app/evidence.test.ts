import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import { SYSTEM } from '../../test/support/api.js';
import type { Principal } from '../domain/types.js';
import { createService } from './catalog.js';
import { createAppContext, read, type AppContext } from './context.js';
import {
  evidenceSummary,
  incidentLogEvidence,
  incidentWindow,
  lineTime,
  parseLogFile,
  snapshotIncidentLogs,
  uploadIncidentLogs,
} from './evidence.js';
import { declareIncident } from './incidents.js';
import { ingestOtlpLogs, ingestOtlpTraces } from './telemetry.js';
import { addTimelineEvent } from './timeline.js';

const MINUTE = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe('lineTime', () => {
  it.each([
    ['2026-03-14T09:00:01Z ERROR upstream timed out', '2026-03-14T09:00:01.000Z', false],
    ['2026-03-14T10:00:01.250+01:00 WARN pool exhausted', '2026-03-14T09:00:01.250Z', false],
    ['[2026-03-14 09:00:01Z] payment declined', '2026-03-14T09:00:01.000Z', false],
    ['2026-03-14 09:00:01,500 WARN pool exhausted', '2026-03-14T09:00:01.500Z', true],
    ['level=error ts=2026-03-14T09:00:01Z msg="boom"', '2026-03-14T09:00:01.000Z', false],
    ['{"level":50,"time":1773478801000,"msg":"boom"}', '2026-03-14T09:00:01.000Z', false],
    ['{"ts":1773478801.5,"msg":"zap seconds"}', '2026-03-14T09:00:01.500Z', false],
    ['{"timestamp":"2026-03-14T09:00:01Z","message":"iso"}', '2026-03-14T09:00:01.000Z', false],
    ['{"@timestamp":"2026-03-14T09:00:01.000000123Z","message":"ecs nanos"}', '2026-03-14T09:00:01.000Z', false],
    ['{"time":"1773478801000000000","msg":"nanos as text"}', '2026-03-14T09:00:01.000Z', false],
  ])('reads the time of %j', (line, expected, zoneless) => {
    const parsed = lineTime(line);
    expect(parsed && iso(parsed.at)).toBe(expected);
    expect(parsed?.zoneless).toBe(zoneless);
  });

  it.each([
    '  at handler (app.js:10:5)',
    'connection reset by peer at 2026-03-14T09:00:01Z',
    '{"msg":"no time field"}',
    '2026-13-40T09:00:01Z not a date',
    'E0314 09:00:01.000000 1 reflector.go:138] no year',
  ])('finds no time in %j', (line) => {
    expect(lineTime(line)).toBeNull();
  });
});

describe('parseLogFile', () => {
  const window = { start: Date.parse('2026-03-14T09:00:00Z'), end: Date.parse('2026-03-14T10:00:00Z') };

  it('gives continuation lines the time of the line before, and leading ones the first time', () => {
    const parsed = parseLogFile(
      [
        'starting up',
        '2026-03-14T09:10:00Z ERROR boom',
        '  at handler (app.js:10)',
        '',
        '2026-03-14T09:20:00Z INFO fine',
      ].join('\n'),
      window,
    );
    expect(parsed).toMatchObject({ total: 4, timed: 2, zoneless: 0 });
    expect(parsed.lines.map((l) => [iso(l.at).slice(11, 16), l.text.trim().slice(0, 12)])).toEqual([
      ['09:10', 'starting up'],
      ['09:10', '2026-03-14T0'],
      ['09:10', 'at handler ('],
      ['09:20', '2026-03-14T0'],
    ]);
  });

  it('spreads a file without any time over the window in upload order', () => {
    const parsed = parseLogFile('a\r\nb\r\nc\r\nd\r\n', window);
    expect(parsed.timed).toBe(0);
    expect(parsed.lines.map((l) => iso(l.at).slice(11, 19))).toEqual(['09:07:30', '09:22:30', '09:37:30', '09:52:30']);
  });
});

describe('incidentWindow', () => {
  const times = {
    impactStartedAt: '2026-03-14T09:00:00.000Z',
    detectedAt: '2026-03-14T09:06:00.000Z',
    declaredAt: '2026-03-14T09:07:00.000Z',
    resolvedAt: null,
  };
  it('runs from impact start minus the margin to now, or to the resolution', () => {
    const now = Date.parse('2026-03-14T09:30:00Z');
    expect(incidentWindow(times, now)).toEqual({
      start: Date.parse('2026-03-14T08:45:00Z'),
      end: now,
    });
    expect(incidentWindow({ ...times, resolvedAt: '2026-03-14T09:20:00Z' }, now, 0)).toEqual({
      start: Date.parse('2026-03-14T09:00:00Z'),
      end: Date.parse('2026-03-14T09:20:00Z'),
    });
    expect(incidentWindow({ ...times, impactStartedAt: null }, now, 0).start).toBe(Date.parse(times.detectedAt));
  });
});

interface Line {
  at: number;
  body: string;
  severity?: number;
}

function logsExport(service: string, lines: Line[]): unknown {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeLogs: [
          {
            logRecords: lines.map((l) => ({
              timeUnixNano: `${l.at}000000`,
              ...(l.severity ? { severityNumber: l.severity } : {}),
              body: { stringValue: l.body },
            })),
          },
        ],
      },
    ],
  };
}

/** `count` points spread evenly over [from, to). */
const spread = (count: number, from: number, to: number): number[] =>
  Array.from({ length: count }, (_, i) => Math.floor(from + ((i + 0.5) * (to - from)) / count));

describeEachDialect('log evidence and the evidence summary', (db) => {
  /** Incident: impact at NOW − 30 min, still open: window NOW − 45 … NOW, baseline NOW − 90 … NOW − 45. */
  const NOW = Math.floor(Date.now() / MINUTE) * MINUTE;
  const windowStart = NOW - 45 * MINUTE;
  const baselineStart = NOW - 90 * MINUTE;
  let ctx: AppContext;
  let key = '';
  const responder: Principal = { kind: 'token', id: 't1', name: 'ci', role: 'responder' };

  beforeAll(async () => {
    ctx = createAppContext(db.database, { now: () => new Date(NOW) });
    await createService(ctx, SYSTEM, { name: 'orders', tier: 1 });
    await createService(ctx, SYSTEM, { name: 'quiet', tier: 3 });
    const incident = await declareIncident(ctx, SYSTEM, {
      title: 'Orders failing',
      severity: 'SEV2',
      services: ['orders'],
      impactStartedAt: iso(NOW - 30 * MINUTE),
      detectedAt: iso(NOW - 25 * MINUTE),
    });
    key = incident.key;

    const lines: Line[] = [];
    // Steady traffic in both windows: not a finding.
    spread(300, baselineStart, NOW).forEach((at, i) => lines.push({ at, body: `GET /api/orders/${i} 200 in 12ms` }));
    // Connection losses: 2 in the baseline, 60 in the incident window: spiking.
    spread(2, baselineStart, windowStart).forEach((at, i) => lines.push({ at, body: `connection to db-${i} lost` }));
    spread(60, windowStart, NOW).forEach((at, i) => {
      lines.push({ at, body: `connection to db-${i % 3} lost`, severity: 17 });
    });
    // Declines, only in the incident window: new, with their error level.
    spread(25, NOW - 30 * MINUTE, NOW).forEach((at, i) => {
      lines.push({ at, body: `payment declined for ann@shop.example amount=${i}.50`, severity: 17 });
    });
    // Another service's noise is not this incident's evidence.
    const other = spread(40, windowStart, NOW).map((at) => ({ at, body: `quiet service only message ${at}` }));
    await ingestOtlpLogs(ctx, logsExport('orders', lines));
    await ingestOtlpLogs(ctx, logsExport('quiet', other));
  });

  it('finds the new and the spiking templates of the incident window for its services', async () => {
    const evidence = await incidentLogEvidence(ctx, responder, key);
    expect(evidence).toMatchObject({
      incident: key,
      source: 'buffer',
      services: ['orders'],
      window: { start: iso(windowStart), end: iso(NOW) },
      baseline: { start: iso(baselineStart), end: iso(windowStart) },
      truncated: false,
      summary: { new: 1, spiking: 1 },
    });
    expect(evidence.incidentLines).toBe(150 + 60 + 25);
    expect(evidence.baselineLines).toBe(150 + 2);
    const [declined, lost] = evidence.findings;
    expect(declined).toMatchObject({
      status: 'new',
      template: 'payment declined for <EMAIL> amount=<NUM>',
      severity: 'error',
      baselineCount: 0,
      incidentCount: 25,
    });
    expect(declined?.samples).toHaveLength(3);
    expect(lost).toMatchObject({
      status: 'spiking',
      template: 'connection to <*> lost',
      baselineCount: 2,
      incidentCount: 60,
      ratio: 20,
    });
    expect(evidence.findings.some((f) => f.template?.includes('quiet'))).toBe(false);
  });

  it('snapshots the evidence as a JSON artifact linked from one log event, once', async () => {
    const first = await snapshotIncidentLogs(ctx, key);
    expect(first.created).toBe(true);
    const artifactId = first.artifact?.id ?? '';
    expect(first.event).toMatchObject({
      kind: 'log',
      source: 'otlp',
      title: 'Log templates: 1 new, 1 spiking',
      artifactId,
      actor: 'system:evidence',
      labels: { new: '1', spiking: '1', services: 'orders' },
    });
    expect(first.event?.body).toContain('`payment declined for <EMAIL> amount=<NUM>`');
    const stored = await read(ctx).artifacts.get(artifactId);
    expect(stored?.mediaType).toBe('application/json');
    expect(JSON.parse(stored?.content.toString('utf8') ?? 'null')).toEqual(first.evidence);

    const again = await snapshotIncidentLogs(ctx, key, { actor: responder });
    expect(again.created).toBe(false);
    expect(again.event?.id).toBe(first.event?.id);
    expect(again.artifact?.id).toBe(artifactId);
  });

  it('keeps nothing when the buffer holds no logs for the incident', async () => {
    await createService(ctx, SYSTEM, { name: 'silent', tier: 4 });
    const empty = await declareIncident(ctx, SYSTEM, { title: 'No telemetry', severity: 'SEV4', services: ['silent'] });
    const result = await snapshotIncidentLogs(ctx, empty.key);
    expect(result).toMatchObject({ artifact: null, event: null, created: false });
    expect(result.evidence).toMatchObject({ incidentLines: 0, baselineLines: 0 });
  });

  it('mines an uploaded file the same way, keeps it as an artifact, and links the analysis', async () => {
    const text = [
      ...spread(20, baselineStart, windowStart).map((at) => `${iso(at)} INFO request served`),
      ...spread(20, windowStart, NOW).map((at) => `${iso(at)} INFO request served`),
      ...spread(8, windowStart, NOW).map((at) => `${iso(at)} ERROR disk /var/lib/data full`),
      `${iso(NOW - 5 * MINUTE)} ERROR panic: runtime error`,
      '  goroutine 1 [running]:',
      `${iso(NOW - 600 * MINUTE)} INFO long before anything`,
    ].join('\n');
    const result = await uploadIncidentLogs(ctx, responder, key, text, { mediaType: 'text/plain', name: 'orders.log' });
    expect(result.created).toBe(true);
    expect(result.evidence).toMatchObject({
      source: 'upload',
      summary: { new: 3, spiking: 0 },
      upload: { name: 'orders.log', lines: 51, timed: 50, zoneless: 0, outsideWindows: 1 },
    });
    expect(result.evidence.findings.map((f) => f.template)).toEqual([
      '<TS> ERROR disk /var/lib/data full',
      '<TS> ERROR panic: runtime error',
      'goroutine <NUM> [running]:',
    ]);
    expect(result.upload).toMatchObject({ mediaType: 'text/plain', size: Buffer.byteLength(text) });
    expect((await read(ctx).artifacts.get(result.upload.id))?.content.toString('utf8')).toBe(text);
    expect(result.event).toMatchObject({
      kind: 'log',
      source: 'upload',
      title: 'Log templates: 3 new, 0 spiking (orders.log)',
      artifactId: result.artifact.id,
      labels: { file: 'orders.log', upload_artifact: result.upload.id },
    });

    const again = await uploadIncidentLogs(ctx, responder, key, text, { mediaType: 'text/plain', name: 'orders.log' });
    expect(again.created).toBe(false);
    expect(again.event.id).toBe(result.event.id);
    const logEvents = await read(ctx).timeline.list(again.event.incidentId, { kind: ['log'] });
    expect(logEvents.map((e) => e.source).sort()).toEqual(['otlp', 'upload']);
  });

  it('summarises completeness, sources and the gap where telemetry went quiet', async () => {
    await createService(ctx, SYSTEM, { name: 'ledger', tier: 2 });
    const incident = await declareIncident(ctx, SYSTEM, {
      title: 'Ledger lagging',
      severity: 'SEV3',
      services: ['ledger'],
      impactStartedAt: iso(NOW - 30 * MINUTE),
    });
    // The ledger logged every 10 s, then went silent 20 minutes before now.
    const points = Array.from({ length: 420 }, (_, i) => NOW - 90 * MINUTE + i * 10_000);
    await ingestOtlpLogs(
      ctx,
      logsExport(
        'ledger',
        points.map((at) => ({ at, body: 'tick' })),
      ),
    );
    await ingestOtlpTraces(ctx, {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'ledger' } }] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  name: 'POST /entries',
                  startTimeUnixNano: `${NOW - 25 * MINUTE}000000`,
                  endTimeUnixNano: `${NOW - 25 * MINUTE + 1500}000000`,
                  status: { code: 2, message: 'deadline exceeded' },
                },
              ],
            },
          ],
        },
      ],
    });
    await addTimelineEvent(ctx, SYSTEM, incident.key, {
      kind: 'alert',
      source: 'alertmanager',
      title: 'LedgerLag firing',
      at: iso(NOW - 28 * MINUTE),
      dedupeKey: 'am:1',
    });
    await addTimelineEvent(ctx, SYSTEM, incident.key, {
      kind: 'chat',
      source: 'slack',
      body: 'looking at the ledger',
      at: iso(NOW - 20 * MINUTE),
      dedupeKey: 'slack:1',
    });

    const summary = await evidenceSummary(ctx, responder, incident.key);
    expect(summary.window).toEqual({ start: iso(NOW - 45 * MINUTE), end: iso(NOW) });
    expect(summary.services).toEqual(['ledger']);
    expect(summary.completeness).toEqual({
      score: 0.67,
      present: ['alerts', 'logs', 'traces', 'chat'],
      missing: ['metrics', 'changes'],
    });
    expect(summary.sources).toEqual(
      expect.arrayContaining([
        {
          source: 'alertmanager',
          kind: 'alert',
          count: 1,
          first: iso(NOW - 28 * MINUTE),
          last: iso(NOW - 28 * MINUTE),
        },
        { source: 'slack', kind: 'chat', count: 1, first: iso(NOW - 20 * MINUTE), last: iso(NOW - 20 * MINUTE) },
        {
          source: 'otlp:ledger',
          kind: 'log',
          count: 420 - 270,
          first: iso(NOW - 45 * MINUTE),
          last: iso(points.at(-1) ?? 0),
        },
        { source: 'otlp:ledger', kind: 'trace', count: 1, first: iso(NOW - 25 * MINUTE), last: iso(NOW - 25 * MINUTE) },
      ]),
    );
    expect(summary.sources.some((s) => s.source === 'debrief' && s.kind === 'status')).toBe(true);
    expect(summary.gaps).toEqual([
      {
        source: 'otlp:ledger',
        kind: 'log',
        from: iso(points.at(-1) ?? 0),
        to: iso(NOW),
        durationMs: NOW - (points.at(-1) ?? 0),
        ongoing: true,
        intervalMs: 10_000,
      },
    ]);
  });

  it("counts the buffered telemetry of an incident's services before anyone attached evidence", async () => {
    const bare = await declareIncident(ctx, SYSTEM, { title: 'Nothing known', severity: 'SEV4', services: ['quiet'] });
    const summary = await evidenceSummary(ctx, responder, bare.key);
    // The quiet service logged in the window before this incident was declared: those records count.
    expect(summary.completeness.present).toEqual(['logs']);
    expect(summary.gaps).toEqual([]);
  });
});
