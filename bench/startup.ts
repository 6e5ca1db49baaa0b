/**
 * `debrief serve` as a child process: build it when the sources are newer, time a start to its ready line and to
 * the first healthy `/healthz`, and read its resident memory from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const READY_PATTERN = /Debrief is ready at (https?:\/\/[^\s"',)]+)/;
const START_TIMEOUT_MS = 30_000;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Runs `npm run build:server` when `dist/server/cli/main.js` is missing or older than a source file. Returns a
 * reason when the CLI cannot be used.
 */
export function ensureServerBuilt(root: string, progress: (line: string) => void): string | null {
  const main = join(root, 'dist', 'server', 'cli', 'main.js');
  if (!existsSync(join(root, 'src', 'cli', 'main.ts'))) return 'src/cli/main.ts does not exist yet';
  const built = existsSync(main) ? statSync(main).mtimeMs : 0;
  if (built >= newestSource(join(root, 'src'))) return null;
  progress(
    built
      ? 'dist/server is older than src: npm run build:server'
      : 'dist/server/cli/main.js is missing: npm run build:server',
  );
  const result = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    progress(`build:server exited with ${result.status ?? result.signal}:\n${(result.stdout + result.stderr).trim()}`);
    // tsc still emits on type errors; a stale or missing build is what makes the figures meaningless.
    if (!existsSync(main) || statSync(main).mtimeMs < built + 1) return 'npm run build:server failed';
  }
  return null;
}

export interface RunningServer {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Milliseconds from spawn to the ready line on stdout. */
  readyMs: number;
  /** Milliseconds from spawn to the first 200 from /healthz. */
  healthyMs: number;
  stop(): Promise<void>;
}

/** Starts `node bin/debrief.js serve --port 0` with `env` laid over ours, and waits until it answers /healthz. */
export async function startServer(root: string, env: Record<string, string>): Promise<RunningServer> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.DEBRIEF_DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin', 'debrief.js'), 'serve', '--port', '0'], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), 10_000)));
    if ((await Promise.race([exited, slow])) === 'slow') {
      child.kill('SIGKILL');
      await exited;
    }
    clearTimeout(timer);
  };
  try {
    const { url, readyMs } = await new Promise<{ url: string; readyMs: number }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ready line within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer): void => {
        output += chunk.toString('utf8');
        const match = READY_PATTERN.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve({ url: match[1].replace(/[.]$/, ''), readyMs: performance.now() - started });
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`debrief serve exited with ${code ?? signal} before it was ready`));
      });
    });
    // Keep draining the pipes (request logs go to stdout) without holding on to them.
    child.stdout.removeAllListeners('data');
    child.stdout.resume();
    child.stderr.removeAllListeners('data');
    child.stderr.resume();
    const base = url.replace('//0.0.0.0', '//127.0.0.1').replace('//[::]', '//127.0.0.1');
    for (;;) {
      const ok = await fetch(`${base}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error('/healthz did not answer 200');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const healthyMs = performance.now() - started;
    return { child, pid: child.pid ?? 0, url: base, readyMs, healthyMs, stop };
  } catch (error) {
    await stop();
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- debrief serve output ---\n${output.slice(-2000)}`,
      {
        cause: error,
      },
    );
  }
}

/** Resident set size of a process in MiB, from /proc (Linux only); null when it cannot be read. */
export function rssMiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
