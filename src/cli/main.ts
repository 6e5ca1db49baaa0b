/**
 * The `debrief` command line. `main` returns the exit code instead of exiting, and takes its output streams and
 * environment as options, so tests and other programs can run it in-process.
 *
 * Exit codes: 0 success (and --help, --version); 1 runtime failure (not found, version conflict, authentication,
 * unreachable database or server); 2 usage error (unknown command or option, missing or invalid value, input the
 * app rejected). Every failure prints one line, `debrief: <what went wrong>`, to stderr; DEBRIEF_DEBUG=1 adds the
 * stack trace.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { packageRoot } from '../config.js';
import { registerCatalogCommands } from './catalog.js';
import { registerChangeCommands } from './change.js';
import { registerDbCommands } from './db.js';
import { registerExportCommand } from './export.js';
import { registerImportCommands } from './import.js';
import { registerIncidentCommands } from './incident.js';
import { registerLintCommand } from './lint.js';
import { errorLine, exitCodeFor, EXIT_OK, EXIT_USAGE, oneLine, type CliIO, type Writer } from './output.js';
import { registerPostmortemCommands } from './postmortem.js';
import { createRuntime, type Program } from './runtime.js';
import { registerRedactCommand } from './redact.js';
import { registerServeCommand } from './serve.js';
import { registerTimelineCommand } from './timeline.js';
import { registerTokenCommands } from './token.js';
import { registerUserCommands } from './user.js';

export interface MainOptions {
  stdout?: Writer;
  stderr?: Writer;
  env?: NodeJS.ProcessEnv;
  /** Aborting it stops a running `serve` like SIGINT does. */
  signal?: AbortSignal;
  /**
   * `node` (default): `argv` is `process.argv`, whose first two entries are the runtime and the script.
   * `user`: `argv` holds only the arguments, e.g. `['incident', 'list']`.
   */
  from?: 'node' | 'user';
}

export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const HELP_AFTER = `
Environment:
  DEBRIEF_DATA_DIR       data directory for SQLite (default ./.debrief)
  DEBRIEF_DATABASE_URL   postgres://… selects PostgreSQL
  DEBRIEF_URL            talk to this server instead of the local database
  DEBRIEF_TOKEN          API token for DEBRIEF_URL (create one with \`debrief token create\`)
  DEBRIEF_DEBUG=1        print stack traces on errors

Exit codes: 0 ok, 1 failed (not found, conflict, unreachable), 2 usage error or rejected input.`;

export function buildProgram(io: CliIO, version = packageVersion()): Program {
  const runtime = createRuntime(io);
  const program: Program = new Command('debrief')
    .description('Debrief: blameless postmortems — incidents, timelines, reviews and follow-through.')
    .version(version, '-V, --version', 'print the version')
    .option('--data-dir <dir>', 'data directory for the SQLite database (env DEBRIEF_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL URL instead of SQLite (env DEBRIEF_DATABASE_URL)')
    .option(
      '--url <url>',
      'call this Debrief server with DEBRIEF_TOKEN instead of using the database (env DEBRIEF_URL)',
    )
    .helpOption('-h, --help', 'show help')
    .addHelpText('after', HELP_AFTER)
    .showSuggestionAfterError(true)
    // Settings made before `.command()` are inherited by every subcommand.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(text),
      outputError: (text, write) => write(`debrief: ${oneLine(text.replace(/^error: /, ''))}\n`),
    });

  registerServeCommand(program, runtime, version);
  registerDbCommands(program, runtime);
  registerUserCommands(program, runtime);
  registerTokenCommands(program, runtime);
  registerCatalogCommands(program, runtime);
  registerIncidentCommands(program, runtime);
  registerLintCommand(program, runtime);
  registerChangeCommands(program, runtime);
  registerImportCommands(program, runtime);
  registerPostmortemCommands(program, runtime);
  registerExportCommand(program, runtime);
  registerTimelineCommand(program, runtime);
  registerRedactCommand(program, runtime);
  return program;
}

let pipeGuarded = false;

/** `debrief incident list | head` closes stdout early; that ends the command quietly, not with a stack trace. */
function exitQuietlyOnClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
    throw error;
  });
}

/**
 * Runs the CLI and resolves with its exit code.
 *
 * @example
 * process.exitCode = await main(process.argv);
 * await main(['incident', 'list', '--format', 'json'], { from: 'user', stdout, stderr, env });
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  if (!options.stdout) exitQuietlyOnClosedPipe();
  const io: CliIO = {
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    env: options.env ?? process.env,
    signal: options.signal,
  };
  try {
    await buildProgram(io).parseAsync(argv, { from: options.from ?? 'node' });
    return EXIT_OK;
  } catch (error) {
    // Commander has already printed its message (or the help) through configureOutput.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    io.stderr.write(errorLine(error));
    if (io.env.DEBRIEF_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return exitCodeFor(error);
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

// `tsx src/cli/main.ts …` in development; the installed `debrief` goes through bin/debrief.js instead.
if (isEntryPoint()) process.exitCode = await main(process.argv);
