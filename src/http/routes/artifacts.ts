import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getArtifact, getArtifactMeta } from '../../app/artifacts.js';
import type { AppContext } from '../../app/context.js';
import { actorOf } from '../actor.js';
import { errors, time } from '../schemas.js';

const params = z.object({
  id: z.string().max(100).meta({ description: 'sha256 of the content, 64 hex characters' }),
});

const artifactMetaSchema = z
  .object({
    id: z.string(),
    mediaType: z.string(),
    size: z.number().int(),
    description: z.string(),
    createdAt: time,
  })
  .meta({ id: 'ArtifactMeta' });

/**
 * Content is immutable and addressed by its hash, so a cached copy is always right; `private` because access
 * depends on who asks.
 */
const CACHE_CONTROL = 'private, max-age=31536000, immutable';

export function artifactRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/artifacts/:id',
    {
      schema: {
        tags: ['artifacts'],
        summary: 'The bytes of a captured artifact, with its media type (ETag is the id)',
        params,
        response: { 200: z.any().meta({ description: 'The artifact bytes' }), 304: z.null(), ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const artifact = await getArtifact(ctx, actorOf(request), request.params.id);
      const etag = `"${artifact.id}"`;
      void reply
        .header('etag', etag)
        .header('cache-control', CACHE_CONTROL)
        // Stored evidence is data, never a page: a browser opening it directly must not run anything in it.
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('content-disposition', 'inline');
      const match = request.headers['if-none-match'];
      if (match !== undefined && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        return reply.status(304).send(null);
      }
      return reply.type(artifact.mediaType).send(artifact.content);
    },
  );

  r.get(
    '/api/v1/artifacts/:id/meta',
    {
      schema: {
        tags: ['artifacts'],
        summary: "An artifact's metadata: media type, size, description, capture time",
        params,
        response: { 200: artifactMetaSchema, ...errors(400, 404) },
      },
    },
    (request) => getArtifactMeta(ctx, actorOf(request), request.params.id),
  );
}
