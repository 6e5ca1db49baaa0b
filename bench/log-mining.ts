/**
 * Log template mining throughput: the miner (with `extractMessage`) over synthetic JSON-lines logs, beside a bare
 * `JSON.parse` pass over the same lines as the floor any JSON-lines reader pays. Prints figures, never asserts them.
 *
 * Run on its own with `npx tsx bench/log-mining.ts` (BENCH_LOG_LINES overrides the line count), or call
 * `runLogMiningBench()` from bench/run.ts.
 */
import { pathToFileURL } from 'node:url';
import { extractMessage, LogMiner } from '../src/analysis/logs/index.js';

const TARGET_LINES_PER_SECOND = 300_000;
const DEFAULT_LINES = 1_000_000;
const WARMUP_LINES = 20_000;

export interface LogMiningBenchResult {
  linesPerSecond: number;
  jsonParseLinesPerSecond: number;
  /** Miner throughput over `JSON.parse` throughput: 0.5 means mining costs twice a bare parse. */
  ratio: number;
  /** Templates mined; the corpus is generated from `GENERATED_TEMPLATES` of them. */
  templates: number;
}

/** mulberry32, seeded, so every run mines the same lines. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (r: Rng, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const hex = (r: Rng, length: number): string => {
  let s = '';
  for (let i = 0; i < length; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};
const uuid = (r: Rng): string => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
const ip = (r: Rng): string => `10.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}`;
const ms = (r: Rng): string => `${int(r, 1, 2500)}ms`;
const secs = (r: Rng): string => `${(r() * 30).toFixed(2)}s`;
const iso = (r: Rng): string => new Date(1_714_550_400_000 + int(r, 0, 86_400_000)).toISOString();

const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar'];
const TABLES = ['orders', 'payments', 'invoices', 'customers', 'sessions', 'carts'];
const QUEUES = ['billing', 'emails', 'webhooks', 'exports'];

/**
 * The templates the corpus is drawn from, with their relative frequency. Variables at the leading position only ever
 * hold digits, as Drain assumes (see miner.ts); word variables (users, tables, queues) sit further in.
 */
const GENERATORS: readonly (readonly [number, (r: Rng) => string])[] = [
  [30, (r) => `GET /api/orders/${int(r, 1, 999_999)} 200 ${ms(r)}`],
  [20, (r) => `POST /api/carts/${uuid(r)}/items 201 ${ms(r)}`],
  [12, (r) => `user ${pick(r, USERS)} logged in from ${ip(r)}`],
  [10, (r) => `cache hit for key product:${int(r, 1, 50_000)} in ${int(r, 1, 900)}us`],
  [10, (r) => `query on ${pick(r, TABLES)} returned ${int(r, 0, 500)} rows in ${ms(r)}`],
  [8, (r) => `span ${hex(r, 16)} finished trace ${hex(r, 32)} duration=${ms(r)}`],
  [8, (r) => `health check ok status=200 latency=${ms(r)}`],
  [6, (r) => `job ${uuid(r)} enqueued on ${pick(r, QUEUES)} queue position ${int(r, 1, 300)}`],
  [6, (r) => `job ${uuid(r)} completed after ${secs(r)} attempts=${int(r, 1, 3)}`],
  [5, (r) => `sent email to ${pick(r, USERS)}@example.com template=receipt size=${int(r, 1, 90)}KB`],
  [5, (r) => `connection pool stats active=${int(r, 0, 50)} idle=${int(r, 0, 50)} waiting=${int(r, 0, 20)}`],
  [4, (r) => `payment ${uuid(r)} authorised amount=${(r() * 500).toFixed(2)} currency=EUR`],
  [4, (r) => `payment ${uuid(r)} declined reason=insufficient_funds card=****${int(r, 1000, 9999)}`],
  [4, (r) => `profile of user ${int(r, 1, 99_999)} served from cache region eu-west-1 in ${ms(r)}`],
  [3, (r) => `rate limit for client ${ip(r)} at ${int(r, 50, 100)}% of quota`],
  [3, (r) => `scheduled task cleanup-sessions ran at ${iso(r)} removed ${int(r, 0, 10_000)} rows`],
  [3, (r) => `retrying request to http://${ip(r)}:8080/v1/inventory attempt ${int(r, 1, 5)} after ${ms(r)}`],
  [3, (r) => `upstream inventory responded 503 after ${ms(r)} request_id=${uuid(r)}`],
  [2, (r) => `user ${pick(r, USERS)} updated shipping address for order ${int(r, 1, 999_999)}`],
  [2, (r) => `feature flag new-checkout evaluated to ${r() < 0.5 ? 'true' : 'false'} for ${int(r, 1, 99_999)}`],
  [2, (r) => `kafka consumer lag partition=${int(r, 0, 31)} offset=${int(r, 0, 1e9)} lag=${int(r, 0, 5000)}`],
  [2, (r) => `gc pause ${ms(r)} heap used ${int(r, 100, 4000)}MB of ${int(r, 4000, 8000)}MB`],
  [2, (r) => `tls handshake with ${ip(r)} completed in ${ms(r)} cipher TLS_AES_128_GCM_SHA256`],
  [2, (r) => `worker ${int(r, 1, 64)} picked up batch ${hex(r, 12)} of ${int(r, 1, 500)} events`],
  [1, (r) => `slow query on ${pick(r, TABLES)} took ${secs(r)} plan=seq_scan`],
  [1, (r) => `deadlock detected on ${pick(r, TABLES)} transaction ${int(r, 1, 1e6)} rolled back`],
  [1, (r) => `circuit breaker for inventory opened after ${int(r, 5, 50)} failures in ${int(r, 10, 60)}s`],
  [1, (r) => `circuit breaker for inventory closed after ${secs(r)}`],
  [1, (r) => `config reloaded from /etc/checkout/config.yaml checksum ${hex(r, 40)}`],
  [1, (r) => `webhook delivery to https://hooks.example.com/${uuid(r)} failed with status ${int(r, 500, 504)}`],
  [1, (r) => `disk usage on /var/lib/data at ${int(r, 50, 99)}% free ${int(r, 1, 900)}GB`],
  [1, (r) => `session ${uuid(r)} expired for ${pick(r, USERS)} after ${int(r, 1, 48)}h idle`],
  [1, (r) => `OOM killer terminated pid ${int(r, 100, 65_000)} rss ${int(r, 1, 16)}GB`],
  [1, (r) => `certificate for api.example.com expires in ${int(r, 1, 90)} days`],
  [1, (r) => `replica lag on db-${int(r, 1, 3)} is ${secs(r)} threshold 5s`],
  [1, (r) => `shutdown requested signal=SIGTERM draining ${int(r, 0, 300)} connections`],
];

