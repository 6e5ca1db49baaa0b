/**
 * `debrief import …`: evidence from files people already have — `kubectl get events -A -o json`, a Slack workspace
 * export (zip or unpacked directory), a log file — onto an incident's timeline, locally or through a server.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { InvalidArgumentError } from '@commander-js/extra-typings';
import type { LogMediaType, LogUploadResult } from '../app/evidence.js';
import {
  chatInRange,
  eventsInRange,
  importWindow,
  IMPORT_MARGIN_MINUTES,
  timelineInput,
  type BatchResult,
} from '../app/imports.js';
import type { AddTimelineEventInput } from '../app/inputs.js';
import { DebriefError } from '../domain/errors.js';
import { normalizeTimestamp } from '../domain/lifecycle.js';
import { parseKubernetesEvents } from '../ingest/kubernetes.js';
import { parseSlackExport } from '../ingest/slack-export.js';
import type { NormalizedEvent } from '../ingest/types.js';
import type { DebriefClient } from './client.js';
import { errnoReason, readFileBytes } from './files.js';
import {
  CliError,
  describeError,
  EXIT_USAGE,
  formatBytes,
  formatTime,
  renderTable,
  writeJson,
  type Column,
  type Writer,
} from './output.js';
import { importPostmortemFiles } from './postmortem.js';
import { collectList, formatOption, incidentKey, type Program, type Runtime } from './runtime.js';
import { readZip, ZipError } from './zip.js';

/** Events per batch request: well under the server's 5,000, so one request stays a few MiB at most. */
const BATCH_EVENTS = 1_000;
/** JSON bytes per batch request, below the server's 10 MiB limit for batches. */
const BATCH_BYTES = 4 * 1024 * 1024;
/** The server's limit for log uploads. */
const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

interface ImportReport {
  incident: string;
  /** Events the file held. */
  read: number;
  /** Events outside the time range, left out. */
  skipped: number;
  created: number;
  existing: number;
  /** The time range taken in, or null with `--all`. */
  range: { start: string | null; end: string | null } | null;
}

function readJsonFile(path: string): unknown {
  const text = readFileBytes(path).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${describeError(error)}`, EXIT_USAGE);
  }
}

/**
 * Adapter errors name the field inside the file; the file name makes the line complete. Errors about an option
 * (`options`, e.g. `channel`) are not about the file and stay as they are.
 */
function inFile<T>(path: string, parse: () => T, options: readonly string[] = []): T {
  try {
    return parse();
  } catch (error) {
    if (
      error instanceof DebriefError &&
      error.code === 'DEBRIEF_ERR_VALIDATION' &&
      !options.includes(error.field ?? '')
    ) {
      throw new CliError(`${path}: ${error.message}`, EXIT_USAGE);
    }
    throw error;
  }
}

function minutes(value: string): number {
  if (!/^\d{1,5}$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number of minutes.');
  return Number(value);
}

function timeOption(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  return Date.parse(normalizeTimestamp(value, field));
}

/** Splits events into requests that stay below the batch limits. */
function batches(events: readonly AddTimelineEventInput[]): AddTimelineEventInput[][] {
  const out: AddTimelineEventInput[][] = [];
  let current: AddTimelineEventInput[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(JSON.stringify(event));
    if (current.length > 0 && (current.length >= BATCH_EVENTS || bytes + size > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function addInBatches(
  client: DebriefClient,
  key: string,
  events: readonly NormalizedEvent[],
  progress: Writer,
): Promise<BatchResult> {
  const parts = batches(events.map(timelineInput));
  const total = events.length;
  let done = 0;
  const result: BatchResult = { created: 0, existing: 0 };
  for (const part of parts) {
    const answer = await client.addTimelineEvents(key, part);
    result.created += answer.created;
    result.existing += answer.existing;
    done += part.length;
    if (parts.length > 1) progress.write(`Imported ${done} of ${total} events into ${key}\n`);
  }
  return result;
}

function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

type ImportRange = { start?: number | undefined; end?: number | undefined };

/**
 * Adds the events that `select` keeps within the range chosen for the incident (all of them when the range is
 * null) and reports what was read, skipped, created and already there.
 */
async function importOnto(
  client: DebriefClient,
  key: string,
  events: readonly NormalizedEvent[],
  progress: Writer,
  select: (events: readonly NormalizedEvent[], range: ImportRange) => NormalizedEvent[],
  rangeFor: (incident: Awaited<ReturnType<DebriefClient['getIncident']>>) => ImportRange | null,
): Promise<ImportReport> {
  const incident = await client.getIncident(key);
  const range = rangeFor(incident);
  const selected = range ? select(events, range) : [...events];
  const result = await addInBatches(client, incident.key, selected, progress);
  return {
    incident: incident.key,
    read: events.length,
    skipped: events.length - selected.length,
    ...result,
    range: range ? { start: isoOrNull(range.start), end: isoOrNull(range.end) } : null,
  };
}

function printReport(out: Writer, format: 'text' | 'json', what: string, report: ImportReport): void {
  if (format === 'json') {
    writeJson(out, report);
    return;
  }
  const kept = report.read - report.skipped;
  out.write(
    `Imported ${kept} ${what} into ${report.incident}: ${report.created} added, ${report.existing} already there.\n`,
  );
  if (report.skipped > 0) {
    const range = report.range ? ` ${formatTime(report.range.start)} – ${formatTime(report.range.end)}` : '';
    out.write(`${report.skipped} outside${range} were left out; --all takes them in.\n`);
  }
}

/** Every `.json` file under a directory, by its `/`-separated path relative to it. */
function readJsonTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.json')) {
        files.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
      }
    }
  };
  walk(root);
  return files;
}

/** A Slack export as the adapter reads it: an unpacked directory or the zip Slack hands out. */
function readSlackExport(path: string): Map<string, string> {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${errnoReason(error)}`, EXIT_USAGE);
  }
  if (isDirectory) return readJsonTree(path);
  try {
    const entries = readZip(readFileBytes(path), { filter: (name) => name.endsWith('.json') });
    return new Map([...entries].map(([name, data]) => [name, data.toString('utf8')]));
  } catch (error) {
    if (error instanceof ZipError) throw new CliError(`${path}: ${error.message}`, EXIT_USAGE);
    throw error;
  }
}

