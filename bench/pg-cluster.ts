/**
 * A throwaway PostgreSQL 15 cluster for the benchmarks, started the way test/harness/global-setup.ts starts the
 * test lane's (that file only exports its vitest hook): initdb into a temp dir, postgres on a free loopback port,
 * durability off because the data is thrown away. As root both run as the `postgres` user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const READY_TIMEOUT_MS = 20_000;

export interface BenchCluster {
  url: string;
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

function command(binary: string, args: string[]): [string, string[]] {
  const path = join(PG_BIN, binary);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function signal(pid: number | null | undefined, name: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

async function waitUntilReady(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited during startup with ${child.exitCode}`);
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await client.end().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s: ${String(lastError)}`);
}

/** Whether `exited` settles within `ms`; the timer is cleared so it does not hold the process open. */
async function exitsWithin(exited: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([exited.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts a cluster; `stop()` shuts it down and deletes its directory (also attempted on process exit). */
export async function startBenchCluster(): Promise<BenchCluster> {
  if (!existsSync(join(PG_BIN, 'postgres'))) {
    throw new Error(
      `PostgreSQL 15 is not installed (${PG_BIN}/postgres is missing); set DEBRIEF_BENCH_DATABASE_URL or BENCH_DIALECTS=sqlite`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'debrief-bench-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  const [initdb, initArgs] = command('initdb', [
    '-D',
    dataDir,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const init = spawnSync(initdb, initArgs, { encoding: 'utf8', cwd: dir });
  if (init.status !== 0) {
    remove();
    throw new Error(`initdb failed: ${init.stderr}`);
  }
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const [bin, args] = command('postgres', [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  ]);
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', log, log] });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const killNow = (): void => signal(postmasterPid(dataDir) ?? child.pid, 'SIGQUIT');
  process.once('exit', killNow);
  const stop = async (): Promise<void> => {
    process.off('exit', killNow);
    // SIGINT is PostgreSQL's fast shutdown; runuser exits once the postmaster has.
    signal(postmasterPid(dataDir) ?? child.pid, 'SIGINT');
    if (!(await exitsWithin(exited, 15_000))) {
      killNow();
      signal(child.pid, 'SIGKILL');
      await exitsWithin(exited, 2000);
    }
    remove();
  };
  try {
    await waitUntilReady(port, child);
  } catch (error) {
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    await stop();
    throw new Error(`could not start PostgreSQL for the benchmark: ${String(error)}\n${tail}`, { cause: error });
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
