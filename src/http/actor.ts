import type { FastifyRequest } from 'fastify';
import { DebriefError } from '../domain/errors.js';
import type { Principal } from '../domain/types.js';

/** The authenticated principal; the auth hook guarantees one on every non-public route. */
export function actorOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DebriefError('DEBRIEF_ERR_UNAUTHENTICATED', 'authentication required');
  return request.principal;
}