/** `.ndjson` and `.jsonl` files are JSON lines; anything else is sent as plain text (the server reads both). */
function logMediaType(path: string): LogMediaType {
  const ext = extname(path).toLowerCase();
  return ext === '.ndjson' || ext === '.jsonl' ? 'application/x-ndjson' : 'text/plain';
}

const FINDING_COLUMNS: Column<LogUploadResult['evidence']['findings'][number]>[] = [
  { header: 'STATUS', value: (f) => f.status },
  { header: 'WINDOW', value: (f) => String(f.incidentCount) },
  { header: 'BASELINE', value: (f) => String(f.baselineCount) },
  { header: 'RATIO', value: (f) => (f.status === 'new' ? '-' : `x${f.ratio}`) },
  { header: 'LEVEL', value: (f) => f.severity ?? '-' },
  { header: 'TEMPLATE', value: (f) => f.template ?? f.templateId },
];

function printUpload(out: Writer, err: Writer, format: 'text' | 'json', result: LogUploadResult): void {
  if (format === 'json') {
    writeJson(out, result);
    return;
  }
  const { evidence } = result;
  const file = evidence.upload?.name ?? 'the log file';
  const lines = evidence.upload?.lines ?? 0;
  if (!result.created) out.write(`${file} was already on ${evidence.incident}; nothing changed.\n`);
  out.write(
    `${file} (${lines} lines, ${formatBytes(result.upload.size)}) on ${evidence.incident}: ${result.event.title}\n` +
      `Window ${formatTime(evidence.window.start)} – ${formatTime(evidence.window.end)}: ${evidence.incidentLines} lines; ` +
      `baseline ${formatTime(evidence.baseline.start)} – ${formatTime(evidence.baseline.end)}: ${evidence.baselineLines} lines` +
      `${evidence.upload?.outsideWindows ? `; ${evidence.upload.outsideWindows} outside both` : ''}.\n`,
  );
  if (evidence.findings.length > 0) out.write(`\n${renderTable(FINDING_COLUMNS, evidence.findings)}`);
  if (evidence.upload && evidence.upload.timed === 0 && lines > 0) {
    err.write('No line carried a timestamp: the lines were spread over the incident window in file order.\n');
  }
  if (evidence.upload?.zoneless) {
    err.write(`${evidence.upload.zoneless} timestamps had no time zone and were read as UTC.\n`);
  }
}

