/**
 * Runtime settings from the environment. One place, so the CLI, the server and the benchmarks agree.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | DEBRIEF_DATA_DIR | ./.debrief | SQLite database and other local state |
 * | DEBRIEF_DATABASE_URL | (none) | postgres://… selects PostgreSQL |
 * | DEBRIEF_URL | (none) | CLI: talk to this server instead of the local data directory |
 * | DEBRIEF_TOKEN | (none) | CLI: API token for DEBRIEF_URL |
 * | DEBRIEF_LOG_LEVEL | info | pino level for `debrief serve` |
 * | DEBRIEF_SECURE_COOKIES | false | set when served over HTTPS |
 * | DEBRIEF_TRUST_PROXY | false | trust X-Forwarded-* headers |
 * | DEBRIEF_SETTINGS | <data dir>/settings.json | JSON settings file (routing, webhooks, telemetry, prometheus) |
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Config {
  dataDir: string;
  databaseUrl: string | undefined;
  serverUrl: string | undefined;
  token: string | undefined;
  logLevel: string;
  secureCookies: boolean;
  trustProxy: boolean;
  settingsPath: string | undefined;
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
const nonEmpty = (v: string | undefined): string | undefined => (v && v.trim() !== '' ? v.trim() : undefined);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    dataDir: resolve(nonEmpty(env.DEBRIEF_DATA_DIR) ?? '.debrief'),
    databaseUrl: nonEmpty(env.DEBRIEF_DATABASE_URL),
    serverUrl: nonEmpty(env.DEBRIEF_URL),
    token: nonEmpty(env.DEBRIEF_TOKEN),
    logLevel: nonEmpty(env.DEBRIEF_LOG_LEVEL) ?? 'info',
    secureCookies: truthy(env.DEBRIEF_SECURE_COOKIES),
    trustProxy: truthy(env.DEBRIEF_TRUST_PROXY),
    settingsPath: nonEmpty(env.DEBRIEF_SETTINGS),
  };
}

/** The repository root (for the built web app), from either `src/` or `dist/server/`. */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${join('dist', 'server')}`) ? resolve(here, '..', '..') : resolve(here, '..');
}

export function webRoot(): string {
  return join(packageRoot(), 'dist', 'web');
}
