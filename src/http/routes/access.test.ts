import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

describeEachDialect('private incidents', (db) => {
  let api: TestApi;
  let privateKey = '';
  let memberToken = '';
  beforeAll(async () => {
    api = await createTestApi(db.database);
    const res = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: {
        title: 'Credential leak investigation',
        severity: 'SEV1',
        type: 'security',
        visibility: 'private',
        members: [api.emails.reviewer],
      },
    });
    expect(res.statusCode).toBe(201);
    privateKey = res.json<{ key: string }>().key;
    const login = await api.call(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: api.emails.reviewer, password: 'password-123' },
    });
    memberToken = login.cookies.find((c) => c.name === 'debrief_session')?.value ?? '';
  });
  afterAll(async () => {
    await api.close();
  });

  const keysIn = (body: { items: { key: string }[] }) => body.items.map((i) => i.key);

  it('is hidden from non-members in the list and answers 404 on read and write', async () => {
    const list = await api.call('viewer', { method: 'GET', url: '/api/v1/incidents?limit=200' });
    expect(keysIn(list.json())).not.toContain(privateKey);
    const filtered = await api.call('viewer', { method: 'GET', url: '/api/v1/incidents?visibility=private' });
    expect(keysIn(filtered.json())).toEqual([]);
    for (const url of [`/api/v1/incidents/${privateKey}`, `/api/v1/incidents/${privateKey}/timeline`]) {
      const res = await api.call('viewer', { method: 'GET', url });
      expect(res.statusCode).toBe(404);
    }
    const note = await api.call('reviewer', {
      method: 'POST',
      url: `/api/v1/incidents/${privateKey}/timeline`,
      payload: { body: 'a token without membership' },
    });
    expect(note.statusCode).toBe(404);
  });

  it('is visible to its declarer, its members (by session) and admins', async () => {
    const declarer = await api.call('responder', { method: 'GET', url: `/api/v1/incidents/${privateKey}` });
    expect(declarer.statusCode).toBe(200);
    const member = await api.app.inject({
      method: 'GET',
      url: '/api/v1/incidents?visibility=private',
      cookies: { debrief_session: memberToken },
    });
    expect(keysIn(member.json())).toEqual([privateKey]);
    const admin = await api.call('admin', { method: 'GET', url: `/api/v1/incidents/${privateKey}` });
    expect(admin.statusCode).toBe(200);
  });

  it('becomes visible to someone named as a role holder', async () => {
    const res = await api.call('admin', {
      method: 'PUT',
      url: `/api/v1/incidents/${privateKey}/roles`,
      payload: { scribe: api.emails.viewer },
    });
    expect(res.statusCode).toBe(200);
    const login = await api.call(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: api.emails.viewer, password: 'password-123' },
    });
    const cookie = login.cookies.find((c) => c.name === 'debrief_session')?.value ?? '';
    const seen = await api.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${privateKey}`,
      cookies: { debrief_session: cookie },
    });
    expect(seen.statusCode).toBe(200);
  });
});
