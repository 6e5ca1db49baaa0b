/**
 * One responder's path through the real product: a built server on SQLite, the built web app, Debian Chromium.
 * `npm test` builds first (pretest), so this file starts what is in `dist/` and builds nothing itself.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  createDebrief,
  type Debrief,
  launchChromium,
  newPage,
  saveScreenshot,
  signIn,
} from './support.js';

const EMAIL = 'e2e@example.com';
const PASSWORD = 'e2e-password-123';

describe('incident flow in the browser', () => {
  let debrief: Debrief | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    assertBuilt();
    debrief = await createDebrief();
    await debrief.createUser({ email: EMAIL, name: 'E2E Responder', role: 'responder' }, PASSWORD);
    const baseUrl = await debrief.serve();
    browser = await launchChromium();
    page = await newPage(browser, baseUrl);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await debrief?.dispose();
  }, 30_000);

  it('signs in, declares, notes, resolves and finds the incident in the filtered list', async () => {
    const title = `E2E checkout errors ${Date.now().toString(36)}`;
    const note = 'Rolled back checkout to the previous release; error rate falling.';

    // Signed out, the app sends us to sign in, and back to the list afterwards.
    await page.goto('/incidents');
    await signIn(page, EMAIL, PASSWORD);
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
    await saveScreenshot(page, 'e2e-incident-flow.png');
  }, 60_000);
});
