/**
 * Text checks on postmortem bodies: blame-language lint and redaction findings with positions, fingerprints and
 * waivers, and the external (shareable) version of a body. Large documents are checked in a worker thread so a
 * 10 MB paste never stalls other requests on the event loop.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Finding as SensitiveFinding, RedactOptions } from '../analysis/redact/index.js';
import type { Finding as LintFinding, LintOptions } from '../analysis/blame/index.js';
import { DebriefError } from '../domain/errors.js';
import type { RedactionWaiver } from '../domain/postmortem/types.js';
import type { AppContext } from './context.js';
import type { ScanRequest, ScanResult } from './postmortem-scan.js';
import type { LintFindingView, RedactionFindingView, TextCheckView } from './postmortem-views.js';
import type { Settings } from './settings.js';

export type { ScanRequest, ScanResult };

/** Bodies larger than this (in UTF-16 code units, close to bytes for prose) are checked off the event loop. */
export const WORKER_THRESHOLD = 200_000;

/**
 * Scans on the current thread. The analyses load on first use: remark, compromise and secretlint add a noticeable
 * start-up cost to every command that never checks text.
 */
async function scanHere(request: ScanRequest): Promise<ScanResult> {
  const { scanText } = await import('./postmortem-scan.js');
  return scanText(request);
}

/**
 * Starts the check worker. A build runs the compiled `.js` entry next to this file. From the TypeScript source
 * (tsx, vitest) the entry is `.ts`, and Node 20 does not apply ESM loader hooks (`--import tsx` in `execArgv`) to
 * worker threads, so the worker registers tsx's in-thread CommonJS hook and requires the entry through it.
 */
