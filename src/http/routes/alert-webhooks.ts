/**
 * Alert receivers (Alertmanager, Grafana, PagerDuty) and the alert queries. The receivers live in an encapsulated
 * plugin with their own JSON parser: it keeps the raw bytes (PagerDuty signs them) and allows larger bodies than
 * the rest of the API, since one Alertmanager notification can carry thousands of alerts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PAGERDUTY_PRINCIPAL, alertStats, authorizeAlertIngest, ingestAlerts, listAlerts } from '../../app/alerts.js';
import type { AppContext } from '../../app/context.js';
import { timestamp } from '../../app/inputs.js';
import { DebriefError } from '../../domain/errors.js';
import { parseAlertmanager } from '../../ingest/alertmanager.js';
import { parseGrafana } from '../../ingest/grafana.js';
import { parsePagerDuty, verifyPagerDutySignature } from '../../ingest/pagerduty.js';
import { actorOf } from '../actor.js';
import { csv, errors, nullableTime, time } from '../schemas.js';
import { routingRoutes } from './routing.js';

export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

const ingestSummarySchema = z
  .object({
    accepted: z.number().int(),
    incidents: z.array(z.string()),
    declared: z.array(z.string()),
    deduplicated: z.number().int(),
    suppressed: z.number().int(),
    ignored: z.number().int(),
  })
  .meta({ id: 'AlertIngestSummary' });

const signalSchema = z
  .object({
    id: z.string(),
    source: z.string(),
    fingerprint: z.string(),
    groupKey: z.string().nullable(),
    service: z.string().nullable(),
    severity: z.string().nullable(),
    status: z.string(),
    title: z.string(),
    labels: z.record(z.string(), z.string()),
    startsAt: time,
    endsAt: nullableTime,
    lastReceivedAt: time,
    deliveries: z.number().int(),
    incident: z.string().nullable(),
    suppressedBy: z.string().nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'AlertSignal' });

const sourceStatsSchema = z.object({
  signals: z.number().int(),
  deliveries: z.number().int(),
  incidents: z.number().int(),
  ratio: z.number().nullable(),
  suppressed: z.number().int(),
});

const alertStatsSchema = sourceStatsSchema
  .extend({ from: time, to: time, bySource: z.record(z.string(), sourceStatsSchema) })
  .meta({ id: 'AlertStats' });

function invalidBody(message: string): DebriefError {
  return new DebriefError('DEBRIEF_ERR_VALIDATION', `the body is ${message}`, {
    details: [{ field: '(body)', message }],
  });
}

/** The body exactly as received: the webhook parser keeps it as bytes, since signatures are computed over them. */
function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/**
 * The text `"__proto__"` in JSON, with any of its characters possibly written as a `\u` escape: only a body that
 * matches can hold such a key, so only such a body pays for a reviver, which costs a call per value.
 */
const PROTO_KEY =
  /(?:_|\\u005[fF]){2}(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[fF])(?:t|\\u0074)(?:o|\\u006[fF])(?:_|\\u005[fF]){2}/;

const dropProto = (key: string, value: unknown): unknown => (key === '__proto__' ? undefined : value);

/** The raw body as JSON; `__proto__` keys are dropped so a payload cannot reach object prototypes. */
function jsonBody(request: FastifyRequest): unknown {
  const raw = rawBody(request);
  if (raw.length === 0) throw invalidBody('empty');
  const text = raw.toString('utf8');
  try {
    return PROTO_KEY.test(text) ? JSON.parse(text, dropProto) : JSON.parse(text);
  } catch {
    throw invalidBody('not valid JSON');
  }
}

