import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createService } from '../../src/app/catalog.js';
import { createAppContext } from '../../src/app/context.js';
import { changeIncidentStatus, declareIncident } from '../../src/app/incidents.js';
import { migrateToLatest, openDatabase, type Database } from '../../src/store/database.js';
import { debrief, json, lines, tempDir } from './run.js';
import { createToken, listen, type TestServer } from './server.js';

describe('debrief export', () => {
  const dir = tempDir();
  const out = tempDir('debrief-export-out-');
  const env = { DEBRIEF_DATA_DIR: dir.path };
  const run = (...args: string[]) => debrief(args, { env });
  let database: Database;

  beforeAll(async () => {
    database = openDatabase({ dataDir: dir.path });
    await migrateToLatest(database);
    const ctx = createAppContext(database);
    const system = { kind: 'system', name: 'test', role: 'admin' } as const;
    await createService(ctx, system, { name: 'checkout', tier: 1 });
    const incident = await declareIncident(ctx, system, {
      title: 'Checkout errors',
      severity: 'SEV3',
      services: ['checkout'],
    });
    await changeIncidentStatus(ctx, system, incident.key, { status: 'resolved' });
    await declareIncident(ctx, system, { title: 'No postmortem yet', severity: 'SEV4' });
  });
  afterAll(async () => {
    await database.close();
    dir.remove();
    out.remove();
  });

  it('writes the file and reports progress on stderr', async () => {
    const file = join(out.path, 'INC-1.md');
    const result = await run('export', 'INC-1', '--format', 'md', '--out', file);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual(['rendering markdown…', expect.stringMatching(/^wrote [\d.]+ (B|KiB) to /)]);
    expect(result.stderr).toContain(`to ${file}`);
    const md = readFileSync(file, 'utf8');
    expect(md.startsWith('---\ntitle: "Checkout errors"\nincident: "INC-1"\n')).toBe(true);
    expect(md).toContain('variant: "internal"');
    // Nothing but the file is left behind.
    expect(readdirSync(out.path)).toEqual(['INC-1.md']);
  });

  it('accepts a bare number and writes a PDF', async () => {
    const file = join(out.path, 'INC-1.pdf');
    const result = await run('export', '1', '--format', 'pdf', '--variant', 'external', '--out', file);
    expect(result.code).toBe(0);
    expect(lines(result.stderr)[0]).toBe('rendering PDF…');
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('streams a text format to stdout with --out -', async () => {
    const result = await run('export', 'INC-1', '--format', 'json', '--variant', 'external', '--out', '-');
    expect(result.code).toBe(0);
    expect(json<{ variant: string; incident: { key: string } }>(result)).toMatchObject({
      variant: 'external',
      incident: { key: 'INC-1' },
    });
    expect(lines(result.stderr)[1]).toMatch(/^wrote .+ \(INC-1-postmortem-external\.json\) to stdout$/);
  });

  it.each([
    [['--format', 'docx', '--out', 'x.docx'], /^debrief: .*'--format <format>'.*docx.*md, html, pdf, json/],
    [['--format', 'md'], /^debrief: required option '--out <file>' not specified$/],
    [['--out', 'x.md'], /^debrief: required option '--format <format>' not specified$/],
    [['--format', 'md', '--variant', 'public', '--out', 'x.md'], /^debrief: .*'--variant <variant>'.*public/],
    [['--format', 'pdf', '--out', '-'], /^debrief: --out -: a PDF is binary; write it to a file/],
  ])('rejects %j with exit 2 and one line', async (args, message) => {
    const result = await run('export', 'INC-1', ...args);
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([expect.stringMatching(message)]);
    expect(result.stdout).toBe('');
  });

  it('checks the output path before rendering anything', async () => {
    const missing = await run('export', 'INC-1', '--format', 'md', '--out', join(out.path, 'no', 'such', 'x.md'));
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([
      expect.stringMatching(/^debrief: --out: cannot write to .*no such directory$/),
    ]);
    const isDir = await run('export', 'INC-1', '--format', 'md', '--out', out.path);
    expect(isDir.code).toBe(2);
    expect(lines(isDir.stderr)).toEqual([`debrief: --out: ${out.path} is a directory; give a file name`]);
    const parentFile = join(out.path, 'plain-file');
    writeFileSync(parentFile, 'x');
    const underFile = await run('export', 'INC-1', '--format', 'md', '--out', join(parentFile, 'x.md'));
    expect(underFile.code).toBe(2);
    expect(underFile.stderr).not.toContain('rendering');
  });

  it('fails with exit 1 for an unknown incident or one without a postmortem', async () => {
    for (const [key, message] of [
      ['INC-99', 'debrief: incident INC-99 not found'],
      ['INC-2', 'debrief: INC-2 has no postmortem yet'],
    ] as const) {
      const file = join(out.path, `${key}.md`);
      const result = await run('export', key, '--format', 'md', '--out', file);
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toEqual(['rendering markdown…', message]);
      expect(existsSync(file)).toBe(false);
    }
  });

  describe('with --url', () => {
    let server: TestServer;
    let token = '';

    beforeAll(async () => {
      token = await createToken(run, 'export-viewer', 'viewer');
      server = await listen(database);
    });
    afterAll(() => server.close());

    const remote = (...args: string[]) => server.cli(token)(...args);

    it('downloads the same text and PDF bytes a local run writes', async () => {
      const localFile = join(out.path, 'local.md');
      const remoteFile = join(out.path, 'remote.md');
      await run('export', 'INC-1', '--format', 'md', '--out', localFile);
      const result = await remote('export', 'INC-1', '--format', 'md', '--out', remoteFile);
      expect(result.code).toBe(0);
      const strip = (text: string) => text.replace(/^exported_at: .*$/m, '');
      expect(strip(readFileSync(remoteFile, 'utf8'))).toBe(strip(readFileSync(localFile, 'utf8')));
      const pdf = join(out.path, 'remote.pdf');
      expect((await remote('export', 'INC-1', '--format', 'pdf', '--out', pdf)).code).toBe(0);
      expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });

    it('reports a server refusal as one line', async () => {
      const result = await remote('export', 'INC-99', '--format', 'html', '--out', join(out.path, 'x.html'));
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toEqual(['rendering HTML…', 'debrief: incident INC-99 not found']);
    });
  });
});
