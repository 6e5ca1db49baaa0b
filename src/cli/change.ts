/**
 * `debrief change …`: record deploys, config changes and flag changes from a CI step, and list them; and
 * `debrief incident suspects KEY`: the changes ranked as suspects for an incident.
 *
 * The version and link options are `--change-version` and `--change-url` because `--version` and `--url` are the
 * program's own options (print Debrief's version; talk to a server), which commander reads anywhere on the line.
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '@commander-js/extra-typings';
import type { Change, ListChangesInput, RecordChangeInput, SuspectView } from '../app/changes.js';
import {
  CliError,
  EXIT_USAGE,
  formatTime,
  orNone,
  renderFields,
  renderTable,
  writeJson,
  type Column,
} from './output.js';
import {
  collectList,
  formatOption,
  incidentKey,
  parsePositiveInt,
  type GlobalOptions,
  type Program,
  type Runtime,
} from './runtime.js';

const KINDS = ['deploy', 'config', 'flag'] as const;
const TIME_HELP = 'ISO-8601 with a zone, e.g. 2026-11-20T10:02:00Z';

function parseKind(value: string): (typeof KINDS)[number] {
  const kind = value.trim().toLowerCase();
  const found = KINDS.find((k) => k === kind);
  if (!found) throw new InvalidArgumentError(`must be one of ${KINDS.join(', ')}.`);
  return found;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Reads a diff file as text. A missing, unreadable or binary file is a usage error: a CI step should fail loudly
 * rather than record a change without the diff it meant to keep.
 */
async function readDiffFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new CliError(`--diff: cannot read ${path}: ${why}`, EXIT_USAGE);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`--diff: ${path} is not UTF-8 text (a binary file?); pass a text diff`, EXIT_USAGE);
  }
  if (text.includes('\u0000')) {
    throw new CliError(`--diff: ${path} looks binary (it contains NUL bytes); pass a text diff`, EXIT_USAGE);
  }
  return text;
}

const CHANGE_COLUMNS: Column<Change>[] = [
  { header: 'AT', value: (c) => formatTime(c.at) },
  { header: 'KIND', value: (c) => c.kind },
  { header: 'SERVICE', value: (c) => c.service },
  { header: 'VERSION', value: (c) => orNone(c.version) },
  { header: 'ENV', value: (c) => orNone(c.environment) },
  { header: 'STATUS', value: (c) => orNone(c.status) },
  { header: 'SOURCE', value: (c) => c.source },
  { header: 'AUTHOR', value: (c) => orNone(c.author) },
];

const SUSPECT_COLUMNS: Column<SuspectView>[] = [
  { header: 'RANK', value: (s) => String(s.rank) },
  { header: 'SCORE', value: (s) => s.score.toFixed(2) },
  { header: 'VERDICT', value: (s) => orNone(s.verdict?.verdict) },
  { header: 'CHANGE', value: (s) => s.change.id },
  { header: 'EXPLANATION', value: (s) => s.explanation },
];

function changeFields(change: Change): [string, string][] {
  return [
    ['Change', change.id],
    ['Kind', change.kind],
    ['Service', change.service],
    ['Version', orNone(change.version)],
    ['Environment', orNone(change.environment)],
    ['At', formatTime(change.at)],
    ['Author', orNone(change.author)],
    ['Link', orNone(change.url)],
    ['Diff', orNone(change.diffArtifactId)],
  ];
}

