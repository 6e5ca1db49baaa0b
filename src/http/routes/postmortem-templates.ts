import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { createTemplateInput, updateTemplateInput } from '../../app/postmortem-inputs.js';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  updateTemplate,
} from '../../app/postmortem-templates.js';
import { INCIDENT_TYPES, SEVERITIES } from '../../domain/types.js';
import { actorOf } from '../actor.js';
import { errors, time } from '../schemas.js';

export const templateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    severities: z.array(z.enum(SEVERITIES)),
    types: z.array(z.enum(INCIDENT_TYPES)),
    sections: z.array(z.object({ id: z.string(), title: z.string(), prompt: z.string(), required: z.boolean() })),
    builtIn: z.boolean(),
    createdAt: time,
    updatedAt: time,
    version: z.number().int(),
  })
  .meta({ id: 'PostmortemTemplate' });

const idParams = z.object({ id: z.string().max(100).meta({ description: 'Template id; `default` is the built-in' }) });

const TAGS = ['postmortems'];

export function postmortemTemplatesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/postmortem-templates',
    {
      schema: {
        tags: TAGS,
        summary: 'Postmortem templates, the built-in default first',
        response: { 200: z.object({ items: z.array(templateSchema) }), ...errors(403) },
      },
    },
    async (request) => ({ items: await listTemplates(ctx, actorOf(request)) }),
  );

  r.post(
    '/api/v1/postmortem-templates',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a template (reviewers and admins)',
        body: createTemplateInput,
        response: { 201: templateSchema, ...errors(400, 403, 409) },
      },
    },
    async (request, reply) => {
      const template = await createTemplate(ctx, actorOf(request), request.body);
      return reply.status(201).header('location', `/api/v1/postmortem-templates/${template.id}`).send(template);
    },
  );

  r.get(
    '/api/v1/postmortem-templates/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Read a template',
        params: idParams,
        response: { 200: templateSchema, ...errors(403, 404) },
      },
    },
    (request) => getTemplate(ctx, actorOf(request), request.params.id),
  );

  r.patch(
    '/api/v1/postmortem-templates/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a template; the built-in one cannot be changed',
        params: idParams,
        body: updateTemplateInput,
        response: { 200: templateSchema, ...errors(400, 403, 404, 409, 422) },
      },
    },
    (request) => updateTemplate(ctx, actorOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/v1/postmortem-templates/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a template; postmortems written with it keep their text',
        params: idParams,
        response: { 204: z.null().meta({ description: 'Deleted' }), ...errors(403, 404, 422) },
      },
    },
    async (request, reply) => {
      await deleteTemplate(ctx, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