function startWorker(request: ScanRequest): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./postmortem-text-worker.js', import.meta.url), { workerData: request });
  }
  const entry = fileURLToPath(new URL('./postmortem-text-worker.ts', import.meta.url));
  const hook = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(hook)}).register();\nrequire(${JSON.stringify(entry)});`;
  return new Worker(code, { eval: true, workerData: request });
}

/**
 * Large scans at once, at most: each one holds a CPU core (and a copy of the text) for seconds, so a burst of large
 * checks waits in line instead of starving the process.
 */
const MAX_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));
let running = 0;
const waiting: (() => void)[] = [];

async function withWorkerSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_WORKERS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** One worker per large scan: large documents are rare, and a fresh worker cannot leak state between requests. */
function scanInWorker(request: ScanRequest): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(request);
    let settled = false;
    worker.once('message', (message: { ok: true; result: ScanResult } | { ok: false; error: string }) => {
      settled = true;
      if (message.ok) resolve(message.result);
      else reject(new Error(`text check failed: ${message.error}`));
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`text check worker exited with code ${code} before answering`));
    });
  });
}

/**
 * Recent results by content: the detail page, the list's quality scores and publishing all check the same stored
 * bodies again and again, and a check of a long document costs seconds of CPU.
 */
const CACHE_SIZE = 256;
const cache = new Map<string, Promise<ScanResult>>();

function cacheKey(request: ScanRequest): string {
  return createHash('sha256')
    .update(JSON.stringify({ lint: request.lint, redaction: request.redaction }))
    .update('\u0000')
    .update(request.text)
    .digest('hex');
}

/** Scans on this thread for ordinary documents, in a worker for large ones; repeated texts come from a cache. */
export function scan(request: ScanRequest): Promise<ScanResult> {
  const key = cacheKey(request);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const result =
    request.text.length > WORKER_THRESHOLD ? withWorkerSlot(() => scanInWorker(request)) : scanHere(request);
  cache.set(key, result);
  // A failed scan is not remembered: the next request tries again.
  result.catch(() => cache.delete(key));
  if (cache.size > CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return result;
}

/**
 * Settings are validated by zod for shape; rule ids and term patterns are checked here so that a bad settings
 * file surfaces as a named configuration error rather than a failure deep inside a request.
 */
async function scanOptions(settings: Settings): Promise<{ lint: LintOptions; redaction: RedactOptions }> {
  const [blame, redact] = await Promise.all([
    import('../analysis/blame/index.js'),
    import('../analysis/redact/index.js'),
  ]);
  let lint: LintOptions;
  try {
    lint = blame.parseLintOptions(settings.postmortems.lint);
  } catch (error) {
    if (!(error instanceof blame.LintConfigError)) throw error;
    throw new DebriefError('DEBRIEF_ERR_NOT_CONFIGURED', `settings.postmortems.lint: ${error.message}`, {
      field: 'settings.postmortems.lint',
    });
  }
  let terms: RedactOptions['terms'];
  try {
    terms = redact.parseTerms(settings.postmortems.redaction.terms);
  } catch (error) {
    if (!(error instanceof redact.InvalidTermsError)) throw error;
    const field = `settings.postmortems.redaction.terms${error.path.replace(/^terms/, '')}`;
    throw new DebriefError('DEBRIEF_ERR_NOT_CONFIGURED', `${field}: ${error.message}`, { field });
  }
  return { lint, redaction: { redactPrivateIps: settings.postmortems.redaction.redactPrivateIps, terms } };
}

/**
 * The identity of a redaction finding, stable across edits that move the text: sha256 (hex) of the kind, a NUL and
 * the matched text. Waivers store this instead of the value itself.
 *
 * @example
 * redactionFingerprint('aws-access-key', 'AKIAQYLPMN5HHHFPZAM2'); // 64 hex characters
 */
export function redactionFingerprint(kind: string, text: string): string {
  return createHash('sha256').update(`${kind}\u0000${text}`).digest('hex');
}

function lintView(finding: LintFinding): LintFindingView {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    text: finding.text,
    suggestion: finding.suggestion || null,
  };
}

/** Redaction findings as the API sends them, each with its fingerprint and the waiver that keeps it, if any. */
export async function redactionViews(
  findings: readonly SensitiveFinding[],
  waivers: readonly RedactionWaiver[],
): Promise<RedactionFindingView[]> {
  const { categoryOf } = await import('../analysis/redact/index.js');
  const byFingerprint = new Map(waivers.map((w) => [w.fingerprint, w]));
  return findings.map((finding) => {
    const fingerprint = redactionFingerprint(finding.kind, finding.text);
    const waiver = byFingerprint.get(fingerprint);
    return {
      kind: finding.kind,
      category: categoryOf(finding),
      line: finding.line,
      column: finding.column,
      start: finding.start,
      end: finding.end,
      text: finding.text,
      fingerprint,
      waiver: waiver
        ? { id: waiver.id, reason: waiver.reason, waivedBy: waiver.waivedBy, createdAt: waiver.createdAt }
        : null,
    };
  });
}

/**
 * Blame-language and redaction findings for `body`, with the organisation's lint and redaction settings. Findings
 * matching one of `waivers` carry it. Bodies above {@link WORKER_THRESHOLD} are checked in a worker thread.
 *
 * @example
 * const view = await checkText(ctx, 'Bob forgot to rotate AKIAQYLPMN5HHHFPZAM2.');
 * view.lint[0].ruleId; // 'person-as-cause'
 * view.redaction[0].kind; // 'aws-access-key'
 */
export async function checkText(
  ctx: Pick<AppContext, 'settings'>,
  body: string,
  waivers: readonly RedactionWaiver[] = [],
): Promise<TextCheckView> {
  const options = await scanOptions(ctx.settings);
  const result = await scan({ text: body, lint: options.lint, redaction: options.redaction });
  return { lint: result.lint.map(lintView), redaction: await redactionViews(result.sensitive, waivers) };
}

/**
 * Redaction findings only (no lint), for applying redactions and building the external version.
 */
export async function findRedactions(ctx: Pick<AppContext, 'settings'>, body: string): Promise<SensitiveFinding[]> {
  const options = await scanOptions(ctx.settings);
  return (await scan({ text: body, lint: null, redaction: options.redaction })).sensitive;
}

/**
 * The version of a postmortem that may leave the organisation: hidden sections removed, prompts (HTML comments)
 * stripped, and every redaction finding replaced by its `[REDACTED:kind]` placeholder, waived ones included —
 * a waiver keeps a value in the internal version only. `redactions` counts the replaced findings.
 *
 * @example
 * await externalVersion(ctx, '# X\n\n## Impact\n\nKey AKIAQYLPMN5HHHFPZAM2\n\n## Lessons\n\nsecret', ['lessons']);
 * // { text: '# X\n\n## Impact\n\nKey [REDACTED:aws-access-key]\n', redactions: 1 }
 */
export async function externalVersion(
  ctx: Pick<AppContext, 'settings'>,
  body: string,
  hiddenSections: readonly string[],
): Promise<{ text: string; redactions: number }> {
  const [structure, redact] = await Promise.all([
    import('../analysis/postmortem/index.js'),
    import('../analysis/redact/index.js'),
  ]);
  const visible = structure.stripPrompts(structure.removeSections(body, hiddenSections));
  const findings = await findRedactions(ctx, visible);
  return { text: redact.applyRedactions(visible, findings), redactions: findings.length };
}
