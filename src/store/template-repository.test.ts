import { expect, it } from 'vitest';
import { describeEachDialect } from '../../test/harness/dialects.js';
import type { PostmortemTemplate } from '../domain/postmortem/types.js';
import type { Incident } from '../domain/types.js';
import { newId } from './ids.js';
import { repositories } from './repositories.js';

function templateOf(name: string, overrides: Partial<PostmortemTemplate> = {}): PostmortemTemplate {
  return {
    id: newId(),
    name,
    description: `${name} template`,
    severities: ['SEV1', 'SEV2'],
    types: ['security'],
    sections: [
      { id: 'summary', title: 'Summary', prompt: 'What happened, in two sentences.', required: true },
      { id: 'five-whys', title: '5 whys', prompt: 'Ask why until the answer is a system.', required: false },
    ],
    builtIn: false,
    createdAt: '2026-02-01T10:00:00.000Z',
    updatedAt: '2026-02-01T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

describeEachDialect('template repository', (ctx) => {
  const repos = () => repositories(ctx.database.db, ctx.database.dialect);

  it('stores a template and finds it by id and by name, sections in order', async () => {
    const template = templateOf('security-breach');
    await repos().templates.insert(template);
    expect(await repos().templates.get(template.id)).toEqual(template);
    expect(await repos().templates.findByName('security-breach')).toEqual(template);
    expect(await repos().templates.get(newId())).toBeNull();
    expect(await repos().templates.findByName('nope')).toBeNull();
  });

  it('never reads a stored template back as the built-in one', async () => {
    const template = templateOf('claims-built-in', { builtIn: true });
    await repos().templates.insert(template);
    expect((await repos().templates.get(template.id))?.builtIn).toBe(false);
  });

  it('keeps names unique', async () => {
    await repos().templates.insert(templateOf('unique-name'));
    await expect(repos().templates.insert(templateOf('unique-name'))).rejects.toThrow();
  });

  it('lists templates by name', async () => {
    for (const name of ['zz-last', 'aa-first', 'mm-middle']) await repos().templates.insert(templateOf(name));
    const names = (await repos().templates.list()).map((t) => t.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['aa-first', 'mm-middle', 'zz-last']));
  });

  it('writes an update only over the version it was read at', async () => {
    const template = templateOf('versioned');
    await repos().templates.insert(template);
    const edited: PostmortemTemplate = {
      ...template,
      name: 'versioned-2',
      severities: [],
      types: [],
      sections: [{ id: 'impact', title: 'Impact', prompt: 'Who noticed, for how long.', required: true }],
      updatedAt: '2026-02-02T10:00:00.000Z',
      version: 2,
    };
    expect(await repos().templates.update(edited, 1)).toBe(true);
    expect(await repos().templates.update({ ...template, description: 'stale', version: 2 }, 1)).toBe(false);
    expect(await repos().templates.get(template.id)).toEqual(edited);
  });

  it('counts the postmortems using a template and deletes one', async () => {
    const template = templateOf('counted');
    await repos().templates.insert(template);
    expect(await repos().templates.countUsing(template.id)).toBe(0);

    for (const number of [9001, 9002]) {
      const incident: Incident = {
        id: newId(),
        number,
        key: `INC-${number}`,
        title: 'Login outage',
        summary: '',
        severity: 'SEV1',
        type: 'security',
        visibility: 'public',
        status: 'resolved',
        services: [],
        customerImpact: '',
        roles: { commander: null, scribe: null, communications: null },
        members: [],
        impactStartedAt: null,
        detectedAt: null,
        acknowledgedAt: null,
        mitigatedAt: null,
        resolvedAt: null,
        closedAt: null,
        declaredAt: '2026-02-03T10:00:00.000Z',
        declaredBy: 'ana@example.com',
        createdAt: '2026-02-03T10:00:00.000Z',
        updatedAt: '2026-02-03T10:00:00.000Z',
        version: 1,
      };
      await repos().incidents.insert(incident);
      await repos().postmortems.insert({
        id: newId(),
        incidentId: incident.id,
        templateId: template.id,
        status: 'draft',
        body: '## Summary\n',
        hiddenSections: [],
        round: 0,
        createdBy: 'ana@example.com',
        createdAt: incident.createdAt,
        updatedAt: incident.createdAt,
        updatedBy: 'ana@example.com',
        reviewRequestedAt: null,
        reviewRequestedBy: null,
        publishedAt: null,
        publishedBy: null,
        version: 1,
      });
    }
    expect(await repos().templates.countUsing(template.id)).toBe(2);

    const unused = templateOf('unused');
    await repos().templates.insert(unused);
    expect(await repos().templates.delete(unused.id)).toBe(true);
    expect(await repos().templates.delete(unused.id)).toBe(false);
    expect(await repos().templates.get(unused.id)).toBeNull();
  });
});
