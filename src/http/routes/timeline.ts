import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { addTimelineEventInput, eventKind, updateTimelineEventInput } from '../../app/inputs.js';
import { addTimelineEvent, listTimeline, updateTimelineEvent } from '../../app/timeline.js';
import { actorOf } from '../actor.js';
import { csv, errors, timelineEventSchema } from '../schemas.js';

const keyParams = z.object({ key: z.string().max(40) });

export function timelineRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/incidents/:key/timeline',
    {
      schema: {
        tags: ['timeline'],
        summary: "An incident's timeline, oldest first",
        params: keyParams,
        querystring: z.strictObject({
          kind: csv(eventKind).optional(),
          source: csv(z.string().max(100)).optional(),
          pinned: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.object({ items: z.array(timelineEventSchema) }), ...errors(400, 404) },
      },
    },
    async (request) => {
      const { kind, source, pinned } = request.query;
      const items = await listTimeline(ctx, actorOf(request), request.params.key, {
        kind,
        source,
        pinned: pinned === undefined ? undefined : pinned === 'true',
      });
      return { items };
    },
  );

  r.post(
    '/api/v1/incidents/:key/timeline',
    {
      schema: {
        tags: ['timeline'],
        summary: 'Add a note or event (idempotent with dedupeKey)',
        params: keyParams,
        body: addTimelineEventInput,
        response: { 200: timelineEventSchema, 201: timelineEventSchema, ...errors(400, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const { event, created } = await addTimelineEvent(ctx, actorOf(request), request.params.key, request.body);
      return reply.status(created ? 201 : 200).send(event);
    },
  );

  r.patch(
    '/api/v1/incidents/:key/timeline/:id',
    {
      schema: {
        tags: ['timeline'],
        summary: 'Pin or unpin an event, or set its marker',
        params: z.object({ key: z.string().max(40), id: z.string().max(100) }),
        body: updateTimelineEventInput,
        response: { 200: timelineEventSchema, ...errors(400, 403, 404, 422) },
      },
    },
    (request) => updateTimelineEvent(ctx, actorOf(request), request.params.key, request.params.id, request.body),
  );
}
