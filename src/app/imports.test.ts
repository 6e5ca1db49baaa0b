import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import { SYSTEM } from '../../test/support/api.js';
import { DebriefError } from '../domain/errors.js';
import type { Principal } from '../domain/types.js';
import { fixtureJson } from '../ingest/fixtures/load.js';
import { parseKubernetesEvents } from '../ingest/kubernetes.js';
import type { NormalizedEvent } from '../ingest/types.js';
import { createAppContext, read, type AppContext } from './context.js';
import { declareIncident, getIncident } from './incidents.js';
import {
  addTimelineEvents,
  chatInRange,
  eventsInRange,
  importWindow,
  MAX_BATCH_EVENTS,
  timelineInput,
} from './imports.js';

const MINUTE = 60_000;

function chat(at: string, ts: string, threadTs?: string): NormalizedEvent {
  return {
    at,
    kind: 'chat',
    source: 'slack',
    title: ts,
    body: ts,
    labels: threadTs ? { ts, thread_ts: threadTs } : { ts },
    dedupeKey: `slack:C1:${ts}`,
    service: null,
    severity: null,
  };
}

describe('import helpers', () => {
  it('turns an adapter event into timeline input with its service and severity as labels', () => {
    const [event] = parseKubernetesEvents(fixtureJson('kubernetes/events.json'));
    expect(event && timelineInput(event)).toMatchObject({
      kind: 'log',
      source: 'kubernetes',
      at: '2026-03-14T09:05:14.000Z',
      labels: { namespace: 'shop', reason: 'ScalingReplicaSet', service: 'shop', severity: 'info' },
      dedupeKey: 'kubernetes:7a2d3e4f-5b6c-4d7e-9f80-1a2b3c4d5e6f:2026-03-14T09:05:14.000Z',
    });
  });

  it('cuts text to what the timeline takes', () => {
    const long = chat('2026-03-14T09:00:00.000Z', '1.0');
    const input = timelineInput({ ...long, body: 'x'.repeat(200_000), labels: { big: 'y'.repeat(5_000) } });
    expect(input.body).toHaveLength(100_000);
    expect(input.labels?.big).toHaveLength(2_000);
  });

  it('widens the incident window by the margin on both sides', () => {
    const times = {
      impactStartedAt: '2026-03-14T09:00:00.000Z',
      detectedAt: null,
      declaredAt: '2026-03-14T09:10:00.000Z',
      resolvedAt: '2026-03-14T10:00:00.000Z',
    };
    expect(importWindow(times, Date.now(), 30 * MINUTE)).toEqual({
      start: Date.parse('2026-03-14T08:30:00Z'),
      end: Date.parse('2026-03-14T10:30:00Z'),
    });
  });

  it('keeps whole threads when any of their messages is in range', () => {
    const events = [
      chat('2026-03-14T08:00:00.000Z', '100.0'),
      chat('2026-03-14T08:50:00.000Z', '200.0', '200.0'),
      chat('2026-03-14T09:05:00.000Z', '300.0', '200.0'),
      chat('2026-03-14T09:10:00.000Z', '400.0'),
      chat('2026-03-14T12:00:00.000Z', '500.0', '500.0'),
      chat('2026-03-14T12:01:00.000Z', '600.0'),
    ];
    const range = { start: Date.parse('2026-03-14T09:00:00Z'), end: Date.parse('2026-03-14T10:00:00Z') };
    expect(eventsInRange(events, range).map((e) => e.labels.ts)).toEqual(['300.0', '400.0']);
    expect(chatInRange(events, range).map((e) => e.labels.ts)).toEqual(['200.0', '300.0', '400.0']);
    expect(chatInRange(events, { start: range.start }).map((e) => e.labels.ts)).toEqual([
      '200.0',
      '300.0',
      '400.0',
      '500.0',
      '600.0',
    ]);
  });
});

