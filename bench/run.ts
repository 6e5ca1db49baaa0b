/**
 * `npm run bench`: prints named figures on stdout, one per line, and progress on stderr. Never asserts timings:
 * targets are printed beside the figures for people to judge. See bench/README.md.
 *
 * Environment: BENCH_DIALECTS (sqlite,postgres), BENCH_INCIDENTS (10000), BENCH_EVENTS (500000),
 * DEBRIEF_BENCH_DATABASE_URL (a PostgreSQL cluster to use instead of a throwaway one), BENCH_ONLY (a comma list of
 * groups to run: reads, startup, logs, ingest, storm, timeline, lint, redaction, pdf; default all),
 * BENCH_INGEST_SECONDS (20), BENCH_INGEST_CONCURRENCY (8), BENCH_STORM_NOTIFICATIONS (100000),
 * BENCH_STORM_FINGERPRINTS (2000), BENCH_REDACTION_MB (5).
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
import { runIngestBench, runStormBench, type Committed, type IngestTarget } from './ingest.js';
import { runLintBench } from './lint.js';
import { runLogMiningBench } from './log-mining.js';
import { pdfExportBench } from './pdf-export.js';
import { redactionFigureLines, runRedactionBench } from './redaction.js';
import { ensureServerBuilt, rssMiB, startServer } from './startup.js';
import { runTimelineBench } from './timeline-extraction.js';

type Dialect = 'sqlite' | 'postgres';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REQUESTS = 500;
const WARMUP = 50;
const STARTS = 5;
const READ_TARGET_MS = 50;
const READY_TARGET_MS = 2000;
const INGEST_WARMUP_SECONDS = 3;
const INGEST_TARGET_PER_S = 5000;
const INGEST_P99_TARGET_MS = 100;
/** 400 MB, in MiB as /proc reports it. */
const STORM_RSS_TARGET_MIB = 400_000_000 / 1024 / 1024;

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name}="${raw}": expected a positive whole number`);
  return Number(raw);
}

const GROUPS = ['reads', 'startup', 'logs', 'ingest', 'storm', 'timeline', 'lint', 'redaction', 'pdf'] as const;
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
const ms = (value: number): string =>
  `${value < 1 ? value.toFixed(2) : value < 10 ? value.toFixed(1) : value.toFixed(0)}ms`;
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

/** A fresh, empty database of the dialect (SQLite: a new data directory), and how to remove it afterwards. */
interface FreshStore {
  /** The SQLite data directory, or an empty scratch directory for a server on PostgreSQL. */
  dataDir: string;
  /** The PostgreSQL database's URL; null on SQLite. */
  url: string | null;
  open(): Database;
  drop(): Promise<void>;
}

async function freshStore(dialect: Dialect, cluster: () => Promise<string>): Promise<FreshStore> {
  const dataDir = mkdtempSync(join(tmpdir(), `debrief-bench-${dialect}-`));
  const removeDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    return {
      dataDir,
      url: null,
      open: () => openDatabase({ dataDir }),
      drop: () => {
        removeDir();
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
  return {
    dataDir,
    url: target.toString(),
    open: () => openDatabase({ url: target.toString() }),
    drop: async () => {
      removeDir();
      await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
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

function benchTimeline(): void {
  const corpus = join(ROOT, '..', 'shared', 'corpus', 'postmortems');
  progress('timeline extraction over the postmortem corpus…');
  const result = runTimelineBench(corpus);
  if (!result) {
    figure('-', 'timeline extraction: ms per document', `skipped (${corpus} is absent)`);
    return;
  }
  figure(
    '-',
    `timeline extraction: ms per document (${result.documents} postmortems)`,
    `mean=${result.meanMs.toFixed(2)}ms p95=${result.p95Ms.toFixed(2)}ms max=${result.maxMs.toFixed(2)}ms`,
    `(slowest: ${result.slowest})`,
  );
  figure(
    '-',
    'timeline extraction: timeline sections yielding >= 3 events',
    `${result.withThreeEvents} of ${result.withSection}`,
  );
}

function benchLint(): void {
  progress('blameless lint of a 100 KB postmortem…');
  const r = runLintBench({ bytes: 100_000, runs: 30 });
  figure(
    '-',
    `blameless lint: ${(r.bytes / 1000).toFixed(0)} KB postmortem (${r.runs} runs after the first)`,
    `median=${ms(r.medianMs)} p95=${ms(r.p95Ms)}`,
    `(first call in the process ${ms(r.firstMs)}, max ${ms(r.maxMs)}, ${r.findings} findings)`,
  );
}

async function benchRedaction(): Promise<void> {
  const result = await runRedactionBench({
    corpusDir: join(ROOT, '..', 'shared', 'corpus', 'postmortems'),
    megabytes: intFromEnv('BENCH_REDACTION_MB', 5),
    progress,
  });
  if (result.sets.length < 2) figure('-', 'redaction (corpus)', 'skipped (../shared/corpus/postmortems is absent)');
  for (const line of redactionFigureLines(result)) figure('-', line.name, line.value, line.note);
}

function printCommitted(dialect: Dialect, name: string, c: Committed): void {
  figure(
    dialect,
    name,
    c.correct ? 'correct' : 'WRONG',
    `(signals ${c.signals}/${c.expectedSignals}, deliveries ${c.deliveries}/${c.expectedDeliveries}, ` +
      `incidents ${c.incidents}/${c.expectedIncidents}; database/expected)`,
  );
}

async function benchIngest(
  dialects: readonly Dialect[],
  groups: ReadonlySet<Group>,
  fresh: (dialect: Dialect) => Promise<FreshStore>,
): Promise<void> {
  const reason = ensureServerBuilt(ROOT, progress);
  if (reason) {
    figure('-', 'alert ingestion', `skipped (${reason})`);
    return;
  }
  const concurrency = intFromEnv('BENCH_INGEST_CONCURRENCY', 8);
  const seconds = intFromEnv('BENCH_INGEST_SECONDS', 20);
  const notifications = intFromEnv('BENCH_STORM_NOTIFICATIONS', 100_000);
  const fingerprints = intFromEnv('BENCH_STORM_FINGERPRINTS', 2_000);
  if (fingerprints < 40) throw new Error('BENCH_STORM_FINGERPRINTS: at least 40 (one per storm group)');
  const targetOf = (store: FreshStore): IngestTarget => ({
    env: store.url
      ? { DEBRIEF_DATA_DIR: store.dataDir, DEBRIEF_DATABASE_URL: store.url }
      : { DEBRIEF_DATA_DIR: store.dataDir },
    open: store.open,
  });
  for (const dialect of dialects) {
    if (groups.has('ingest')) {
      progress(`${dialect}: Alertmanager ingestion through debrief serve…`);
      const r = await runIngestBench(targetOf(await fresh(dialect)), {
        root: ROOT,
        concurrency,
        warmupSeconds: INGEST_WARMUP_SECONDS,
        seconds,
        progress,
      });
      const withTarget = dialect === 'sqlite';
      const errors = r.errors ? `, last: ${r.lastError}` : '';
      figure(
        dialect,
        `alertmanager ingest: alerts/s (${concurrency} conns, 10 alerts/notification)`,
        `${Math.round(r.alertsPerSecond)}/s`,
        `${withTarget ? target(r.alertsPerSecond >= INGEST_TARGET_PER_S, '>= 5,000 alerts/s') : ''} ` +
          `(${Math.round(r.notificationsPerSecond)} notifications/s over ${r.seconds.toFixed(1)} s, ` +
          `${r.requests} requests, errors=${r.errors}${errors})`,
      );
      figure(
        dialect,
        'alertmanager ingest: latency per request',
        `p50=${ms(r.p50)} p99=${ms(r.p99)}`,
        withTarget ? target(r.p99 < INGEST_P99_TARGET_MS, 'p99 < 100 ms') : '',
      );
      printCommitted(dialect, 'alertmanager ingest: every 2xx committed', r.committed);
      figure(
        dialect,
        'alertmanager ingest: server CPU per notification',
        r.serverCpuMsPerNotification === null ? 'n/a' : ms(r.serverCpuMsPerNotification),
        '(user + system time of debrief serve / accepted notifications)',
      );
      figure(dialect, 'alertmanager ingest: server peak RSS', mib(r.peakRssMiB));
    }
    if (groups.has('storm')) {
      progress(`${dialect}: alert storm, ${notifications} notifications over ${fingerprints} fingerprints…`);
      const r = await runStormBench(targetOf(await fresh(dialect)), {
        root: ROOT,
        concurrency,
        notifications,
        fingerprints,
        progress,
      });
      const errors = r.errors ? ` errors=${r.errors} (last: ${r.lastError})` : '';
      const c = r.committed;
      figure(
        dialect,
        `alert storm: incidents (${r.notifications} notifications, ${r.fingerprints} fingerprints)`,
        `${c.incidents} (expected ${c.expectedIncidents}): ${c.correct ? 'correct' : 'WRONG'}`,
        `(signals ${c.signals}/${c.expectedSignals}, deliveries ${c.deliveries}/${c.expectedDeliveries}, ` +
          `${r.timelineEvents} timeline events${errors})`,
      );
      figure(
        dialect,
        'alert storm: elapsed',
        `${r.seconds.toFixed(1)} s`,
        `(${Math.round(r.notifications / r.seconds)} notifications/s, p99=${ms(r.p99)}; CPU per notification: ` +
          `server ${r.serverCpuMsPerNotification === null ? 'n/a' : ms(r.serverCpuMsPerNotification)}, ` +
          `load generator ${ms(r.clientCpuMsPerNotification)})`,
      );
      const peak = Math.max(r.peakRssMiB ?? 0, r.hwmMiB ?? 0);
      figure(
        dialect,
        'alert storm: server peak RSS (VmHWM)',
        mib(r.hwmMiB ?? r.peakRssMiB),
        target(peak < STORM_RSS_TARGET_MIB, '< 400 MB'),
      );
    }
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
  if (groups.has('timeline')) benchTimeline();
  if (groups.has('lint')) benchLint();
  if (groups.has('redaction')) await benchRedaction();
  if (groups.has('pdf')) await pdfExportBench();

  const cleanups: (() => Promise<void>)[] = [];
  try {
    let loaded: Parameters<typeof benchStartup>[0] = null;
    for (const dialect of groups.has('reads') ? dialects : []) {
      const fresh = await freshStore(dialect, postgresUrl);
      cleanups.push(fresh.drop);
      const database = fresh.open();
      try {
        const { data, tokens } = await benchDialect(dialect, database, sizes);
        if (fresh.url === null) loaded = { dataDir: fresh.dataDir, data, tokens };
      } finally {
        await database.close();
      }
    }
    if (groups.has('startup')) await benchStartup(loaded);
    if (groups.has('ingest') || groups.has('storm')) {
      await benchIngest(dialects, groups, async (dialect) => {
        const fresh = await freshStore(dialect, postgresUrl);
        cleanups.push(fresh.drop);
        return fresh;
      });
    }
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
