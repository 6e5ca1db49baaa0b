import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

interface Event {
  id: string;
  kind: string;
  title: string;
  body: string;
  marker: string | null;
  pinned: boolean;
  actor: string | null;
  at: string;
}

describeEachDialect('timeline API', (db) => {
  let api: TestApi;
  let key = '';
  const impact = new Date(Date.now() - 7_200_000);
  beforeAll(async () => {
    api = await createTestApi(db.database);
    const res = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Timeline', severity: 'SEV3', impactStartedAt: impact.toISOString() },
    });
    key = res.json<{ key: string }>().key;
  });
  afterAll(async () => {
    await api.close();
  });

  const url = () => `/api/v1/incidents/${key}/timeline`;

  it('adds a note with the author and returns it oldest first', async () => {
    const res = await api.call('responder', {
      method: 'POST',
      url: url(),
      payload: { body: 'Rolled back payments to v41' },
    });
    expect(res.statusCode).toBe(201);
    const note = res.json<Event>();
    expect(note).toMatchObject({ kind: 'note', title: 'Rolled back payments to v41' });
    expect(note.actor).toMatch(/^token:responder-/);
    const list = await api.call('viewer', { method: 'GET', url: url() });
    const items = list.json<{ items: Event[] }>().items;
    expect(items.map((e) => e.at)).toEqual([...items.map((e) => e.at)].sort());
    expect(items.at(-1)?.id).toBe(note.id);
  });

  it('is idempotent with a dedupe key', async () => {
    const payload = {
      kind: 'alert',
      source: 'alertmanager',
      title: 'HighErrorRate',
      dedupeKey: 'fp-123',
      at: new Date(impact.getTime() + 60_000).toISOString(),
    };
    const first = await api.call('responder', { method: 'POST', url: url(), payload });
    const second = await api.call('responder', { method: 'POST', url: url(), payload });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json<Event>().id).toBe(first.json<Event>().id);
    const alerts = await api.call('viewer', { method: 'GET', url: `${url()}?kind=alert` });
    expect(alerts.json<{ items: Event[] }>().items).toHaveLength(1);
  });

  it('moves the detected time when an event is marked as detection, and pins events', async () => {
    const alert = (await api.call('viewer', { method: 'GET', url: `${url()}?kind=alert` })).json<{ items: Event[] }>()
      .items[0];
    expect(alert).toBeDefined();
    const marked = await api.call('responder', {
      method: 'PATCH',
      url: `${url()}/${alert?.id}`,
      payload: { marker: 'detected', pinned: true },
    });
    expect(marked.statusCode).toBe(200);
    expect(marked.json<Event>()).toMatchObject({ marker: 'detected', pinned: true });
    const incident = (await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}` })).json<{
      detectedAt: string;
      durations: { timeToDetectSeconds: number };
    }>();
    expect(incident.detectedAt).toBe(alert?.at);
    expect(incident.durations.timeToDetectSeconds).toBe(60);
    const detectedMarkers = (await api.call('viewer', { method: 'GET', url: url() }))
      .json<{ items: Event[] }>()
      .items.filter((e) => e.marker === 'detected');
    expect(detectedMarkers).toHaveLength(1);
    const pinned = await api.call('viewer', { method: 'GET', url: `${url()}?pinned=true` });
    expect(pinned.json<{ items: Event[] }>().items.map((e) => e.id)).toEqual([alert?.id]);
  });

  it('keeps one marker per lifecycle time when an event at the same time takes it over', async () => {
    const detected = new Date(impact.getTime() + 120_000).toISOString();
    const created = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Same time', severity: 'SEV4', impactStartedAt: impact.toISOString(), detectedAt: detected },
    });
    const sameKey = created.json<{ key: string }>().key;
    const alert = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${sameKey}/timeline`,
      payload: { kind: 'alert', title: 'HighLatency firing', at: detected, marker: 'detected' },
    });
    expect(alert.statusCode).toBe(201);
    const items = (await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${sameKey}/timeline` })).json<{
      items: Event[];
    }>().items;
    expect(items.filter((e) => e.marker === 'detected').map((e) => e.id)).toEqual([alert.json<Event>().id]);
  });

  it('refuses a marker that would break lifecycle order, writing nothing', async () => {
    const early = await api.call('responder', {
      method: 'POST',
      url: url(),
      payload: { body: 'too early', at: new Date(impact.getTime() - 3_600_000).toISOString(), marker: 'detected' },
    });
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'DEBRIEF_ERR_LIFECYCLE_ORDER' });
    const notes = await api.call('viewer', { method: 'GET', url: `${url()}?kind=note` });
    expect(notes.json<{ items: Event[] }>().items.some((e) => e.body === 'too early')).toBe(false);
  });

  it('rejects empty notes, unknown kinds and unknown event ids', async () => {
    const empty = await api.call('responder', { method: 'POST', url: url(), payload: { body: '   ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ errors: [{ field: 'body' }] });
    const kind = await api.call('responder', { method: 'POST', url: url(), payload: { kind: 'tweet', body: 'x' } });
    expect(kind.json()).toMatchObject({ errors: [{ field: 'kind' }] });
    const missing = await api.call('responder', { method: 'PATCH', url: `${url()}/nope`, payload: { pinned: true } });
    expect(missing.statusCode).toBe(404);
  });
});
