import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { EXPORT_FORMATS, EXPORT_VARIANTS, exportPostmortem } from '../../app/exports.js';
import { actorOf } from '../actor.js';
import { errors } from '../schemas.js';

/** Same reasoning as the artifact bytes: content-addressed, so immutable; `private` because access depends on who asks. */
const CHART_CACHE_CONTROL = 'private, max-age=31536000, immutable';

/**
 * An export is a file to save, never a page of this site: it downloads, and if opened anyway it runs nothing. Its
 * images are inlined, so `data:` is all it needs; web images the author linked may load.
 */
const EXPORT_CSP = "default-src 'none'; img-src data: https: http:; style-src 'unsafe-inline'; sandbox";

export function postmortemExportsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/artifacts/:id/chart.svg',
    {
      schema: {
        tags: ['artifacts'],
        summary: 'A captured Prometheus snapshot drawn as an SVG line chart (ETag is the artifact id)',
        params: z.object({
          id: z.string().max(100).meta({ description: 'sha256 of the snapshot, 64 hex characters' }),
        }),
        response: {
          200: z.any().meta({ description: 'image/svg+xml' }),
          304: z.null(),
          ...errors(400, 404, 415),
        },
      },
    },
    async (request, reply) => {
      // ECharts is large; only processes that draw a chart load it.
      const { getArtifactChart } = await import('../../app/charts.js');
      const { id, svg } = await getArtifactChart(ctx, actorOf(request), request.params.id);
      const etag = `"${id}.svg"`;
      void reply
        .header('etag', etag)
        .header('cache-control', CHART_CACHE_CONTROL)
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .header('content-disposition', 'inline');
      const match = request.headers['if-none-match'];
      if (match !== undefined && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        return reply.status(304).send(null);
      }
      return reply.type('image/svg+xml; charset=utf-8').send(svg);
    },
  );

  r.get(
    '/api/v1/incidents/:key/postmortem/export',
    {
      schema: {
        tags: ['postmortems'],
        summary: 'Download the postmortem as markdown, standalone HTML, PDF or JSON, internal or external variant',
        description:
          'The published text when the postmortem is published, else the current text marked as a draft. The ' +
          'external variant leaves out hidden sections and applies every redaction, waived ones included.',
        params: z.object({ key: z.string().max(40) }),
        querystring: z.strictObject({
          format: z.enum(EXPORT_FORMATS).meta({ description: 'md | html | pdf | json' }),
          variant: z.enum(EXPORT_VARIANTS).default('internal').meta({ description: 'internal | external' }),
        }),
        response: { 200: z.any().meta({ description: 'The file' }), ...errors(400, 404, 422) },
      },
    },
    async (request, reply) => {
      const file = await exportPostmortem(ctx, actorOf(request), request.params.key, request.query);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'private, no-store')
        .header('content-security-policy', EXPORT_CSP)
        .send(file.data);
    },
  );
}
