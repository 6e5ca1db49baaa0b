import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

describeEachDialect('sign-in and tokens', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  it('signs in with a password, sets an HttpOnly SameSite cookie, and signs out', async () => {
    const login = await api.call(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: api.emails.responder.toUpperCase(), password: 'password-123' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'debrief_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const me = await api.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { debrief_session: cookie?.value ?? '' },
    });
    expect(me.json()).toMatchObject({ user: { email: api.emails.responder, role: 'responder' } });
    const stored = await db.database.db.selectFrom('sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(cookie?.value);
    await api.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies: { debrief_session: cookie?.value ?? '' },
    });
    const after = await api.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { debrief_session: cookie?.value ?? '' },
    });
    expect(after.statusCode).toBe(401);
    const audit = await api.call('admin', { method: 'GET', url: `/api/v1/audit?actor=${api.emails.responder}` });
    const actions = audit.json<{ items: { action: string }[] }>().items.map((i) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['session.create', 'session.delete']));
  });

  it('gives the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await api.call(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: api.emails.viewer, password: 'nope-nope' },
    });
    const unknown = await api.call(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ghost@example.com', password: 'nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('refuses cookie-authenticated writes from another origin', async () => {
    const login = await api.call(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: api.emails.responder, password: 'password-123' },
    });
    const cookie = login.cookies.find((c) => c.name === 'debrief_session')?.value ?? '';
    const res = await api.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      cookies: { debrief_session: cookie },
      headers: { origin: 'https://evil.example', host: 'debrief.local' },
      payload: { title: 'csrf', severity: 'SEV4' },
    });
    expect(res.statusCode).toBe(401);
  });

  it('creates tokens that are stored hashed, lists them without secrets, and revokes them', async () => {
    const created = await api.call('admin', {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'ci', role: 'viewer' },
    });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json<{ token: string; id: string }>();
    expect(token).toMatch(/^dbf_/);
    const rows = await db.database.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    const listed = await api.call('admin', { method: 'GET', url: '/api/v1/tokens' });
    expect(listed.body).not.toContain(token);
    const use = await api.app.inject({
      method: 'GET',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(use.statusCode).toBe(200);
    await api.call('admin', { method: 'DELETE', url: `/api/v1/tokens/${id}` });
    const revoked = await api.app.inject({
      method: 'GET',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.statusCode).toBe(401);
    const forbidden = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x', role: 'admin' },
    });
    expect(forbidden.statusCode).toBe(403);
  });
});