describeEachDialect('addTimelineEvents', (db) => {
  let ctx: AppContext;
  let key = '';
  const responder: Principal = { kind: 'token', id: 't1', name: 'importer', role: 'responder' };
  const viewer: Principal = { kind: 'token', id: 't2', name: 'reader', role: 'viewer' };
  const base = Math.floor((Date.now() - 120 * MINUTE) / MINUTE) * MINUTE;
  const at = (minutes: number) => new Date(base + minutes * MINUTE).toISOString();

  beforeAll(async () => {
    ctx = createAppContext(db.database);
    key = (await declareIncident(ctx, SYSTEM, { title: 'Imports', severity: 'SEV3', impactStartedAt: at(0) })).key;
  });

  const events = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'chat' as const,
      source: 'slack',
      body: `message ${i}`,
      at: at(1 + i / 100),
      dedupeKey: `${prefix}:${i}`,
    }));

  it('adds a batch in one go, and adds nothing when the same batch comes again', async () => {
    expect(await addTimelineEvents(ctx, responder, key, { events: events(250, 'a') })).toEqual({
      created: 250,
      existing: 0,
    });
    expect(await addTimelineEvents(ctx, responder, key, { events: events(260, 'a') })).toEqual({
      created: 10,
      existing: 250,
    });
    const incident = await getIncident(ctx, SYSTEM, key, { timeline: true });
    const chats = incident.timeline?.filter((e) => e.kind === 'chat') ?? [];
    expect(chats).toHaveLength(260);
    expect(chats[0]).toMatchObject({ title: 'message 0', actor: 'token:importer', source: 'slack', count: 1 });
    const audit = await read(ctx).audit.list({ entityId: key }, 50);
    expect(audit.items.filter((a) => a.action === 'timeline.addBatch')).toHaveLength(2);
  });

  it('counts a dedupe key repeated inside one batch once', async () => {
    const batch = [...events(3, 'b'), ...events(2, 'b')];
    expect(await addTimelineEvents(ctx, responder, key, { events: batch })).toEqual({ created: 3, existing: 2 });
  });

  it('lets a lifecycle marker in a batch move the incident time', async () => {
    const result = await addTimelineEvents(ctx, responder, key, {
      events: [
        {
          kind: 'alert',
          source: 'alertmanager',
          title: 'HighErrorRate',
          at: at(4),
          dedupeKey: 'm:1',
          marker: 'detected',
        },
        { kind: 'note', body: 'plain note', at: at(5) },
      ],
    });
    expect(result).toEqual({ created: 2, existing: 0 });
    expect((await getIncident(ctx, SYSTEM, key)).detectedAt).toBe(at(4));
  });

  it('rejects the whole batch naming the bad event, and writes nothing', async () => {
    const before = (await getIncident(ctx, SYSTEM, key, { timeline: true })).timeline?.length;
    const bad = [...events(3, 'c'), { kind: 'chat' as const, body: 'x', at: 'yesterday', dedupeKey: 'c:bad' }];
    const error = await addTimelineEvents(ctx, responder, key, { events: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DebriefError);
    expect((error as DebriefError).field).toBe('events[3].at');
    const unknownKind = await addTimelineEvents(ctx, responder, key, {
      events: [{ kind: 'gossip' as 'chat', body: 'x' }],
    }).catch((e: unknown) => e);
    expect((unknownKind as DebriefError).field).toBe('events[0].kind');
    const empty = await addTimelineEvents(ctx, responder, key, { events: [{ kind: 'note', body: ' ' }] }).catch(
      (e: unknown) => e,
    );
    expect((empty as DebriefError).field).toBe('events[0].body');
    expect((await getIncident(ctx, SYSTEM, key, { timeline: true })).timeline?.length).toBe(before);
  });

  it(`takes at most ${MAX_BATCH_EVENTS} events a call, and needs the responder role`, async () => {
    const tooMany = await addTimelineEvents(ctx, responder, key, {
      events: events(MAX_BATCH_EVENTS + 1, 'd'),
    }).catch((e: unknown) => e);
    expect((tooMany as DebriefError).field).toBe('events');
    const denied = await addTimelineEvents(ctx, viewer, key, { events: events(1, 'e') }).catch((e: unknown) => e);
    expect((denied as DebriefError).code).toBe('DEBRIEF_ERR_FORBIDDEN');
    const missing = await addTimelineEvents(ctx, responder, 'INC-999', { events: events(1, 'e') }).catch(
      (e: unknown) => e,
    );
    expect((missing as DebriefError).code).toBe('DEBRIEF_ERR_NOT_FOUND');
  });

  it('counts the events of a concurrent identical import as existing', async () => {
    const batch = events(400, 'f');
    const results = await Promise.all([
      addTimelineEvents(ctx, responder, key, { events: batch }),
      addTimelineEvents(ctx, responder, key, { events: batch }),
    ]);
    expect(results.reduce((sum, r) => sum + r.created, 0)).toBe(400);
    expect(results.reduce((sum, r) => sum + r.existing, 0)).toBe(400);
  });
});
