/**
 * Files named on the command line. Whatever is wrong with one (missing, a directory, unreadable, binary) is a usage
 * error (exit 2) with one line naming the file and, when it came from an option, the option.
 */
import { readFileSync, statSync } from 'node:fs';
import { CliError, describeError, EXIT_USAGE } from './output.js';

/**
 * Why a file operation failed, in the words a person at a terminal expects rather than Node's errno text.
 * `missing` names what ENOENT means for the caller: a file to read, or the directory a file was to be written in.
 *
 * @example
 * errnoReason(error); // 'no such file'
 * errnoReason(error, 'no such directory');
 */
export function errnoReason(error: unknown, missing = 'no such file'): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return missing;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  return describeError(error);
}

function prefix(option: string): string {
  return option ? `${option}: ` : '';
}

/**
 * The bytes of a file given on the command line, or a usage error naming it: missing, a directory or unreadable.
 *
 * @example
 * readFileBytes('app.log'); // <Buffer …>
 */
export function readFileBytes(path: string, option = ''): Buffer {
  const what = prefix(option);
  try {
    if (statSync(path).isDirectory()) throw new CliError(`${what}${path} is a directory, not a file`, EXIT_USAGE);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${what}cannot read ${path}: ${errnoReason(error)}`, EXIT_USAGE);
  }
}

/**
 * A UTF-8 text file given on the command line, or a usage error naming it: missing, a directory, unreadable, not
 * UTF-8, or binary.
 *
 * @example
 * readTextFile('postmortem.md'); // the markdown
 * readTextFile('terms.json', '--terms'); // errors read "--terms: cannot read terms.json: no such file"
 */
export function readTextFile(path: string, option = ''): string {
  const bytes = readFileBytes(path, option);
  const what = prefix(option);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${what}${path} is not a text file (it is binary or not UTF-8)`, EXIT_USAGE);
  }
  if (text.includes('\u0000')) {
    throw new CliError(`${what}${path} is not a text file (it contains NUL bytes, so it looks binary)`, EXIT_USAGE);
  }
  return text;
}
