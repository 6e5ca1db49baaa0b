/**
 * Redaction throughput: Debrief's `redact` (secretlint's recommended preset plus its own detectors for tokens,
 * credentials and personal data) beside the `secretlint` CLI with only the recommended preset, on the same files in
 * the same run. The files are a seeded, generated set of postmortem-like documents (prose, timeline tables, log and
 * config excerpts) with secrets planted in them, plus the real postmortems of the corpus when present. Prints
 * figures, never asserts them.
 *
 * The CLI's figure is wall time of one `secretlint` process over all files of a set, so it includes starting Node
 * and loading the rules; the time of the same CLI on one tiny file is measured too and subtracted for a second,
 * startup-free figure. Debrief's figure is in-process time, each document redacted as the server does it.
 *
 * Run on its own with `npx tsx bench/redaction.ts` (BENCH_REDACTION_MB sets the generated size), or call
 * `runRedactionBench()` from bench/run.ts.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { redact } from '../src/analysis/redact/index.js';
import { Random } from './random.js';

const run = promisify(execFile);

/** Timed passes of Debrief's redaction and of the CLI over each set, after one untimed pass. */
const PASSES = 3;
/** Bytes per generated document: a long postmortem with its appendices. */
const DOCUMENT_BYTES = 24_000;
/** Planted secrets per generated document, at most. */
const MAX_PLANTED = 4;

/** One planted secret: where it is, so a finding covering it counts as found. */
interface Planted {
  file: string;
  kind: string;
  start: number;
  end: number;
}

export interface ToolFigures {
  /** Median wall time of the timed passes. */
  milliseconds: number;
  megabytesPerSecond: number;
  /** Findings over the set (Debrief: after merging overlaps; secretlint: its messages). */
  findings: number;
  /** Planted secrets a finding covers; null for the corpus, which has no planted secrets. */
  plantedFound: number | null;
}

export interface SetFigures {
  name: string;
  files: number;
  /** UTF-8 bytes (10^6 bytes make a MB in the figures). */
  bytes: number;
  planted: number;
  debrief: ToolFigures;
  secretlint: ToolFigures;
  /** secretlint's MB/s with its process start-up (measured on one tiny file) taken out. */
  secretlintWithoutStartup: number;
  /** Planted kinds that a tool missed at least once, with counts. */
  missed: { debrief: Record<string, number>; secretlint: Record<string, number> };
}

