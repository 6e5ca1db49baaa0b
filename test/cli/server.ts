/** A listening API server over a test database, and the CLI pointed at it or at the database directly. */
import { dirname } from 'node:path';
import { inject } from 'vitest';
import { createAppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/http/server.js';
import type { Database } from '../../src/store/database.js';
import type { TestDialect } from '../harness/dialects.js';
import { debrief, json, type CliResult } from './run.js';

type Cli = (...args: string[]) => Promise<CliResult>;

export interface TestServer {
  url: string;
  /** `debrief ...args` against this server with `token` (DEBRIEF_URL and DEBRIEF_TOKEN, nothing else). */
  cli(token: string): Cli;
  close(): Promise<void>;
}

/** Serves the API over `database` on a free local port. */
export async function listen(database: Database): Promise<TestServer> {
  const server = await buildServer(createAppContext(database));
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    cli:
      (token) =>
      (...args) =>
        debrief(args, { env: { DEBRIEF_URL: url, DEBRIEF_TOKEN: token } }),
    close: () => server.close(),
  };
}

/** Creates an API token with `debrief token create` through `run` and returns its secret. */
export async function createToken(run: Cli, name: string, role: string): Promise<string> {
  return json<{ token: string }>(await run('token', 'create', '--name', name, '--role', role, '--format', 'json'))
    .token;
}

/** One token per role, named `<prefix>-<role>`, keyed by role. */
export async function createTokens(run: Cli, prefix: string, roles: string[]): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const role of roles) tokens[role] = await createToken(run, `${prefix}-${role}`, role);
  return tokens;
}

/** Global options that point the CLI at the harness database: its data directory, or its PostgreSQL URL. */
export function localArgs(dialect: TestDialect, database: Database): string[] {
  if (dialect === 'sqlite') return ['--data-dir', dirname(database.location)];
  const cluster = inject('pgUrl');
  if (!cluster) throw new Error('the postgres lane has no cluster URL');
  const url = new URL(cluster);
  url.pathname = new URL(database.location).pathname;
  return ['--database-url', url.toString()];
}
