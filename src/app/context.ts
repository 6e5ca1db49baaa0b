import type { Kysely } from 'kysely';
import { principalLabel } from '../domain/access.js';
import type { AuditEvent, Principal } from '../domain/types.js';
import type { Database } from '../store/database.js';
import { newId } from '../store/ids.js';
import { repositories, type Repositories } from '../store/repositories.js';
import type { DB } from '../store/schema.js';
import { DEFAULT_SETTINGS, type Settings } from './settings.js';

/** The minimal logger the app needs; pino satisfies it. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface AppContext {
  database: Database;
  settings: Settings;
  /** Injected so tests and demo data are deterministic. */
  now: () => Date;
  logger: Logger;
}

export function createAppContext(database: Database, options: Partial<Omit<AppContext, 'database'>> = {}): AppContext {
  return {
    database,
    settings: options.settings ?? DEFAULT_SETTINGS,
    now: options.now ?? (() => new Date()),
    logger: options.logger ?? silentLogger,
  };
}

/** What a use case gets inside its transaction. */
export interface Tx {
  db: Kysely<DB>;
  repos: Repositories;
  /** The transaction's clock reading, as ISO text: one instant for every row the use case writes. */
  now: string;
  audit(
    actor: Principal,
    action: string,
    entityType: string,
    entityId: string,
    before: unknown,
    after: unknown,
  ): Promise<void>;
}

/**
 * Runs `fn` in one database transaction with repositories bound to it. Everything `fn` writes, audit entries
 * included, commits together or not at all.
 */
export async function transact<T>(ctx: AppContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.database.db.transaction().execute(async (trx) => {
    const now = ctx.now().toISOString();
    const repos = repositories(trx, ctx.database.dialect);
    const tx: Tx = {
      db: trx,
      repos,
      now,
      audit: async (actor, action, entityType, entityId, before, after) => {
        const event: AuditEvent = {
          id: newId(Date.parse(now)),
          at: now,
          actor: principalLabel(actor),
          action,
          entityType,
          entityId,
          before,
          after,
        };
        await repos.audit.append(event);
      },
    };
    return fn(tx);
  });
}

/** Read-only work outside a transaction. */
export function read(ctx: AppContext): Repositories {
  return repositories(ctx.database.db, ctx.database.dialect);
}
