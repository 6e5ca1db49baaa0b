import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import {
  addCommentInput,
  applyRedactionsInput,
  checkPostmortemTextInput,
  createPostmortemInput,
  MAX_POSTMORTEM_BODY,
  postmortemStatus,
  publishPostmortemInput,
  requestReviewInput,
  resolveCommentInput,
  reviewPostmortemInput,
  savePostmortemBodyInput,
  updatePostmortemInput,
  waiveRedactionInput,
} from '../../app/postmortem-inputs.js';
import {
  acknowledgePostmortem,
  addComment,
  applyRedactions,
  checkPostmortemText,
  createPostmortem,
  getPostmortem,
  getPostmortemVersions,
  getReadership,
  getRevision,
  listPostmortems,
  listRevisions,
  publishPostmortem,
  recordView,
  removeWaiver,
  reopenPostmortem,
  requestReview,
  resolveComment,
  reviewPostmortem,
  savePostmortemBody,
  updatePostmortem,
  waiveRedaction,
} from '../../app/postmortems.js';
import { FACTOR_CATEGORIES, POSTMORTEM_STATUSES, REVIEW_DECISIONS } from '../../domain/postmortem/types.js';
import { INCIDENT_STATUSES, INCIDENT_TYPES, SEVERITIES, VISIBILITIES } from '../../domain/types.js';
import { actorOf } from '../actor.js';
import { csv, errors, keyParams, nullableTime, problemSchema, time } from '../schemas.js';

/**
 * Room for a body of MAX_POSTMORTEM_BODY characters once JSON-escaped (newlines and quotes double), so the text
 * limit, with a message naming `body`, is what a large document runs into rather than the transport limit.
 */
export const POSTMORTEM_BODY_LIMIT_BYTES = MAX_POSTMORTEM_BODY + 6 * 1024 * 1024;

export const postmortemSchema = z
  .object({
    id: z.string(),
    incident: z.object({
      key: z.string(),
      title: z.string(),
      severity: z.enum(SEVERITIES),
      type: z.enum(INCIDENT_TYPES),
      status: z.enum(INCIDENT_STATUSES),
      visibility: z.enum(VISIBILITIES),
      services: z.array(z.string()),
      resolvedAt: nullableTime,
    }),
    template: z.object({ id: z.string(), name: z.string() }),
    status: z.enum(POSTMORTEM_STATUSES),
    body: z.string(),
    version: z.number().int(),
    hiddenSections: z.array(z.string()),
    round: z.number().int(),
    createdBy: z.string(),
    createdAt: time,
    updatedAt: time,
    updatedBy: z.string(),
    reviewRequestedAt: nullableTime,
    reviewRequestedBy: z.string().nullable(),
    publishedAt: nullableTime,
    publishedBy: z.string().nullable(),
  })
  .meta({ id: 'Postmortem' });

const lintFindingSchema = z
  .object({
    ruleId: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string(),
    line: z.number().int(),
    column: z.number().int(),
    endLine: z.number().int(),
    endColumn: z.number().int(),
    text: z.string(),
    suggestion: z.string().nullable(),
  })
  .meta({ id: 'LintFinding' });

const redactionFindingSchema = z
  .object({
    kind: z.string(),
    category: z.enum(['secret', 'personal', 'term']),
    line: z.number().int(),
    column: z.number().int(),
    start: z.number().int(),
    end: z.number().int(),
    text: z.string().meta({ description: 'The matched text; empty for callers who may not edit the postmortem' }),
    fingerprint: z.string(),
    waiver: z.object({ id: z.string(), reason: z.string(), waivedBy: z.string(), createdAt: time }).nullable(),
  })
  .meta({ id: 'RedactionFinding' });

const textCheckSchema = z
  .object({ lint: z.array(lintFindingSchema), redaction: z.array(redactionFindingSchema) })
  .meta({ id: 'TextCheck' });

const reviewSchema = z
  .object({
    id: z.string(),
    postmortemId: z.string(),
    round: z.number().int(),
    reviewer: z.string(),
    decision: z.enum(REVIEW_DECISIONS),
    score: z.number().int().nullable(),
    comment: z.string(),
    createdAt: time,
  })
  .meta({ id: 'PostmortemReview' });

const commentSchema = z
  .object({
    id: z.string(),
    postmortemId: z.string(),
    section: z.string(),
    author: z.string(),
    body: z.string(),
    createdAt: time,
    resolvedAt: nullableTime,
    resolvedBy: z.string().nullable(),
  })
  .meta({ id: 'PostmortemComment' });

