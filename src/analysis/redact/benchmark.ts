/**
 * Throughput of `redact` over given documents, for bench/ to print. Timing only: never asserted in tests.
 */
import { redact } from './redact.js';
import type { RedactOptions } from './types.js';

export interface RedactBenchmarkResult {
  documents: number;
  /** UTF-8 bytes per pass. */
  bytes: number;
  passes: number;
  /** Wall time of all passes. */
  milliseconds: number;
  megabytesPerSecond: number;
  findings: number;
}

/**
 * Redacts every document `passes` times (after one warm-up pass) and reports MB/s (10^6 bytes of UTF-8).
 *
 * @example
 * const { megabytesPerSecond } = await redactBenchmark([postmortem], { passes: 5 });
 */
export async function redactBenchmark(
  documents: readonly string[],
  options: { passes?: number; redact?: RedactOptions } = {},
): Promise<RedactBenchmarkResult> {
  const passes = options.passes ?? 3;
  const encoder = new TextEncoder();
  const bytes = documents.reduce((sum, doc) => sum + encoder.encode(doc).length, 0);
  let findings = 0;
  for (const doc of documents) findings += (await redact(doc, options.redact)).findings.length;
  const started = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    for (const doc of documents) await redact(doc, options.redact);
  }
  const milliseconds = performance.now() - started;
  return {
    documents: documents.length,
    bytes,
    passes,
    milliseconds,
    megabytesPerSecond: (bytes * passes) / 1e6 / (milliseconds / 1000),
    findings,
  };
}
