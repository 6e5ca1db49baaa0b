/**
 * Blameless-language lint time on a 100 KB postmortem: the generated document of `benchmarkDocument` (prose,
 * tables, code and quoted logs in the proportions of real postmortems), linted with the default rules. The first
 * call in a process is reported on its own because it includes loading the lexicon and warming the JIT; the
 * median and p95 are over the runs after it. Prints figures, never asserts them.
 *
 * Run on its own with `npx tsx bench/lint.ts`, or call `runLintBench()` from bench/run.ts.
 */
import { pathToFileURL } from 'node:url';
import { benchmarkDocument, lintPostmortem } from '../src/analysis/blame/index.js';
import { percentile } from './http-load.js';

export interface LintBenchResult {
  /** UTF-8 bytes of the linted document. */
  bytes: number;
  /** Measured runs, after the first. */
  runs: number;
  /** The first call in the process: lexicon loading and JIT warm-up included. */
  firstMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Findings per run (the same every run: the linter is deterministic). */
  findings: number;
}

/**
 * Lints a generated postmortem of `bytes` bytes once cold, then `runs` more times.
 *
 * @example
 * const { medianMs, p95Ms } = runLintBench({ bytes: 100_000, runs: 30 });
 */
export function runLintBench(options: { bytes?: number; runs?: number } = {}): LintBenchResult {
  const document = benchmarkDocument(options.bytes ?? 100_000);
  const runs = Math.max(1, options.runs ?? 30);
  const firstStarted = performance.now();
  const findings = lintPostmortem(document).length;
  const firstMs = performance.now() - firstStarted;
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    lintPostmortem(document);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    bytes: Buffer.byteLength(document),
    runs,
    firstMs,
    medianMs: percentile(times, 50),
    p95Ms: percentile(times, 95),
    maxMs: times.at(-1) ?? Number.NaN,
    findings,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = runLintBench();
  process.stdout.write(
    `lint ${(r.bytes / 1000).toFixed(0)} KB postmortem: first=${r.firstMs.toFixed(0)}ms ` +
      `median=${r.medianMs.toFixed(0)}ms p95=${r.p95Ms.toFixed(0)}ms max=${r.maxMs.toFixed(0)}ms ` +
      `(${r.runs} runs, ${r.findings} findings)\n`,
  );
}
