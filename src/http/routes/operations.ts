import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { operationalFigures } from '../../app/operations.js';
import {
  EVENT_KINDS,
  INCIDENT_ROLES,
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  MARKERS,
  SEVERITIES,
  USER_ROLES,
  VISIBILITIES,
} from '../../domain/types.js';
import type { MetricsRegistry } from '../metrics.js';

export function operationsRoutes(app: FastifyInstance, ctx: AppContext, metrics: MetricsRegistry): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const started = Date.now();

  r.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database check',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.string() }),
          503: z.object({ status: z.literal('unavailable'), database: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      const figures = await operationalFigures(ctx);
      if (!figures.databaseUp)
        return reply.status(503).send({ status: 'unavailable' as const, database: ctx.database.dialect });
      return { status: 'ok' as const, database: ctx.database.dialect };
    },
  );

  r.get(
    '/metrics',
    {
      config: { public: true },
      schema: { tags: ['operations'], summary: 'Prometheus metrics (text exposition)', hide: false },
    },
    async (_request, reply) => {
      const f = await operationalFigures(ctx);
      const mem = process.memoryUsage();
      const body = metrics.render([
        {
          name: 'debrief_database_up',
          help: 'Whether the database answered the last check.',
          samples: [{ labels: { dialect: ctx.database.dialect }, value: f.databaseUp ? 1 : 0 }],
        },
        {
          name: 'debrief_database_ping_seconds',
          help: 'Round trip of a trivial query at scrape time.',
          samples: [{ value: f.databasePingSeconds }],
        },
        {
          name: 'debrief_jobs',
          help: 'Durable jobs by status.',
          samples: Object.entries(f.jobsByStatus).map(([status, value]) => ({ labels: { status }, value })),
        },
        { name: 'debrief_process_resident_memory_bytes', help: 'Resident set size.', samples: [{ value: mem.rss }] },
        { name: 'debrief_process_heap_used_bytes', help: 'V8 heap in use.', samples: [{ value: mem.heapUsed }] },
        {
          name: 'debrief_process_uptime_seconds',
          help: 'Seconds since the server started.',
          samples: [{ value: (Date.now() - started) / 1000 }],
        },
      ]);
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(body);
    },
  );

  r.get(
    '/api/v1/meta',
    {
      config: { public: true },
      schema: { tags: ['operations'], summary: 'Enumerations clients need' },
    },
    () => ({
      severities: SEVERITIES,
      statuses: INCIDENT_STATUSES,
      types: INCIDENT_TYPES,
      visibilities: VISIBILITIES,
      eventKinds: EVENT_KINDS,
      markers: MARKERS,
      roles: USER_ROLES,
      incidentRoles: INCIDENT_ROLES,
    }),
  );
}
