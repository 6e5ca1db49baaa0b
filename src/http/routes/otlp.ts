/**
 * OTLP/HTTP receivers at the standard paths `POST /v1/logs` and `POST /v1/traces`, JSON encoding only. They live
 * outside `/api/v1`, so the server's auth hook identifies the caller but lets them through: this plugin refuses
 * requests without a principal itself.
 */
import { createGunzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { ingestOtlpLogs, ingestOtlpTraces, type IngestResult } from '../../app/telemetry.js';
import { can } from '../../domain/access.js';
import { DebriefError } from '../../domain/errors.js';
import { problem, sendProblem } from '../problem.js';
import { errors } from '../schemas.js';

/** OTLP exporters batch up to a few MiB; a little headroom above the collector's defaults. */
export const OTLP_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

const JSON_ONLY =
  'OTLP/HTTP here takes JSON only: send Content-Type application/json (OpenTelemetry Collector otlphttp exporter: encoding: json)';

const partialSuccess = z
  .object({
    rejectedLogRecords: z.string().optional(),
    rejectedSpans: z.string().optional(),
    errorMessage: z.string().optional(),
  })
  .meta({ description: 'Empty when every record was accepted; int64 counts are decimal strings, as in OTLP/JSON' });

const mediaType = (request: FastifyRequest): string =>
  (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/** Stops a request with a problem from a hook: the reply is sent and the chain ends. */
function refuse(reply: FastifyReply, error: DebriefError): FastifyReply {
  return sendProblem(reply, problem(error.code, error.message, error.details));
}

/**
 * `Content-Encoding: gzip` (the Collector's default compression) is inflated on the way in. Fastify counts the
 * inflated bytes against the body limit and compares the compressed ones with Content-Length.
 */
function inflate(request: FastifyRequest, payload: NodeJS.ReadableStream & { receivedEncodedLength?: number }) {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return payload;
  if (encoding !== 'gzip') {
    throw new DebriefError(
      'DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding ${encoding} is not supported; send gzip or no compression`,
    );
  }
  const gunzip = Object.assign(createGunzip(), { receivedEncodedLength: 0 });
  payload.on('data', (chunk: Buffer) => {
    gunzip.receivedEncodedLength += chunk.length;
  });
  payload.on('error', (error: Error) => gunzip.destroy(error));
  payload.pipe(gunzip);
  return gunzip;
}

function answer(result: IngestResult): { partialSuccess: IngestResult['partialSuccess'] } {
  return { partialSuccess: result.partialSuccess };
}

/**
 * Registers the OTLP receivers in their own encapsulated plugin: its body limit, gzip handling and auth hook apply
 * to these two routes only.
 */
export function otlpRoutes(app: FastifyInstance, ctx: AppContext): void {
  void app.register((scope, _options, done) => {
    scope.addHook('onRequest', async (request, reply) => {
      // The server's onRequest hook has already run `identify` (bearer token or session) for every request.
      const principal = request.principal;
      if (!principal) {
        return refuse(
          reply,
          new DebriefError('DEBRIEF_ERR_UNAUTHENTICATED', 'send Authorization: Bearer <token> with an API token'),
        );
      }
      if (!can(principal, 'telemetry.ingest')) {
        return refuse(
          reply,
          new DebriefError(
            'DEBRIEF_ERR_FORBIDDEN',
            `your role (${principal.role}) may not send telemetry; use a responder token`,
          ),
        );
      }
      if (mediaType(request) !== 'application/json') {
        return refuse(reply, new DebriefError('DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE', JSON_ONLY));
      }
      return undefined;
    });
    scope.addHook('preParsing', async (request, _reply, payload) => inflate(request, payload));

    const r = scope.withTypeProvider<ZodTypeProvider>();
    const schema = (summary: string) => ({
      tags: ['telemetry'],
      summary,
      consumes: ['application/json'],
      body: z.unknown(),
      response: { 200: z.object({ partialSuccess }), ...errors(400, 403, 413, 415) },
    });

    r.post(
      '/v1/logs',
      {
        bodyLimit: OTLP_BODY_LIMIT_BYTES,
        schema: schema('OTLP/HTTP JSON logs export (ExportLogsServiceRequest) into the telemetry buffer'),
      },
      async (request) => answer(await ingestOtlpLogs(ctx, request.body)),
    );

    r.post(
      '/v1/traces',
      {
        bodyLimit: OTLP_BODY_LIMIT_BYTES,
        schema: schema('OTLP/HTTP JSON traces export (ExportTraceServiceRequest) into the telemetry buffer'),
      },
      async (request) => answer(await ingestOtlpTraces(ctx, request.body)),
    );
    done();
  });
}