const waiverSchema = z
  .object({
    id: z.string(),
    postmortemId: z.string(),
    fingerprint: z.string(),
    kind: z.string(),
    reason: z.string(),
    waivedBy: z.string(),
    createdAt: time,
  })
  .meta({ id: 'RedactionWaiver' });

const approvalSchema = z
  .object({
    required: z.number().int(),
    approvedBy: z.array(z.string()),
    changesRequestedBy: z.array(z.string()),
    ownerRequired: z.boolean(),
    owners: z.array(z.string()),
    ownerApproved: z.boolean(),
    met: z.boolean(),
  })
  .meta({ id: 'ApprovalState' });

const blockerSchema = z.object({
  gate: z.enum(['blame', 'redaction', 'approvals', 'status']),
  message: z.string(),
  count: z.number().int(),
});

const qualitySchema = z
  .object({
    score: z.number(),
    items: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        weight: z.number(),
        passed: z.boolean(),
        detail: z.string(),
      }),
    ),
    reviewerScore: z.number().nullable(),
  })
  .meta({ id: 'QualityReport' });

const publicationSchema = z.object({ version: z.number().int(), publishedAt: time, publishedBy: z.string() });

const detailSchema = z
  .object({
    postmortem: postmortemSchema,
    sections: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        line: z.number().int(),
        filled: z.boolean(),
        hiddenExternally: z.boolean(),
      }),
    ),
    factors: z.array(
      z.object({ category: z.enum(FACTOR_CATEGORIES).nullable(), description: z.string(), line: z.number().int() }),
    ),
    actionItems: z.array(
      z.object({
        description: z.string(),
        type: z.string().nullable(),
        owner: z.string().nullable(),
        due: z.string().nullable(),
        priority: z.string().nullable(),
        ticket: z.string().nullable(),
        line: z.number().int(),
      }),
    ),
    lint: z.array(lintFindingSchema),
    redaction: z.array(redactionFindingSchema),
    approvals: approvalSchema,
    reviews: z.array(reviewSchema),
    comments: z.array(commentSchema),
    waivers: z.array(waiverSchema),
    quality: qualitySchema,
    blockers: z.array(blockerSchema),
    publication: publicationSchema.nullable(),
    permissions: z.object({
      edit: z.boolean(),
      comment: z.boolean(),
      review: z.boolean(),
      waive: z.boolean(),
      publish: z.boolean(),
    }),
  })
  .meta({ id: 'PostmortemDetail' });

const summarySchema = z
  .object({
    incident: z.object({
      key: z.string(),
      title: z.string(),
      severity: z.enum(SEVERITIES),
      type: z.enum(INCIDENT_TYPES),
      resolvedAt: nullableTime,
    }),
    status: z.enum(POSTMORTEM_STATUSES),
    score: z.number(),
    updatedAt: time,
    publishedAt: nullableTime,
  })
  .meta({ id: 'PostmortemSummary' });

const readershipSchema = z
  .object({
    readers: z.array(z.object({ user: z.string(), views: z.number().int(), firstViewedAt: time, lastViewedAt: time })),
    acknowledgements: z.array(z.object({ user: z.string(), at: time })),
    expected: z.array(z.object({ user: z.string(), teams: z.array(z.string()) })),
    pending: z.array(z.string()),
  })
  .meta({ id: 'PostmortemReadership' });

const revisionSummarySchema = z.object({
  id: z.string(),
  postmortemId: z.string(),
  version: z.number().int(),
  author: z.string(),
  createdAt: time,
  size: z.number().int(),
});

const revisionSchema = z
  .object({
    id: z.string(),
    postmortemId: z.string(),
    version: z.number().int(),
    body: z.string(),
    author: z.string(),
    createdAt: time,
  })
  .meta({ id: 'PostmortemRevision' });

/** A stale save: the problem also carries the stored state, so the editor can show both texts. */
const conflictSchema = problemSchema
  .extend({
    current: z
      .object({ version: z.number().int(), body: z.string(), updatedBy: z.string(), updatedAt: time })
      .optional(),
  })
  .meta({ id: 'PostmortemConflict' });

const TAGS = ['postmortems'];

