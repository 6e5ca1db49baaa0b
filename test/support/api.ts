/** Builds a Fastify app on a test database with one API token per role, for `inject`-based API tests. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createService, createTeam } from '../../src/app/catalog.js';
import { createAppContext, type AppContext } from '../../src/app/context.js';
import { createApiToken, createUser } from '../../src/app/identity.js';
import type { Principal, UserRole } from '../../src/domain/types.js';
import type { Database } from '../../src/store/database.js';
import { buildServer } from '../../src/http/server.js';

export const SYSTEM: Principal = { kind: 'system', name: 'test', role: 'admin' };

export interface TestApi {
  app: FastifyInstance;
  ctx: AppContext;
  tokens: Record<UserRole, string>;
  /** Users (with password `password-123`) by role. */
  emails: Record<UserRole, string>;
  call(role: UserRole | null, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let counter = 0;

export async function createTestApi(database: Database, options: { now?: () => Date } = {}): Promise<TestApi> {
  const ctx = createAppContext(database, options.now ? { now: options.now } : {});
  const app = await buildServer(ctx);
  await app.ready();
  const run = `${process.pid}-${++counter}`;
  const roles: UserRole[] = ['viewer', 'responder', 'reviewer', 'admin'];
  const tokens = {} as Record<UserRole, string>;
  const emails = {} as Record<UserRole, string>;
  for (const role of roles) {
    const email = `${role}-${run}@example.com`;
    await createUser(ctx, SYSTEM, { email, role, password: 'password-123', name: `${role} ${run}` });
    emails[role] = email;
    tokens[role] = (await createApiToken(ctx, SYSTEM, { name: `${role}-${run}`, role })).token;
  }
  if (!(await ctx.database.db.selectFrom('teams').select('id').where('name', '=', 'payments').executeTakeFirst())) {
    await createTeam(ctx, SYSTEM, { name: 'payments', displayName: 'Payments' });
    await createService(ctx, SYSTEM, { name: 'payments', team: 'payments', tier: 1 });
    await createService(ctx, SYSTEM, { name: 'checkout', team: 'payments', tier: 1, dependencies: ['payments'] });
  }
  return {
    app,
    ctx,
    tokens,
    emails,
    call(role, opts) {
      const headers = { ...(opts.headers ?? {}) } as Record<string, string>;
      if (role) headers.authorization = `Bearer ${tokens[role]}`;
      return app.inject({ ...opts, headers });
    },
    close: () => app.close(),
  };
}
