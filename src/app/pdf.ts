/**
 * HTML to PDF through the system's Chromium (Debian's `chromium` package; no browser is ever downloaded). The page
 * gets the document and nothing else: JavaScript is off and every request it would make is aborted, so an export
 * can neither run what a postmortem quotes nor call out to the network.
 */
import { existsSync } from 'node:fs';
import { escapeHtml } from '../analysis/markdown/escape.js';
import { DebriefError } from '../domain/errors.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const TIMEOUT_MS = 120_000;
/** Each print is a browser of a few hundred MB; more at once would trade memory for no gain on a few cores. */
const MAX_CONCURRENT_PRINTS = 2;

let printing = 0;
const queued: (() => void)[] = [];

async function acquirePrintSlot(): Promise<void> {
  if (printing < MAX_CONCURRENT_PRINTS) {
    printing++;
    return;
  }
  await new Promise<void>((resolve) => queued.push(resolve));
}

/** Hands the slot straight to the next waiter, so a newcomer can never slip in between and exceed the limit. */
function releasePrintSlot(): void {
  const next = queued.shift();
  if (next) next();
  else printing--;
}

export interface PdfOptions {
  /** Printed in the footer of every page, beside "Page X of Y"; the incident key and title. */
  title: string;
  /** Chromium to run; defaults to DEBRIEF_CHROMIUM, else /usr/bin/chromium. */
  executablePath?: string;
}

/** Chromium fills `pageNumber` and `totalPages`; the template has no access to the page's styles, hence inline ones. */
function footerTemplate(title: string): string {
  return `<div style="width:100%;font-size:8px;font-family:sans-serif;color:#555;padding:0 14mm;display:flex;justify-content:space-between;gap:8mm">
<span style="overflow:hidden;text-overflow:ellipsis;white-space:nowrap">${escapeHtml(title)}</span>
<span style="white-space:nowrap">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span>
</div>`;
}

function notConfigured(path: string, why: string): DebriefError {
  return new DebriefError(
    'DEBRIEF_ERR_NOT_CONFIGURED',
    `PDF export needs Chromium: ${why} (${path}). Install the chromium package, or set DEBRIEF_CHROMIUM to its path`,
  );
}

/**
 * Prints a standalone HTML document to an A4 PDF with a footer on every page ("<title> … Page X of Y"). Each call
 * starts its own headless Chromium and closes it when done, whatever happens; at most two print at once in a
 * process, later calls wait their turn.
 *
 * @throws DebriefError DEBRIEF_ERR_NOT_CONFIGURED when Chromium is missing or will not start.
 * @example
 * const pdf = await htmlToPdf(html, { title: 'INC-12 · Checkout errors after deploy' });
 * pdf.subarray(0, 5).toString(); // '%PDF-'
 */
export async function htmlToPdf(html: string, options: PdfOptions): Promise<Buffer> {
  const executablePath = options.executablePath ?? process.env.DEBRIEF_CHROMIUM ?? DEFAULT_CHROMIUM;
  if (!existsSync(executablePath)) throw notConfigured(executablePath, 'it was not found');
  await acquirePrintSlot();
  try {
    return await print(html, options.title, executablePath);
  } finally {
    releasePrintSlot();
  }
}

async function print(html: string, title: string, executablePath: string): Promise<Buffer> {
  // Loaded here, not at the top: only PDF exports pay for it.
  const { chromium } = await import('playwright-core');
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: TIMEOUT_MS });
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    throw notConfigured(executablePath, `it did not start: ${first}`);
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footerTemplate(title),
      margin: { top: '16mm', bottom: '18mm', left: '14mm', right: '14mm' },
    });
    return Buffer.from(pdf);
  } finally {
    await browser.close();
  }
}
