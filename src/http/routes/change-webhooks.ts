/**
 * GitHub and GitLab deployment webhooks. They carry no bearer token: GitHub signs the raw body
 * (`X-Hub-Signature-256`), GitLab sends a shared token (`X-Gitlab-Token`). The routes live in their own plugin so
 * that JSON bodies reach them as the exact bytes received, which the signature is computed over.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { receiveGitHubDelivery, receiveGitLabDelivery, type DeliveryResult } from '../../app/changes.js';
import type { AppContext } from '../../app/context.js';
import { errors } from '../schemas.js';
import { changeSchema } from './changes.js';

const deliverySchema = z
  .object({
    event: z.string(),
    outcomes: z.array(
      z.object({
        outcome: z.enum(['created', 'updated', 'unchanged']),
        change: changeSchema,
      }),
    ),
  })
  .meta({ id: 'ChangeDelivery' });

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

const statusOf = (result: DeliveryResult): 200 | 201 =>
  result.outcomes.some((o) => o.outcome === 'created') ? 201 : 200;

export function changeWebhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  void app.register((scope, _options, done) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      ['application/json', 'application/x-www-form-urlencoded'],
      { parseAs: 'buffer' },
      (_request, body, parsed) => parsed(null, body),
    );
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const response = { 200: deliverySchema, 201: deliverySchema, ...errors(400, 413, 415) };

    r.post(
      '/api/v1/webhooks/github',
      {
        config: { public: true },
        schema: {
          tags: ['webhooks'],
          summary: 'GitHub deployment and deployment_status events (X-Hub-Signature-256)',
          security: [],
          response,
        },
      },
      async (request, reply) => {
        const result = await receiveGitHubDelivery(ctx, {
          rawBody: rawBody(request),
          form: request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true,
          signature: header(request, 'x-hub-signature-256'),
          event: header(request, 'x-github-event'),
          deliveryId: header(request, 'x-github-delivery'),
        });
        return reply.status(statusOf(result)).send(result);
      },
    );

    r.post(
      '/api/v1/webhooks/gitlab',
      {
        config: { public: true },
        schema: {
          tags: ['webhooks'],
          summary: 'GitLab deployment events (X-Gitlab-Token)',
          security: [],
          response,
        },
      },
      async (request, reply) => {
        const result = await receiveGitLabDelivery(ctx, {
          rawBody: rawBody(request),
          token: header(request, 'x-gitlab-token'),
          event: header(request, 'x-gitlab-event'),
        });
        return reply.status(statusOf(result)).send(result);
      },
    );
    done();
  });
}
