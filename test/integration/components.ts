/**
 * Real components for integration tests: Debian's Prometheus and Alertmanager, a scrape target served by the test,
 * and a built `debrief serve`, each on a random loopback port with its own temp directory. Every `start*` returns a
 * handle whose `stop()` kills the process and removes its directory; it is safe to call twice.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';
const DEBRIEF_BIN = join(ROOT, 'bin', 'debrief.js');
const DEBRIEF_BUILD = join(ROOT, 'dist', 'server', 'cli', 'main.js');

const run = promisify(execFile);

/** What is missing to run these tests, or null: the binaries come from `.ci/run` / `npm test` (pretest). */
export function missingComponents(): string | null {
  const missing = [
    [PROMETHEUS_BIN, 'apt-get install -y prometheus'],
    [ALERTMANAGER_BIN, 'apt-get install -y prometheus-alertmanager'],
    [DEBRIEF_BUILD, 'npm run build:server'],
  ].filter(([path]) => !existsSync(path as string));
  return missing.length === 0 ? null : missing.map(([path, fix]) => `${path} (${fix})`).join(', ');
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined, or throws with `describe()` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(options.intervalMs ?? 250);
  }
  const last = lastError instanceof Error ? `\nlast error: ${lastError.message}` : '';
  throw new Error(
    `timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${what}${last}\n${options.describe?.() ?? ''}`,
  );
}

export interface Component {
  readonly name: string;
  readonly url: string;
  /** What the process printed (the tail), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

interface Spawned {
  child: ChildProcess;
  output(): string;
}

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Spawned {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // If the test process dies without its afterAll, the component must not outlive it.
  const reap = (): void => void child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  return { child, output: () => text };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function startProcess(
  name: string,
  dir: string,
  url: string,
  command: string,
  args: string[],
  ready: (url: string) => Promise<boolean>,
  env?: NodeJS.ProcessEnv,
): Promise<Component> {
  const spawned = spawnLogged(command, args, env);
  let stopped = false;
  const component: Component = {
    name,
    url,
    output: spawned.output,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await kill(spawned.child);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await waitFor(
      `${name} to become ready at ${url}`,
      async () => {
        if (spawned.child.exitCode !== null) {
          throw new Error(`${name} exited with code ${spawned.child.exitCode}:\n${spawned.output()}`);
        }
        return (await ready(url)) ? true : undefined;
      },
      { timeoutMs: 30_000, describe: spawned.output },
    );
  } catch (error) {
    await component.stop();
    throw error;
  }
  return component;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

export interface PrometheusOptions {
  /** `host:port` targets scraped every second as job `job`. Prometheus picks up targets about 5 s after start. */
  scrape?: { job: string; targets: string[] };
  /** Rule file content (YAML); evaluated every second. */
  rules?: string;
  /** Alertmanager `host:port` to send alerts to. */
  alertmanager?: string;
  /** Loopback port to listen on, when another component must know the URL first; default a free one. */
  port?: number;
}

/**
 * A real Prometheus with a fresh TSDB in a temp directory. Without targets it still answers queries such as
 * `vector(1)` at any time, which is enough to test a client against the real API.
 */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<Component> {
  const dir = await mkdtemp(join(tmpdir(), 'debrief-prometheus-'));
  const port = options.port ?? (await freePort());
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    '  evaluation_interval: 1s',
    ...(options.rules ? ['rule_files:', `  - ${join(dir, 'rules.yml')}`] : []),
    ...(options.alertmanager
      ? ['alerting:', '  alertmanagers:', '    - static_configs:', `        - targets: ['${options.alertmanager}']`]
      : []),
    ...(options.scrape
      ? [
          'scrape_configs:',
          `  - job_name: ${options.scrape.job}`,
          '    static_configs:',
          `      - targets: [${options.scrape.targets.map((t) => `'${t}'`).join(', ')}]`,
        ]
      : []),
    '',
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), config);
  if (options.rules) await writeFile(join(dir, 'rules.yml'), options.rules);
  const url = `http://127.0.0.1:${port}`;
  return startProcess(
    'prometheus',
    dir,
    url,
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    (u) => answers(`${u}/-/ready`),
  );
}

