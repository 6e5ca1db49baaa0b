import { afterAll, beforeAll, expect, it } from 'vitest';
import { putArtifact } from '../../app/artifacts.js';
import { transact } from '../../app/context.js';
import type { TimelineEvent } from '../../domain/types.js';
import { newId } from '../../store/ids.js';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

interface Meta {
  id: string;
  mediaType: string;
  size: number;
  description: string;
  createdAt: string;
}

describeEachDialect('artifacts API', (db) => {
  let api: TestApi;
  let privateKey = '';
  let publicKey = '';
  let memberSession = '';

  /** Stores content and links it from a `log` event of the incident, as evidence capture does. */
  async function linkedArtifact(key: string, content: string): Promise<string> {
    return transact(api.ctx, async (tx) => {
      const meta = await putArtifact(tx, content, 'application/json', `evidence for ${key}`);
      const incident = await tx.repos.incidents.findByNumber(Number(key.replace('INC-', '')));
      if (!incident) throw new Error(`no ${key}`);
      const event: TimelineEvent = {
        id: newId(),
        incidentId: incident.id,
        at: tx.now,
        kind: 'log',
        source: 'debrief',
        title: 'Log excerpt',
        body: '',
        labels: {},
        dedupeKey: null,
        marker: null,
        pinned: false,
        artifactId: meta.id,
        count: 1,
        actor: null,
        createdAt: tx.now,
      };
      await tx.repos.timeline.insert(event);
      return meta.id;
    });
  }

  beforeAll(async () => {
    api = await createTestApi(db.database);
    const declare = async (payload: Record<string, unknown>) =>
      (await api.call('responder', { method: 'POST', url: '/api/v1/incidents', payload })).json<{ key: string }>().key;
    privateKey = await declare({
      title: 'Leaked session tokens',
      severity: 'SEV1',
      type: 'security',
      visibility: 'private',
      members: [api.emails.reviewer],
    });
    publicKey = await declare({ title: 'Search slow', severity: 'SEV3' });
    // Membership is by email, so the member signs in as a person rather than with a token.
    const login = await api.call(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: api.emails.reviewer, password: 'password-123' },
    });
    memberSession = login.cookies.find((c) => c.name === 'debrief_session')?.value ?? '';
  });
  afterAll(async () => {
    await api.close();
  });

  it('serves the bytes with their media type, the id as ETag, and immutable caching', async () => {
    const content = '{"lines":["GET /checkout 500"]}\n';
    const id = await linkedArtifact(publicKey, content);
    const res = await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${id}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(content);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers.etag).toBe(`"${id}"`);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['content-security-policy']).toContain('sandbox');
    const cached = await api.call('viewer', {
      method: 'GET',
      url: `/api/v1/artifacts/${id}`,
      headers: { 'if-none-match': `"${id}"` },
    });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
    const meta = await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${id.toUpperCase()}/meta` });
    const { createdAt, ...rest } = meta.json<Meta>();
    expect(rest).toEqual({
      id,
      mediaType: 'application/json',
      size: Buffer.byteLength(content),
      description: `evidence for ${publicKey}`,
    });
    expect(Number.isNaN(Date.parse(createdAt))).toBe(false);
  });

  it('hides evidence of a private incident from those who may not see it, as not found', async () => {
    const id = await linkedArtifact(privateKey, '{"secret":"only for responders of this incident"}');
    for (const path of [`/api/v1/artifacts/${id}`, `/api/v1/artifacts/${id}/meta`]) {
      const viewer = await api.call('viewer', { method: 'GET', url: path });
      expect(viewer.statusCode).toBe(404);
      expect(viewer.json()).toMatchObject({ code: 'DEBRIEF_ERR_NOT_FOUND' });
      expect((await api.call('reviewer', { method: 'GET', url: path })).statusCode).toBe(404);
      const member = await api.app.inject({ method: 'GET', url: path, cookies: { debrief_session: memberSession } });
      expect(member.statusCode).toBe(200);
      expect((await api.call('responder', { method: 'GET', url: path })).statusCode).toBe(200);
      expect((await api.call('admin', { method: 'GET', url: path })).statusCode).toBe(200);
    }
  });

  it('serves the same bytes when a visible incident links them too', async () => {
    const content = '{"shared":"linked from a private and a public incident"}';
    const id = await linkedArtifact(privateKey, content);
    expect((await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${id}` })).statusCode).toBe(404);
    await linkedArtifact(publicKey, content);
    expect((await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${id}` })).statusCode).toBe(200);
  });

  it("lets anyone signed in read a change's diff, and only admins an artifact nothing links", async () => {
    const change = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/changes',
      payload: { service: 'checkout', version: 'v3', at: '2026-11-01T00:00:00Z', diff: '-a\n+b\n' },
    });
    const diffId = change.json<{ diffArtifactId: string }>().diffArtifactId;
    expect((await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${diffId}` })).body).toBe('-a\n+b\n');
    const loose = await transact(api.ctx, (tx) => putArtifact(tx, 'unlinked', 'text/plain', 'nobody links this'));
    expect((await api.call('viewer', { method: 'GET', url: `/api/v1/artifacts/${loose.id}` })).statusCode).toBe(404);
    expect((await api.call('admin', { method: 'GET', url: `/api/v1/artifacts/${loose.id}` })).statusCode).toBe(200);
  });

  it('answers an unknown id with 404, a malformed one with 400, and no credentials with 401', async () => {
    const unknown = await api.call('admin', { method: 'GET', url: `/api/v1/artifacts/${'0'.repeat(64)}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const malformed = await api.call('viewer', { method: 'GET', url: '/api/v1/artifacts/not-a-hash/meta' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ code: 'DEBRIEF_ERR_VALIDATION', errors: [{ field: 'id' }] });
    const anonymous = await api.call(null, { method: 'GET', url: `/api/v1/artifacts/${'0'.repeat(64)}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
