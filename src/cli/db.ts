/** `debrief db …`: migrations and backups of the local database (SQLite in the data directory, or PostgreSQL). */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Option } from '@commander-js/extra-typings';
import type { Config } from '../config.js';
import { describeUrl, migrateToLatest, migrationStatus, type Database } from '../store/database.js';
import { migrations } from '../store/migrations.js';
import { describeDatabase, openLocalDatabase } from './client.js';
import {
  CliError,
  describeError,
  EXIT_FAILURE,
  EXIT_USAGE,
  formatBytes,
  renderTable,
  writeJson,
  type Writer,
} from './output.js';
import { formatOption, type Program, type Runtime } from './runtime.js';

export const SQLITE_FILE = 'debrief.sqlite';

function sqliteFile(config: Config): string {
  return join(config.dataDir, SQLITE_FILE);
}

async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openLocalDatabase(config, { migrate: false });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/**
 * Percent progress on stderr: rewritten in place on a terminal, one line per 10% step otherwise, so logs of
 * scheduled backups stay short.
 */
function progressReporter(err: Writer, label: string): { update(percent: number): void; done(): void } {
  let last = -1;
  return {
    update(percent) {
      const p = Math.max(0, Math.min(100, Math.floor(percent)));
      if (err.isTTY) {
        if (p !== last) err.write(`\r${label} ${p}%`);
        last = p;
        return;
      }
      if (last < 0 || p >= last + 10 || (p === 100 && last !== 100)) {
        err.write(`${label} ${p}%\n`);
        last = p;
      }
    },
    done() {
      this.update(100);
      if (err.isTTY) err.write('\n');
    },
  };
}

/** The most pages one backup step may copy: effectively "the rest, in one step". */
const ALL_PAGES = 0x7fffffff;
const PAGES_PER_STEP = 100;

/**
 * Copies a live SQLite database with SQLite's online backup API. Copying in steps keeps the writer responsive, but
 * a write by another connection (a running server) restarts the copy; after a restart the rest is copied in one
 * step, which in WAL mode reads one consistent snapshot while the writer carries on.
 */
async function backupSqlite(
  source: SQLite.Database,
  target: string,
  onProgress: (percent: number) => void,
): Promise<{ totalPages: number }> {
  let lastRemaining = Number.POSITIVE_INFINITY;
  let restarted = false;
  const result = await source.backup(target, {
    progress: ({ totalPages, remainingPages }) => {
      if (remainingPages > lastRemaining) restarted = true;
      lastRemaining = remainingPages;
      onProgress(totalPages === 0 ? 100 : ((totalPages - remainingPages) / totalPages) * 100);
      return restarted ? ALL_PAGES : PAGES_PER_STEP;
    },
  });
  return { totalPages: result.totalPages };
}

/** Makes the copy one self-contained file (no -wal to carry along) and checks it is a sound database. */
function finishCopy(file: string): void {
  const copy = new SQLite(file);
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CliError(`the copy failed its integrity check: ${String(check)}`, EXIT_FAILURE);
  } finally {
    copy.close();
  }
}

function postgresBackupAdvice(config: Config, file: string): string {
  const where = config.databaseUrl ? describeUrl(config.databaseUrl) : 'PostgreSQL';
  return (
    `db backup copies SQLite databases only, and this one is PostgreSQL (${where}). Back it up with PostgreSQL's ` +
    `own tools, which take a consistent snapshot while Debrief keeps running: ` +
    `pg_dump "$DEBRIEF_DATABASE_URL" -Fc -f ${JSON.stringify(file)} (restore with pg_restore --clean -d URL FILE); ` +
    `managed PostgreSQL services also offer scheduled snapshots and point-in-time recovery.`
  );
}