export interface AlertmanagerOptions {
  /** Where the receiver posts its webhooks. */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <token>`. */
  bearerToken: string;
}

/** A real Alertmanager (clustering off) that sends every alert group to one webhook within about a second. */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<Component> {
  const dir = await mkdtemp(join(tmpdir(), 'debrief-alertmanager-'));
  const port = await freePort();
  const config = [
    'route:',
    '  receiver: debrief',
    "  group_by: ['alertname', 'service']",
    '  group_wait: 1s',
    '  group_interval: 1s',
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: debrief',
    '    webhook_configs:',
    `      - url: '${options.webhookUrl}'`,
    '        send_resolved: true',
    '        http_config:',
    '          authorization:',
    `            credentials: '${options.bearerToken}'`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'alertmanager.yml'), config);
  const url = `http://127.0.0.1:${port}`;
  return startProcess(
    'alertmanager',
    dir,
    url,
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    (u) => answers(`${u}/-/ready`),
  );
}

export interface ScrapeTarget {
  /** `host:port`, as Prometheus targets are written. */
  address: string;
  /** From now on, each scrape adds `perScrape` to the counter of requests with status `code`. */
  setRate(code: string, perScrape: number): void;
  stop(): Promise<void>;
}

/**
 * A tiny service exposing the counter `checkout_http_requests_total{code}` in the Prometheus text format. Each scrape
 * adds the code's current rate, so `rate()` over a few scrapes is steady, and zero for a code at rate 0.
 */
export async function startScrapeTarget(perScrape: Record<string, number>): Promise<ScrapeTarget> {
  const rates = new Map(Object.entries(perScrape));
  const totals = new Map<string, number>();
  const server: Server = createHttpServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    for (const [code, n] of rates) totals.set(code, (totals.get(code) ?? 0) + n);
    const lines = [
      '# HELP checkout_http_requests_total Requests served by checkout, by status code.',
      '# TYPE checkout_http_requests_total counter',
      ...[...totals].map(([code, value]) => `checkout_http_requests_total{code="${code}"} ${value}`),
      '',
    ];
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(lines.join('\n'));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let stopped = false;
  return {
    address: `127.0.0.1:${port}`,
    setRate(code, n) {
      rates.set(code, n);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/** Runs the built CLI on the server's data directory and returns its stdout. */
export type DebriefCli = (args: string[]) => Promise<string>;

export interface DebriefServer extends Component {
  dataDir: string;
  /** An admin API token, created before the server started, for the test to read the API with. */
  token: string;
  cli: DebriefCli;
}

/**
 * The built `debrief serve` on SQLite in a fresh data directory with `settings` as its settings.json. `prepare` runs
 * before the server starts, e.g. to create the catalog and tokens with the CLI.
 */
export async function startDebrief(options: {
  settings: unknown;
  prepare?: (cli: DebriefCli) => Promise<void>;
  env?: NodeJS.ProcessEnv;
}): Promise<DebriefServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'debrief-integration-'));
  // The developer's own DEBRIEF_* variables would point the server elsewhere.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('DEBRIEF_')));
  const env: NodeJS.ProcessEnv = { ...inherited, DEBRIEF_DATA_DIR: dataDir, DEBRIEF_LOG_LEVEL: 'info', ...options.env };
  const cli: DebriefCli = async (args) => {
    try {
      return (await run(process.execPath, [DEBRIEF_BIN, ...args], { env })).stdout;
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`debrief ${args.join(' ')} failed: ${e.stderr ?? ''}${e.stdout ?? ''}${e.message}`, {
        cause: error,
      });
    }
  };
  try {
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify(options.settings, null, 2));
    await options.prepare?.(cli);
    const created = JSON.parse(
      await cli(['token', 'create', '--name', 'integration-reader', '--role', 'admin', '--format', 'json']),
    ) as { token: string };
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const component = await startProcess(
      'debrief serve',
      dataDir,
      url,
      process.execPath,
      [DEBRIEF_BIN, 'serve', '--port', String(port)],
      (u) => answers(`${u}/healthz`),
      env,
    );
    return { ...component, dataDir, token: created.token, cli };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
