/**
 * `debrief redact FILE`: the document with secrets, personal data and organisation terms replaced by
 * `[REDACTED:<kind>]` placeholders. Pure: no database, no server.
 *
 * Findings are the point of the command, not a failure: it exits 0 whether or not it found anything (2 when the
 * file or the terms file cannot be used), so it can sit in a pipeline that publishes the redacted text.
 */
import { InvalidTermsError, parseTerms, redact, type Finding, type TermDefinition } from '../analysis/redact/index.js';
import { readTextFile } from './files.js';
import { CliError, describeError, EXIT_USAGE, writeJson } from './output.js';
import { formatOption, type Program, type Runtime } from './runtime.js';

/** The JSON the command prints. */
export interface RedactOutput {
  findings: Pick<Finding, 'kind' | 'line' | 'column' | 'start' | 'end' | 'text'>[];
  redacted: string;
}

function readTerms(path: string): TermDefinition[] {
  const text = readTextFile(path, '--terms');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--terms: ${path} is not JSON: ${describeError(error)}`, EXIT_USAGE);
  }
  try {
    return parseTerms(json);
  } catch (error) {
    if (error instanceof InvalidTermsError) throw new CliError(`--terms: ${path}: ${error.message}`, EXIT_USAGE);
    throw error;
  }
}

export function registerRedactCommand(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  program
    .command('redact')
    .description('replace secrets, personal data and organisation terms in a document with [REDACTED:<kind>]')
    .argument('<file>', 'text or markdown document')
    .addOption(formatOption())
    .option(
      '--terms <file>',
      'JSON terms file: {"terms":[{"kind":"customer","values":["Acme Corp"]},{"kind":"internal-host","pattern":"\\\\w+\\\\.corp\\\\.example\\\\.com"}]}',
    )
    .option('--redact-private-ips', 'also redact private, loopback and link-local addresses (kept by default)')
    .addHelpText(
      'after',
      '\nText prints the redacted document. JSON: {"findings":[{"kind","line","column","start","end","text"}],' +
        '"redacted"}; line and column are 1-based, start and end are offsets into the file (UTF-16 code units).\n' +
        'Exit codes: 0 whether or not anything was found, 2 when FILE or --terms cannot be used.',
    )
    .action(async (file, opts) => {
      const text = readTextFile(file);
      const terms = opts.terms !== undefined ? readTerms(opts.terms) : [];
      const result = await redact(text, { terms, redactPrivateIps: opts.redactPrivateIps === true });
      if (opts.format === 'json') {
        const output: RedactOutput = {
          findings: result.findings.map(({ kind, line, column, start, end, text: found }) => ({
            kind,
            line,
            column,
            start,
            end,
            text: found,
          })),
          redacted: result.redacted,
        };
        writeJson(io.stdout, output);
      } else {
        io.stdout.write(result.redacted);
      }
    });
}
