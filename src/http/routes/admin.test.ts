import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

interface AuditItem {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: { title?: string } | null;
  after: { title?: string } | null;
}

describeEachDialect('audit log', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  it('records actor, action, entity and before/after for every write, for admins only', async () => {
    const created = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Audited', severity: 'SEV4' },
    });
    const { key, version } = created.json<{ key: string; version: number }>();
    await api.call('responder', {
      method: 'PATCH',
      url: `/api/v1/incidents/${key}`,
      payload: { version, title: 'Audited twice' },
    });
    const res = await api.call('admin', { method: 'GET', url: `/api/v1/audit?entityType=incident&entityId=${key}` });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: AuditItem[] }>().items;
    expect(items.map((i) => i.action)).toEqual(['incident.update', 'incident.declare']);
    expect(items[0]).toMatchObject({ entityId: key, before: { title: 'Audited' }, after: { title: 'Audited twice' } });
    expect(items[0]?.actor).toMatch(/^token:responder-/);
    const denied = await api.call('reviewer', { method: 'GET', url: '/api/v1/audit' });
    expect(denied.statusCode).toBe(403);
  });

  it('pages through the log with a cursor', async () => {
    const first = await api.call('admin', { method: 'GET', url: '/api/v1/audit?limit=2' });
    const page = first.json<{ items: AuditItem[]; nextCursor: string }>();
    expect(page.items).toHaveLength(2);
    const second = await api.call('admin', { method: 'GET', url: `/api/v1/audit?limit=2&cursor=${page.nextCursor}` });
    const next = second.json<{ items: { id: string }[] }>();
    expect(next.items).toHaveLength(2);
  });
});

describeEachDialect('service catalog API', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  it('creates, reads and updates services with versions, rejecting cycles and unknown teams', async () => {
    const created = await api.call('reviewer', {
      method: 'POST',
      url: '/api/v1/services',
      payload: {
        name: 'search',
        displayName: 'Search',
        team: 'payments',
        tier: 2,
        runbookUrl: 'https://runbooks.example.com/search',
        owners: ['Owner@Example.com'],
        dependencies: ['checkout'],
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'search', owners: ['owner@example.com'], version: 1 });
    const cycle = await api.call('reviewer', {
      method: 'PATCH',
      url: '/api/v1/services/payments',
      payload: { version: 1, dependencies: ['search'] },
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json<{ detail: string }>().detail).toContain('cycle');
    const stale = await api.call('reviewer', {
      method: 'PATCH',
      url: '/api/v1/services/search',
      payload: { version: 9, tier: 1 },
    });
    expect(stale.statusCode).toBe(409);
    const team = await api.call('reviewer', {
      method: 'POST',
      url: '/api/v1/services',
      payload: { name: 'x1', team: 'ghosts' },
    });
    expect(team.json()).toMatchObject({ errors: [{ field: 'team' }] });
    const dup = await api.call('reviewer', { method: 'POST', url: '/api/v1/services', payload: { name: 'search' } });
    expect(dup.statusCode).toBe(409);
    const badName = await api.call('reviewer', {
      method: 'POST',
      url: '/api/v1/services',
      payload: { name: 'Bad Name' },
    });
    expect(badName.json()).toMatchObject({ errors: [{ field: 'name' }] });
    const responder = await api.call('responder', { method: 'POST', url: '/api/v1/services', payload: { name: 'y1' } });
    expect(responder.statusCode).toBe(403);
    const list = await api.call('viewer', { method: 'GET', url: '/api/v1/services' });
    expect(list.json<{ items: { name: string }[] }>().items.map((s) => s.name)).toEqual([
      'checkout',
      'payments',
      'search',
    ]);
  });
});
