/**
 * `debrief serve` as a child process for the write benchmarks: on SQLite (a data directory) or PostgreSQL (a URL,
 * which `startup.ts` deliberately strips), optionally with extra Node flags (`BENCH_SERVER_NODE_ARGS`, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`), and with its memory sampled from /proc while it works.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const READY_PATTERN = /Debrief is ready at (https?:\/\/[^\s"',)]+)/;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
/** USER_HZ: 100 on every Linux this runs on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ServeProcess {
  pid: number;
  url: string;
  /** Stops sampling memory and returns the peaks seen so far, in MiB. */
  memory(): { peakRss: number | null; hwm: number | null };
  stop(): Promise<void>;
}

/** `VmRSS` and `VmHWM` (the kernel's own peak) of a process in MiB; null when /proc cannot be read. */
export function memoryOf(pid: number): { rss: number | null; hwm: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string): number | null => {
      const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
      return match?.[1] ? Number(match[1]) / 1024 : null;
    };
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return { rss: null, hwm: null };
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat; null when it cannot be read. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / CLOCK_TICKS_PER_SECOND : null;
  } catch {
    return null;
  }
}

/**
 * Starts `node [nodeArgs] bin/debrief.js serve --port 0` with exactly `env` for the DEBRIEF_* settings (any
 * DEBRIEF_* of ours is dropped first), waits for its ready line and a healthy `/healthz`, and samples its RSS every
 * `sampleMs` until stopped.
 */
export async function startServe(
  root: string,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; sampleMs?: number } = {},
): Promise<ServeProcess> {
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('DEBRIEF_')) childEnv[name] = value;
  Object.assign(childEnv, env);
  const args = [...(options.nodeArgs ?? []), join(root, 'bin', 'debrief.js'), 'serve', '--port', '0'];
  const child = spawn(process.execPath, args, { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  let peakRss: number | null = null;
  let sampler: NodeJS.Timeout | undefined;
  const pid = child.pid ?? 0;
  const sample = (): void => {
    const { rss } = memoryOf(pid);
    if (rss !== null) peakRss = Math.max(peakRss ?? 0, rss);
  };
  const stop = async (): Promise<void> => {
    clearInterval(sampler);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), STOP_TIMEOUT_MS)));
    if ((await Promise.race([exited, slow])) === 'slow') {
      child.kill('SIGKILL');
      await exited;
    }
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ready line within ${START_TIMEOUT_MS / 1000} s`)),
        START_TIMEOUT_MS,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        const match = READY_PATTERN.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1].replace(/[.]$/, ''));
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`debrief serve exited with ${code ?? signal} before it was ready`));
      });
    });
    // Request logs keep coming on stdout: drain them, keeping only the tail of stderr for error reports.
    child.stdout.removeAllListeners('data');
    child.stdout.resume();
    child.stderr.removeAllListeners('data');
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000)));
    const base = url.replace('//0.0.0.0', '//127.0.0.1').replace('//[::]', '//127.0.0.1');
    const started = performance.now();
    for (;;) {
      const ok = await fetch(`${base}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) break;
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error('/healthz did not answer 200');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    sample();
    sampler = setInterval(sample, options.sampleMs ?? 100);
    sampler.unref();
    return {
      pid,
      url: base,
      memory: () => {
        sample();
        return { peakRss, hwm: memoryOf(pid).hwm };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- debrief serve output ---\n${output.slice(-2000)}`,
      { cause: error },
    );
  }
}

/** Extra Node flags for the server from BENCH_SERVER_NODE_ARGS (space-separated), e.g. to profile it. */
export function serverNodeArgs(): string[] {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}
