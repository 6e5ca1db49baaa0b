import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Capture, debrief, lines, tempDir } from './run.js';

describe('debrief usage errors, help and version', () => {
  const dir = tempDir();
  const env = { DEBRIEF_DATA_DIR: dir.path };
  const run = (...args: string[]) => debrief(args, { env });
  afterAll(() => dir.remove());

  it.each([
    [['incident', 'list', '--bogus'], "debrief: unknown option '--bogus'"],
    [
      ['incident', 'declare', '--title', 'x', '--severity', 'SEV9'],
      'debrief: severity: must be one of SEV1, SEV2, SEV3, SEV4',
    ],
    [['incident', 'declare', '--severity', 'SEV2'], "debrief: required option '--title <title>' not specified"],
    [
      ['incident', 'declare', '--title', 'x', '--severity', 'SEV2', '--detected', 'yesterday'],
      'debrief: detectedAt: expected an ISO-8601 timestamp with a time zone (e.g. 2026-01-01T10:00:00Z), got "yesterday"',
    ],
    [['incident', 'list', '--from', '2026-13-01T00:00:00Z'], /^debrief: from: /],
    [
      ['incident', 'list', '--status', 'open'],
      /^debrief: status\[0\]: must be one of investigating, mitigated, resolved, closed$/,
    ],
    [
      ['incident', 'list', '--limit', 'ten'],
      /^debrief: option '--limit <n>' argument 'ten' is invalid\. must be a positive whole number\.$/,
    ],
    [
      ['incident', 'list', '--format', 'xml'],
      /^debrief: option '--format <format>' argument 'xml' is invalid\. Allowed choices are text, json\.$/,
    ],
    [['incident', 'lst'], "debrief: unknown command 'lst' (Did you mean list?)"],
    [['incidents'], "debrief: unknown command 'incidents' (Did you mean incident?)"],
    [['incident', 'show'], "debrief: missing required argument 'key'"],
    [['incident', 'show', 'INC-1', 'INC-2'], /^debrief: too many arguments for 'show'/],
    [
      ['token', 'create', '--name', 'ci', '--role', 'root'],
      'debrief: role: must be one of viewer, responder, reviewer, admin',
    ],
    [['serve', '--port', '70000'], /^debrief: option '--port <port>' argument '70000' is invalid/],
  ])('%j exits 2 with one line on stderr and nothing on stdout', async (args, message) => {
    const result = await run(...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toHaveLength(1);
    if (typeof message === 'string') expect(result.stderr).toBe(`${message}\n`);
    else expect(result.stderr.trimEnd()).toMatch(message);
  });

  it('never prints a stack trace, unless DEBRIEF_DEBUG=1 asks for one', async () => {
    const args = ['incident', 'show', 'INC-7'];
    const quiet = await run(...args);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe('debrief: incident INC-7 not found\n');

    const debug = await debrief(args, { env: { ...env, DEBRIEF_DEBUG: '1' } });
    expect(debug.code).toBe(1);
    expect(lines(debug.stderr)[0]).toBe('debrief: incident INC-7 not found');
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('prints help to stdout and exits 0', async () => {
    const top = await run('--help');
    expect(top.code).toBe(0);
    expect(top.stderr).toBe('');
    expect(top.stdout).toMatch(/^Usage: debrief \[options\] \[command\]/);
    for (const command of ['serve', 'db', 'user', 'token', 'incident'])
      expect(top.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    expect(top.stdout).toContain('DEBRIEF_TOKEN');

    const declare = await run('incident', 'declare', '--help');
    expect(declare.code).toBe(0);
    expect(declare.stdout).toContain('--severity <severity>');

    const viaHelpCommand = await run('help', 'incident');
    expect(viaHelpCommand.code).toBe(0);
    expect(viaHelpCommand.stdout).toMatch(/Usage: debrief incident/);
  });

  it('shows help on stderr and exits 2 when a command group is given without a command', async () => {
    for (const args of [[], ['incident'], ['db']]) {
      const result = await run(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^Usage: debrief/);
    }
  });

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await run('--version');
    expect(result).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('takes process.argv as given by bin/debrief.js', async () => {
    const stdout = new Capture();
    const code = await main(['/usr/bin/node', '/usr/lib/debrief/bin/debrief.js', '--version'], {
      stdout,
      stderr: new Capture(),
      env,
    });
    expect(code).toBe(0);
    expect(stdout.text).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('asks for a token before talking to a server, and rejects a database URL that is not PostgreSQL', async () => {
    const noToken = await debrief(['incident', 'list', '--url', 'http://127.0.0.1:9'], { env });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(
      /^debrief: talking to http:\/\/127\.0\.0\.1:9 needs an API token: export DEBRIEF_TOKEN=/,
    );

    const mysql = await run('--database-url', 'mysql://db/debrief', 'incident', 'list');
    expect(mysql.code).toBe(2);
    expect(mysql.stderr).toBe('debrief: DEBRIEF_DATABASE_URL must start with postgres:// or postgresql://\n');
  });

  it('reports an unreachable database in one line and exits 1', async () => {
    const result = await run('--database-url', 'postgres://debrief:secret@127.0.0.1:9/debrief', 'incident', 'list');
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^debrief: cannot open the database \(postgres: postgres:\/\/127\.0\.0\.1:9\/debrief\): .*ECONNREFUSED/,
    );
    expect(result.stderr).not.toContain('secret');
  });
});
