/**
 * Prints `N passed, N failed, N skipped` as the last line of a test run and writes `test-results/summary.json`,
 * which CI reads to prove that both database lanes and the browser tests really ran.
 *
 * Counts are test cases; `todo` counts as skipped. Anything that fails outside a test case (a file that does not
 * load, a failing beforeAll/afterAll, an unhandled error) counts as one more failure, so a broken file cannot hide
 * behind the tests it never ran.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Reporter, TestCase, TestModule, TestRunEndReason, TestSuite, Vitest } from 'vitest/node';

type UnhandledErrors = Parameters<NonNullable<Reporter['onTestRunEnd']>>[1];

interface Tally {
  passed: number;
  failed: number;
}

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  lanes: { sqlite: Tally; postgres: Tally };
  e2e: Tally;
}

const LANES = ['sqlite', 'postgres'] as const;

function emptySummary(): Summary {
  return {
    passed: 0,
    failed: 0,
    skipped: 0,
    lanes: { sqlite: { passed: 0, failed: 0 }, postgres: { passed: 0, failed: 0 } },
    e2e: { passed: 0, failed: 0 },
  };
}

export function summaryLine(summary: Pick<Summary, 'passed' | 'failed' | 'skipped'>): string {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`;
}

export default class SummaryReporter implements Reporter {
  private root = process.cwd();
  private watch = false;
  private latest: Summary | undefined;

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    this.watch = vitest.config.watch;
    // In a single run the line is printed on exit, after everything else vitest prints (global setup errors,
    // teardown problems), so it really is the last line. A run that dies before it ends still gets a failing summary,
    // and a non-zero exit code never comes with "0 failed".
    process.once('exit', (code) => {
      if (this.watch) return;
      const ended = this.latest;
      const summary = ended ? { ...ended } : { ...emptySummary(), failed: 1 };
      if (code !== 0 && summary.failed === 0) summary.failed = 1;
      if (!ended || summary.failed !== ended.failed) this.writeFile(summary);
      process.stdout.write(`${summaryLine(summary)}\n`);
    });
  }

  onTestRunStart(): void {
    this.latest = undefined;
  }

  async onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: UnhandledErrors,
    reason: TestRunEndReason,
  ): Promise<void> {
    const summary = emptySummary();
    for (const module of testModules) this.countModule(module, summary);
    summary.failed += unhandledErrors.length;
    if (reason !== 'passed' && summary.failed === 0) summary.failed = 1;
    this.writeFile(summary);
    if (!this.watch) return;

    // Reporters end concurrently: yield once so the default reporter's summary is printed before this line.
    await new Promise((resolve) => setImmediate(resolve));
    process.stdout.write(`${summaryLine(summary)}\n`);
  }

  private writeFile(summary: Summary): void {
    this.latest = summary;
    const dir = join(this.root, 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }

  private countModule(module: TestModule, summary: Summary): void {
    const path = relative(this.root, module.moduleId).split(sep).join('/');
    const e2e = path.startsWith('test/e2e/');
    const record = (name: string, outcome: keyof Tally): void => {
      summary[outcome]++;
      for (const lane of LANES) if (name.includes(`[${lane}]`)) summary.lanes[lane][outcome]++;
      if (e2e) summary.e2e[outcome]++;
    };

    let failuresInside = 0;
    for (const test of module.children.allTests()) {
      const outcome = testOutcome(test);
      if (outcome === 'skipped') summary.skipped++;
      else record(test.fullName, outcome);
      if (outcome === 'failed') failuresInside++;
    }
    // Errors outside test cases: collection errors on the module, hook errors on the module and its suites.
    for (const entity of [module, ...module.children.allSuites()]) {
      if (entity.errors().length === 0) continue;
      record(entityName(entity, path), 'failed');
      failuresInside++;
    }
    const state = module.state();
    if (failuresInside === 0 && (state === 'failed' || state === 'queued' || state === 'pending')) {
      record(path, 'failed');
    }
  }
}

/** A test still pending when the run ends never finished (interrupted, or its worker died): that is a failure. */
function testOutcome(test: TestCase): 'passed' | 'failed' | 'skipped' {
  const state = test.result().state;
  return state === 'pending' ? 'failed' : state;
}

function entityName(entity: TestModule | TestSuite, path: string): string {
  return entity.type === 'module' ? path : entity.fullName;
}
