/**
 * Worker-thread entry for checking large postmortem bodies (see `scan` in postmortem-text.ts): scans the text it
 * is started with, posts the result once, and exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanText, type ScanRequest } from './postmortem-scan.js';

if (parentPort) {
  const port = parentPort;
  scanText(workerData as ScanRequest).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) => port.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
}
