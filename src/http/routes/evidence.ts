/**
 * Evidence of an incident: log templates from the OTLP buffer or an uploaded file, log snapshots, the evidence
 * summary (completeness, gaps, sources), and the bulk timeline endpoint imports use.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import {
  evidenceSummary,
  incidentLogEvidence,
  LOG_MEDIA_TYPES,
  snapshotIncidentLogs,
  uploadIncidentLogs,
  type LogMediaType,
} from '../../app/evidence.js';
import { addTimelineEvents, addTimelineEventsInput } from '../../app/imports.js';
import { EVENT_KINDS } from '../../domain/types.js';
import { EVIDENCE_KINDS } from '../../domain/evidence/telemetry.js';
import { actorOf } from '../actor.js';
import { problem, sendProblem } from '../problem.js';
import { errors, keyParams, time, timelineEventSchema } from '../schemas.js';

/** Log files and import batches are larger than the API's usual 1 MiB. */
export const EVIDENCE_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

const span = z.object({ start: time, end: time });

const logFindingSchema = z.object({
  templateId: z.string(),
  template: z.string().nullable(),
  status: z.enum(['new', 'spiking']),
  severity: z.string().nullable(),
  baselineCount: z.number().int(),
  incidentCount: z.number().int(),
  baselineRatePerMinute: z.number(),
  incidentRatePerMinute: z.number(),
  ratio: z.number(),
  samples: z.array(z.string()),
});

export const logEvidenceSchema = z
  .object({
    incident: z.string(),
    source: z.enum(['buffer', 'upload']),
    services: z.array(z.string()),
    window: span,
    baseline: span,
    baselineLines: z.number().int(),
    incidentLines: z.number().int(),
    templates: z.number().int(),
    truncated: z.boolean(),
    summary: z.object({ new: z.number().int(), spiking: z.number().int() }),
    findings: z.array(logFindingSchema),
    upload: z
      .object({
        name: z.string().nullable(),
        lines: z.number().int(),
        timed: z.number().int(),
        zoneless: z.number().int(),
        outsideWindows: z.number().int(),
      })
      .optional(),
  })
  .meta({ id: 'LogEvidence' });

const artifactSchema = z
  .object({ id: z.string(), mediaType: z.string(), size: z.number().int(), description: z.string(), createdAt: time })
  .meta({ id: 'ArtifactMeta' });

const snapshotSchema = z.object({
  evidence: logEvidenceSchema,
  artifact: artifactSchema.nullable(),
  event: timelineEventSchema.nullable(),
  created: z.boolean(),
});

const uploadSchema = z.object({
  evidence: logEvidenceSchema,
  artifact: artifactSchema,
  upload: artifactSchema,
  event: timelineEventSchema,
  created: z.boolean(),
});

const evidenceSummarySchema = z
  .object({
    incident: z.string(),
    window: span,
    services: z.array(z.string()),
    completeness: z.object({
      score: z.number(),
      present: z.array(z.enum(EVIDENCE_KINDS)),
      missing: z.array(z.enum(EVIDENCE_KINDS)),
    }),
    gaps: z.array(
      z.object({
        source: z.string(),
        kind: z.enum(EVENT_KINDS),
        from: time,
        to: time,
        durationMs: z.number(),
        ongoing: z.boolean(),
        intervalMs: z.number(),
      }),
    ),
    sources: z.array(
      z.object({ source: z.string(), kind: z.enum(EVENT_KINDS), count: z.number().int(), first: time, last: time }),
    ),
  })
  .meta({ id: 'EvidenceSummary' });

function logMediaType(request: FastifyRequest): LogMediaType | null {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (LOG_MEDIA_TYPES as readonly string[]).includes(type) ? (type as LogMediaType) : null;
}

export function evidenceRoutes(app: FastifyInstance, ctx: AppContext): void {
  void app.register((scope, _options, done) => {
    // Log files come as plain text or JSON lines; both are read as text, line by line.
    scope.addContentTypeParser(
      'application/x-ndjson',
      { parseAs: 'string', bodyLimit: EVIDENCE_BODY_LIMIT_BYTES },
      (_request, body, parsed) => parsed(null, body),
    );
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.get(
      '/api/v1/incidents/:key/logs',
      {
        schema: {
          tags: ['evidence'],
          summary: 'Log templates new or spiking in the incident window, from the OTLP buffer',
          params: keyParams,
          response: { 200: logEvidenceSchema, ...errors(404) },
        },
      },
      (request) => incidentLogEvidence(ctx, actorOf(request), request.params.key),
    );

    r.post(
      '/api/v1/incidents/:key/logs',
      {
        bodyLimit: EVIDENCE_BODY_LIMIT_BYTES,
        onRequest: async (request, reply) => {
          if (logMediaType(request) !== null) return undefined;
          return sendProblem(
            reply,
            problem(
              'DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE',
              'send the log file as text/plain or application/x-ndjson (JSON lines or plain text, one record a line)',
            ),
          );
        },
        schema: {
          tags: ['evidence'],
          summary: 'Upload a log file (JSON lines or plain text); it is stored, mined and linked from the timeline',
          params: keyParams,
          querystring: z.strictObject({
            name: z.string().max(200).optional().meta({ description: 'File name, shown on the timeline' }),
          }),
          consumes: [...LOG_MEDIA_TYPES],
          body: z.string(),
          response: {
            200: uploadSchema,
            201: uploadSchema,
            ...errors(400, 403, 404, 413, 415),
          },
        },
      },
      async (request, reply) => {
        const result = await uploadIncidentLogs(ctx, actorOf(request), request.params.key, request.body, {
          mediaType: logMediaType(request) ?? 'text/plain',
          name: request.query.name,
        });
        return reply.status(result.created ? 201 : 200).send(result);
      },
    );

    r.post(
      '/api/v1/incidents/:key/logs/snapshot',
      {
        schema: {
          tags: ['evidence'],
          summary:
            "Keep the buffer's log evidence as an artifact linked from a log timeline event (nothing when it holds no logs)",
          params: keyParams,
          response: { 200: snapshotSchema, 201: snapshotSchema, ...errors(403, 404) },
        },
      },
      async (request, reply) => {
        const result = await snapshotIncidentLogs(ctx, request.params.key, { actor: actorOf(request) });
        return reply.status(result.created ? 201 : 200).send(result);
      },
    );

    r.get(
      '/api/v1/incidents/:key/evidence',
      {
        schema: {
          tags: ['evidence'],
          summary: 'Evidence summary: completeness by kind, telemetry gaps, and every source with its time range',
          params: keyParams,
          response: { 200: evidenceSummarySchema, ...errors(404) },
        },
      },
      (request) => evidenceSummary(ctx, actorOf(request), request.params.key),
    );

    r.post(
      '/api/v1/incidents/:key/timeline/batch',
      {
        bodyLimit: EVIDENCE_BODY_LIMIT_BYTES,
        schema: {
          tags: ['timeline'],
          summary: 'Add up to 5,000 events in one transaction (idempotent by dedupeKey)',
          params: keyParams,
          body: addTimelineEventsInput,
          response: {
            200: z.object({ created: z.number().int(), existing: z.number().int() }),
            ...errors(400, 403, 404, 413, 422),
          },
        },
      },
      (request) => addTimelineEvents(ctx, actorOf(request), request.params.key, request.body),
    );
    done();
  });
}
