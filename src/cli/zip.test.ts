import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { listZip, readZip, readZipEntry, ZipError } from './zip.js';

interface WriteEntry {
  name: string;
  data: Buffer | string;
  method?: number;
  flags?: number;
  /** Overrides what the central directory records. */
  size?: number;
  crc?: number;
}

/** A minimal zip writer (no data descriptors, no zip64), enough to build the cases the reader must handle. */
function writeZip(entries: WriteEntry[], options: { comment?: string; zip64Locator?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data);
    const method = entry.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const name = Buffer.from(entry.name, 'utf8');
    const flags = (entry.flags ?? 0) | 0x0800;
    const crc = entry.crc ?? crc32(data);
    const size = entry.size ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '');
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(directory.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(comment.length, 20);
  const locator = Buffer.alloc(options.zip64Locator ? 20 : 0);
  if (options.zip64Locator) locator.writeUInt32LE(0x07064b50, 0);
  return Buffer.concat([...locals, directory, locator, eocd, comment]);
}

const text = (map: Map<string, Buffer>): Record<string, string> =>
  Object.fromEntries([...map].map(([name, data]) => [name, data.toString('utf8')]));

describe('zip reader', () => {
  it('reads stored and deflated entries by name, skipping directories', () => {
    const big = JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ ts: `${i}.000100`, text: `message ${i}` })));
    const zip = writeZip([
      { name: 'export/', data: '', method: 0 },
      { name: 'export/users.json', data: '[{"id":"U1","name":"ana"}]', method: 0 },
      { name: 'export/incident/2026-03-14.json', data: big },
      { name: 'export/notes.txt', data: 'not json' },
    ]);
    const entries = listZip(zip);
    expect(entries.map((e) => [e.name, e.method, e.isDirectory])).toEqual([
      ['export/', 0, true],
      ['export/users.json', 0, false],
      ['export/incident/2026-03-14.json', 8, false],
      ['export/notes.txt', 8, false],
    ]);
    expect(entries[2]?.compressedSize).toBeLessThan(big.length);
    expect(text(readZip(zip, { filter: (name) => name.endsWith('.json') }))).toEqual({
      'export/users.json': '[{"id":"U1","name":"ana"}]',
      'export/incident/2026-03-14.json': big,
    });
  });

  it('finds the directory behind an archive comment and reads UTF-8 names', () => {
    const zip = writeZip([{ name: 'café/naïve.json', data: '{}' }], { comment: 'exported by Slack' });
    expect(text(readZip(zip))).toEqual({ 'café/naïve.json': '{}' });
  });

  it('reads an empty archive', () => {
    expect(readZip(writeZip([])).size).toBe(0);
  });

  it('refuses what it cannot read with a message that says why', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from('PK not really a zip at all, just some text'), /not a zip archive/],
      [writeZip([{ name: 'a.json', data: '{}' }], { zip64Locator: true }), /zip64 archives .* not supported/],
      [writeZip([{ name: 'secret.json', data: '{}', flags: 0x0001 }]), /secret\.json is encrypted/],
    ];
    for (const [zip, message] of cases) {
      expect(() => readZip(zip)).toThrow(ZipError);
      expect(() => readZip(zip)).toThrow(message);
    }
  });

  it('refuses compression methods other than stored and deflate', () => {
    const zip = writeZip([{ name: 'a.bz2.json', data: '{}', method: 12 }]);
    const [entry] = listZip(zip);
    expect(() => readZipEntry(zip, entry as NonNullable<typeof entry>)).toThrow(
      /compression method 12; only stored \(0\) and deflate \(8\)/,
    );
  });

  it('detects damage: a CRC mismatch, a size that lies, a truncated archive', () => {
    expect(() => readZip(writeZip([{ name: 'a.json', data: '{"a":1}', crc: 1234 }]))).toThrow(/CRC-32 mismatch/);
    expect(() => readZip(writeZip([{ name: 'a.json', data: 'x'.repeat(5000), size: 10 }]))).toThrow(
      /a\.json cannot be inflated/,
    );
    const whole = writeZip([{ name: 'a.json', data: 'y'.repeat(1000), method: 0 }]);
    const cut = Buffer.concat([whole.subarray(0, 200), whole.subarray(whole.length - 22 - 46 - 6)]);
    expect(() => readZip(cut)).toThrow(ZipError);
  });

  it('stops before unpacking more than the limit', () => {
    const zip = writeZip([{ name: 'bomb.json', data: Buffer.alloc(100_000) }]);
    expect(() => readZip(zip, { maxUnpackedBytes: 10_000 })).toThrow(/would unpack to 100000 bytes/);
  });

  const hasZip = (() => {
    try {
      execFileSync('zip', ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasZip)(
    hasZip ? 'reads an archive made by Info-ZIP zip' : 'reads an archive made by Info-ZIP zip (skipped: no zip)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'debrief-zip-'));
      try {
        writeFileSync(join(dir, 'users.json'), JSON.stringify([{ id: 'U1', real_name: 'Ana' }]));
        writeFileSync(join(dir, 'tiny.txt'), 'a');
        writeFileSync(join(dir, 'log.txt'), 'repeated line\n'.repeat(2000));
        execFileSync('zip', ['-q', '-r', 'out.zip', 'users.json', 'tiny.txt', 'log.txt'], { cwd: dir });
        const files = text(readZip(readFileSync(join(dir, 'out.zip'))));
        expect(files['users.json']).toBe('[{"id":"U1","real_name":"Ana"}]');
        expect(files['tiny.txt']).toBe('a');
        expect(files['log.txt']).toBe('repeated line\n'.repeat(2000));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