export interface RedactionBenchResult {
  /** Median wall time of the CLI on one tiny file: starting Node and loading the rules. */
  secretlintStartupMs: number;
  sets: SetFigures[];
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = `${ALNUM}+/`;

function chars(rng: Random, alphabet: string, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

/**
 * Secrets of kinds both tools know, each with the line of text it sits in. `value` is the part that must be
 * covered by a finding. The prefixes are built at run time, so this file holds no token-shaped text itself.
 */
const SECRETS: readonly { kind: string; make: (rng: Random) => { line: string; value: string } }[] = [
  {
    kind: 'github-token',
    make: (rng) => {
      const value = `${'ghp'}_${chars(rng, ALNUM, 36)}`;
      return { line: `export GITHUB_TOKEN=${value}`, value };
    },
  },
  {
    kind: 'slack-token',
    make: (rng) => {
      const value = `${'xoxb'}-${chars(rng, '0123456789', 12)}-${chars(rng, '0123456789', 13)}-${chars(rng, ALNUM, 24)}`;
      return { line: `SLACK_BOT_TOKEN: "${value}"`, value };
    },
  },
  {
    kind: 'slack-webhook',
    make: (rng) => {
      // The path is the credential; the host is public.
      const value = `T${chars(rng, BASE32, 8)}/B${chars(rng, BASE32, 8)}/${chars(rng, ALNUM, 24)}`;
      return { line: `alert_webhook_url = https://hooks.${'slack'}.com/services/${value}`, value };
    },
  },
  {
    kind: 'npm-token',
    make: (rng) => {
      const value = `${'npm'}_${chars(rng, ALNUM, 36)}`;
      return { line: `//registry.npmjs.org/:_authToken=${value}`, value };
    },
  },
  {
    kind: 'sendgrid-key',
    make: (rng) => {
      const value = `${'SG'}.${chars(rng, `${ALNUM}_-`, 22)}.${chars(rng, `${ALNUM}_-`, 43)}`;
      return { line: `SENDGRID_API_KEY=${value}`, value };
    },
  },
  {
    kind: 'password',
    make: (rng) => {
      const value = chars(rng, ALNUM, 16);
      return { line: `DATABASE_URL=postgres://checkout:${value}@db-primary.internal:5432/checkout`, value };
    },
  },
  {
    kind: 'password',
    make: (rng) => {
      const value = chars(rng, ALNUM, 14);
      return { line: `curl -fsS https://deploy:${value}@artifacts.example.net/releases/latest.tar.gz`, value };
    },
  },
  {
    kind: 'private-key',
    make: (rng) => {
      const label = `${'RSA'} PRIVATE KEY`;
      // DER of an RSA key starts with a SEQUENCE header, `MIIE…` in base64; checkers look for it.
      const body = `MIIEow${chars(rng, BASE64, 58)}\n${Array.from({ length: 11 }, () => chars(rng, BASE64, 64)).join('\n')}`;
      const value = `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----`;
      return { line: value, value };
    },
  },
];

const SERVICES = ['checkout', 'payments', 'search', 'auth', 'notifications', 'inventory', 'billing', 'gateway'];
const TEAMS = ['platform', 'payments', 'identity', 'storefront', 'data'];
const VERBS = ['rolled back', 'restarted', 'scaled up', 'paused', 'failed over', 'drained', 'redeployed'];

function prose(rng: Random, service: string): string {
  const other = rng.pick(SERVICES);
  return rng.pick([
    `Between ${rng.int(10, 23)}:${rng.int(10, 59)} and ${rng.int(10, 23)}:${rng.int(10, 59)} UTC, ${rng.int(2, 60)}% ` +
      `of requests to ${service} failed with HTTP 503. The connection pool of ${other} was exhausted at peak ` +
      `traffic, and retries from clients tripled the load within two minutes.`,
    `The ${rng.pick(TEAMS)} team ${rng.pick(VERBS)} ${service} after the error budget alert fired. Latency returned ` +
      `to its baseline of ${rng.int(40, 200)} ms within ${rng.int(2, 30)} minutes, and no data was lost.`,
    `Detection took ${rng.int(1, 20)} minutes: the alert on ${service} fired on the saturation signal, not on the ` +
      `error rate, because the error-rate rule needed a ${rng.int(5, 15)}-minute window to settle.`,
    `A configuration change to ${other} raised the request timeout from ${rng.int(1, 5)} s to ${rng.int(10, 60)} s, ` +
      `so slow calls held their connections longer and the pool ran out sooner than the load test predicted.`,
    `The runbook for ${service} described the old deployment layout; the responders followed the dashboard links ` +
      `instead, which pointed at the right cluster. The runbook has since been updated.`,
  ]);
}

function timelineTable(rng: Random, service: string): string {
  const rows = Array.from({ length: rng.int(6, 14) }, (_, i) => {
    const minute = String(i * rng.int(2, 6))
      .padStart(2, '0')
      .slice(-2);
    return `| 14:${minute} | ${rng.pick(VERBS)} ${rng.pick(SERVICES)}; error rate ${rng.int(1, 60)}% on ${service} |`;
  });
  return ['| Time (UTC) | Event |', '|---|---|', ...rows].join('\n');
}

function logExcerpt(rng: Random, service: string): string {
  const lines = Array.from({ length: rng.int(5, 15) }, () => {
    const level = rng.pick(['INFO', 'WARN', 'ERROR']);
    const at = `2024-05-01T14:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}Z`;
    return `${at} ${level} ${service} request_id=${rng.hex(16)} pool=${rng.int(0, 20)}/20 latency=${rng.int(5, 9000)}ms`;
  });
  return ['```', ...lines, '```'].join('\n');
}

/** One generated document and where its planted secrets are. */
function generateDocument(rng: Random, file: string): { text: string; planted: Planted[] } {
  const service = rng.pick(SERVICES);
  const parts: string[] = [`# ${service} errors on 2024-05-${String(rng.int(1, 28)).padStart(2, '0')}\n`];
  const planted: Planted[] = [];
  let size = parts[0]?.length ?? 0;
  let secrets = rng.int(1, MAX_PLANTED);
  const push = (part: string): void => {
    parts.push(part);
    size += part.length + 1;
  };
  while (size < DOCUMENT_BYTES) {
    const roll = rng.next();
    if (roll < 0.45) push(`${prose(rng, service)} ${prose(rng, service)}\n`);
    else if (roll < 0.6) push(`## Timeline\n\n${timelineTable(rng, service)}\n`);
    else if (roll < 0.8) push(`${logExcerpt(rng, service)}\n`);
    else if (secrets > 0) {
      secrets -= 1;
      const secret = rng.pick(SECRETS);
      const { line, value } = secret.make(rng);
      const block = `The configuration that was live during the incident:\n\n\`\`\`\n${line}\n\`\`\`\n`;
      const offset = parts.join('\n').length + 1 + block.indexOf(line) + line.indexOf(value);
      planted.push({ file, kind: secret.kind, start: offset, end: offset + value.length });
      push(block);
    } else push(`- ${prose(rng, service)}\n`);
  }
  return { text: parts.join('\n'), planted };
}

/** Writes `megabytes` of generated documents into `dir`. */
function writeGeneratedSet(dir: string, megabytes: number, seed: number): Planted[] {
  const rng = new Random(seed);
  const planted: Planted[] = [];
  let bytes = 0;
  for (let i = 0; bytes < megabytes * 1e6; i++) {
    const file = join(dir, `postmortem-${String(i).padStart(4, '0')}.md`);
    const doc = generateDocument(rng, file);
    writeFileSync(file, doc.text);
    planted.push(...doc.planted);
    bytes += Buffer.byteLength(doc.text);
  }
  return planted;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(dir, name));
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

interface Span {
  start: number;
  end: number;
}

function countFound(planted: readonly Planted[], found: ReadonlyMap<string, readonly Span[]>) {
  const missed: Record<string, number> = {};
  let hits = 0;
  for (const p of planted) {
    const spans = found.get(p.file) ?? [];
    if (spans.some((s) => s.start <= p.start && s.end >= p.end)) hits += 1;
    else missed[p.kind] = (missed[p.kind] ?? 0) + 1;
  }
  return { hits, missed };
}

async function timeDebrief(files: readonly string[], texts: readonly string[], bytes: number) {
  const found = new Map<string, Span[]>();
  let findings = 0;
  for (const [i, text] of texts.entries()) {
    const result = await redact(text);
    findings += result.findings.length;
    found.set(files[i] ?? '', result.findings);
  }
  const times: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const started = performance.now();
    for (const text of texts) await redact(text);
    times.push(performance.now() - started);
  }
  const milliseconds = median(times);
  return { milliseconds, megabytesPerSecond: bytes / 1e6 / (milliseconds / 1000), findings, found };
}

interface SecretlintFile {
  filePath: string;
  messages: { range: [number, number] }[];
}

/** One `secretlint` process over `files`; its wall time and its JSON report. */
async function secretlintOnce(
  files: readonly string[],
  config: string,
  output: string,
): Promise<{ milliseconds: number; report: SecretlintFile[] }> {
  const cli = join(ROOT, 'node_modules', '.bin', 'secretlint');
  const started = performance.now();
  // With --output the CLI exits 0 whatever it found, and its report does not pass through a pipe.
  await run(cli, ['--secretlintrc', config, '--format', 'json', '--output', output, '--no-glob', ...files], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const milliseconds = performance.now() - started;
  return { milliseconds, report: JSON.parse(readFileSync(output, 'utf8')) as SecretlintFile[] };
}

async function timeSecretlint(files: readonly string[], bytes: number, config: string, output: string) {
  const first = await secretlintOnce(files, config, output);
  const found = new Map<string, Span[]>(
    first.report.map((f) => [f.filePath, f.messages.map((m) => ({ start: m.range[0], end: m.range[1] }))]),
  );
  const findings = first.report.reduce((sum, f) => sum + f.messages.length, 0);
  const times: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) times.push((await secretlintOnce(files, config, output)).milliseconds);
  const milliseconds = median(times);
  return { milliseconds, megabytesPerSecond: bytes / 1e6 / (milliseconds / 1000), findings, found };
}

async function measureSet(
  name: string,
  files: readonly string[],
  planted: readonly Planted[] | null,
  cli: { config: string; output: string; startupMs: number },
  progress: (line: string) => void,
): Promise<SetFigures> {
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  progress(`redaction: ${name}: Debrief redact, ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB…`);
  const d = await timeDebrief(files, texts, bytes);
  progress(`redaction: ${name}: secretlint CLI…`);
  const s = await timeSecretlint(files, bytes, cli.config, cli.output);
  const dFound = planted ? countFound(planted, d.found) : null;
  const sFound = planted ? countFound(planted, s.found) : null;
  const withoutStartup = Math.max(1, s.milliseconds - cli.startupMs);
  return {
    name,
    files: files.length,
    bytes,
    planted: planted?.length ?? 0,
    debrief: {
      milliseconds: d.milliseconds,
      megabytesPerSecond: d.megabytesPerSecond,
      findings: d.findings,
      plantedFound: dFound?.hits ?? null,
    },
    secretlint: {
      milliseconds: s.milliseconds,
      megabytesPerSecond: s.megabytesPerSecond,
      findings: s.findings,
      plantedFound: sFound?.hits ?? null,
    },
    secretlintWithoutStartup: bytes / 1e6 / (withoutStartup / 1000),
    missed: { debrief: dFound?.missed ?? {}, secretlint: sFound?.missed ?? {} },
  };
}

/**
 * Generates the document set in a temporary directory, copies the corpus postmortems beside it, and measures both
 * tools on each set. The directory is removed afterwards.
 *
 * @example
 * const { sets } = await runRedactionBench({ corpusDir: '../shared/corpus/postmortems', megabytes: 5 });
 */
export async function runRedactionBench(options: {
  corpusDir: string;
  megabytes?: number;
  seed?: number;
  progress?: (line: string) => void;
}): Promise<RedactionBenchResult> {
  const progress = options.progress ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), 'debrief-bench-redaction-'));
  try {
    const config = join(work, '.secretlintrc.json');
    writeFileSync(config, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
    const output = join(work, 'secretlint-report.json');

    const tiny = join(work, 'tiny.md');
    writeFileSync(tiny, '# Nothing to see\n');
    const startups: number[] = [];
    for (let i = 0; i < PASSES; i++) startups.push((await secretlintOnce([tiny], config, output)).milliseconds);
    const cli = { config, output, startupMs: median(startups) };

    const generatedDir = join(work, 'generated');
    mkdirSync(generatedDir);
    progress(`redaction: generating ${options.megabytes ?? 5} MB of postmortems with planted secrets…`);
    const planted = writeGeneratedSet(generatedDir, options.megabytes ?? 5, options.seed ?? 7);
    const sets = [await measureSet('generated', markdownFiles(generatedDir), planted, cli, progress)];

    if (existsSync(options.corpusDir)) {
      const corpusDir = join(work, 'corpus');
      mkdirSync(corpusDir);
      for (const file of markdownFiles(options.corpusDir)) copyFileSync(file, join(corpusDir, basename(file)));
      sets.push(await measureSet('corpus', markdownFiles(corpusDir), null, cli, progress));
    }
    return { secretlintStartupMs: cli.startupMs, sets };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The figures as lines, for bench/run.ts and for running this file on its own. */
export function redactionFigureLines(result: RedactionBenchResult): { name: string; value: string; note: string }[] {
  const lines: { name: string; value: string; note: string }[] = [];
  const rate = (value: number): string => `${value.toFixed(2)} MB/s`;
  for (const set of result.sets) {
    const files = `${set.name}, ${set.files} files, ${(set.bytes / 1e6).toFixed(1)} MB`;
    lines.push({
      name: `redaction: Debrief redact (${files})`,
      value: rate(set.debrief.megabytesPerSecond),
      note: `(${set.debrief.milliseconds.toFixed(0)} ms per pass, ${set.debrief.findings} findings)`,
    });
    lines.push({
      name: `redaction: secretlint CLI (${files})`,
      value: rate(set.secretlint.megabytesPerSecond),
      note:
        `(${set.secretlint.milliseconds.toFixed(0)} ms per run; ${rate(set.secretlintWithoutStartup)} without its ` +
        `${result.secretlintStartupMs.toFixed(0)} ms start-up; ${set.secretlint.findings} findings)`,
    });
    lines.push({
      name: `redaction: Debrief / secretlint (${set.name})`,
      value: `${(set.debrief.megabytesPerSecond / set.secretlint.megabytesPerSecond).toFixed(2)}x`,
      note: `(${(set.debrief.megabytesPerSecond / set.secretlintWithoutStartup).toFixed(2)}x against secretlint without start-up)`,
    });
    if (set.planted > 0) {
      const missed = (m: Record<string, number>): string =>
        Object.keys(m).length === 0
          ? 'none missed'
          : `missed ${Object.entries(m)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([kind, n]) => `${kind} ×${n}`)
              .join(', ')}`;
      lines.push({
        name: `redaction: planted secrets found (${set.name})`,
        value: `Debrief ${set.debrief.plantedFound}/${set.planted}, secretlint ${set.secretlint.plantedFound}/${set.planted}`,
        note: `(Debrief ${missed(set.missed.debrief)}; secretlint ${missed(set.missed.secretlint)})`,
      });
    }
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const raw = process.env.BENCH_REDACTION_MB?.trim();
  const result = await runRedactionBench({
    corpusDir: join(ROOT, '..', 'shared', 'corpus', 'postmortems'),
    megabytes: raw ? Number(raw) : 5,
    progress: (line) => void process.stderr.write(`${line}\n`),
  });
  for (const line of redactionFigureLines(result)) {
    process.stdout.write(`${line.name.padEnd(66)}${line.value}  ${line.note}\n`);
  }
}
