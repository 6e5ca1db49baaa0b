import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAudit } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { createApiToken, createUser, listApiTokens, listUsers, revokeApiToken } from '../../app/identity.js';
import { createTokenInput, createUserInput } from '../../app/inputs.js';
import { actorOf } from '../actor.js';
import { apiTokenSchema, auditEventSchema, errors, userSchema } from '../schemas.js';

export function adminRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'List users (admin)',
        response: { 200: z.object({ items: z.array(userSchema) }), ...errors(403) },
      },
    },
    async (request) => ({ items: await listUsers(ctx, actorOf(request)) }),
  );

  r.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a user (admin); without a password one is generated and returned once',
        body: createUserInput,
        response: {
          201: z.object({ user: userSchema, generatedPassword: z.string().nullable() }),
          ...errors(400, 403, 409),
        },
      },
    },
    async (request, reply) => reply.status(201).send(await createUser(ctx, actorOf(request), request.body)),
  );

  r.get(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['admin'],
        summary: 'List API tokens (admin); secrets are never shown again',
        response: { 200: z.object({ items: z.array(apiTokenSchema) }), ...errors(403) },
      },
    },
    async (request) => ({ items: await listApiTokens(ctx, actorOf(request)) }),
  );

  r.post(
    '/api/v1/tokens',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an API token (admin); the secret is in the response once',
        body: createTokenInput,
        response: { 201: apiTokenSchema.extend({ token: z.string() }), ...errors(400, 403) },
      },
    },
    async (request, reply) => {
      const { token, apiToken } = await createApiToken(ctx, actorOf(request), request.body);
      return reply.status(201).send({ ...apiToken, token });
    },
  );

  r.delete(
    '/api/v1/tokens/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API token (admin)',
        params: z.object({ id: z.string().max(100) }),
        response: { 200: apiTokenSchema, ...errors(403, 404) },
      },
    },
    (request) => revokeApiToken(ctx, actorOf(request), request.params.id),
  );

  r.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'The audit log, newest first (admin)',
        querystring: z.strictObject({
          entityType: z.string().max(50).optional(),
          entityId: z.string().max(100).optional(),
          actor: z.string().max(300).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().max(100).optional(),
        }),
        response: {
          200: z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() }),
          ...errors(400, 403),
        },
      },
    },
    (request) => listAudit(ctx, actorOf(request), request.query),
  );
}
