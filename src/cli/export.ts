/**
 * `debrief export INC-n --format md|html|pdf|json --out FILE [--variant internal|external]`: a postmortem as a
 * file, from the local database or from a server (`--url` with DEBRIEF_TOKEN). Progress goes to stderr, so
 * `--out -` can stream a text format to stdout.
 */
import { accessSync, constants, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { errnoReason } from './files.js';
import { CliError, EXIT_USAGE, formatBytes } from './output.js';
import { incidentKey, type Program, type Runtime } from './runtime.js';

/** Kept here rather than imported from the app, whose module would load the exporters into every command. */
const EXPORT_FORMAT_CHOICES = ['md', 'html', 'pdf', 'json'] as const;
const EXPORT_VARIANT_CHOICES = ['internal', 'external'] as const;

const LABELS: Record<(typeof EXPORT_FORMAT_CHOICES)[number], string> = {
  md: 'markdown',
  html: 'HTML',
  pdf: 'PDF',
  json: 'JSON',
};

/**
 * Checks before any work is done that `out` can be written: not a directory, and in a directory that exists and is
 * writable. Usage errors (exit 2) otherwise.
 */
function checkOutPath(out: string): string {
  const path = resolve(out);
  try {
    if (statSync(path).isDirectory()) throw new CliError(`--out: ${out} is a directory; give a file name`, EXIT_USAGE);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CliError(`--out: cannot write ${out}: ${errnoReason(error, 'no such directory')}`, EXIT_USAGE);
    }
  }
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) throw new CliError(`--out: ${dirname(out)} is not a directory`, EXIT_USAGE);
    accessSync(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(
      `--out: cannot write to ${dirname(out)}: ${errnoReason(error, 'no such directory')}`,
      EXIT_USAGE,
    );
  }
  return path;
}

/** Written beside the target and renamed over it, so a failed export never leaves half a file under the name. */
function writeAtomically(path: string, data: Buffer): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new CliError(`--out: cannot write ${path}: ${errnoReason(error, 'no such directory')}`, EXIT_USAGE);
  }
}

export function registerExportCommand(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  program
    .command('export')
    .description('Export a postmortem as markdown, standalone HTML, PDF or JSON')
    .argument('<incident>', 'incident key, e.g. INC-12')
    .addOption(
      new Option('--format <format>', 'md | html | pdf | json').choices(EXPORT_FORMAT_CHOICES).makeOptionMandatory(),
    )
    .requiredOption('--out <file>', 'file to write; - writes md, html or json to stdout')
    .addOption(
      new Option('--variant <variant>', 'internal (as written) or external (hidden sections out, redacted)')
        .choices(EXPORT_VARIANT_CHOICES)
        .default('internal' as const),
    )
    .addHelpText(
      'after',
      `
The published text is exported when the postmortem is published; otherwise the current text, marked as a draft.
PDF needs Chromium (/usr/bin/chromium, or set DEBRIEF_CHROMIUM).

Examples:
  debrief export INC-12 --format pdf --out INC-12.pdf
  debrief export INC-12 --format md --variant external --out -
  debrief --url https://debrief.example.com export INC-12 --format html --out INC-12.html`,
    )
    .action(async (incident, options, command) => {
      const toStdout = options.out === '-';
      if (toStdout && options.format === 'pdf') {
        throw new CliError('--out -: a PDF is binary; write it to a file, e.g. --out INC-12.pdf', EXIT_USAGE);
      }
      const path = toStdout ? null : checkOutPath(options.out);
      const key = incidentKey(incident);
      const file = await runtime.withClient(command.optsWithGlobals(), (client) => {
        io.stderr.write(`rendering ${LABELS[options.format]}…\n`);
        return client.exportPostmortem(key, { format: options.format, variant: options.variant });
      });
      if (path === null) {
        io.stdout.write(file.data.toString('utf8'));
        io.stderr.write(`wrote ${formatBytes(file.data.length)} (${file.filename}) to stdout\n`);
        return;
      }
      writeAtomically(path, file.data);
      io.stderr.write(`wrote ${formatBytes(file.data.length)} to ${options.out}\n`);
    });
}
