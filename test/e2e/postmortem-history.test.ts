/**
 * Template choice and history in the browser: a responder starts a postmortem early from a template that is not the
 * automatic match, writes in it, then finds the composed draft in the History tab, compares it with the current
 * text and restores it; the page still fits a 375 px phone. Runs the built server and web app (`dist/`) on SQLite
 * with Debian Chromium.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  createDebrief,
  type Debrief,
  launchChromium,
  newPage,
  postmortemEditor,
  saveScreenshot,
  signIn,
  waitSaved,
} from './support.js';

const WRITER = { email: 'historian@example.com', name: 'Hal Historian', role: 'responder' };
const PASSWORD = 'e2e-password-123';
const TEMPLATE = 'Service review';
const ADDED = 'The rollback waited on a runbook link that pointed at a retired dashboard.';

describe('postmortem templates and history in the browser', () => {
  let debrief: Debrief | undefined;
  let browser: Browser | undefined;
  let key = '';
  const title = `Search results stale ${Date.now().toString(36)}`;

  beforeAll(async () => {
    assertBuilt();
    debrief = await createDebrief();
    await debrief.createUser(WRITER, PASSWORD);
    // Made for security incidents, so it is never the automatic choice for the standard incident below.
    const templateFile = join(debrief.dataDir, 'template.json');
    await writeFile(
      templateFile,
      JSON.stringify({
        name: TEMPLATE,
        types: ['security'],
        sections: [{ title: 'Summary' }, { title: 'Exposure' }, { title: 'Action items' }],
      }),
    );
    await debrief.cli(['postmortem', 'templates', 'create', '--file', templateFile]);
    key = await debrief.declareIncident(['--title', title, '--severity', 'SEV3']);
    await debrief.serve();
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await debrief?.dispose();
  }, 30_000);

  it('creates from a chosen template, then restores the first revision', async () => {
    if (!browser || !debrief) throw new Error('setup failed');
    const page = await newPage(browser, debrief.baseUrl);
    await page.goto(`/incidents/${key}`);
    await signIn(page, WRITER.email, PASSWORD);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();

    // The picker starts on the server's own choice and says which template that is today.
    const form = page.getByRole('form', { name: 'Create postmortem' });
    const picker = form.getByRole('combobox', { name: 'Template' });
    await form.getByText('Now “Default”', { exact: false }).waitFor();
    expect(await picker.locator('option:checked').innerText()).toBe('Automatic (best match for SEV3 / Standard)');
    await picker.selectOption({ label: TEMPLATE });
    await form.getByRole('button', { name: 'Create postmortem' }).click();
    await page.getByRole('region', { name: 'Postmortem' }).getByRole('link', { name: 'Open postmortem' }).click();
    await page.waitForURL(`**/incidents/${key}/postmortem`);
    const attributes = page.getByRole('group', { name: 'Postmortem attributes' });
    await attributes.getByText(`Template: ${TEMPLATE}`).waitFor();

    const stored = async () => {
      const response = await page.request.get(`/api/v1/incidents/${key}/postmortem`);
      expect(response.status()).toBe(200);
      return ((await response.json()) as { postmortem: { body: string } }).postmortem.body;
    };
    const draft = await stored();
    expect(draft).toContain('## Exposure');

    // One save on top of the composed draft: the history then has two revisions.
    const editor = postmortemEditor(page);
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(ADDED);
    await waitSaved(page);
    await expect.poll(stored).toContain(ADDED);

    await page.getByRole('tab', { name: 'History' }).click();
    await page.waitForURL((url) => url.searchParams.get('tab') === 'history');
    const revisions = page.getByRole('list', { name: 'Revisions' });
    await revisions.getByRole('button', { name: /^Version 2,/ }).waitFor();
    await revisions.getByRole('button', { name: /^Version 1,/ }).click();

    const rendered = page.getByRole('document', { name: 'Version 1, rendered' });
    await rendered.getByRole('heading', { name: 'Exposure' }).waitFor();
    expect(await rendered.innerText()).not.toContain(ADDED);

    await page.getByRole('radiogroup', { name: 'Show revision as' }).getByText('Compare with current').click();
    await page.locator('.text-diff').getByText(ADDED).waitFor();

    // Restoring saves the draft's text as a new version; the editor shows it too.
    await page.getByRole('button', { name: 'Restore this version' }).click();
    await page.getByRole('status').filter({ hasText: 'The text of version 1 is the current text again' }).waitFor();
    expect(await stored()).toBe(draft);
    expect(await page.getByRole('button', { name: 'Restore this version' }).isDisabled()).toBe(true);

    // On a phone the list and the revision stack up without widening the page.
    await page.setViewportSize({ width: 375, height: 812 });
    await page.getByRole('radiogroup', { name: 'Show revision as' }).getByText('Rendered').click();
    await rendered.waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await saveScreenshot(page, 'e2e-postmortem-history.png');

    // The editor holds the restored text: writing on goes on from the draft, not from the text before.
    await page.getByRole('tab', { name: 'Document' }).click();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Written after the restore.');
    await waitSaved(page);
    await expect.poll(stored).toContain('Written after the restore.');
    expect(await stored()).not.toContain(ADDED);
  }, 120_000);
});
