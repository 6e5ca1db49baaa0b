import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

interface IncidentBody {
  key: string;
  version: number;
  status: string;
  title: string;
  severity: string;
  resolvedAt: string | null;
  mitigatedAt: string | null;
  impactStartedAt: string | null;
  durations: Record<string, number | null>;
  allowedTransitions: string[];
  timeline?: { marker: string | null; kind: string; title: string }[];
}

describeEachDialect('incidents API', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  const declare = async (body: Record<string, unknown>, role: 'responder' | 'admin' | 'viewer' = 'responder') =>
    api.call(role, { method: 'POST', url: '/api/v1/incidents', payload: body });

  it('rejects unauthenticated calls with 401 problem+json', async () => {
    const res = await api.call(null, { method: 'GET', url: '/api/v1/incidents' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'DEBRIEF_ERR_UNAUTHENTICATED', status: 401 });
  });

  it('declares an incident, then reads it by key', async () => {
    const res = await declare({
      title: 'Checkout 5xx spike',
      severity: 'SEV2',
      services: ['checkout'],
      impactStartedAt: new Date(Date.now() - 600_000).toISOString(),
    });
    expect(res.statusCode).toBe(201);
    const created = res.json<IncidentBody>();
    expect(created.key).toMatch(/^INC-\d+$/);
    expect(res.headers.location).toBe(`/api/v1/incidents/${created.key}`);
    expect(created.status).toBe('investigating');
    expect(created.durations.timeToDetectSeconds).toBeGreaterThanOrEqual(599);
    const got = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${created.key}?include=timeline` });
    expect(got.statusCode).toBe(200);
    const body = got.json<IncidentBody>();
    expect(body.title).toBe('Checkout 5xx spike');
    expect(
      body.timeline
        ?.map((e) => e.marker)
        .filter(Boolean)
        .sort(),
    ).toEqual(['detected', 'impact_start']);
  });

  it('names the offending field for wrong types, unknown fields and bad enums, and writes nothing', async () => {
    const before = await api.call('admin', { method: 'GET', url: '/api/v1/audit?entityType=incident&limit=500' });
    const cases: [Record<string, unknown>, string][] = [
      [{ title: 42, severity: 'SEV2' }, 'title'],
      [{ title: 'x', severity: 'SEV9' }, 'severity'],
      [{ title: 'x', severity: 'SEV2', colour: 'red' }, 'colour'],
      [{ title: 'x', severity: 'SEV2', services: ['nope'] }, 'services[0]'],
      [{ title: 'x', severity: 'SEV2', roles: { commander: 'not-an-email' } }, 'roles.commander'],
      [{ title: 'x', severity: 'SEV2', impactStartedAt: 'yesterday' }, 'impactStartedAt'],
      [{ severity: 'SEV2' }, 'title'],
    ];
    for (const [body, field] of cases) {
      const res = await declare(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const p = res.json<{ code: string; errors: { field: string }[] }>();
      expect(p.code).toBe('DEBRIEF_ERR_VALIDATION');
      expect(p.errors.map((e) => e.field).join(' ')).toContain(field);
    }
    const after = await api.call('admin', { method: 'GET', url: '/api/v1/audit?entityType=incident&limit=500' });
    expect(after.json<{ items: unknown[] }>().items.length).toBe(before.json<{ items: unknown[] }>().items.length);
  });

  it('answers malformed JSON with 400, oversized bodies with 413 and other media types with 415', async () => {
    const bad = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: '{"title": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'DEBRIEF_ERR_VALIDATION' });
    const big = await declare({ title: 'big', severity: 'SEV3', summary: 'x'.repeat(1_100_000) });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'DEBRIEF_ERR_PAYLOAD_TOO_LARGE' });
    const text = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.statusCode).toBe(415);
  });

  it('returns 404 problem for unknown keys and malformed keys', async () => {
    for (const key of ['INC-999999', 'nonsense']) {
      const res = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}` });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'DEBRIEF_ERR_NOT_FOUND' });
    }
  });

  it('forbids viewers from declaring', async () => {
    const res = await declare({ title: 'x', severity: 'SEV4' }, 'viewer');
    expect(res.statusCode).toBe(403);
  });

  it('rejects a stale version with 409 and keeps the newer write', async () => {
    const created = (await declare({ title: 'Versioned', severity: 'SEV3' })).json<IncidentBody>();
    const first = await api.call('responder', {
      method: 'PATCH',
      url: `/api/v1/incidents/${created.key}`,
      payload: { version: created.version, title: 'First edit' },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json<IncidentBody>().version).toBe(created.version + 1);
    const stale = await api.call('responder', {
      method: 'PATCH',
      url: `/api/v1/incidents/${created.key}`,
      payload: { version: created.version, title: 'Second edit' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'DEBRIEF_ERR_VERSION_CONFLICT', errors: [{ field: 'version' }] });
    const now = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${created.key}` });
    expect(now.json<IncidentBody>().title).toBe('First edit');
  });

  it('rejects impossible lifecycle times with 422 naming the field', async () => {
    const created = (await declare({ title: 'Lifecycle', severity: 'SEV3' })).json<IncidentBody>();
    const res = await api.call('responder', {
      method: 'PATCH',
      url: `/api/v1/incidents/${created.key}`,
      payload: { version: created.version, impactStartedAt: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(res.statusCode).toBe(422);
    const p = res.json<{ code: string; errors: { field: string }[] }>();
    expect(p.code).toBe('DEBRIEF_ERR_LIFECYCLE_ORDER');
    expect(p.errors[0]?.field).toMatch(/impactStartedAt|detectedAt/);
  });

  it('moves through the lifecycle, measuring durations, and refuses invalid transitions', async () => {
    const start = Date.now() - 3_600_000;
    const created = (
      await declare({ title: 'Lifecycle walk', severity: 'SEV2', impactStartedAt: new Date(start).toISOString() })
    ).json<IncidentBody>();
    const mitigated = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${created.key}/status`,
      payload: { status: 'mitigated', at: new Date(start + 1_200_000).toISOString() },
    });
    expect(mitigated.statusCode).toBe(200);
    expect(mitigated.json<IncidentBody>().durations.timeToMitigateSeconds).toBe(1200);
    const resolved = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${created.key}/status`,
      payload: { status: 'resolved', note: 'rolled back' },
    });
    const body = resolved.json<IncidentBody>();
    expect(body.status).toBe('resolved');
    expect(body.durations.timeToResolveSeconds).toBeGreaterThanOrEqual(3599);
    expect(body.allowedTransitions).toEqual(expect.arrayContaining(['closed', 'investigating']));
    const invalid = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${created.key}/status`,
      payload: { status: 'mitigated' },
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({ code: 'DEBRIEF_ERR_INVALID_TRANSITION', errors: [{ field: 'status' }] });
    const timeline = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${created.key}/timeline` });
    const markers = timeline
      .json<{ items: { marker: string | null }[] }>()
      .items.map((e) => e.marker)
      .filter(Boolean);
    expect(markers).toEqual(['impact_start', 'mitigated', 'detected', 'resolved']);
    const reopened = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${created.key}/status`,
      payload: { status: 'investigating' },
    });
    expect(reopened.json<IncidentBody>()).toMatchObject({ status: 'investigating', resolvedAt: null });
  });

  it('assigns roles and records them on the timeline', async () => {
    const created = (await declare({ title: 'Roles', severity: 'SEV3' })).json<IncidentBody>();
    const res = await api.call('responder', {
      method: 'PUT',
      url: `/api/v1/incidents/${created.key}/roles`,
      payload: { commander: 'Ana@Example.com', scribe: 'bo@example.com' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      roles: { commander: 'ana@example.com', scribe: 'bo@example.com', communications: null },
    });
    const tl = await api.call('viewer', {
      method: 'GET',
      url: `/api/v1/incidents/${created.key}/timeline?kind=status`,
    });
    expect(
      tl.json<{ items: { title: string }[] }>().items.some((e) => e.title.includes('commander: ana@example.com')),
    ).toBe(true);
  });

  it('filters by status, severity, service, type and time range, and paginates with a cursor', async () => {
    const tag = `filter-${Math.random().toString(36).slice(2, 8)}`;
    for (let i = 0; i < 5; i++) {
      await declare({
        title: `${tag} ${i}`,
        severity: i % 2 === 0 ? 'SEV1' : 'SEV4',
        type: i === 4 ? 'exercise' : 'standard',
        services: i < 2 ? ['payments'] : [],
      });
    }
    const list = async (qs: string) =>
      (await api.call('viewer', { method: 'GET', url: `/api/v1/incidents?q=${tag}&${qs}` })).json<{
        items: IncidentBody[];
        nextCursor: string | null;
      }>();
    expect((await list('severity=SEV1')).items).toHaveLength(3);
    expect((await list('severity=SEV1,SEV4&service=payments')).items).toHaveLength(2);
    expect((await list('type=exercise')).items).toHaveLength(1);
    expect((await list('status=resolved')).items).toHaveLength(0);
    expect((await list(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).items).toHaveLength(
      0,
    );
    const page1 = await list('limit=2');
    expect(page1.items.map((i) => i.title)).toEqual([`${tag} 4`, `${tag} 3`]);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = await list(`limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items.map((i) => i.title)).toEqual([`${tag} 2`, `${tag} 1`]);
    const page3 = await list(`limit=2&cursor=${page2.nextCursor}`);
    expect(page3.items.map((i) => i.title)).toEqual([`${tag} 0`]);
    expect(page3.nextCursor).toBeNull();
    const bad = await api.call('viewer', { method: 'GET', url: '/api/v1/incidents?severity=SEV7' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ field: 'severity[0]' }] });
    const badCursor = await api.call('viewer', { method: 'GET', url: '/api/v1/incidents?cursor=zzz' });
    expect(badCursor.statusCode).toBe(400);
  });
});
