import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

describeEachDialect('operations endpoints', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers /healthz with the database dialect', async () => {
    const res = await api.call(null, { method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: db.dialect });
  });

  it('exposes request durations, database and job figures in Prometheus text format', async () => {
    await api.call('viewer', { method: 'GET', url: '/api/v1/incidents' });
    const res = await api.call(null, { method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('# TYPE debrief_http_request_duration_seconds histogram');
    expect(res.body).toMatch(
      /debrief_http_request_duration_seconds_bucket\{method="GET",route="\/api\/v1\/incidents",status_code="200",le="0.05"\} \d+/,
    );
    expect(res.body).toMatch(/debrief_database_up\{dialect="\w+"\} 1/);
    expect(res.body).toContain('debrief_jobs{status="queued"} 0');
    for (const line of res.body.trim().split('\n')) {
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+-]+)$/);
    }
  });

  it('serves an OpenAPI 3.1 document describing the routes and the problem schema', async () => {
    const res = await api.call(null, { method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/incidents',
        '/api/v1/incidents/{key}',
        '/api/v1/incidents/{key}/timeline',
        '/api/v1/services',
      ]),
    );
    expect(doc.components.schemas).toHaveProperty('Incident');
    expect(doc.components.schemas).toHaveProperty('Problem');
    const docs = await api.call(null, { method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('sends security headers that still work over plain HTTP', async () => {
    const res = await api.call(null, { method: 'GET', url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown API routes with a 404 problem', async () => {
    const res = await api.call('viewer', { method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