export function registerImportCommands(program: Program, runtime: Runtime): void {
  const { io } = runtime;
  const group = program
    .command('import')
    .description("import evidence from files onto an incident's timeline (Kubernetes events, Slack export, logs)")
    .addHelpText(
      'after',
      '\nImports are idempotent: running one again adds nothing. Without --url they write to the local database; ' +
        'with --url (or DEBRIEF_URL) they go through that server with DEBRIEF_TOKEN.',
    );

  group
    .command('k8s-events')
    .description('import `kubectl get events -A -o json` output as log events')
    .argument('<file>', 'the JSON that `kubectl get events -A -o json` printed')
    .requiredOption('--incident <key>', 'incident key, e.g. INC-12')
    .option('--all', 'import every event, not only those in the incident window ± margin')
    .option(
      '--margin <minutes>',
      `minutes before impact start and after resolution (default ${IMPORT_MARGIN_MINUTES})`,
      minutes,
    )
    .addOption(formatOption())
    .action(async (file, opts, cmd) => {
      const events = inFile(file, () => parseKubernetesEvents(readJsonFile(file)));
      const key = incidentKey(opts.incident);
      const report = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        importOnto(client, key, events, io.stderr, eventsInRange, (incident) =>
          opts.all ? null : importWindow(incident, Date.now(), (opts.margin ?? IMPORT_MARGIN_MINUTES) * 60_000),
        ),
      );
      printReport(io.stdout, opts.format, 'Kubernetes events', report);
    });

  group
    .command('slack')
    .description('import one channel of a Slack export as chat events (names resolved, threads kept whole)')
    .argument('<export>', 'the export as Slack gives it (.zip) or unpacked (directory)')
    .requiredOption('--channel <channel>', 'channel name (with or without #) or id')
    .requiredOption('--incident <key>', 'incident key, e.g. INC-12')
    .option('--from <time>', 'first message time (ISO-8601 with a zone); default: the incident window − margin')
    .option('--to <time>', 'time after the last message; default: the incident window + margin')
    .option('--all', 'import the whole channel')
    .option(
      '--margin <minutes>',
      `minutes before impact start and after resolution (default ${IMPORT_MARGIN_MINUTES})`,
      minutes,
    )
    .addOption(formatOption())
    .action(async (exportPath, opts, cmd) => {
      const from = timeOption(opts.from, 'from');
      const to = timeOption(opts.to, 'to');
      if (from !== undefined && to !== undefined && to <= from) {
        throw new CliError('--to must be later than --from', EXIT_USAGE);
      }
      const events = inFile(exportPath, () => parseSlackExport(readSlackExport(exportPath), opts.channel), ['channel']);
      const key = incidentKey(opts.incident);
      const report = await runtime.withClient(cmd.optsWithGlobals(), (client) =>
        importOnto(client, key, events, io.stderr, chatInRange, (incident) => {
          if (from !== undefined || to !== undefined) return { start: from, end: to };
          return opts.all ? null : importWindow(incident, Date.now(), (opts.margin ?? IMPORT_MARGIN_MINUTES) * 60_000);
        }),
      );
      printReport(io.stdout, opts.format, 'Slack messages', report);
    });

  group
    .command('logs')
    .description('store a log file (JSON lines or plain text) on an incident and show its new and spiking templates')
    .argument('<file>', 'the log file; lines may start with an ISO-8601 timestamp or carry time/ts/timestamp fields')
    .requiredOption('--incident <key>', 'incident key, e.g. INC-12')
    .addOption(formatOption())
    .action(async (file, opts, cmd) => {
      const bytes = readFileBytes(file);
      if (bytes.subarray(0, 8192).includes(0)) {
        throw new CliError(`${file} looks binary; give a text log file (JSON lines or plain text)`, EXIT_USAGE);
      }
      const options = cmd.optsWithGlobals();
      if (runtime.config(options).serverUrl && bytes.length > UPLOAD_LIMIT_BYTES) {
        throw new CliError(
          `${file} is ${formatBytes(bytes.length)}; a server takes log files up to ${formatBytes(UPLOAD_LIMIT_BYTES)}: ` +
            'split it, or import it on the server without --url',
          EXIT_USAGE,
        );
      }
      if (bytes.length > 1024 * 1024) io.stderr.write(`Uploading and mining ${formatBytes(bytes.length)} of logs…\n`);
      const result = await runtime.withClient(options, (client) =>
        client.uploadLogs(incidentKey(opts.incident), bytes.toString('utf8'), {
          mediaType: logMediaType(file),
          name: basename(file),
        }),
      );
      printUpload(io.stdout, io.stderr, opts.format, result);
    });

  group
    .command('postmortem')
    .description('import markdown postmortems: sections onto the template, their timelines onto incidents')
    .argument('<files...>', 'markdown postmortems')
    .option('--incident <key>', 'attach to this incident (one file); default: declare a resolved incident per file')
    .option('--severity <severity>', 'severity of the incidents declared (default SEV3)')
    .option('--service <name>', 'impacted service of the incidents declared (repeatable, or a comma list)', collectList)
    .option('--replace', "with --incident: replace the text of the incident's postmortem (a normal save)")
    .option('--dry-run', 'show how each file maps; write nothing')
    .addOption(formatOption())
    .action((files, opts, cmd) => importPostmortemFiles(runtime, files, opts, cmd.optsWithGlobals()));
}