function webhookRoutes(scope: FastifyInstance, ctx: AppContext): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT },
    (_r, body, done) => done(null, body),
  );
  const r = scope.withTypeProvider<ZodTypeProvider>();
  const response = { 200: ingestSummarySchema, ...errors(400, 403, 413, 415) };

  r.post(
    '/api/v1/webhooks/alertmanager',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: {
        tags: ['webhooks'],
        summary: 'Receive an Alertmanager webhook (version 4); responder token',
        description:
          'Point an Alertmanager `webhook_configs` receiver here with `http_config.authorization.credentials` set ' +
          'to an API token. Idempotent: re-sends and duplicates change nothing. Body limit 5 MiB.',
        response,
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorizeAlertIngest(actor);
      return ingestAlerts(ctx, actor, parseAlertmanager(jsonBody(request)));
    },
  );

  r.post(
    '/api/v1/webhooks/grafana',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      schema: {
        tags: ['webhooks'],
        summary: 'Receive a Grafana unified-alerting webhook; responder token',
        description:
          'A Grafana webhook contact point with Authorization header scheme `Bearer` and an API token as ' +
          'credentials. Idempotent. Body limit 5 MiB.',
        response,
      },
    },
    async (request) => {
      const actor = actorOf(request);
      authorizeAlertIngest(actor);
      return ingestAlerts(ctx, actor, parseGrafana(jsonBody(request)));
    },
  );

  r.post(
    '/api/v1/webhooks/pagerduty',
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Receive a PagerDuty Webhooks v3 delivery, verified by X-PagerDuty-Signature',
        description:
          'No API token: the signature (HMAC-SHA256 of the body with a subscription secret from ' +
          '`webhooks.pagerdutySecrets`) authenticates the delivery. 401 when it is missing or wrong, or when no ' +
          'secret is configured.',
        security: [],
        response: { 200: ingestSummarySchema, ...errors(400, 413, 415) },
      },
    },
    async (request) => {
      const secrets = ctx.settings.webhooks.pagerdutySecrets;
      if (secrets.length === 0) {
        throw new DebriefError(
          'DEBRIEF_ERR_UNAUTHENTICATED',
          'no PagerDuty webhook secret is configured (webhooks.pagerdutySecrets or DEBRIEF_PAGERDUTY_SECRETS)',
        );
      }
      const header = request.headers['x-pagerduty-signature'];
      const signature = Array.isArray(header) ? header.join(',') : header;
      if (!verifyPagerDutySignature(rawBody(request), signature, secrets)) {
        throw new DebriefError('DEBRIEF_ERR_UNAUTHENTICATED', 'X-PagerDuty-Signature is missing or does not match');
      }
      return ingestAlerts(ctx, PAGERDUTY_PRINCIPAL, parsePagerDuty(jsonBody(request)));
    },
  );
}

function alertQueryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alert signals (one per alert identity), newest first',
        querystring: z.strictObject({
          status: csv(z.enum(['firing', 'resolved', 'triggered', 'acknowledged'])).optional(),
          service: z.string().max(100).optional(),
          source: z.string().max(50).optional(),
          incident: z.string().max(40).optional().meta({ description: 'Incident key, e.g. INC-12' }),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(100).optional(),
        }),
        response: {
          200: z.object({ items: z.array(signalSchema), nextCursor: z.string().nullable() }),
          ...errors(400, 404),
        },
      },
    },
    (request) => listAlerts(ctx, actorOf(request), request.query),
  );

  r.get(
    '/api/v1/alerts/stats',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alert-to-incident ratio (noise): alerts that started in [from, to) per incident, by source',
        querystring: z.strictObject({ from: timestamp.optional(), to: timestamp.optional() }),
        response: { 200: alertStatsSchema, ...errors(400) },
      },
    },
    (request) => alertStats(ctx, actorOf(request), request.query),
  );
}

/** Registers the alert receivers, the alert queries and the routing API. */
export function alertRoutes(app: FastifyInstance, ctx: AppContext): void {
  void app.register((scope, _options, done) => {
    webhookRoutes(scope, ctx);
    done();
  });
  alertQueryRoutes(app, ctx);
  routingRoutes(app, ctx);
}
