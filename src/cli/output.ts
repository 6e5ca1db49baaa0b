/**
 * Everything the CLI prints goes through here: the injected output streams, exit codes, the one-line error
 * format, and the text renderings (aligned tables and key-value blocks). JSON output is the API's shapes as-is.
 */
import { DebriefError, type ErrorCode } from '../domain/errors.js';
import { formatDuration } from '../domain/durations.js';

/** The part of a writable stream the CLI uses, so tests can capture output without a real stream. */
export interface Writer {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: Writer;
  stderr: Writer;
  env: NodeJS.ProcessEnv;
  /** Ends long-running commands (`serve`) like SIGINT does; for tests and embedding. */
  signal?: AbortSignal | undefined;
}

export const EXIT_OK = 0;
/** Runtime failure: not found, conflict, unreachable database or server. */
export const EXIT_FAILURE = 1;
/** Usage error: the command line, or the input it carried, was rejected. */
export const EXIT_USAGE = 2;

/** An error the CLI itself detects, with the exit code it should end with. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/**
 * A problem answer from a server whose code this build does not know (a newer server, or a proxy in between).
 * Known codes come back as DebriefError, so local and remote failures print and exit alike.
 */
export class RemoteError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'RemoteError';
    this.status = status;
    this.code = code;
  }
}

/** Codes that mean "what you asked for is wrong as asked": fix the input and run again. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'DEBRIEF_ERR_VALIDATION',
  'DEBRIEF_ERR_INVALID_TRANSITION',
  'DEBRIEF_ERR_LIFECYCLE_ORDER',
  'DEBRIEF_ERR_ALREADY_EXISTS',
  'DEBRIEF_ERR_PAYLOAD_TOO_LARGE',
  'DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE',
]);

/**
 * Exit code for an error thrown by a command: 2 for rejected input, 1 for everything else (not found, version
 * conflicts, authentication, unreachable database or server, bugs).
 *
 * @example
 * exitCodeFor(validationError('severity', 'must be one of SEV1, SEV2, SEV3, SEV4')); // 2
 */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof DebriefError) return USAGE_CODES.has(error.code) ? EXIT_USAGE : EXIT_FAILURE;
  if (error instanceof RemoteError)
    return error.status >= 400 && error.status < 500 && error.status !== 404 ? EXIT_USAGE : EXIT_FAILURE;
  return EXIT_FAILURE;
}

/** Collapses a message to one line: the CLI never prints more than one line per error. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** The most useful text of any thrown value, including Node's AggregateError (empty message, details in `errors`). */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.message === '' && error.errors.length > 0) {
    return describeError(error.errors[0]);
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error.message) return error.message;
    return code ?? error.name;
  }
  return String(error);
}

/** `debrief: <message>` — the single line every failing command ends with. */
export function errorLine(error: unknown): string {
  return `debrief: ${oneLine(describeError(error))}\n`;
}

export type Format = 'text' | 'json';
export const FORMATS = ['text', 'json'] as const;

export function writeJson(out: Writer, value: unknown): void {
  out.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const NONE = '-';

/** ISO time without milliseconds, still valid ISO-8601 so it can be pasted back into `--at`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return NONE;
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

export function formatSeconds(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? NONE : formatDuration(seconds);
}

export function orNone(value: string | null | undefined): string {
  return value === null || value === undefined || value === '' ? NONE : value;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
}

/**
 * An aligned table with a header row; the last column is not padded, so long titles do not add trailing spaces.
 *
 * @example
 * renderTable([{ header: 'KEY', value: (i) => i.key }], [{ key: 'INC-1' }]); // 'KEY\nINC-1\n'
 */
export function renderTable<T>(columns: Column<T>[], rows: readonly T[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((row) => columns.map((c) => oneLine(c.value(row))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => (line[i] ?? '').length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** One page of a list as the API returns it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A list command's result: JSON as the API shapes it; text as a table (or "No <noun> match."), and on stderr how to
 * get the next page when there is one.
 *
 * @example
 * printPage(io, 'text', page, INCIDENT_COLUMNS, 'incidents');
 * // stderr: 'More incidents: add --cursor eyJ…, or --all to list every match.'
 */
export function printPage<T>(io: CliIO, format: Format, page: Page<T>, columns: Column<T>[], noun: string): void {
  if (format === 'json') {
    writeJson(io.stdout, page);
    return;
  }
  io.stdout.write(page.items.length ? renderTable(columns, page.items) : `No ${noun} match.\n`);
  if (page.nextCursor) {
    io.stderr.write(`More ${noun}: add --cursor ${page.nextCursor}, or --all to list every match.\n`);
  }
}

/**
 * Label/value lines with the values aligned. Multi-line values continue under the value column.
 *
 * @example
 * renderFields([['Status', 'resolved'], ['Severity', 'SEV2']], '  ');
 * // '  Status    resolved\n  Severity  SEV2\n'
 */
export function renderFields(fields: readonly (readonly [string, string])[], indent = ''): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  return fields
    .map(([label, value]) => {
      const [first = '', ...rest] = value.split('\n');
      const pad = ' '.repeat(width + 2);
      return [
        `${indent}${label.padEnd(width)}  ${first}`.trimEnd(),
        ...rest.map((l) => `${indent}${pad}${l}`.trimEnd()),
      ]
        .map((l) => `${l}\n`)
        .join('');
    })
    .join('');
}

/** Bytes for people: `512 B`, `1.4 KiB`, `3.2 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(1)} ${units[unit]}`;
}
