/**
 * What the browser tests share: a built `debrief serve` on a fresh SQLite data directory (with the CLI run against
 * the same directory), Debian Chromium through playwright-core, and signing in. These start what is in `dist/` and
 * build nothing: `npm test` builds first (pretest), otherwise run `npm run build`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'debrief.js');
const CHROMIUM = '/usr/bin/chromium';

const execFileAsync = promisify(execFile);

/** Throws with a hint when the server or the web app has not been built. */
export function assertBuilt(): void {
  for (const built of [join(ROOT, 'dist', 'server', 'cli', 'main.js'), join(ROOT, 'dist', 'web', 'index.html')]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
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

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within 5 s. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** A person the browser tests sign in as. */
export interface E2eUser {
  email: string;
  name: string;
  role: string;
}

/** One Debrief installation: a data directory, its CLI, and (once started) its server. */
export interface Debrief {
  readonly dataDir: string;
  /** `http://127.0.0.1:<port>` once `serve` has answered; empty before. */
  readonly baseUrl: string;
  /** Runs `debrief <args>` on the data directory and returns its stdout. */
  cli(args: string[]): Promise<string>;
  /** Creates a user who signs in with `password` (`debrief user create`). */
  createUser(user: E2eUser, password: string): Promise<void>;
  /** Declares an incident with `debrief incident declare <args>` and returns its key. */
  declareIncident(args: string[]): Promise<string>;
  /** Writes `settings.json` into the data directory (read by `serve` when it starts). */
  writeSettings(settings: object): Promise<void>;
  /** Starts `debrief serve` on a free loopback port and waits for `/healthz`; returns the base URL. */
  serve(): Promise<string>;
  /** The last 20 kB the server wrote, for failure messages. */
  output(): string;
  /** Stops the server and removes the data directory. */
  dispose(): Promise<void>;
}

export async function createDebrief(): Promise<Debrief> {
  const dataDir = await mkdtemp(join(tmpdir(), 'debrief-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DEBRIEF_DATA_DIR: dataDir, DEBRIEF_LOG_LEVEL: 'warn' };
  delete env.DEBRIEF_URL;
  delete env.DEBRIEF_TOKEN;
  delete env.DEBRIEF_SETTINGS;
  let server: ChildProcess | undefined;
  let output = '';
  let baseUrl = '';

  const waitForHealth = async (child: ChildProcess, url: string): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`debrief serve exited with code ${child.exitCode}:\n${output}`);
      try {
        const response = await fetch(`${url}/healthz`);
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`debrief serve did not become healthy within 20 s:\n${output}`);
  };

  const cli = async (args: string[]): Promise<string> => {
    try {
      const { stdout } = await execFileAsync(process.execPath, [BIN, ...args], { env, cwd: ROOT, timeout: 30_000 });
      return stdout;
    } catch (error) {
      const failed = error as { stderr?: string; message: string };
      throw new Error(`debrief ${args.join(' ')} failed: ${failed.stderr || failed.message}`, { cause: error });
    }
  };

  return {
    dataDir,
    get baseUrl() {
      return baseUrl;
    },
    cli,
    async createUser(user, password) {
      const { email, name, role } = user;
      await cli(['user', 'create', '--email', email, '--name', name, '--role', role, '--password', password]);
    },
    async declareIncident(args) {
      const declared = await cli(['incident', 'declare', ...args, '--format', 'json']);
      return (JSON.parse(declared) as { key: string }).key;
    },
    async writeSettings(settings) {
      await writeFile(join(dataDir, 'settings.json'), JSON.stringify(settings, null, 2));
    },
    async serve() {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
        env,
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const collect = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
      };
      server.stdout?.on('data', collect);
      server.stderr?.on('data', collect);
      await waitForHealth(server, url);
      baseUrl = url;
      return url;
    },
    output: () => output,
    async dispose() {
      await stopProcess(server);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser context (no cookies) on the server, 1280 × 900, acting within 30 s by default (busy CI machines run several servers at once). */
export async function newPage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: baseUrl });
  context.setDefaultTimeout(30_000);
  return context.newPage();
}

/** Fills and sends the sign-in form; the caller has navigated to a page that needs it and waits where it leads. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The postmortem editor's text box (CodeMirror's content element carries the label). */
export const postmortemEditor = (page: Page): Locator =>
  page.getByRole('textbox', { name: 'Postmortem text (markdown)' });

/** Waits until the postmortem editor's text is stored on the server. */
export async function waitSaved(page: Page): Promise<void> {
  await page.locator('[data-save-state="saved"]').waitFor();
}

/** Saves a full-page screenshot as `test-results/<name>`. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const path = join(ROOT, 'test-results', name);
  await mkdir(dirname(path), { recursive: true });
  // From the top: a full-page capture paints the fixed header wherever the page happens to be scrolled.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path, fullPage: true });
  return path;
}
