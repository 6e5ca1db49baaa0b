import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Capture, debrief, lines, tempDir } from './run.js';

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve({ server, port: address.port });
      else reject(new Error('no port'));
    });
  });
}

describe('debrief serve', () => {
  const dir = tempDir();
  const env = { DEBRIEF_DATA_DIR: dir.path };
  afterAll(() => dir.remove());

  it('migrates, listens on a free port, prints where it is ready, serves the API, and stops cleanly', async () => {
    const stop = new AbortController();
    const stdout = new Capture();
    const stderr = new Capture();
    const running = debrief(['serve', '--port', '0'], { env, signal: stop.signal, stdout, stderr });

    const [, url] = await stdout.waitFor(/Debrief is ready at (http:\/\/127\.0\.0\.1:\d+) \(sqlite: (.+)\)\n/);
    expect(stdout.text).toContain(`(sqlite: ${join(dir.path, 'debrief.sqlite')})`);
    expect(url).not.toMatch(/:0$/);
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'sqlite' });
    const unauthenticated = await fetch(`${url}/api/v1/incidents`);
    expect(unauthenticated.status).toBe(401);

    stop.abort();
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/shutting down/);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    // The database was closed: the CLI can use the data directory right away.
    const list = await debrief(['incident', 'list', '--format', 'json'], { env });
    expect(list.code).toBe(0);
  });

  it('loads demo data into an empty database and prints the demo sign-in', async () => {
    const demoDir = tempDir();
    try {
      const stop = new AbortController();
      const stdout = new Capture();
      const running = debrief(['serve', '--port', '0', '--demo'], {
        env: { DEBRIEF_DATA_DIR: demoDir.path },
        signal: stop.signal,
        stdout,
      });
      await stdout.waitFor(/Demo sign-in: \S+@\S+ \/ \S+\n/);
      const ready = stdout.text.split('\n').findIndex((line) => line.startsWith('Debrief is ready at'));
      const signIn = stdout.text.split('\n').findIndex((line) => line.startsWith('Demo sign-in: '));
      expect(ready).toBeGreaterThanOrEqual(0);
      expect(signIn).toBe(ready + 1);
      stop.abort();
      expect((await running).code).toBe(0);

      const incidents = await debrief(['incident', 'list', '--all', '--format', 'json'], {
        env: { DEBRIEF_DATA_DIR: demoDir.path },
      });
      expect((JSON.parse(incidents.stdout) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    } finally {
      demoDir.remove();
    }
  });

  it('says so in one line and exits 1 when the port is taken', async () => {
    const { server, port } = await occupyPort();
    try {
      const result = await debrief(['serve', '--port', String(port)], { env });
      expect(result.code).toBe(1);
      expect(lines(result.stderr)).toEqual([
        `debrief: port ${port} on 127.0.0.1 is already in use; stop the other process or pick another --port`,
      ]);
      expect(result.stdout).not.toContain('ready');
    } finally {
      server.close();
    }
  });

  it('rejects an unknown log level as a usage error', async () => {
    const result = await debrief(['serve', '--port', '0'], { env: { ...env, DEBRIEF_LOG_LEVEL: 'loud' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'debrief: DEBRIEF_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent\n',
    );
  });
});
