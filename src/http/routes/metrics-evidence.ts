import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import {
  captureMetricEvidence,
  describeFailures,
  listMetricEvidence,
  PrometheusNotConfiguredError,
} from '../../app/metrics-capture.js';
import { actorOf } from '../actor.js';
import { problem, PROBLEM_BASE, sendProblem } from '../problem.js';
import { errors, keyParams, time } from '../schemas.js';

export const metricEvidenceSchema = z
  .object({
    eventId: z.string(),
    artifactId: z.string().meta({ description: 'sha256 of the stored snapshot' }),
    service: z.string(),
    name: z.string(),
    unit: z.string().nullable(),
    phase: z.enum(['declare', 'resolve', 'manual']),
    capturedAt: time,
    query: z.string().meta({ description: 'The PromQL that ran, with $service substituted' }),
    window: z.object({ start: time, end: time, stepSeconds: z.number() }),
    seriesTotal: z.number().int().meta({ description: 'Series Prometheus returned; at most 100 are kept' }),
    series: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        points: z
          .array(z.tuple([time, z.number().nullable()]))
          .meta({ description: '[time, value]; null where Prometheus had NaN or an infinity' }),
      }),
    ),
  })
  .meta({ id: 'MetricEvidence' });

function notConfigured(reply: FastifyReply, detail: string): FastifyReply {
  const p = problem('DEBRIEF_ERR_NOT_CONFIGURED', detail, [{ field: 'prometheus', message: detail }]);
  return sendProblem(reply, {
    ...p,
    type: `${PROBLEM_BASE}prometheus-not-configured`,
    title: 'Prometheus capture is not configured',
  });
}

function upstreamFailed(reply: FastifyReply, detail: string, failed: { field: string; message: string }[]) {
  const p = problem('DEBRIEF_ERR_UPSTREAM', detail, failed);
  return sendProblem(reply, {
    ...p,
    type: `${PROBLEM_BASE}prometheus-failed`,
    title: 'Prometheus failed',
  });
}

export function metricsEvidenceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/incidents/:key/metrics',
    {
      schema: {
        tags: ['evidence'],
        summary: 'Metric snapshots captured from Prometheus for an incident, in timeline order',
        params: keyParams,
        response: { 200: z.object({ items: z.array(metricEvidenceSchema) }), ...errors(404) },
      },
    },
    async (request) => ({ items: await listMetricEvidence(ctx, actorOf(request), request.params.key) }),
  );

  r.post(
    '/api/v1/incidents/:key/metrics/capture',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['evidence'],
        summary: "Capture the incident's Prometheus queries now (responder or more)",
        description:
          'Runs every query configured for the incident services over the incident window and stores each result. ' +
          'Answers 502 when Prometheus fails (the queries that succeeded are kept) and 422 when nothing is configured.',
        params: keyParams,
        response: { 201: z.object({ items: z.array(metricEvidenceSchema) }), ...errors(403, 404, 422, 502) },
      },
    },
    async (request, reply) => {
      const report = await captureMetricEvidence(ctx, actorOf(request), {
        incident: { key: request.params.key },
        phase: 'manual',
      }).catch((error: unknown) => {
        if (error instanceof PrometheusNotConfiguredError) return error;
        throw error;
      });
      if (report instanceof PrometheusNotConfiguredError) return notConfigured(reply, report.message);
      if (report.planned === 0) {
        return notConfigured(
          reply,
          `no Prometheus queries are configured for the services of ${report.incidentKey}; ` +
            'add them under prometheus.queries (per service name, or "*" for all)',
        );
      }
      if (report.failures.length > 0) {
        return upstreamFailed(
          reply,
          `Prometheus failed for ${report.failures.length} of ${report.planned} queries ` +
            `(${report.captured.length} captured): ${describeFailures(report.failures)}`,
          report.failures.map((f) => ({ field: `prometheus.queries.${f.service}`, message: `${f.name}: ${f.error}` })),
        );
      }
      return reply.status(201).send({ items: report.captured });
    },
  );
}
