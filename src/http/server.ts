/**
 * The HTTP server. Every request runs `rate limit -> auth -> validate -> transaction -> handler`; errors leave as
 * problem+json. The built web app is served from `webRoot` with a single-page fallback.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.js';
import { identify } from './auth.js';
import { MetricsRegistry } from './metrics.js';
import { problem, sendProblem, toProblem } from './problem.js';
import { adminRoutes } from './routes/admin.js';
import { alertRoutes } from './routes/alert-webhooks.js';
import { artifactRoutes } from './routes/artifacts.js';
import { authRoutes } from './routes/auth.js';
import { changeWebhookRoutes } from './routes/change-webhooks.js';
import { changeRoutes } from './routes/changes.js';
import { evidenceRoutes } from './routes/evidence.js';
import { incidentRoutes } from './routes/incidents.js';
import { metricsEvidenceRoutes } from './routes/metrics-evidence.js';
import { operationsRoutes } from './routes/operations.js';
import { otlpRoutes } from './routes/otlp.js';
import { postmortemExportsRoutes } from './routes/postmortem-exports.js';
import { postmortemTemplatesRoutes } from './routes/postmortem-templates.js';
import { postmortemsRoutes } from './routes/postmortems.js';
import { serviceRoutes } from './routes/services.js';
import { timelineRoutes } from './routes/timeline.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface ServerOptions {
  /** Fastify logger setting: false in tests, a pino config in `debrief serve`. */
  logger?: FastifyServerOptions['logger'];
  /** Directory of the built web app; omitted or missing means API only. */
  webRoot?: string | undefined;
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies?: boolean;
  /** Trust X-Forwarded-* from a reverse proxy. */
  trustProxy?: boolean;
  version?: string;
}

/** Headers and fields never written to logs. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.body.password',
  'req.body.token',
];

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
  }
}

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy ?? false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);

  const metrics = new MetricsRegistry();

  await app.register(cookie);
  // Over plain HTTP (a LAN address, say) upgrade-insecure-requests and HSTS would send the browser to an https
  // that does not exist; both are only for deployments behind HTTPS.
  const secure = options.secureCookies ?? false;
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': secure ? [] : null,
      },
    },
    strictTransportSecurity: secure ? { maxAge: 15_552_000, includeSubDomains: true } : false,
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Debrief API',
        version: options.version ?? '0.1.0',
        description: 'Incidents, timelines and the service catalog. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'API token from `debrief token create`' },
          session: { type: 'apiKey', in: 'cookie', name: 'debrief_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.addHook('onRequest', async (request, reply) => {
    const needsAuth = request.url.startsWith('/api/v1/') && request.routeOptions.config.public !== true;
    request.principal = await identify(ctx, request);
    if (needsAuth && !request.principal) {
      return sendProblem(
        reply,
        problem('DEBRIEF_ERR_UNAUTHENTICATED', 'sign in, or send Authorization: Bearer <token>'),
      );
    }
    return undefined;
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error, request, reply) => {
    const { problem: p, internal } = toProblem(error);
    if (internal) request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, p);
  });

  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());

  authRoutes(app, ctx, { secureCookies: secure });
  incidentRoutes(app, ctx);
  timelineRoutes(app, ctx);
  metricsEvidenceRoutes(app, ctx);
  serviceRoutes(app, ctx);
  adminRoutes(app, ctx);
  operationsRoutes(app, ctx, metrics);
  changeRoutes(app, ctx);
  changeWebhookRoutes(app, ctx);
  artifactRoutes(app, ctx);
  evidenceRoutes(app, ctx);
  otlpRoutes(app, ctx);
  alertRoutes(app, ctx);
  postmortemsRoutes(app, ctx);
  postmortemTemplatesRoutes(app, ctx);
  postmortemExportsRoutes(app, ctx);

  const webRoot = options.webRoot;
  const hasWeb = webRoot !== undefined && existsSync(join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: ['index.html'] });
  }

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isApi = path.startsWith('/api/') || path === '/metrics' || path === '/healthz';
    if (hasWeb && !isApi && (request.method === 'GET' || request.method === 'HEAD') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(reply, problem('DEBRIEF_ERR_NOT_FOUND', `no route ${request.method} ${path}`));
  });

  return app;
}
