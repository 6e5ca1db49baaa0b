import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import {
  assignIncidentRoles,
  changeIncidentStatus,
  declareIncident,
  getIncident,
  listIncidents,
  updateIncident,
} from '../../app/incidents.js';
import {
  changeStatusInput,
  declareIncidentInput,
  incidentStatus,
  incidentType,
  rolesInput,
  severity,
  timestamp,
  updateIncidentInput,
  visibility,
} from '../../app/inputs.js';
import { actorOf } from '../actor.js';
import { csv, errors, incidentSchema, keyParams } from '../schemas.js';

export function incidentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'List incidents, newest first',
        querystring: z.strictObject({
          status: csv(incidentStatus).optional(),
          severity: csv(severity).optional(),
          type: csv(incidentType).optional(),
          visibility: visibility.optional(),
          service: z.string().max(63).optional(),
          from: timestamp.optional(),
          to: timestamp.optional(),
          q: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(100).optional(),
        }),
        response: {
          200: z.object({ items: z.array(incidentSchema), nextCursor: z.string().nullable() }),
          ...errors(400),
        },
      },
    },
    (request) => listIncidents(ctx, actorOf(request), request.query),
  );

  r.post(
    '/api/v1/incidents',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Declare an incident',
        body: declareIncidentInput,
        response: { 201: incidentSchema, ...errors(400, 403, 422) },
      },
    },
    async (request, reply) => {
      const incident = await declareIncident(ctx, actorOf(request), request.body);
      return reply.status(201).header('location', `/api/v1/incidents/${incident.key}`).send(incident);
    },
  );

  r.get(
    '/api/v1/incidents/:key',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Read an incident',
        params: keyParams,
        querystring: z.strictObject({ include: z.enum(['timeline']).optional() }),
        response: { 200: incidentSchema, ...errors(404) },
      },
    },
    (request) =>
      getIncident(ctx, actorOf(request), request.params.key, { timeline: request.query.include === 'timeline' }),
  );

  r.patch(
    '/api/v1/incidents/:key',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Update an incident (optimistic concurrency: send the version you read)',
        params: keyParams,
        body: updateIncidentInput,
        response: { 200: incidentSchema, ...errors(400, 403, 404, 409, 422) },
      },
    },
    (request) => updateIncident(ctx, actorOf(request), request.params.key, request.body),
  );

  r.post(
    '/api/v1/incidents/:key/status',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Change status: investigating → mitigated → resolved → closed, or reopen',
        params: keyParams,
        body: changeStatusInput,
        response: { 200: incidentSchema, ...errors(400, 403, 404, 409, 422) },
      },
    },
    (request) => changeIncidentStatus(ctx, actorOf(request), request.params.key, request.body),
  );

  r.put(
    '/api/v1/incidents/:key/roles',
    {
      schema: {
        tags: ['incidents'],
        summary: 'Assign incident roles (email, or null to unassign)',
        params: keyParams,
        body: rolesInput,
        response: { 200: incidentSchema, ...errors(400, 403, 404) },
      },
    },
    (request) => assignIncidentRoles(ctx, actorOf(request), request.params.key, request.body),
  );
}
