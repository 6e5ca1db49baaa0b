import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { login, logout, SESSION_TTL_MS } from '../../app/identity.js';
import { loginInput } from '../../app/inputs.js';
import { SESSION_COOKIE } from '../auth.js';
import { errors, userSchema } from '../schemas.js';
import { actorOf } from '../actor.js';

const meSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string(), kind: z.string() }),
});

export function authRoutes(app: FastifyInstance, ctx: AppContext, options: { secureCookies: boolean }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/auth/login',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets an HttpOnly session cookie',
        body: loginInput,
        response: { 200: z.object({ user: userSchema }), ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      const { user, sessionToken } = await login(ctx, request.body);
      reply.setCookie(SESSION_COOKIE, sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        maxAge: Math.floor(SESSION_TTL_MS / 1000),
      });
      return { user };
    },
  );

  r.post(
    '/api/v1/auth/logout',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Sign out' } },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await logout(ctx, cookie);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  r.get(
    '/api/v1/auth/me',
    {
      schema: { tags: ['auth'], summary: 'Who am I', response: { 200: meSchema, ...errors() } },
    },
    (request) => {
      const p = actorOf(request);
      return {
        user:
          p.kind === 'user'
            ? { id: p.id, email: p.email, name: p.name, role: p.role, kind: p.kind }
            : { id: p.kind === 'token' ? p.id : p.name, email: '', name: p.name, role: p.role, kind: p.kind },
      };
    },
  );
}
