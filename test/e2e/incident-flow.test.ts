/**
 * One responder's path through the real product: a built server on SQLite, the built web app, Debian Chromium.
 * `npm test` builds first (pretest), so this file starts what is in `dist/` and builds nothing itself.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'debrief.js');
const SCREENSHOT = join(ROOT, 'test-results', 'e2e-incident-flow.png');
const EMAIL = 'e2e@example.com';
const PASSWORD = 'e2e-password-123';

const run = promisify(execFile);

async function freePort(): Promise<number> {
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

async function waitForHealth(baseUrl: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`debrief serve exited with code ${server.exitCode}:\n${output()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`debrief serve did not become healthy within 20 s:\n${output()}`);
}

describe('incident flow in the browser', () => {
  let dataDir = '';
  let server: ChildProcess | undefined;
  let serverOutput = '';
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl = '';

  beforeAll(async () => {
    for (const built of [join(ROOT, 'dist', 'server', 'cli', 'main.js'), join(ROOT, 'dist', 'web', 'index.html')]) {
      if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
    }
    dataDir = await mkdtemp(join(tmpdir(), 'debrief-e2e-'));
    const env = { ...process.env, DEBRIEF_DATA_DIR: dataDir, DEBRIEF_LOG_LEVEL: 'warn' };

    await run(
      process.execPath,
      [
        BIN,
        'user',
        'create',
        '--email',
        EMAIL,
        '--name',
        'E2E Responder',
        '--role',
        'responder',
        '--password',
        PASSWORD,
      ],
      { env, cwd: ROOT, timeout: 30_000 },
    );

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
      env,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      serverOutput = (serverOutput + chunk.toString()).slice(-20_000);
    };
    server.stdout?.on('data', collect);
    server.stderr?.on('data', collect);
    await waitForHealth(baseUrl, server, () => serverOutput);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
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
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: baseUrl });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('signs in, declares, notes, resolves and finds the incident in the filtered list', async () => {
    const title = `E2E checkout errors ${Date.now().toString(36)}`;
    const note = 'Rolled back checkout to the previous release; error rate falling.';

    // Signed out, the app sends us to sign in, and back to the list afterwards.
    await page.goto('/incidents');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/incidents');
    await page.getByRole('heading', { level: 1, name: 'Incidents', exact: true }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Declare' }).click();
    // Pages load lazily: act only once the new page is there, never on the one being left.
    const declareForm = page.getByRole('form', { name: 'Declare an incident' });
    await declareForm.waitFor();
    await declareForm.getByRole('textbox', { name: 'Title' }).fill(title);
    await declareForm.getByRole('combobox', { name: 'Severity' }).selectOption('SEV2');
    await declareForm.getByRole('textbox', { name: 'Customer impact' }).fill('Some card payments fail at checkout.');
    await declareForm.getByRole('button', { name: 'Declare incident' }).click();

    await page.waitForURL(/\/incidents\/INC-\d+$/);
    const incidentUrl = page.url();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();

    const noteForm = page.getByRole('form', { name: 'Add note' });
    await noteForm.getByRole('textbox', { name: 'Note' }).fill(note);
    await noteForm.getByRole('button', { name: 'Add note' }).click();
    const events = page.getByRole('list', { name: 'Timeline events' });
    await events.getByText(note).waitFor();

    await page.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.getByRole('button', { name: 'Close', exact: true }).waitFor();
    await page.getByRole('group', { name: 'Incident attributes' }).getByText('Resolved').waitFor();
    // Resolving records the status change on the timeline, after the note.
    await events.getByRole('article').filter({ hasText: 'Resolved' }).first().waitFor();

    // Another incident that stays open: the status filter has to leave it out.
    const decoy = `E2E still investigating ${Date.now().toString(36)}`;
    const declared = await page.request.post('/api/v1/incidents', { data: { title: decoy, severity: 'SEV4' } });
    expect(declared.status()).toBe(201);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    await page.waitForURL((url) => url.pathname === '/incidents');
    await page.getByRole('heading', { level: 1, name: 'Incidents', exact: true }).waitFor();
    const table = page.getByRole('table', { name: 'Incidents' });
    await table.getByRole('link', { name: decoy }).waitFor();
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Resolved', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => url.searchParams.get('status') === 'resolved');

    await table.getByRole('link', { name: decoy }).waitFor({ state: 'detached' });
    const row = table.getByRole('row').filter({ hasText: title });
    await row.getByText('Resolved').waitFor();
    expect(await table.getByRole('row').count()).toBe(2); // the header row and ours
    await row.getByRole('link', { name: title }).click();
    await page.waitForURL(incidentUrl);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();

    await page.goBack();
    await row.waitFor();
    await mkdir(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }, 60_000);
});