export function registerDbCommands(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  const db = program
    .command('db')
    .description('database maintenance: migrations and backups (always the local database, never --url)');

  db.command('migrate')
    .description('apply pending migrations')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const config = runtime.config(cmd.optsWithGlobals());
      await withDatabase(config, async (database) => {
        let applied: string[];
        try {
          applied = await migrateToLatest(database);
        } catch (error) {
          throw new CliError(`${describeDatabase(database)}: ${describeError(error)}`, EXIT_FAILURE);
        }
        if (opts.format === 'json') {
          writeJson(io.stdout, { database: { dialect: database.dialect, location: database.location }, applied });
          return;
        }
        for (const name of applied) io.stdout.write(`Applied ${name}\n`);
        io.stdout.write(
          applied.length
            ? `${describeDatabase(database)} is up to date (${applied.length} applied now).\n`
            : `${describeDatabase(database)} is up to date; nothing to apply.\n`,
        );
      });
    });

  db.command('status')
    .description('list migrations and whether each is applied')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const config = runtime.config(cmd.optsWithGlobals());
      const print = (database: { dialect: string; location: string }, list: { name: string; applied: boolean }[]) => {
        const pending = list.filter((m) => !m.applied).length;
        if (opts.format === 'json') {
          writeJson(io.stdout, { database, migrations: list, pending });
          return;
        }
        io.stdout.write(
          renderTable(
            [
              { header: 'MIGRATION', value: (m: { name: string; applied: boolean }) => m.name },
              { header: 'STATE', value: (m) => (m.applied ? 'applied' : 'pending') },
            ],
            list,
          ),
        );
        io.stdout.write(
          `${database.dialect}: ${database.location}: ${list.length - pending} applied, ${pending} pending` +
            `${pending ? ' (run `debrief db migrate`, or start `debrief serve`, to apply them)' : ''}.\n`,
        );
      };
      // Asking for the status must not create a database where there is none.
      if (!config.databaseUrl && !existsSync(sqliteFile(config))) {
        const names = Object.keys(migrations('sqlite')).sort();
        print(
          { dialect: 'sqlite', location: sqliteFile(config) },
          names.map((name) => ({ name, applied: false })),
        );
        return;
      }
      await withDatabase(config, async (database) => {
        let list: { name: string; applied: boolean }[];
        try {
          list = await migrationStatus(database);
        } catch (error) {
          throw new CliError(`${describeDatabase(database)}: ${describeError(error)}`, EXIT_FAILURE);
        }
        print({ dialect: database.dialect, location: database.location }, list);
      });
    });

  db.command('backup')
    .description('copy the SQLite database to FILE while Debrief keeps running (PostgreSQL: use pg_dump)')
    .argument('<file>', 'where to write the copy')
    .addOption(new Option('--force', 'overwrite FILE if it exists'))
    .addOption(formatOption())
    .action(async (file, opts, cmd) => {
      const config = runtime.config(cmd.optsWithGlobals());
      if (config.databaseUrl) throw new CliError(postgresBackupAdvice(config, file), EXIT_USAGE);
      const target = resolve(file);
      const source = sqliteFile(config);
      if (target === source) throw new CliError(`${file} is the live database; back it up to another file`);
      if (!existsSync(dirname(target))) throw new CliError(`${dirname(target)}: no such directory`);
      if (existsSync(target) && !opts.force) {
        throw new CliError(`${file} already exists; pass --force to overwrite it`);
      }
      if (!existsSync(source)) {
        throw new CliError(`no database at ${source}; nothing to back up (check --data-dir)`, EXIT_FAILURE);
      }
      // Written next to the target and renamed at the end: FILE is either the previous file or a complete copy.
      const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
      await withDatabase(config, async (database) => {
        if (!database.sqlite) throw new CliError(postgresBackupAdvice(config, file), EXIT_USAGE);
        const progress = progressReporter(io.stderr, 'Backing up');
        rmSync(partial, { force: true });
        let pages: number;
        try {
          ({ totalPages: pages } = await backupSqlite(database.sqlite, partial, (p) => progress.update(p)));
          progress.done();
          finishCopy(partial);
          renameSync(partial, target);
        } catch (error) {
          for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) {
            rmSync(leftover, { force: true });
          }
          if (error instanceof CliError) throw error;
          throw new CliError(`backup to ${file} failed: ${describeError(error)}`, EXIT_FAILURE);
        }
        const bytes = statSync(target).size;
        if (opts.format === 'json') {
          writeJson(io.stdout, { source: database.location, file: target, bytes, pages });
          return;
        }
        io.stdout.write(`Backed up ${database.location} to ${target} (${formatBytes(bytes)}, ${pages} pages).\n`);
      });
    });
}
