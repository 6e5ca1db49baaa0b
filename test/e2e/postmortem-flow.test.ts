/**
 * The postmortem loop in the browser, with two people: a responder resolves the incident and gets a draft filled
 * from the evidence, writes in it (and is told when a sentence blames a person), asks for review; a reviewer who
 * owns the impacted service approves; a leaked cloud key then blocks publishing until it is redacted; the
 * postmortem is published and downloaded as a PDF. Runs the built server and web app (`dist/`) on SQLite with
 * Debian Chromium.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
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

const WRITER = { email: 'writer@example.com', name: 'Wren Writer', role: 'responder' };
const REVIEWER = { email: 'reviewer@example.com', name: 'Rio Reviewer', role: 'reviewer' };
const PASSWORD = 'e2e-password-123';
const MINUTE = 60_000;

const BLAME = 'The outage happened because Bob forgot to run the migration.';
const BLAMELESS = 'The migration did not run before the deploy, and nothing in the release pipeline checked for it.';

/** An AWS access key id of the real shape (`AKIA` + 16 base32 characters), random so no example list knows it. */
function plantedAccessKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `AKIA${[...randomBytes(16)].map((b) => alphabet[b % 32]).join('')}`;
}

describe('postmortem flow in the browser', () => {
  let debrief: Debrief | undefined;
  let browser: Browser | undefined;
  let key = '';
  const title = `Checkout payments failing ${Date.now().toString(36)}`;

  beforeAll(async () => {
    assertBuilt();
    debrief = await createDebrief();
    for (const user of [WRITER, REVIEWER]) await debrief.createUser(user, PASSWORD);
    await debrief.cli(['team', 'create', '--name', 'payments', '--member', WRITER.email, '--member', REVIEWER.email]);
    await debrief.cli(['service', 'create', '--name', 'checkout', '--team', 'payments', '--owner', REVIEWER.email]);
    key = await debrief.declareIncident([
      '--title',
      title,
      '--severity',
      'SEV3',
      '--service',
      'checkout',
      '--impact',
      'Card payments failed for 12% of checkout attempts.',
      '--impact-start',
      new Date(Date.now() - 25 * MINUTE).toISOString(),
      '--detected',
      new Date(Date.now() - 20 * MINUTE).toISOString(),
    ]);
    await debrief.cli(['incident', 'note', key, 'Rolled back checkout to the previous release.', '--pin']);
    await debrief.serve();
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await debrief?.dispose();
  }, 30_000);

  it('drafts, lints, reviews, gates on a leaked key, publishes and exports a PDF', async () => {
    if (!browser || !debrief) throw new Error('setup failed');
    const writer = await newPage(browser, debrief.baseUrl);
    const reviewer = await newPage(browser, debrief.baseUrl);

    // The responder resolves the incident in the UI; the draft is written from the evidence at that moment.
    await writer.goto(`/incidents/${key}`);
    await signIn(writer, WRITER.email, PASSWORD);
    await writer.getByRole('heading', { level: 1, name: title }).waitFor();
    const card = writer.getByRole('region', { name: 'Postmortem' });
    await card.getByText('Written from the evidence when the incident is resolved.').waitFor();
    await writer.getByRole('button', { name: 'Resolve', exact: true }).click();
    await card.getByRole('group', { name: 'Postmortem status' }).getByText('Draft').waitFor();
    await card.getByRole('link', { name: 'Open postmortem' }).click();
    await writer.waitForURL(`**/incidents/${key}/postmortem`);
    await writer.getByRole('heading', { level: 1, name: `Postmortem: ${title}` }).waitFor();

    // The draft is filled: its timeline is a table, shown rendered in the preview.
    const editor = postmortemEditor(writer);
    await editor.waitFor();
    const mode = writer.getByRole('radiogroup', { name: 'Editor mode' });
    await mode.getByText('Preview', { exact: true }).click();
    const preview = writer.getByRole('document', { name: 'Postmortem preview' });
    const timeline = preview
      .getByRole('table')
      .filter({ has: writer.getByRole('columnheader', { name: 'Time (UTC)' }) });
    await timeline.waitFor();
    expect(await timeline.getByRole('row').count()).toBeGreaterThan(1);
    await mode.getByText('Write', { exact: true }).click();

    // Writing under "Contributing factors": a sentence that blames a person is flagged as it is typed.
    await writer
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('button', { name: /^Contributing factors/ })
      .click();
    await writer.keyboard.press('End');
    await writer.keyboard.press('Enter');
    await writer.keyboard.press('Enter');
    await writer.keyboard.type(BLAME);
    const findings = writer.getByRole('region', { name: 'Findings' });
    const blameFinding = findings.getByRole('listitem').filter({ hasText: 'makes a person the cause' });
    await blameFinding.first().waitFor();
    await writer.locator('.cm-lintRange-error').first().waitFor();
    await waitSaved(writer);

    // Rewritten without naming anyone, the annotation goes away and the new text is saved.
    await writer.keyboard.press('Shift+Home');
    await writer.keyboard.type(BLAMELESS);
    await blameFinding.first().waitFor({ state: 'detached' });
    await expect.poll(() => writer.locator('.cm-lintRange-error').count()).toBe(0);
    await waitSaved(writer);

    // The writer pastes a real-looking AWS key into the text: it is flagged as a possible secret as it is typed.
    const accessKey = plantedAccessKey();
    await editor.click();
    await writer.keyboard.press('Control+End');
    await writer.keyboard.press('Enter');
    await writer.keyboard.type(`Credentials used for the manual rollback: ${accessKey}`);
    await findings.getByRole('listitem').filter({ hasText: 'Possible aws-access-key' }).waitFor();
    await waitSaved(writer);

    await writer.getByRole('tab', { name: 'Review' }).click();
    await writer.getByRole('button', { name: 'Request review' }).click();
    const writerAttributes = writer.getByRole('group', { name: 'Postmortem attributes' });
    await writerAttributes.getByText('In review').waitFor();

    // The reviewer, an owner of checkout, approves with a score.
    await reviewer.goto(`/incidents/${key}/postmortem?tab=review`);
    await signIn(reviewer, REVIEWER.email, PASSWORD);
    await reviewer.getByRole('tab', { name: 'Review' }).click();
    const reviewForm = reviewer.getByRole('form', { name: 'Review' });
    await reviewForm.getByRole('combobox', { name: 'Quality score' }).selectOption('4');
    await reviewForm.getByRole('textbox', { name: 'Comment' }).fill('Clear timeline and factors. Approved.');
    await reviewForm.getByRole('button', { name: 'Approve' }).click();
    const reviewerAttributes = reviewer.getByRole('group', { name: 'Postmortem attributes' });
    await reviewerAttributes.getByText('Approved').waitFor();
    await reviewer.getByRole('list', { name: 'Reviews' }).getByText(REVIEWER.email).waitFor();

    // Approved, publishing is still blocked by the redaction gate alone, and says why.
    const blockers = reviewer.getByRole('list', { name: 'Publishing blocked by' });
    await blockers.getByRole('listitem').filter({ hasText: 'redaction' }).waitFor();
    expect(await blockers.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringMatching(/^redaction: 1 redaction finding/),
    ]);
    const publish = reviewer.getByRole('button', { name: 'Publish' });
    expect(await publish.isDisabled()).toBe(true);

    // Redacted, the gate opens and the postmortem is published.
    await reviewer.getByRole('tab', { name: 'Redaction' }).click();
    const findingsTable = reviewer.getByRole('table', { name: 'Redaction findings' });
    await findingsTable.getByRole('button', { name: /^Redact aws-access-key/ }).click();
    await findingsTable.getByText('aws-access-key').waitFor({ state: 'detached' });
    await reviewer.getByRole('tab', { name: 'Review' }).click();
    await reviewer.getByText('All gates are met: this postmortem can be published.').waitFor();
    await publish.click();
    await reviewerAttributes.getByText('Published').waitFor();

    // The published text no longer holds the key anywhere.
    const versions = await reviewer.request.get(`/api/v1/incidents/${key}/postmortem/versions`);
    expect(versions.status()).toBe(200);
    const texts = (await versions.json()) as { internal: string; external: string };
    expect(texts.internal).not.toContain(accessKey);
    expect(texts.internal).toContain('[REDACTED:aws-access-key]');
    expect(texts.external).not.toContain(accessKey);

    // The PDF downloads from the export menu.
    await reviewer.getByRole('button', { name: 'Export' }).click();
    const [download] = await Promise.all([
      reviewer.waitForEvent('download', { timeout: 60_000 }),
      reviewer.getByRole('menuitem', { name: 'PDF (internal)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${key}-postmortem.pdf`);
    const path = await download.path();
    const pdf = await readFile(path);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);

    await saveScreenshot(reviewer, 'e2e-postmortem-flow.png');
  }, 180_000);
});