/** How many templates the corpus holds: the miner should find exactly this many. */
export const GENERATED_TEMPLATES = GENERATORS.length;

const LEVELS = ['info', 'info', 'info', 'debug', 'warn', 'error'];

/** Synthetic JSON lines, pino-style, with `msg` drawn from `GENERATORS` by weight. */
export function generateLogLines(count: number, seed = 42): string[] {
  const r = random(seed);
  const total = GENERATORS.reduce((sum, [weight]) => sum + weight, 0);
  const lines: string[] = new Array<string>(count);
  let at = Date.UTC(2024, 4, 1);
  for (let i = 0; i < count; i++) {
    let roll = r() * total;
    let generate = GENERATORS[0]![1];
    for (const [weight, generator] of GENERATORS) {
      roll -= weight;
      if (roll < 0) {
        generate = generator;
        break;
      }
    }
    at += int(r, 0, 40);
    lines[i] = JSON.stringify({
      time: new Date(at).toISOString(),
      level: pick(r, LEVELS),
      service: 'checkout',
      pid: 4242,
      hostname: 'checkout-7f9c8d6b5-x2x4z',
      msg: generate(r),
    });
  }
  return lines;
}

function mine(lines: readonly string[]): LogMiner {
  const miner = new LogMiner();
  for (const line of lines) miner.add(extractMessage(line).message);
  return miner;
}

function parseAll(lines: readonly string[]): number {
  let objects = 0;
  for (const line of lines) if (typeof JSON.parse(line) === 'object') objects++;
  return objects;
}

function timed<T>(run: () => T): { seconds: number; result: T } {
  const started = performance.now();
  const result = run();
  return { seconds: (performance.now() - started) / 1000, result };
}

const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * Generates `lines` JSON lines (default 1,000,000), mines them with a fresh `LogMiner` (each line through
 * `extractMessage`), times a bare `JSON.parse` pass over the same lines, and logs one summary line.
 */
export async function runLogMiningBench(
  options: { lines?: number; log?: (s: string) => void } = {},
): Promise<LogMiningBenchResult> {
  const count = options.lines ?? DEFAULT_LINES;
  const log = options.log ?? ((s: string) => void process.stdout.write(`${s}\n`));
  const lines = generateLogLines(count);

  // Let the JIT settle on both paths before timing either.
  const warmup = lines.slice(0, Math.min(WARMUP_LINES, count));
  mine(warmup);
  parseAll(warmup);
  await new Promise((resolve) => setImmediate(resolve));

  const parse = timed(() => parseAll(lines));
  const mining = timed(() => mine(lines));
  const linesPerSecond = count / mining.seconds;
  const jsonParseLinesPerSecond = count / parse.seconds;
  const ratio = linesPerSecond / jsonParseLinesPerSecond;
  const templates = mining.result.size;

  log(
    `log mining  ${thousands(count)} lines  ${thousands(linesPerSecond)} lines/s ` +
      `(target ${thousands(TARGET_LINES_PER_SECOND)}/s)  ratio to JSON.parse: ${ratio.toFixed(2)}` +
      `  [JSON.parse ${thousands(jsonParseLinesPerSecond)} lines/s; ${templates} templates from ${GENERATED_TEMPLATES}]`,
  );
  return { linesPerSecond, jsonParseLinesPerSecond, ratio, templates };
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  const raw = process.env.BENCH_LOG_LINES?.trim();
  if (raw && !/^\d+$/.test(raw)) throw new Error(`BENCH_LOG_LINES="${raw}": expected a positive whole number`);
  await runLogMiningBench(raw ? { lines: Number(raw) } : {});
}
