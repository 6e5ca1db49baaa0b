/**
 * The text analyses behind postmortem checks, in one module with no I/O and no `import.meta`, so it runs unchanged
 * on the main thread (loaded lazily) and inside the check worker (see postmortem-text-worker.ts).
 */
import { lintPostmortem, type Finding as LintFinding, type LintOptions } from '../analysis/blame/index.js';
import { findSensitive, type Finding as SensitiveFinding, type RedactOptions } from '../analysis/redact/index.js';

/** What one scan of a text asks for. Plain data, so it crosses into a worker thread unchanged. */
export interface ScanRequest {
  text: string;
  /** Blame-lint options, or null to skip the lint (redaction only). */
  lint: LintOptions | null;
  redaction: RedactOptions;
}

export interface ScanResult {
  lint: LintFinding[];
  sensitive: SensitiveFinding[];
}

/**
 * Blame-language lint and redaction findings of one text.
 *
 * @example
 * await scanText({ text: 'Bob forgot the key AKIAQYLPMN5HHHFPZAM2', lint: {}, redaction: {} });
 * // { lint: [{ ruleId: 'person-as-cause', … }], sensitive: [{ kind: 'aws-access-key', … }] }
 */
export async function scanText(request: ScanRequest): Promise<ScanResult> {
  const lint = request.lint ? lintPostmortem(request.text, request.lint) : [];
  const sensitive = await findSensitive(request.text, request.redaction);
  return { lint, sensitive };
}