export function postmortemsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const url = (suffix = '') => `/api/v1/incidents/:key/postmortem${suffix}`;

  r.get(
    '/api/v1/postmortems',
    {
      schema: {
        tags: TAGS,
        summary: 'List postmortems, most recently updated first, with quality scores',
        querystring: z.strictObject({
          status: csv(postmortemStatus).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(200).optional(),
        }),
        response: {
          200: z.object({ items: z.array(summarySchema), nextCursor: z.string().nullable() }),
          ...errors(400, 403),
        },
      },
    },
    (request) => listPostmortems(ctx, actorOf(request), request.query),
  );

  r.get(
    url(),
    {
      schema: {
        tags: TAGS,
        summary: "An incident's postmortem with findings, approvals, quality, blockers and permissions",
        params: keyParams,
        response: { 200: detailSchema, ...errors(400, 404) },
      },
    },
    (request) => getPostmortem(ctx, actorOf(request), request.params.key),
  );

  r.post(
    url(),
    {
      schema: {
        tags: TAGS,
        summary: 'Create the postmortem (a draft composed from the evidence) when the incident has none',
        params: keyParams,
        body: createPostmortemInput.nullish(),
        response: { 201: postmortemSchema, ...errors(400, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const created = await createPostmortem(ctx, actorOf(request), request.params.key, request.body ?? {});
      return reply.status(201).header('location', `/api/v1/incidents/${created.incident.key}/postmortem`).send(created);
    },
  );

  r.put(
    url('/body'),
    {
      bodyLimit: POSTMORTEM_BODY_LIMIT_BYTES,
      schema: {
        tags: TAGS,
        summary: 'Save the text; a stale version is a 409 carrying the current text',
        params: keyParams,
        body: savePostmortemBodyInput,
        response: { 200: postmortemSchema, ...errors(400, 403, 404, 413, 422), 409: conflictSchema },
      },
    },
    (request) => savePostmortemBody(ctx, actorOf(request), request.params.key, request.body),
  );

  r.patch(
    url(),
    {
      schema: {
        tags: TAGS,
        summary: 'Hide sections from the external version, or change the template',
        params: keyParams,
        body: updatePostmortemInput,
        response: { 200: postmortemSchema, ...errors(400, 403, 404, 422), 409: conflictSchema },
      },
    },
    (request) => updatePostmortem(ctx, actorOf(request), request.params.key, request.body),
  );

  r.post(
    url('/check'),
    {
      bodyLimit: POSTMORTEM_BODY_LIMIT_BYTES,
      schema: {
        tags: TAGS,
        summary: 'Blame-language and redaction findings for text being written',
        params: keyParams,
        body: checkPostmortemTextInput,
        response: { 200: textCheckSchema, ...errors(400, 403, 404, 413) },
      },
    },
    (request) => checkPostmortemText(ctx, actorOf(request), request.params.key, request.body),
  );

  r.post(
    url('/review-request'),
    {
      schema: {
        tags: TAGS,
        summary: 'Request a review: opens a new review round',
        params: keyParams,
        body: requestReviewInput.nullish(),
        response: { 200: postmortemSchema, ...errors(400, 403, 404, 422), 409: conflictSchema },
      },
    },
    (request) => requestReview(ctx, actorOf(request), request.params.key, request.body ?? {}),
  );

  r.post(
    url('/reviews'),
    {
      schema: {
        tags: TAGS,
        summary: 'Approve or request changes (reviewers); the requester cannot approve their own request',
        params: keyParams,
        body: reviewPostmortemInput,
        response: {
          200: z.object({ postmortem: postmortemSchema, review: reviewSchema, approvals: approvalSchema }),
          ...errors(400, 403, 404, 422),
          409: conflictSchema,
        },
      },
    },
    (request) => reviewPostmortem(ctx, actorOf(request), request.params.key, request.body),
  );

  r.post(
    url('/comments'),
    {
      schema: {
        tags: TAGS,
        summary: 'Comment on a section',
        params: keyParams,
        body: addCommentInput,
        response: { 201: commentSchema, ...errors(400, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addComment(ctx, actorOf(request), request.params.key, request.body)),
  );

  r.patch(
    url('/comments/:id'),
    {
      schema: {
        tags: TAGS,
        summary: 'Resolve a comment, or open it again',
        params: keyParams.extend({ id: z.string().max(100) }),
        body: resolveCommentInput,
        response: { 200: commentSchema, ...errors(400, 403, 404) },
      },
    },
    (request) => resolveComment(ctx, actorOf(request), request.params.key, request.params.id, request.body),
  );

  r.post(
    url('/redactions'),
    {
      schema: {
        tags: TAGS,
        summary: 'Replace findings (all unwaived ones by default) with [REDACTED:kind] placeholders',
        params: keyParams,
        body: applyRedactionsInput,
        response: {
          200: z.object({
            postmortem: postmortemSchema,
            redacted: z.number().int(),
            kinds: z.record(z.string(), z.number().int()),
          }),
          ...errors(400, 403, 404, 422),
          409: conflictSchema,
        },
      },
    },
    (request) => applyRedactions(ctx, actorOf(request), request.params.key, request.body),
  );

  r.post(
    url('/waivers'),
    {
      schema: {
        tags: TAGS,
        summary: 'Keep a redaction finding in the internal version, with a reason',
        params: keyParams,
        body: waiveRedactionInput,
        response: { 201: waiverSchema, ...errors(400, 403, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await waiveRedaction(ctx, actorOf(request), request.params.key, request.body)),
  );

  r.delete(
    url('/waivers/:id'),
    {
      schema: {
        tags: TAGS,
        summary: 'Withdraw a waiver',
        params: keyParams.extend({ id: z.string().max(100) }),
        response: { 204: z.null().meta({ description: 'Withdrawn' }), ...errors(400, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeWaiver(ctx, actorOf(request), request.params.key, request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.post(
    url('/publish'),
    {
      schema: {
        tags: TAGS,
        summary: 'Publish; a 409 DEBRIEF_ERR_PUBLISH_BLOCKED names each open gate in `errors`',
        params: keyParams,
        body: publishPostmortemInput,
        response: {
          200: z.object({ postmortem: postmortemSchema, publication: publicationSchema }),
          ...errors(400, 403, 404, 422),
          409: conflictSchema,
        },
      },
    },
    (request) => publishPostmortem(ctx, actorOf(request), request.params.key, request.body),
  );

  r.post(
    url('/reopen'),
    {
      schema: {
        tags: TAGS,
        summary: 'Reopen a published postmortem as a draft',
        params: keyParams,
        response: { 200: postmortemSchema, ...errors(400, 403, 404, 422), 409: conflictSchema },
      },
    },
    (request) => reopenPostmortem(ctx, actorOf(request), request.params.key),
  );

  r.get(
    url('/versions'),
    {
      schema: {
        tags: TAGS,
        summary: 'The internal and external texts, for a side-by-side diff',
        params: keyParams,
        response: {
          200: z.object({
            internal: z.string(),
            external: z.string(),
            hiddenSections: z.array(z.string()),
            redactions: z.number().int(),
          }),
          ...errors(400, 404),
        },
      },
    },
    (request) => getPostmortemVersions(ctx, actorOf(request), request.params.key),
  );

  r.get(
    url('/revisions'),
    {
      schema: {
        tags: TAGS,
        summary: 'Revision history, newest first, without the texts',
        params: keyParams,
        response: { 200: z.object({ items: z.array(revisionSummarySchema) }), ...errors(400, 404) },
      },
    },
    async (request) => ({ items: await listRevisions(ctx, actorOf(request), request.params.key) }),
  );

  r.get(
    url('/revisions/:version'),
    {
      schema: {
        tags: TAGS,
        summary: 'One revision with its text',
        params: keyParams.extend({ version: z.coerce.number().int().positive() }),
        response: { 200: revisionSchema, ...errors(400, 404) },
      },
    },
    (request) => getRevision(ctx, actorOf(request), request.params.key, request.params.version),
  );

  r.post(
    url('/views'),
    {
      schema: {
        tags: TAGS,
        summary: 'Count a view by the caller',
        params: keyParams,
        response: { 204: z.null().meta({ description: 'Counted' }), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      await recordView(ctx, actorOf(request), request.params.key);
      return reply.status(204).send(null);
    },
  );

  r.post(
    url('/acknowledgements'),
    {
      schema: {
        tags: TAGS,
        summary: 'Acknowledge having read the published postmortem',
        params: keyParams,
        response: { 200: readershipSchema, ...errors(400, 403, 404, 422) },
      },
    },
    (request) => acknowledgePostmortem(ctx, actorOf(request), request.params.key),
  );

  r.get(
    url('/readership'),
    {
      schema: {
        tags: TAGS,
        summary: 'Readers, acknowledgements, and who is expected to read it',
        params: keyParams,
        response: { 200: readershipSchema, ...errors(400, 404) },
      },
    },
    (request) => getReadership(ctx, actorOf(request), request.params.key),
  );
}
