/**
 * A throwaway PostgreSQL 15 cluster: initdb into a temp dir, postgres on a free loopback port, durability off because
 * the data is thrown away. As root both run as the `postgres` system user. Used by the test lane's global setup
 * (`global-setup.ts`) and by the benchmarks (`bench/run.ts`).
 *
 * @example
 * sweepStaleClusters();
 * const cluster = await startCluster({ purpose: 'the benchmark', alternatives: 'set DEBRIEF_BENCH_DATABASE_URL' });
 * const onExit = (): void => stopClusterSync(cluster);
 * process.once('exit', onExit);
 * try {
 *   await use(clusterUrl(cluster));
 * } finally {
 *   process.off('exit', onExit);
 *   await stopCluster(cluster);
 * }
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const DIR_PREFIX = 'debrief-pg-';
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

/** A running cluster, as returned by {@link startCluster}. */
export interface Cluster {
  /** Temp directory holding everything: `owner.pid`, the data directory, the log and the Unix socket. */
  dir: string;
  dataDir: string;
  logFile: string;
  port: number;
  child: ChildProcess;
  /** Settles once the child (runuser, or postgres itself) has exited. */
  exited: Promise<void>;
  hasExited(): boolean;
}

/** Wording for {@link startCluster}'s errors, so they tell the caller's user what to do instead. */
export interface StartOptions {
  /** Who the cluster is for, e.g. `'the postgres test lane'`. */
  purpose: string;
  /** Ways around a missing PostgreSQL 15, e.g. `'set DEBRIEF_TEST_DATABASE_URL to an existing cluster'`. */
  alternatives: string;
}

/** Connection URL of the cluster's `postgres` database, as the `postgres` superuser (trust auth, loopback only). */
export function clusterUrl(cluster: Cluster): string {
  return `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
}

const asRoot = process.getuid?.() === 0;

/** initdb and postgres refuse to run as root; as root they run as the `postgres` system user. */
function command(binary: string, args: string[]): [string, string[]] {
  const path = join(PG_BIN, binary);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

/**
 * Creates and starts a cluster and waits until it accepts connections. Throws, with the tail of the server log, when
 * it cannot; nothing is left behind then. The cluster's directory records this process's pid, so
 * {@link sweepStaleClusters} can remove it should this process die without stopping it.
 */
export async function startCluster(options: StartOptions): Promise<Cluster> {
  if (!existsSync(join(PG_BIN, 'postgres'))) {
    throw new Error(
      `PostgreSQL 15 is not installed (${PG_BIN}/postgres is missing): install the Debian package postgresql-15, ` +
        options.alternatives,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  try {
    if (asRoot) {
      const chown = spawnSync('chown', ['-R', 'postgres:postgres', dir], { encoding: 'utf8' });
      if (chown.status !== 0) throw new Error(`chown of ${dir} to postgres failed: ${chown.stderr || chown.error}`);
    }
    // Locale C sorts text by code point, as SQLite does, so ordering is the same in both lanes on every machine.
    const [initdb, initdbArgs] = command('initdb', [
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
    const init = spawnSync(initdb, initdbArgs, { encoding: 'utf8', cwd: dir });
    if (init.status !== 0) {
      throw new Error(`initdb exited with ${init.status ?? init.signal}: ${init.stderr || init.error}`);
    }

    // A free port can be taken between probing and binding; a fresh port is tried when that happens.
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const cluster = launch(dir, dataDir, logFile, port);
      try {
        await waitUntilReady(cluster);
        return cluster;
      } catch (error) {
        lastError = error;
        await stopCluster(cluster, { keepDir: true });
      }
    }
    throw lastError;
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `Could not start the throwaway PostgreSQL 15 cluster for ${options.purpose}: ${String(error)}` +
        (log ? `\n--- postgres log (last lines) ---\n${log}` : ''),
      { cause: error },
    );
  }
}

function launch(dir: string, dataDir: string, logFile: string, port: number): Cluster {
  // The server logs to a file, never to the runner's output: the summary line must stay the last line printed.
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
    '-c',
    'max_connections=200',
  ]);
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', log, log] });
  closeSync(log);
  let done = false;
  const exited = new Promise<void>((resolve) => {
    const settle = (): void => {
      done = true;
      resolve();
    };
    child.once('exit', settle);
    child.once('error', settle);
  });
  return { dir, dataDir, logFile, port, child, exited, hasExited: () => done };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port found'))));
    });
  });
}

async function waitUntilReady(cluster: Cluster): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (cluster.hasExited())
      throw new Error(`postgres exited during startup with ${cluster.child.exitCode ?? 'a signal'}`);
    const client = new pg.Client({
      host: '127.0.0.1',
      port: cluster.port,
      user: 'postgres',
      database: 'postgres',
      connectionTimeoutMillis: 1000,
    });
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

/** The postmaster's own pid: with runuser in between it is not the child's pid. */
function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Zombies count as gone: they are exited processes that their parent has not reaped yet. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
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

/** Waits for `promise` at most `ms`; the timer is cleared so it does not hold the process open. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Shuts the cluster down (fast shutdown, then SIGQUIT/SIGKILL after 15 s) and deletes its directory unless `keepDir`. */
export async function stopCluster(cluster: Cluster, options: { keepDir?: boolean } = {}): Promise<void> {
  // Under runuser the child is runuser, which exits by itself once the postmaster has.
  const target = postmasterPid(cluster.dataDir) ?? cluster.child.pid ?? null;
  // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, disconnect clients, exit cleanly.
  signal(target, 'SIGINT');
  const gone = (): boolean => cluster.hasExited() && (target === null || !alive(target));
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (!gone() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!gone()) {
    signal(target, 'SIGQUIT');
    signal(cluster.child.pid, 'SIGKILL');
    await settlesWithin(cluster.exited, 2000);
  }
  if (!options.keepDir) rmSync(cluster.dir, { recursive: true, force: true });
}

/** Last resort from an `exit` handler, where nothing asynchronous runs: immediate shutdown, then wait briefly. */
export function stopClusterSync(cluster: Cluster): void {
  const pid = postmasterPid(cluster.dataDir) ?? cluster.child.pid ?? null;
  signal(pid, 'SIGQUIT');
  const deadline = Date.now() + 5000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (pid !== null && alive(pid) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 50);
  rmSync(cluster.dir, { recursive: true, force: true });
}

/** Removes clusters left behind by runners that were killed outright (SIGKILL leaves no chance to clean up). */
export function sweepStaleClusters(): void {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((name) => name.startsWith(DIR_PREFIX));
  } catch {
    return;
  }
  for (const name of entries) {
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
    } catch {
      continue;
    }
    if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) continue;
    const pid = postmasterPid(join(dir, 'data'));
    if (pid !== null && alive(pid) && isPostmasterOf(pid, dir)) {
      signal(pid, 'SIGQUIT');
      const deadline = Date.now() + 5000;
      const pause = new Int32Array(new SharedArrayBuffer(4));
      while (alive(pid) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 50);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Guards against a recycled pid: only a postgres process serving that directory is signalled. */
function isPostmasterOf(pid: number, dir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('postgres') && cmdline.includes(dir);
  } catch {
    return false;
  }
}
