/**
 * `debrief redact FILE`: the document with secrets, personal data and organisation terms replaced by
 * `[REDACTED:<kind>]` placeholders. Pure: no database, no server.
 *
 * Findings are the point of the command, not a failure: it exits 0 whether or not it found anything (2 when the
 * file or the terms file cannot be used), so it can sit in a pipeline that publishes the redacted text.
 */
import { readFile, stat } from 'node:fs/promises';
import { InvalidTermsError, parseTerms, redact, type Finding, type TermDefinition } from '../analysis/redact/index.js';
import { CliError, describeError, EXIT_USAGE, writeJson } from './output.js';
import { formatOption, type Program, type Runtime } from './runtime.js';

/** The JSON the command prints. */
export interface RedactOutput {
  findings: Pick<Finding, 'kind' | 'line' | 'column' | 'start' | 'end' | 'text'>[];
  redacted: string;
}

/** Reads a UTF-8 text file; a missing, unreadable or binary file is a usage error with one clear line. */
async function readText(path: string, prefix = ''): Promise<string> {
  let bytes: Buffer;
  try {
    if ((await stat(path)).isDirectory()) throw new CliError(`${prefix}${path} is a directory, not a file`, EXIT_USAGE);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : describeError(error);
    throw new CliError(`${prefix}cannot read ${path}: ${why}`, EXIT_USAGE);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${prefix}${path} is not UTF-8 text (a binary file?)`, EXIT_USAGE);
  }
  if (text.includes('\u0000')) throw new CliError(`${prefix}${path} looks binary (it contains NUL bytes)`, EXIT_USAGE);
  return text;
}

async function readTerms(path: string): Promise<TermDefinition[]> {
  const text = await readText(path, '--terms: ');
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
      const text = await readText(file);
      const terms = opts.terms !== undefined ? await readTerms(opts.terms) : [];
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
