import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  decideSuspect,
  listChanges,
  listSuspects,
  recordChange,
  suspectVerdictInput,
  type ChangeOutcome,
} from '../../app/changes.js';
import type { AppContext } from '../../app/context.js';
import { timestamp } from '../../app/inputs.js';
import { CHANGE_KINDS } from '../../domain/evidence/change-correlation.js';
import { actorOf } from '../actor.js';
import { csv, errors, keyParams, time } from '../schemas.js';

export const changeSchema = z
  .object({
    id: z.string(),
    source: z.string().meta({ description: '`github`, `gitlab`, or `change` (generic endpoint and CLI)' }),
    dedupeKey: z.string().meta({ description: "The source's identity for the change; re-deliveries match it" }),
    kind: z.enum(CHANGE_KINDS),
    service: z.string(),
    version: z.string().nullable(),
    environment: z.string().nullable(),
    author: z.string().nullable(),
    url: z.string().nullable(),
    status: z
      .string()
      .nullable()
      .meta({ description: 'Latest deployment state: pending, queued, in_progress, success, failure, error, …' }),
    description: z.string(),
    labels: z.record(z.string(), z.string()),
    diffArtifactId: z.string().nullable(),
    at: time,
    createdAt: time,
  })
  .meta({ id: 'Change' });

export const changeVerdictSchema = z
  .object({
    incidentId: z.string(),
    changeId: z.string(),
    verdict: z.enum(['confirmed', 'dismissed']),
    reason: z.string(),
    decidedBy: z.string(),
    decidedAt: time,
  })
  .meta({ id: 'ChangeVerdict' });

const suspectSchema = z
  .object({
    rank: z.number().int(),
    score: z.number(),
    explanation: z.string(),
    reasons: z.array(z.string()),
    relation: z.enum(['same', 'dependency', 'transitive', 'dependent', 'unrelated']),
    relatedService: z.string().nullable(),
    via: z.array(z.string()),
    leadMs: z.number(),
    errorOnsetAfterMs: z.number().nullable(),
    factors: z.object({ proximity: z.number(), relation: z.number(), kind: z.number(), errorOnset: z.number() }),
    change: changeSchema,
    verdict: changeVerdictSchema.nullable(),
  })
  .meta({ id: 'Suspect' });

/** The generic change body, for the OpenAPI document; the use case validates it (same rules as the CLI's local mode). */
const changeBodyDoc = z.strictObject({
  id: z.string().max(200).optional().meta({ description: 'Idempotency key, e.g. the pipeline run id' }),
  service: z.string().max(200),
  version: z.string().max(200).optional(),
  kind: z.enum(CHANGE_KINDS).optional().meta({ description: 'Default deploy' }),
  at: timestamp.optional().meta({ description: 'When the change started (default: now)' }),
  author: z.string().max(200).optional(),
  environment: z.string().max(100).optional(),
  description: z.string().max(10_000).optional(),
  url: z.string().optional().meta({ description: 'Link to the pipeline run, PR or release' }),
  diff: z.string().max(5_000_000).optional().meta({ description: 'Kept as an immutable artifact' }),
});

/** Diffs may be several MiB; every other route keeps the server's 1 MiB limit. */
const CHANGE_BODY_LIMIT_BYTES = 6 * 1024 * 1024;

const STATUS_BY_OUTCOME: Record<ChangeOutcome, 200 | 201> = { created: 201, updated: 200, unchanged: 200 };

export function changeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/changes',
    {
      schema: {
        tags: ['changes'],
        summary: 'List recorded changes, newest first',
        querystring: z.strictObject({
          service: z.string().max(200).optional(),
          kind: csv(z.enum(CHANGE_KINDS)).optional(),
          environment: z.string().max(100).optional(),
          from: timestamp.optional(),
          to: timestamp.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({ items: z.array(changeSchema), nextCursor: z.string().nullable() }),
          ...errors(400),
        },
      },
    },
    (request) => listChanges(ctx, actorOf(request), request.query),
  );

  r.post(
    '/api/v1/changes',
    {
      bodyLimit: CHANGE_BODY_LIMIT_BYTES,
      // The body is validated by recordChange, so local CLI runs and API calls reject the same input alike.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
      schema: {
        tags: ['changes'],
        summary: 'Record a deploy, config change or flag change (idempotent by id)',
        body: changeBodyDoc,
        response: { 200: changeSchema, 201: changeSchema, ...errors(400, 403, 413) },
      },
    },
    async (request, reply) => {
      const { outcome, change } = await recordChange(ctx, actorOf(request), request.body);
      return reply.status(STATUS_BY_OUTCOME[outcome]).send(change);
    },
  );

  r.get(
    '/api/v1/incidents/:key/suspects',
    {
      schema: {
        tags: ['changes'],
        summary: 'Changes that may have caused the incident, ranked, each with its reasons',
        params: keyParams,
        querystring: z.strictObject({
          lookbackHours: z.coerce.number().int().min(1).max(168).default(24),
        }),
        response: {
          200: z.object({
            incident: z.string(),
            reference: z.object({ at: time, label: z.string() }),
            window: z.object({ from: time, to: time }),
            items: z.array(suspectSchema),
          }),
          ...errors(400, 404),
        },
      },
    },
    (request) => listSuspects(ctx, actorOf(request), request.params.key, request.query),
  );

  r.post(
    '/api/v1/incidents/:key/suspects/:changeId',
    {
      schema: {
        tags: ['changes'],
        summary: 'Confirm or dismiss a suspected change',
        params: z.object({ key: z.string().max(40), changeId: z.string().max(100) }),
        body: suspectVerdictInput,
        response: { 200: changeVerdictSchema, ...errors(400, 403, 404) },
      },
    },
    (request) => decideSuspect(ctx, actorOf(request), request.params.key, request.params.changeId, request.body),
  );
}
