/**
 * How long the linter takes on a large postmortem. A deterministic document of the requested size, built from
 * prose, tables, code and quoted logs in the proportions of the real postmortems, is linted a few times; the
 * median is reported. For bench/ — tests never assert timings.
 */
import { lintPostmortem } from './lint.js';

export interface LintBenchmark {
  bytes: number;
  runs: number;
  medianMs: number;
  minMs: number;
  findings: number;
}

const SECTIONS: readonly string[] = [
  '## Summary\n\nBetween 14:02 and 14:47 UTC, 38% of checkout requests failed with HTTP 503. A configuration change ' +
    'reduced the connection pool of the payments service from 200 to 20 connections, and the pool was exhausted at ' +
    'peak traffic. The change was rolled back at 14:41 and the error rate returned to normal by 14:47.\n',
  '## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n| 14:02 | Error rate alert fires for `payments-api` |\n' +
    '| 14:05 | Alice acknowledged the page and opened the incident channel |\n' +
    '| 14:21 | Bob noticed the pool size in the [deploy diff](https://git.example.com/pay/commit/abc123) |\n' +
    '| 14:41 | Bob rolled back the change |\n',
  '## Contributing factors\n\n- The pool size is set in two places and the deploy pipeline validates only one.\n' +
    '- The root cause was a typo in the override file, and the engineer should have checked the diff.\n' +
    '- The on-call engineer ignored the first alert because it had been flapping all week.\n' +
    '- Load tests run against staging, whose traffic is a tenth of production.\n',
  '## Logs\n\n```\n2024-05-01T14:02:11Z ERROR pool exhausted: 20/20 connections in use\n' +
    '2024-05-01T14:02:12Z ERROR request failed: timeout acquiring connection\n```\n\n' +
    '> 2024-05-01T14:03:00Z WARN retry budget exhausted for payments-api\n',
  '## What went well\n\nDetection took three minutes. We failed over the read replicas without data loss, and the ' +
    'deploy failed safely when the second region rejected the config. If the canary had covered peak traffic, it ' +
    'would have caught the pool size; we should add a peak-traffic stage to the canary.\n',
  '## Action items\n\n1. Validate pool settings in both files in CI (owner: payments, due 2024-05-15).\n' +
    '2. Alert on pool saturation above 80% for five minutes.\n3. Document the override file in the runbook.\n',
];

/**
 * A postmortem of about `bytes` bytes (default 100 KB).
 *
 * @example
 * benchmarkDocument(10_000).length >= 10_000; // true
 */
export function benchmarkDocument(bytes = 100_000): string {
  const parts: string[] = ['# Checkout errors on 2024-05-01\n'];
  let size = parts[0]?.length ?? 0;
  for (let index = 0; size < bytes; index++) {
    const section = SECTIONS[index % SECTIONS.length] ?? '';
    parts.push(section);
    size += section.length + 1;
  }
  return parts.join('\n');
}

/**
 * Lints a generated postmortem `runs` times (after one warm-up) and reports the median and fastest run.
 *
 * @example
 * const { medianMs } = lintBenchmark({ bytes: 100_000, runs: 5 });
 */
export function lintBenchmark(options: { bytes?: number; runs?: number } = {}): LintBenchmark {
  const document = benchmarkDocument(options.bytes ?? 100_000);
  const runs = Math.max(1, options.runs ?? 5);
  let findings = lintPostmortem(document).length;
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    findings = lintPostmortem(document).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return {
    bytes: document.length,
    runs,
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
    minMs: times[0] ?? 0,
    findings,
  };
}
