import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DebriefError } from '../domain/errors.js';
import { htmlToPdf } from './pdf.js';

/** Page objects of the PDF (the page tree's `/Type /Pages` node excluded). */
function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}

function longDocument(imageUrl: string): string {
  const rows = Array.from(
    { length: 200 },
    (_, i) => `<tr><td>14:${String(i % 60).padStart(2, '0')}</td><td>Event ${i}: error rate rose</td></tr>`,
  ).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>INC-7 postmortem</title></head><body>
<h1>Checkout errors after the config push</h1><img src="${imageUrl}" alt="external"><table>${rows}</table></body></html>`;
}

describe('htmlToPdf', () => {
  let server: Server;
  let requests = 0;
  let url = '';

  beforeAll(async () => {
    server = createServer((_req, res) => {
      requests++;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/pixel.png`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('prints a long document to a multi-page A4 PDF without touching the network', async () => {
    const pdf = await htmlToPdf(longDocument(url), { title: 'INC-7 · Checkout errors' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(pdf)).toBeGreaterThan(2);
    const text = pdf.toString('latin1');
    // A4 is 595 × 842 points (Chromium rounds to whole pixels at 96 dpi).
    expect(text).toMatch(/\/MediaBox\s*\[\s*0 0 59[56](\.\d+)? 84[12](\.\d+)?\s*\]/);
    // Page content is compressed; the document title is not.
    expect(text).toContain('/Title (INC-7 postmortem)');
    expect(pdf.length).toBeGreaterThan(10_000);
    expect(requests).toBe(0);
  });

  it('fits a short document on one page', async () => {
    const pdf = await htmlToPdf('<!doctype html><p>Short.</p>', { title: 'INC-8' });
    expect(pageCount(pdf)).toBe(1);
  });

  it('queues prints beyond the concurrency limit and finishes every one', async () => {
    const pdfs = await Promise.all(
      [1, 2, 3].map((n) => htmlToPdf(`<!doctype html><title>Doc ${n}</title><p>${n}</p>`, { title: `INC-${n}` })),
    );
    expect(pdfs.map((pdf) => /\/Title \(Doc (\d)\)/.exec(pdf.toString('latin1'))?.[1])).toEqual(['1', '2', '3']);
  });

  it('reports a missing Chromium as a configuration problem that says what to do', async () => {
    const error = await htmlToPdf('<p>x</p>', { title: 'INC-9', executablePath: '/nonexistent/chromium' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DebriefError);
    expect(error).toMatchObject({ code: 'DEBRIEF_ERR_NOT_CONFIGURED' });
    expect((error as Error).message).toContain('/nonexistent/chromium');
    expect((error as Error).message).toContain('DEBRIEF_CHROMIUM');
  });
});
