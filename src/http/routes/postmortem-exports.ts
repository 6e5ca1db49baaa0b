import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app/context.js';

export function postmortemExportsRoutes(_app: FastifyInstance, _ctx: AppContext): void {
  // Routes are added here.
}
