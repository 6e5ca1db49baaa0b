/**
 * `debrief lint FILE…`: blame language in markdown postmortems, for people at a terminal and for CI. Reads the files
 * only: no database, no server.
 *
 * Exit codes: 0 no findings, 1 findings (one summary line on stderr), 2 usage error (missing, unreadable or binary
 * file, bad --format, bad --config).
 */
import { Option } from '@commander-js/extra-typings';
import type { Finding, LintOptions } from '../analysis/blame/index.js';
import { readTextFile } from './files.js';
import { CliError, describeError, EXIT_FAILURE, EXIT_USAGE, writeJson } from './output.js';
import type { Program, Runtime } from './runtime.js';

const LINT_FORMATS = ['text', 'json', 'sarif'] as const;

/** A finding as the JSON output carries it; `file` only when several files were linted. */
export type LintJsonFinding = Finding & { file?: string };

/** The linter, loaded on first use: compromise and remark add a third of a second to every other command's start. */
type Blame = typeof import('../analysis/blame/index.js');

function readConfig(blame: Blame, path: string): LintOptions {
  const text = readTextFile(path, '--config');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--config: ${path} is not valid JSON: ${describeError(error)}`, EXIT_USAGE);
  }
  try {
    return blame.parseLintOptions(value);
  } catch (error) {
    if (error instanceof blame.LintConfigError) throw new CliError(`--config: ${path}: ${error.message}`, EXIT_USAGE);
    throw error;
  }
}

/** SARIF wants URIs: forward slashes, relative paths kept relative so code scanning can place them in the repo. */
function artifactUri(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

function summary(results: readonly { findings: readonly Finding[] }[]): string {
  const all = results.flatMap((result) => result.findings);
  const files = results.filter((result) => result.findings.length > 0).length;
  const bySeverity = (['error', 'warning', 'info'] as const)
    .map((severity) => [severity, all.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}${count === 1 || severity === 'info' ? '' : 's'}`);
  const noun = all.length === 1 ? 'finding' : 'findings';
  return `${all.length} blame-language ${noun} in ${files} of ${results.length} file${results.length === 1 ? '' : 's'} (${bySeverity.join(', ')})`;
}

export function registerLintCommand(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  program
    .command('lint')
    .description('check markdown postmortems for blame language (no database needed)')
    .argument('<files...>', 'markdown postmortems')
    .addOption(new Option('--format <format>', 'output format').choices(LINT_FORMATS).default('text' as const))
    .option('--config <file>', 'JSON file: {"rules": {"<rule id>": {"enabled", "severity"}}, "allow": ["phrase", …]}')
    .addHelpText(
      'after',
      '\nRules: human-error, counterfactual, hindsight, judgmental, person-as-cause, team-blame, root-cause.\n' +
        'Text: FILE:LINE:COL SEVERITY RULE MESSAGE (SUGGESTION), one line per finding.\n' +
        'JSON: {"findings":[{"ruleId","severity","message","line","column","endLine","endColumn","text","suggestion"}]}' +
        ' (with "file" when several files are given). SARIF 2.1.0 for code scanning.\n' +
        'Exit codes: 0 no findings, 1 findings, 2 usage error. See docs/blameless-lint.md.',
    )
    .action(async (files, opts) => {
      const blame = await import('../analysis/blame/index.js');
      const options = opts.config !== undefined ? readConfig(blame, opts.config) : {};
      // Read everything first: a missing file is a usage error, whatever the other files hold.
      const documents = files.map((file) => ({ file, text: readTextFile(file) }));
      const results = documents.map(({ file, text }) => ({ file, findings: blame.lintPostmortem(text, options) }));
      if (opts.format === 'json') {
        const several = results.length > 1;
        const findings: LintJsonFinding[] = results.flatMap(({ file, findings: found }) =>
          found.map((finding) => (several ? { file, ...finding } : finding)),
        );
        writeJson(io.stdout, { findings });
      } else if (opts.format === 'sarif') {
        writeJson(
          io.stdout,
          blame.toSarif(results.map(({ file, findings: found }) => ({ uri: artifactUri(file), findings: found }))),
        );
      } else {
        io.stdout.write(results.map(({ file, findings: found }) => blame.formatText(found, file)).join(''));
      }
      if (results.some((result) => result.findings.length > 0)) throw new CliError(summary(results), EXIT_FAILURE);
    });
}
