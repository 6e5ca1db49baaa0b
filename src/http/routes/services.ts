import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createService,
  createTeam,
  getService,
  listServices,
  listTeams,
  updateService,
  updateTeam,
} from '../../app/catalog.js';
import type { AppContext } from '../../app/context.js';
import { createServiceInput, createTeamInput, updateServiceInput, updateTeamInput } from '../../app/inputs.js';
import { actorOf } from '../actor.js';
import { errors, serviceSchema, teamSchema } from '../schemas.js';

const nameParams = z.object({ name: z.string().max(63) });

export function serviceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/services',
    {
      schema: {
        tags: ['catalog'],
        summary: 'List services',
        response: { 200: z.object({ items: z.array(serviceSchema) }), ...errors() },
      },
    },
    async (request) => ({ items: await listServices(ctx, actorOf(request)) }),
  );

  r.post(
    '/api/v1/services',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Add a service (reviewer or admin)',
        body: createServiceInput,
        response: { 201: serviceSchema, ...errors(400, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await createService(ctx, actorOf(request), request.body)),
  );

  r.get(
    '/api/v1/services/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Read a service',
        params: nameParams,
        response: { 200: serviceSchema, ...errors(404) },
      },
    },
    (request) => getService(ctx, actorOf(request), request.params.name),
  );

  r.patch(
    '/api/v1/services/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Update a service (send the version you read)',
        params: nameParams,
        body: updateServiceInput,
        response: { 200: serviceSchema, ...errors(400, 403, 404, 409) },
      },
    },
    (request) => updateService(ctx, actorOf(request), request.params.name, request.body),
  );

  r.get(
    '/api/v1/teams',
    {
      schema: {
        tags: ['catalog'],
        summary: 'List teams',
        response: { 200: z.object({ items: z.array(teamSchema) }), ...errors() },
      },
    },
    async (request) => ({ items: await listTeams(ctx, actorOf(request)) }),
  );

  r.post(
    '/api/v1/teams',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Add a team (reviewer or admin)',
        body: createTeamInput,
        response: { 201: teamSchema, ...errors(400, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await createTeam(ctx, actorOf(request), request.body)),
  );

  r.patch(
    '/api/v1/teams/:name',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Rename a team or replace its members (reviewer or admin)',
        params: nameParams,
        body: updateTeamInput,
        response: { 200: teamSchema, ...errors(400, 403, 404) },
      },
    },
    (request) => updateTeam(ctx, actorOf(request), request.params.name, request.body),
  );
}
