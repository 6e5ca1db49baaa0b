/**
 * `npm run bench`: prints named figures on stdout, one per line, and progress on stderr. Never asserts timings:
 * targets are printed beside the figures for people to judge. See bench/README.md.
 *
 * Environment: BENCH_DIALECTS (sqlite,postgres), BENCH_INCIDENTS (10000), BENCH_EVENTS (500000),
 * DEBRIEF_BENCH_DATABASE_URL (a PostgreSQL cluster to use instead of a throwaway one), BENCH_ONLY (a comma list of
 * groups to run: reads, startup, logs; default all).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { createAppContext } from '../src/app/context.js';
import { createApiToken } from '../src/app/identity.js';
import { buildServer } from '../src/http/server.js';
import { migrateToLatest, openDatabase, type Database } from '../src/store/database.js';
import {
  clusterUrl,
  startCluster,
  stopCluster,
  stopClusterSync,
  sweepStaleClusters,
  type Cluster,
} from '../test/harness/pg-cluster.js';
import { BENCH_ACTOR, generateDataset, type GeneratedDataset } from './generate.js';
import { measure, median, readScenarios, type Summary } from './http-load.js';
import { runLogMiningBench } from './log-mining.js';
import { ensureServerBuilt, rssMiB, startServer } from './startup.js';

type Dialect = 'sqlite' | 'postgres';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REQUESTS = 500;
const WARMUP = 50;
const STARTS = 5;
const READ_TARGET_MS = 50;
const READY_TARGET_MS = 2000;

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name}="${raw}": expected a positive whole number`);
  return Number(raw);
}

const GROUPS = ['reads', 'startup', 'logs'] as const;
type Group = (typeof GROUPS)[number];

function groupsFromEnv(): Set<Group> {
  const raw = process.env.BENCH_ONLY?.trim();
  if (!raw) return new Set(GROUPS);
  const names = raw.split(',').map((s) => s.trim().toLowerCase());
  const unknown = names.filter((n) => !(GROUPS as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`BENCH_ONLY="${raw}": expected a comma list of ${GROUPS.join(', ')}`);
  return new Set(names as Group[]);
}

function dialectsFromEnv(): Dialect[] {
  const raw = process.env.BENCH_DIALECTS?.trim();
  if (!raw) return ['sqlite', 'postgres'];
  const names = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => n !== 'sqlite' && n !== 'postgres');
  if (unknown.length || names.length === 0)
    throw new Error(`BENCH_DIALECTS="${raw}": expected a comma list of sqlite, postgres`);
  return (['sqlite', 'postgres'] as const).filter((d) => names.includes(d));
}

const progress = (line: string): void => void process.stderr.write(`${line}\n`);
const ms = (value: number): string => `${value < 10 ? value.toFixed(1) : value.toFixed(0)}ms`;
const mib = (value: number | null): string => (value === null ? 'n/a' : `${value.toFixed(1)} MiB`);

function figure(dialect: string, name: string, value: string, note = ''): void {
  process.stdout.write(`${dialect.padEnd(10)}${name.padEnd(66)}${value}${note ? `  ${note}` : ''}\n`);
}

function target(met: boolean, text: string): string {
  return `[target ${text}: ${met ? 'met' : 'MISSED'}]`;
}

function printRead(dialect: Dialect, name: string, s: Summary & { lastError: string }, withTarget: boolean): void {
  const errors = s.errors ? `  errors=${s.errors} (last: ${s.lastError})` : '';
  const note = withTarget ? target(s.p95 < READ_TARGET_MS, `p95 < ${READ_TARGET_MS} ms`) : '';
  figure(dialect, name, `p50=${ms(s.p50)} p95=${ms(s.p95)}  n=${s.n}${errors}`, note);
}

/** A fresh, empty database of the dialect, and how to remove it afterwards. */
async function freshDatabase(
  dialect: Dialect,
  cluster: () => Promise<string>,
): Promise<{ database: Database; dataDir: string | null; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'debrief-bench-sqlite-'));
    const database = openDatabase({ dataDir });
    return {
      database,
      dataDir,
      drop: () => {
        rmSync(dataDir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const url = await cluster();
  const name = `debrief_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = openDatabase({ url: target.toString() });
  return { database, dataDir: null, drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

async function benchDialect(
  dialect: Dialect,
  database: Database,
  sizes: { incidents: number; events: number },
): Promise<{ data: GeneratedDataset; tokens: { admin: string; responder: string } }> {
  await migrateToLatest(database);
  const ctx = createAppContext(database);
  progress(`${dialect}: generating ${sizes.incidents} incidents and ${sizes.events} timeline events…`);
  const data = await generateDataset(ctx, { ...sizes, progress });
  figure(
    dialect,
    `generate ${data.incidents} incidents + ${data.events} timeline events`,
    `${data.seconds.toFixed(1)} s`,
    `(${Math.round(data.events / data.seconds / 1000)}k events/s)`,
  );
  // Autovacuum would analyse these tables within a minute of such a load; the benchmark does not wait for it.
  if (dialect === 'postgres') await sql`analyze`.execute(database.db);

  const tokens = {
    admin: (await createApiToken(ctx, BENCH_ACTOR, { name: 'bench-admin', role: 'admin' })).token,
    responder: (await createApiToken(ctx, BENCH_ACTOR, { name: 'bench-responder', role: 'responder' })).token,
  };
  const app = await buildServer(ctx);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    for (const [i, scenario] of readScenarios(data.incidents, data.services).entries()) {
      progress(`${dialect}: ${scenario.name}…`);
      const summary = await measure(scenario, address, tokens, { n: REQUESTS, warmup: WARMUP, seed: 1000 + i });
      printRead(dialect, scenario.name, summary, dialect === 'sqlite' && scenario.as === 'admin' && i > 0);
    }
  } finally {
    await app.close();
  }
  return { data, tokens };
}

async function benchStartup(
  loaded: { dataDir: string; data: GeneratedDataset; tokens: { admin: string; responder: string } } | null,
) {
  const reason = ensureServerBuilt(ROOT, progress);
  if (reason) {
    figure('sqlite', 'debrief serve: start', `skipped (${reason})`);
    return;
  }
  const ready: number[] = [];
  const healthy: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'debrief-bench-serve-'));
    progress(`sqlite: debrief serve start ${i + 1}/${STARTS}…`);
    try {
      const server = await startServer(ROOT, { DEBRIEF_DATA_DIR: dataDir });
      ready.push(server.readyMs);
      healthy.push(server.healthyMs);
      await new Promise((r) => setTimeout(r, 1000));
      const rss = rssMiB(server.pid);
      if (rss !== null) idle.push(rss);
      await server.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
  figure(
    'sqlite',
    'debrief serve: start -> ready line (fresh data dir)',
    `median=${ms(median(ready))}`,
    `${target(median(ready) < READY_TARGET_MS, '< 2 s')} (${list(ready)})`,
  );
  figure(
    'sqlite',
    'debrief serve: start -> /healthz 200 (fresh data dir)',
    `median=${ms(median(healthy))}`,
    `(${list(healthy)})`,
  );
  figure(
    'sqlite',
    'debrief serve: idle RSS after start (fresh data dir)',
    `median=${mib(idle.length ? median(idle) : null)}`,
  );

  if (!loaded) return;
  progress(`sqlite: debrief serve on the ${loaded.data.incidents}-incident database…`);
  const server = await startServer(ROOT, { DEBRIEF_DATA_DIR: loaded.dataDir });
  try {
    figure('sqlite', `debrief serve: start -> ready line (${loaded.data.incidents} incidents)`, ms(server.readyMs));
    await new Promise((r) => setTimeout(r, 1000));
    figure(
      'sqlite',
      `debrief serve: idle RSS after start (${loaded.data.incidents} incidents)`,
      mib(rssMiB(server.pid)),
    );
    let requests = 0;
    for (const [i, scenario] of readScenarios(loaded.data.incidents, loaded.data.services).entries()) {
      progress(`sqlite: debrief serve: ${scenario.name}…`);
      const summary = await measure(scenario, server.url, loaded.tokens, {
        n: REQUESTS,
        warmup: WARMUP,
        seed: 2000 + i,
      });
      requests += summary.n + WARMUP;
      printRead('sqlite', `serve: ${scenario.name}`, summary, false);
    }
    figure('sqlite', `debrief serve: RSS after the read benchmarks (~${requests} requests)`, mib(rssMiB(server.pid)));
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const dialects = dialectsFromEnv();
  const sizes = { incidents: intFromEnv('BENCH_INCIDENTS', 10_000), events: intFromEnv('BENCH_EVENTS', 500_000) };
  const cpu = cpus();
  process.stdout.write(
    `# Debrief benchmarks: node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ` +
      `${sizes.incidents} incidents, ${sizes.events} events, ${REQUESTS} requests per read figure\n`,
  );
  const started = performance.now();

  // The same throwaway cluster as the test lane's (test/harness/pg-cluster.ts), started on first use.
  let cluster: Cluster | undefined;
  // Best effort should the run end without reaching the finally below (process.exit, an uncaught error).
  const onExit = (): void => {
    if (cluster) stopClusterSync(cluster);
  };
  const postgresUrl = async (): Promise<string> => {
    const external = process.env.DEBRIEF_BENCH_DATABASE_URL?.trim();
    if (external) return external;
    if (!cluster) {
      progress('postgres: starting a throwaway PostgreSQL 15 cluster…');
      sweepStaleClusters();
      cluster = await startCluster({
        purpose: 'the benchmark',
        alternatives:
          'set DEBRIEF_BENCH_DATABASE_URL to an existing cluster, or run only SQLite with BENCH_DIALECTS=sqlite',
      });
      process.once('exit', onExit);
    }
    return clusterUrl(cluster);
  };

  const groups = groupsFromEnv();
  if (groups.has('logs')) {
    progress('log mining: generating 1,000,000 lines…');
    await runLogMiningBench({ log: (line) => figure('-', line.replace(/^log mining\s+/, 'log mining: '), '') });
  }
  if (!groups.has('reads') && !groups.has('startup')) return;

  const cleanups: (() => Promise<void>)[] = [];
  try {
    let loaded: Parameters<typeof benchStartup>[0] = null;
    for (const dialect of groups.has('reads') ? dialects : []) {
      const fresh = await freshDatabase(dialect, postgresUrl);
      cleanups.push(fresh.drop);
      try {
        const { data, tokens } = await benchDialect(dialect, fresh.database, sizes);
        if (fresh.dataDir) loaded = { dataDir: fresh.dataDir, data, tokens };
      } finally {
        await fresh.database.close();
      }
    }
    if (groups.has('startup')) await benchStartup(loaded);
  } finally {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((e: unknown) => progress(`cleanup failed: ${String(e)}`));
    if (cluster) {
      process.off('exit', onExit);
      await stopCluster(cluster);
    }
  }
  progress(`bench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();