export function registerChangeCommands(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  const change = program
    .command('change')
    .description('record and list deploys, config changes and feature-flag changes')
    .addHelpText(
      'after',
      '\nIn a CI step, after deploying:\n' +
        '  debrief change record --service checkout --change-version "$GIT_SHA" --environment production \\\n' +
        '    --change-url "$CI_JOB_URL" --id "$CI_PIPELINE_ID" [--diff config.diff]',
    );

  change
    .command('record')
    .description('record a change (responder or more); recording the same --id again changes nothing')
    .requiredOption('--service <name>', 'the service that changed (need not be in the catalog yet)')
    .requiredOption('--change-version <version>', 'version, tag, sha or revision that went out')
    .option('--kind <kind>', `${KINDS.join(' | ')} (default deploy)`, parseKind)
    .option('--diff <file>', 'a text diff to keep as an immutable artifact (e.g. the config change)')
    .option('--at <time>', `when the change started (default: now); ${TIME_HELP}`)
    .option('--author <who>', 'who made the change')
    .option('--environment <env>', 'where it went, e.g. production')
    .option('--description <text>', 'what changed, in a line')
    .option('--change-url <url>', 'link to the pipeline run, pull request or release')
    .option(
      '--id <id>',
      'idempotency key, e.g. the pipeline run id (without it: service, kind, version, environment and time)',
    )
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const input: RecordChangeInput = defined({
        service: opts.service,
        version: opts.changeVersion,
        kind: opts.kind,
        at: opts.at,
        author: opts.author,
        environment: opts.environment,
        description: opts.description,
        url: opts.changeUrl,
        id: opts.id,
        diff: opts.diff === undefined ? undefined : await readDiffFile(opts.diff),
      });
      const recorded = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.recordChange(input));
      if (opts.format === 'json') writeJson(io.stdout, recorded);
      else io.stdout.write(`Recorded change ${recorded.id}\n${renderFields(changeFields(recorded), '  ')}`);
    });

  change
    .command('list')
    .description('list recorded changes, newest first')
    .option('--service <name>', 'only this service')
    .option('--kind <kinds>', `comma list of ${KINDS.join(', ')}`, collectList)
    .option('--environment <env>', 'only this environment')
    .option('--from <time>', `at or after; ${TIME_HELP}`)
    .option('--to <time>', 'before')
    .option('--limit <n>', 'page size, 1-200 (default 50)', parsePositiveInt)
    .option('--cursor <cursor>', 'continue from a previous page')
    .addOption(formatOption())
    .action(async (opts, cmd) => {
      const filter: ListChangesInput = defined({
        service: opts.service,
        kind: opts.kind?.map((k) => k.toLowerCase()) as ListChangesInput['kind'],
        environment: opts.environment,
        from: opts.from,
        to: opts.to,
        limit: opts.limit,
        cursor: opts.cursor,
      });
      const page = await runtime.withClient(cmd.optsWithGlobals(), (client) => client.listChanges(filter));
      if (opts.format === 'json') {
        writeJson(io.stdout, page);
        return;
      }
      io.stdout.write(page.items.length ? renderTable(CHANGE_COLUMNS, page.items) : 'No changes match.\n');
      if (page.nextCursor) io.stderr.write(`More changes: add --cursor ${page.nextCursor}\n`);
    });

  const incident = program.commands.find((c) => c.name() === 'incident');
  if (!incident) throw new Error('register the incident commands before the change commands');
  incident
    .command('suspects')
    .description('changes that may have caused the incident, ranked, each with the reasons behind its score')
    .argument('<key>', 'incident key, e.g. INC-12 (or just 12)')
    .addOption(formatOption())
    .action(async (key, opts, cmd) => {
      const globals = cmd.optsWithGlobals() as GlobalOptions;
      const view = await runtime.withClient(globals, (client) => client.listSuspects(incidentKey(key)));
      if (opts.format === 'json') {
        writeJson(io.stdout, view);
        return;
      }
      const reference = `${view.reference.label} (${formatTime(view.reference.at)})`;
      if (view.items.length === 0) {
        io.stdout.write(`No changes recorded from ${formatTime(view.window.from)} up to ${reference}.\n`);
        return;
      }
      io.stdout.write(`Suspects for ${view.incident}, measured from ${reference}\n`);
      io.stdout.write(renderTable(SUSPECT_COLUMNS, view.items));
    });
}
