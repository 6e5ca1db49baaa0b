import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness/dialects.js';
import { createTestApi, type TestApi } from '../../../test/support/api.js';

interface Template {
  id: string;
  name: string;
  builtIn: boolean;
  version: number;
  severities: string[];
  sections: { id: string; title: string; prompt: string; required: boolean }[];
}

interface Problem {
  code: string;
  errors: { field: string }[];
}

const URL = '/api/v1/postmortem-templates';

describeEachDialect('postmortem templates API', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi(db.database);
  });
  afterAll(async () => {
    await api.close();
  });

  const create = (name: string, role: 'reviewer' | 'responder' = 'reviewer') =>
    api.call(role, {
      method: 'POST',
      url: URL,
      payload: {
        name,
        severities: ['SEV1', 'SEV2'],
        sections: [
          { title: 'TL;DR', prompt: 'Five sentences at most.' },
          { title: 'Customer impact' },
          { title: '5 whys', required: false },
        ],
      },
    });

  it('lists the built-in template first, to everybody signed in', async () => {
    await create('Major incident');
    const res = await api.call('viewer', { method: 'GET', url: URL });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: Template[] }>().items;
    expect(items[0]).toMatchObject({ id: 'default', builtIn: true });
    expect(items.map((t) => t.name)).toContain('Major incident');
    const builtIn = await api.call('viewer', { method: 'GET', url: `${URL}/default` });
    expect(builtIn.json<Template>().sections.map((s) => s.id)).toContain('contributing-factors');
    const anonymous = await api.call(null, { method: 'GET', url: URL });
    expect(anonymous.statusCode).toBe(401);
  });

  it('creates templates with section ids from their titles, for reviewers only', async () => {
    const res = await create('Sev1 review');
    expect(res.statusCode).toBe(201);
    const template = res.json<Template>();
    expect(res.headers.location).toBe(`${URL}/${template.id}`);
    expect(template).toMatchObject({ builtIn: false, version: 1, severities: ['SEV1', 'SEV2'] });
    expect(template.sections).toEqual([
      { id: 'tldr', title: 'TL;DR', prompt: 'Five sentences at most.', required: true },
      { id: 'customer-impact', title: 'Customer impact', prompt: '', required: true },
      { id: '5-whys', title: '5 whys', prompt: '', required: false },
    ]);
    expect((await create('Responder template', 'responder')).statusCode).toBe(403);
    const duplicate = await create('Sev1 review');
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json<Problem>().errors[0]?.field).toBe('name');
    const wrongId = await api.call('reviewer', {
      method: 'POST',
      url: URL,
      payload: { name: 'Bad ids', sections: [{ id: 'impact', title: 'Summary' }] },
    });
    expect(wrongId.statusCode).toBe(400);
    expect(wrongId.json<Problem>().errors[0]?.field).toBe('sections.0.title');
  });

  it('updates with optimistic concurrency and deletes, but never the built-in one', async () => {
    const template = (await create('Changing')).json<Template>();
    const renamed = await api.call('reviewer', {
      method: 'PATCH',
      url: `${URL}/${template.id}`,
      payload: { version: template.version, name: 'Changed', severities: [] },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json<Template>()).toMatchObject({ name: 'Changed', version: 2, severities: [] });
    const stale = await api.call('reviewer', {
      method: 'PATCH',
      url: `${URL}/${template.id}`,
      payload: { version: template.version, name: 'Stale' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Problem>().code).toBe('DEBRIEF_ERR_VERSION_CONFLICT');

    const builtInChange = await api.call('admin', {
      method: 'PATCH',
      url: `${URL}/default`,
      payload: { version: 1, name: 'Mine now' },
    });
    expect(builtInChange.statusCode).toBe(422);
    expect((await api.call('admin', { method: 'DELETE', url: `${URL}/default` })).statusCode).toBe(422);

    expect((await api.call('reviewer', { method: 'DELETE', url: `${URL}/${template.id}` })).statusCode).toBe(204);
    expect((await api.call('viewer', { method: 'GET', url: `${URL}/${template.id}` })).statusCode).toBe(404);
    expect((await api.call('reviewer', { method: 'DELETE', url: `${URL}/${template.id}` })).statusCode).toBe(404);
  });

  it('keeps postmortems written with a deleted template', async () => {
    const template = (await create('Short-lived')).json<Template>();
    const declared = await api.call('responder', {
      method: 'POST',
      url: '/api/v1/incidents',
      payload: { title: 'Template user', severity: 'SEV4' },
    });
    const key = declared.json<{ key: string }>().key;
    const created = await api.call('responder', {
      method: 'POST',
      url: `/api/v1/incidents/${key}/postmortem`,
      payload: { templateId: template.id },
    });
    expect(created.json<{ template: { name: string } }>().template.name).toBe('Short-lived');
    await api.call('reviewer', { method: 'DELETE', url: `${URL}/${template.id}` });
    const after = await api.call('viewer', { method: 'GET', url: `/api/v1/incidents/${key}/postmortem` });
    expect(after.statusCode).toBe(200);
    const detail = after.json<{ postmortem: { body: string; template: { id: string; name: string } } }>();
    expect(detail.postmortem.template).toEqual({ id: template.id, name: template.id });
    expect(detail.postmortem.body).toContain('## Customer impact');
  });
});
