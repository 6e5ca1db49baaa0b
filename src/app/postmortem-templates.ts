/**
 * Postmortem templates: the built-in default plus an organisation's own, matched to incidents by severity and type
 * when a draft is composed. Everybody signed in reads them; reviewers and admins manage them.
 */
import { sectionId } from '../analysis/postmortem/index.js';
import { DebriefError, notFound } from '../domain/errors.js';
import { BUILT_IN_TEMPLATE_ID, checkTemplateSections, DEFAULT_TEMPLATE } from '../domain/postmortem/index.js';
import type { PostmortemTemplate, TemplateSection } from '../domain/postmortem/types.js';
import type { Principal } from '../domain/types.js';
import { newId } from '../store/ids.js';
import type { Repositories } from '../store/repositories.js';
import { read, transact, type AppContext } from './context.js';
import { authorize } from './guard.js';
import {
  createTemplateInput,
  updateTemplateInput,
  type CreateTemplateInput,
  type UpdateTemplateInput,
} from './postmortem-inputs.js';
import type { TemplateView } from './postmortem-views.js';
import { parseInput } from './validate.js';

type SectionInput = { id?: string | undefined; title: string; prompt: string; required: boolean };

/** Sections with their ids (the slug of the title unless given), checked for duplicates and mismatched ids. */
function toSections(input: readonly SectionInput[]): TemplateSection[] {
  const sections = input.map((s) => ({
    id: s.id ?? sectionId(s.title),
    title: s.title,
    prompt: s.prompt,
    required: s.required,
  }));
  checkTemplateSections(sections);
  return sections;
}

function builtInIsFixed(): DebriefError {
  return new DebriefError(
    'DEBRIEF_ERR_INVALID_TRANSITION',
    'id: the built-in template cannot be changed or deleted; create a template of your own instead',
    { field: 'id' },
  );
}

async function assertNameFree(repos: Repositories, name: string, exceptId?: string): Promise<void> {
  const taken =
    name.toLowerCase() === DEFAULT_TEMPLATE.name.toLowerCase()
      ? DEFAULT_TEMPLATE
      : await repos.templates.findByName(name);
  if (taken && taken.id !== exceptId) {
    throw new DebriefError('DEBRIEF_ERR_ALREADY_EXISTS', `a template named "${name}" already exists`, {
      field: 'name',
    });
  }
}

/**
 * The built-in default first, then the organisation's templates by name.
 *
 * @example
 * (await listTemplates(ctx, actor))[0].id; // 'default'
 */
export async function listTemplates(ctx: AppContext, actor: Principal): Promise<TemplateView[]> {
  authorize(actor, 'postmortem.read');
  return [DEFAULT_TEMPLATE, ...(await read(ctx).templates.list())];
}

/** One template by id (`default` is the built-in). */
export async function getTemplate(ctx: AppContext, actor: Principal, id: string): Promise<TemplateView> {
  authorize(actor, 'postmortem.read');
  if (id === BUILT_IN_TEMPLATE_ID) return DEFAULT_TEMPLATE;
  const template = await read(ctx).templates.get(id);
  if (!template) throw notFound('template', id);
  return template;
}

/**
 * Adds a template. Section ids default to the slug of their titles; the name must be unique.
 *
 * @example
 * await createTemplate(ctx, reviewer, {
 *   name: 'Security incident',
 *   types: ['security'],
 *   sections: [{ title: 'Summary', prompt: 'What happened, in plain words.' }, { title: 'Exposure' }],
 * });
 */
export async function createTemplate(
  ctx: AppContext,
  actor: Principal,
  raw: CreateTemplateInput,
): Promise<TemplateView> {
  const input = parseInput(createTemplateInput, raw);
  authorize(actor, 'template.manage');
  const sections = toSections(input.sections);
  return transact(ctx, async (tx) => {
    await assertNameFree(tx.repos, input.name);
    const template: PostmortemTemplate = {
      id: newId(Date.parse(tx.now)),
      name: input.name,
      description: input.description,
      severities: [...new Set(input.severities)],
      types: [...new Set(input.types)],
      sections,
      builtIn: false,
      createdAt: tx.now,
      updatedAt: tx.now,
      version: 1,
    };
    await tx.repos.templates.insert(template);
    await tx.audit(actor, 'template.create', 'template', template.id, null, template);
    return template;
  });
}

/**
 * Changes a template; `version` must be the stored one. Postmortems written with it keep their text.
 *
 * @throws DebriefError DEBRIEF_ERR_INVALID_TRANSITION (422) for the built-in template.
 */
export async function updateTemplate(
  ctx: AppContext,
  actor: Principal,
  id: string,
  raw: UpdateTemplateInput,
): Promise<TemplateView> {
  const input = parseInput(updateTemplateInput, raw);
  authorize(actor, 'template.manage');
  if (id === BUILT_IN_TEMPLATE_ID) throw builtInIsFixed();
  const sections = input.sections === undefined ? undefined : toSections(input.sections);
  return transact(ctx, async (tx) => {
    const before = await tx.repos.templates.get(id);
    if (!before) throw notFound('template', id);
    const stale = () =>
      new DebriefError(
        'DEBRIEF_ERR_VERSION_CONFLICT',
        `template "${before.name}" was changed by someone else (now version ${before.version}, you sent ${input.version}); reload and retry`,
        { field: 'version' },
      );
    if (input.version !== before.version) throw stale();
    if (input.name !== undefined && input.name !== before.name) await assertNameFree(tx.repos, input.name, id);
    const after: PostmortemTemplate = {
      ...before,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.severities !== undefined ? { severities: [...new Set(input.severities)] } : {}),
      ...(input.types !== undefined ? { types: [...new Set(input.types)] } : {}),
      ...(sections !== undefined ? { sections } : {}),
      updatedAt: tx.now,
      version: before.version + 1,
    };
    if (!(await tx.repos.templates.update(after, before.version))) throw stale();
    await tx.audit(actor, 'template.update', 'template', id, before, after);
    return after;
  });
}

/**
 * Deletes a template. Postmortems written with it keep their text and name the template by its id.
 *
 * @throws DebriefError DEBRIEF_ERR_INVALID_TRANSITION (422) for the built-in template.
 */
export async function deleteTemplate(ctx: AppContext, actor: Principal, id: string): Promise<void> {
  authorize(actor, 'template.manage');
  if (id === BUILT_IN_TEMPLATE_ID) throw builtInIsFixed();
  await transact(ctx, async (tx) => {
    const before = await tx.repos.templates.get(id);
    if (!before) throw notFound('template', id);
    const inUse = await tx.repos.templates.countUsing(id);
    await tx.repos.templates.delete(id);
    await tx.audit(actor, 'template.delete', 'template', id, before, { usedBy: inUse });
  });
}
