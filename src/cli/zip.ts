/**
 * A small zip reader for exports people download (a Slack workspace export, say): it reads the central directory
 * at the end of the archive and inflates entries with node:zlib. Stored and deflated entries only; encrypted
 * entries and zip64 archives are refused with a message saying so.
 */
import { crc32, inflateRawSync } from 'node:zlib';

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;

const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;

/** Unpacked bytes read from one archive, at most: a guard against zip bombs. Default 1 GiB. */
const DEFAULT_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

/** The archive cannot be read; the message says why in words a person can act on. */
export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

export interface ZipEntry {
  /** Path inside the archive, `/`-separated; directories end with `/`. */
  name: string;
  /** 0 stored, 8 deflate. */
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  isDirectory: boolean;
  /** Offset of the entry's local header in the archive. */
  offset: number;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  const lowest = Math.max(0, zip.length - EOCD_SIZE - MAX_COMMENT);
  for (let i = zip.length - EOCD_SIZE; i >= lowest; i--) {
    if (zip.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + zip.readUInt16LE(i + 20) <= zip.length) return i;
  }
  throw new ZipError('not a zip archive (no end-of-central-directory record)');
}

/**
 * The entries of a zip archive, from its central directory.
 *
 * @throws ZipError when the archive is not a zip, is truncated, is zip64, or has more entries than it declares.
 * @example
 * listZip(readFileSync('export.zip')).map((e) => e.name); // ['users.json', 'channels.json', 'incident/2026-03-14.json']
 */
export function listZip(zip: Buffer): ZipEntry[] {
  const eocd = findEndOfCentralDirectory(zip);
  const disk = zip.readUInt16LE(eocd + 4);
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  const zip64Locator = eocd >= 20 && zip.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIGNATURE;
  if (zip64Locator || count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw new ZipError(
      'zip64 archives (over 4 GiB or 65,535 entries) are not supported; unpack it and pass the directory instead',
    );
  }
  if (disk !== 0) throw new ZipError('multi-part (split) zip archives are not supported');
  if (offset + size > eocd)
    throw new ZipError('the zip archive is truncated or damaged (central directory out of range)');

  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_SIZE > eocd || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new ZipError(`the zip archive is damaged (central directory entry ${i + 1} of ${count} is unreadable)`);
    }
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const nameBytes = zip.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength);
    // Without the UTF-8 flag names are CP437; for the ASCII names exports use, latin1 reads the same.
    const name = nameBytes.toString(flags & FLAG_UTF8 ? 'utf8' : 'latin1').replace(/\\/g, '/');
    const entry: ZipEntry = {
      name,
      method,
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      crc32: zip.readUInt32LE(at + 16),
      isDirectory: name.endsWith('/'),
      offset: zip.readUInt32LE(at + 42),
    };
    if (flags & FLAG_ENCRYPTED) throw new ZipError(`${name} is encrypted; encrypted zip archives are not supported`);
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.offset === 0xffffffff) {
      throw new ZipError(`${name} needs zip64, which is not supported; unpack the archive and pass the directory`);
    }
    entries.push(entry);
    at += CENTRAL_SIZE + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * The bytes of one entry, inflated and checked against the CRC-32 and size the archive records.
 *
 * @throws ZipError for an unsupported compression method, a damaged entry, or a CRC mismatch.
 */
export function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const at = entry.offset;
  if (at + LOCAL_SIZE > zip.length || zip.readUInt32LE(at) !== LOCAL_SIGNATURE) {
    throw new ZipError(`the zip archive is damaged (no local header for ${entry.name})`);
  }
  const start = at + LOCAL_SIZE + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > zip.length) throw new ZipError(`the zip archive is truncated (${entry.name} runs past its end)`);
  const raw = zip.subarray(start, end);
  let data: Buffer;
  if (entry.method === METHOD_STORED) data = Buffer.from(raw);
  else if (entry.method === METHOD_DEFLATE) {
    try {
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
    } catch (error) {
      throw new ZipError(`${entry.name} cannot be inflated: ${(error as Error).message}`);
    }
  } else {
    throw new ZipError(
      `${entry.name} uses compression method ${entry.method}; only stored (0) and deflate (8) are supported`,
    );
  }
  if (data.length !== entry.size) {
    throw new ZipError(`${entry.name} is damaged: ${data.length} bytes instead of ${entry.size}`);
  }
  if (crc32(data) >>> 0 !== entry.crc32 >>> 0) throw new ZipError(`${entry.name} is damaged (CRC-32 mismatch)`);
  return data;
}

/**
 * Every file (not directory) of an archive whose name passes `filter`, as bytes by name.
 *
 * @throws ZipError as {@link listZip} and {@link readZipEntry}, and when the files would unpack to more than
 *   `maxUnpackedBytes`.
 * @example
 * const files = readZip(readFileSync('slack-export.zip'), { filter: (name) => name.endsWith('.json') });
 */
export function readZip(
  zip: Buffer,
  options: { filter?: (name: string) => boolean; maxUnpackedBytes?: number } = {},
): Map<string, Buffer> {
  const limit = options.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES;
  const wanted = listZip(zip).filter((e) => !e.isDirectory && (options.filter?.(e.name) ?? true));
  const total = wanted.reduce((sum, e) => sum + e.size, 0);
  if (total > limit) {
    throw new ZipError(`the archive would unpack to ${total} bytes, more than the ${limit}-byte limit`);
  }
  return new Map(wanted.map((entry) => [entry.name, readZipEntry(zip, entry)]));
}
