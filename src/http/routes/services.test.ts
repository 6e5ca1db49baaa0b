import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

interface TeamBody {
  name: string;
  displayName: string;
  members: string[];
  updatedAt: string;
}

interface AuditItem {
  action: string;
  before: { members?: string[] } | null;
  after: { members?: string[] } | null;
}

describeEachDialect('team members API', (db) => {
  let api: TestApi;
  let clock = Date.parse('2026-06-01T10:00:00.000Z');
  beforeAll(async () => {
    api = await createTestApi(db.database, { now: () => new Date((clock += 1_000)) });
  });
  afterAll(async () => {
    await api.close();
  });

  it('creates a team with members, lowercased and without duplicates', async () => {
    const created = await api.call('reviewer', {
      method: 'POST',
      url: '/api/v1/teams',
      payload: { name: 'identity', members: ['Ana@Example.com', 'bo@example.com', 'ana@example.com'] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json<TeamBody>()).toMatchObject({
      name: 'identity',
      displayName: 'identity',
      members: ['ana@example.com', 'bo@example.com'],
    });
    const list = await api.call('viewer', { method: 'GET', url: '/api/v1/teams' });
    const teams = list.json<{ items: TeamBody[] }>().items;
    expect(teams.find((t) => t.name === 'identity')?.members).toEqual(['ana@example.com', 'bo@example.com']);
    expect(teams.find((t) => t.name === 'payments')?.members).toEqual([]);
  });

  it('renames a team and replaces its members, with an audit entry', async () => {
    const before = (await api.call('viewer', { method: 'GET', url: '/api/v1/teams' }))
      .json<{ items: TeamBody[] }>()
      .items.find((t) => t.name === 'identity');
    const res = await api.call('reviewer', {
      method: 'PATCH',
      url: '/api/v1/teams/identity',
      payload: { displayName: 'Identity & Access', members: ['cy@example.com', 'Bo@Example.com'] },
    });
    expect(res.statusCode).toBe(200);
    const team = res.json<TeamBody>();
    expect(team).toMatchObject({ displayName: 'Identity & Access', members: ['cy@example.com', 'bo@example.com'] });
    expect(team.updatedAt > (before?.updatedAt ?? '')).toBe(true);

    const membersOnly = await api.call('admin', {
      method: 'PATCH',
      url: '/api/v1/teams/identity',
      payload: { members: [] },
    });
    expect(membersOnly.json<TeamBody>()).toMatchObject({ displayName: 'Identity & Access', members: [] });

    const audit = await api.call('admin', { method: 'GET', url: '/api/v1/audit?entityType=team&entityId=identity' });
    const items = audit.json<{ items: AuditItem[] }>().items;
    expect(items.map((i) => i.action)).toEqual(['team.update', 'team.update', 'team.create']);
    expect(items[0]).toMatchObject({
      before: { members: ['cy@example.com', 'bo@example.com'] },
      after: { members: [] },
    });
  });

  it('writes nothing when a request changes nothing', async () => {
    const countAudit = async () =>
      (await api.call('admin', { method: 'GET', url: '/api/v1/audit?entityType=team&entityId=payments' })).json<{
        items: AuditItem[];
      }>().items.length;
    const before = await countAudit();
    const res = await api.call('reviewer', {
      method: 'PATCH',
      url: '/api/v1/teams/payments',
      payload: { displayName: 'Payments', members: [] },
    });
    expect(res.statusCode).toBe(200);
    expect(await countAudit()).toBe(before);
  });

  it('refuses bad members, unknown teams and roles below reviewer', async () => {
    const bad = await api.call('reviewer', {
      method: 'PATCH',
      url: '/api/v1/teams/identity',
      payload: { members: ['ana@example.com', 'not an email'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ errors: [{ field: 'members[1]' }] });

    const unknownField = await api.call('reviewer', {
      method: 'PATCH',
      url: '/api/v1/teams/identity',
      payload: { name: 'renamed' },
    });
    expect(unknownField.statusCode).toBe(400);

    const missing = await api.call('reviewer', {
      method: 'PATCH',
      url: '/api/v1/teams/ghosts',
      payload: { members: ['ana@example.com'] },
    });
    expect(missing.statusCode).toBe(404);

    const responder = await api.call('responder', {
      method: 'PATCH',
      url: '/api/v1/teams/identity',
      payload: { members: ['ana@example.com'] },
    });
    expect(responder.statusCode).toBe(403);
    const createAsResponder = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/teams',
      payload: { name: 'sneaky', members: ['ana@example.com'] },
    });
    expect(createAsResponder.statusCode).toBe(403);
  });
});
