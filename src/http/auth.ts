import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { authenticateSession, authenticateToken } from '../app/identity.js';
import type { AppContext } from '../app/context.js';
import type { Principal } from '../domain/types.js';

export const SESSION_COOKIE = 'debrief_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Reads the bearer token or session cookie; sets `request.principal` or null. */
export async function identify(ctx: AppContext, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1] ? authenticateToken(ctx, match[1]) : null;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const principal = await authenticateSession(ctx, cookie);
  if (principal && !['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !sameOrigin(request)) {
    return null;
  }
  return principal;
}

/**
 * Cookie-authenticated writes must come from our own pages. Browsers send Origin on cross-site POSTs; together
 * with SameSite=Lax cookies and JSON-only bodies this closes CSRF.
 */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
