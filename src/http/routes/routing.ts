import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import {
  createMaintenanceWindow,
  createMaintenanceWindowInput,
  createRoutingRule,
  createRoutingRuleInput,
  deleteMaintenanceWindow,
  deleteRoutingRule,
  listMaintenanceWindows,
  listRoutingRules,
  updateRoutingRule,
  updateRoutingRuleInput,
} from '../../app/routing.js';
import { ROUTING_ACTIONS } from '../../domain/alert-routing.js';
import { SEVERITIES } from '../../domain/types.js';
import { actorOf } from '../actor.js';
import { errors, nullableTime, time } from '../schemas.js';

const alertMatchSchema = z.object({
  labels: z.record(z.string(), z.string()).optional(),
  severity: z.array(z.string()).optional(),
  service: z.array(z.string()).optional(),
  source: z.array(z.string()).optional(),
});

const routingRuleSchema = z
  .object({
    id: z.string(),
    origin: z.enum(['settings', 'api']),
    name: z.string(),
    position: z.number().int(),
    match: alertMatchSchema,
    action: z.enum(ROUTING_ACTIONS),
    severity: z.enum(SEVERITIES).nullable(),
    service: z.string().nullable(),
    enabled: z.boolean(),
    createdAt: nullableTime,
    updatedAt: nullableTime,
    version: z.number().int().nullable(),
  })
  .meta({ id: 'RoutingRule' });

const maintenanceWindowSchema = z
  .object({
    id: z.string(),
    service: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    startsAt: time,
    endsAt: time,
    reason: z.string(),
    createdBy: z.string(),
    createdAt: time,
    active: z.boolean(),
  })
  .meta({ id: 'MaintenanceWindow' });

const idParams = z.object({ id: z.string().max(100) });

export function routingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/routing-rules',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Routing rules in the order they apply: the settings file, then the API rules by position',
        response: {
          200: z.object({ items: z.array(routingRuleSchema), defaultSeverity: z.enum(SEVERITIES) }),
          ...errors(403),
        },
      },
    },
    (request) => listRoutingRules(ctx, actorOf(request)),
  );

  r.post(
    '/api/v1/routing-rules',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Add a routing rule (reviewer or admin)',
        body: createRoutingRuleInput,
        response: { 201: routingRuleSchema, ...errors(400, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await createRoutingRule(ctx, actorOf(request), request.body)),
  );

  r.patch(
    '/api/v1/routing-rules/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Change a routing rule (reviewer or admin; send the version you read)',
        params: idParams,
        body: updateRoutingRuleInput,
        response: { 200: routingRuleSchema, ...errors(400, 403, 404, 409) },
      },
    },
    (request) => updateRoutingRule(ctx, actorOf(request), request.params.id, request.body),
  );

  r.delete(
    '/api/v1/routing-rules/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Delete a routing rule (reviewer or admin)',
        params: idParams,
        response: { 200: routingRuleSchema, ...errors(400, 403, 404) },
      },
    },
    (request) => deleteRoutingRule(ctx, actorOf(request), request.params.id),
  );

  r.get(
    '/api/v1/maintenance-windows',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Current and upcoming maintenance windows, soonest first (past=true adds ended ones)',
        querystring: z.strictObject({ past: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(maintenanceWindowSchema) }), ...errors(400, 403) },
      },
    },
    async (request) => ({
      items: await listMaintenanceWindows(ctx, actorOf(request), { past: request.query.past === 'true' }),
    }),
  );

  r.post(
    '/api/v1/maintenance-windows',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Schedule a maintenance window: matching alerts do not declare incidents (reviewer or admin)',
        body: createMaintenanceWindowInput,
        response: { 201: maintenanceWindowSchema, ...errors(400, 403) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createMaintenanceWindow(ctx, actorOf(request), request.body)),
  );

  r.delete(
    '/api/v1/maintenance-windows/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Delete a maintenance window, ending it early (reviewer or admin)',
        params: idParams,
        response: { 200: maintenanceWindowSchema, ...errors(403, 404) },
      },
    },
    (request) => deleteMaintenanceWindow(ctx, actorOf(request), request.params.id),
  );
}
