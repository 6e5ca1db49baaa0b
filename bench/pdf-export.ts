/**
 * Postmortem export time for a long, realistic document: about twenty A4 pages (a 300-row timeline table, every
 * section of the default template filled, a 20-row action item table, quoted logs) with three Prometheus charts.
 * The export runs through the use case on a throwaway SQLite database, as `GET …/postmortem/export` does: HTML
 * (markdown rendering, sanitizing, the charts drawn and inlined) and PDF (the same HTML printed by a fresh headless
 * Chromium, whose start-up is part of every export). Each figure is the median of several runs after a warm-up.
 * Prints figures, never asserts them.
 *
 * Run on its own with `npx tsx bench/pdf-export.ts`, or call `pdfExportBench()` from bench/run.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { putArtifact } from '../src/app/artifacts.js';
import { createService, createTeam } from '../src/app/catalog.js';
import { createAppContext, transact, type AppContext } from '../src/app/context.js';
import { exportPostmortem } from '../src/app/exports.js';
import { changeIncidentStatus, declareIncident } from '../src/app/incidents.js';
import { PROMETHEUS_RANGE_MEDIA_TYPE } from '../src/app/metrics-capture.js';
import { getPostmortem, savePostmortemBody } from '../src/app/postmortems.js';
import { addTimelineEventIn } from '../src/app/timeline.js';
import type { Principal } from '../src/domain/types.js';
import { migrateToLatest, openDatabase } from '../src/store/database.js';
import { percentile } from './http-load.js';
import { Random } from './random.js';

const ACTOR: Principal = { kind: 'system', name: 'bench', role: 'admin' };
const RUNS = 5;
const IMPACT_START = Date.parse('2026-03-04T14:00:00Z');
const MINUTE = 60_000;

export interface PdfExportBenchResult {
  /** Pages of the PDF. */
  pages: number;
  /** Bytes of the markdown text exported. */
  markdownBytes: number;
  htmlBytes: number;
  pdfBytes: number;
  runs: number;
  htmlMedianMs: number;
  htmlMaxMs: number;
  pdfMedianMs: number;
  pdfMaxMs: number;
}

function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function snapshot(name: string, unit: string, series: number, random: Random): string {
  const start = IMPACT_START - 30 * MINUTE;
  const points = 240;
  const result = Array.from({ length: series }, (_, s) => {
    let level = 0.5 + s * 0.3;
    const values = Array.from({ length: points }, (_, i): [number, string] => {
      const incident = i > 30 && i < 130 ? 4 + s : 1;
      level = Math.max(0, level * 0.9 + incident * 0.1 + (random.next() - 0.5) * 0.2);
      return [(start + i * MINUTE) / 1000, level.toFixed(4)];
    });
    return { metric: { __name__: name.replace(/\W+/g, '_'), instance: `checkout-${s}:9100` }, values };
  });
  return JSON.stringify({
    format: 'debrief.prometheus-range/v1',
    service: 'checkout',
    name,
    unit,
    phase: 'resolve',
    query: `sum by (instance) (rate(${name.replace(/\W+/g, '_')}[5m]))`,
    queryTemplate: `sum by (instance) (rate(${name.replace(/\W+/g, '_')}[5m]))`,
    prometheusUrl: 'http://127.0.0.1:9090',
    capturedAt: new Date(start + points * MINUTE).toISOString(),
    window: {
      start: new Date(start).toISOString(),
      end: new Date(start + (points - 1) * MINUTE).toISOString(),
      stepSeconds: 60,
    },
    resultType: 'matrix',
    seriesTotal: series,
    warnings: [],
    result,
  });
}

const SENTENCES = [
  'The checkout service returned errors for a share of card payments while the connection pool was exhausted.',
  'Requests queued behind slow calls to the payment provider, and retries added to the queue.',
  'The on-call engineer was paged by the error-rate alert and joined the incident channel within two minutes.',
  'Rolling back the configuration restored the pool limit, and error rates returned to their baseline.',
  'The dashboards showed the saturation clearly, but the alert fired only after the burn rate crossed its threshold.',
  'Customer support received reports from merchants in three regions and linked them to the incident.',
  'The change had passed review and the staging checks, which do not exercise the production pool sizes.',
  'Several teams joined the call, and the incident commander split the work into mitigation and communication.',
];

function paragraph(random: Random, sentences = 4): string {
  return Array.from({ length: sentences }, () => SENTENCES[random.int(0, SENTENCES.length - 1)]).join(' ');
}

/** A long postmortem in the default template's shape, deterministic for a seed. */
function longPostmortem(chartIds: readonly string[], random: Random): string {
  const sources = ['alertmanager', 'slack', 'github', 'debrief', 'prometheus'];
  const events = [
    'Error ratio above 5% on checkout',
    'Deploy of checkout config cfg-41 finished',
    'Incident channel opened; commander assigned',
    'Pool saturation visible on the dashboard',
    'Status page updated: degraded checkout',
    'Retry storm against the payment provider',
    'Rollback of cfg-41 started',
    'Error ratio back under 1%',
  ];
  const timeline = Array.from({ length: 300 }, (_, i) => {
    const at = IMPACT_START + i * 37_000;
    const event = `${events[i % events.length] ?? ''} (${i + 1})`;
    return `| ${utc(at)} | ${i % 25 === 0 ? `**${event}**` : event} | ${sources[i % sources.length] ?? ''} |`;
  });
  const actions = Array.from(
    { length: 20 },
    (_, i) =>
      `| ${['Add a pool-size check to config CI', 'Alert on pool saturation', 'Cap retries to the provider', 'Document the rollback path'][i % 4]} ${i + 1} | ${['prevent', 'detect', 'mitigate', 'process'][i % 4]} | @team-${i % 5} | 2026-04-${String((i % 28) + 1).padStart(2, '0')} | P${(i % 3) + 1} | OPS-${100 + i} |`,
  );
  const logs = Array.from(
    { length: 40 },
    (_, i) =>
      `${new Date(IMPACT_START + i * 1500).toISOString()} ERROR pool exhausted: waited 5000ms for a connection (active=${50 + (i % 7)}, idle=0, pending=${120 + i})`,
  );
  const section = (title: string, paragraphs: number) =>
    `## ${title}\n\n${Array.from({ length: paragraphs }, () => paragraph(random)).join('\n\n')}\n`;
  return [
    '# Checkout errors after the connection pool configuration push',
    '',
    '## TL;DR',
    '',
    paragraph(random, 3),
    '',
    section('Summary', 4),
    '## Impact',
    '',
    paragraph(random),
    '',
    '| Region | Failed payments | Share | Duration |',
    '|---|--:|--:|---|',
    ...['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south', 'ap-east', 'sa-east', 'af-south'].map(
      (r, i) => `| ${r} | ${1200 + i * 311} | ${(2 + i * 0.7).toFixed(1)}% | ${70 - i * 3} min |`,
    ),
    '',
    '## Timeline',
    '',
    '| Time (UTC) | Event | Source |',
    '|---|---|---|',
    ...timeline,
    '',
    section('Detection', 3),
    section('Response and recovery', 5),
    '## Contributing factors',
    '',
    ...['Change', 'Config', 'Capacity', 'Dependency', 'Detection gap', 'Process', 'Time', 'Data'].map(
      (c) => `- **${c}:** ${paragraph(random, 2)}`,
    ),
    '',
    section('5 whys', 3),
    section('What went well', 3),
    section('What went wrong', 3),
    section('Where we got lucky', 2),
    section('Lessons', 3),
    '## Action items',
    '',
    '| Action | Type | Owner | Due | Priority | Ticket |',
    '|---|---|---|---|---|---|',
    ...actions,
    '',
    '## Supporting information',
    '',
    paragraph(random, 2),
    '',
    '```text',
    ...logs,
    '```',
    '',
    '<!-- debrief:evidence:start -->',
    ...chartIds.map(
      (id, i) =>
        `![${['error ratio', 'latency p99', 'pool saturation'][i] ?? 'chart'} (checkout)](/api/v1/artifacts/${id}/chart.svg)\n`,
    ),
    '<!-- debrief:evidence:end -->',
    '',
  ].join('\n');
}

async function prepare(ctx: AppContext): Promise<{ key: string; markdownBytes: number }> {
  const random = new Random(20260304);
  await createTeam(ctx, ACTOR, { name: 'payments', displayName: 'Payments' });
  await createService(ctx, ACTOR, { name: 'checkout', team: 'payments', tier: 1 });
  const incident = await declareIncident(ctx, ACTOR, {
    title: 'Checkout errors after the connection pool configuration push',
    severity: 'SEV2',
    services: ['checkout'],
    impactStartedAt: new Date(IMPACT_START).toISOString(),
    detectedAt: new Date(IMPACT_START + 4 * MINUTE).toISOString(),
  });
  const charts: string[] = [];
  for (const [name, unit, series] of [
    ['error ratio', 'ratio', 1],
    ['latency p99', 's', 3],
    ['pool saturation', 'connections', 5],
  ] as const) {
    charts.push(
      await transact(ctx, async (tx) => {
        const meta = await putArtifact(tx, snapshot(name, unit, series, random), PROMETHEUS_RANGE_MEDIA_TYPE, name);
        const { event } = await addTimelineEventIn(tx, ACTOR, incident.key, {
          kind: 'metric',
          source: 'prometheus',
          at: new Date(IMPACT_START + 130 * MINUTE).toISOString(),
          title: `${name} (checkout)`,
        });
        await tx.repos.timeline.update({ ...event, artifactId: meta.id });
        return meta.id;
      }),
    );
  }
  await changeIncidentStatus(ctx, ACTOR, incident.key, {
    status: 'mitigated',
    at: new Date(IMPACT_START + 70 * MINUTE).toISOString(),
  });
  await changeIncidentStatus(ctx, ACTOR, incident.key, {
    status: 'resolved',
    at: new Date(IMPACT_START + 95 * MINUTE).toISOString(),
  });
  const body = longPostmortem(charts, random);
  const { postmortem } = await getPostmortem(ctx, ACTOR, incident.key);
  await savePostmortemBody(ctx, ACTOR, incident.key, { body, version: postmortem.version });
  return { key: incident.key, markdownBytes: Buffer.byteLength(body) };
}

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ last: T; median: number; max: number }> {
  let last = await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { last, median: percentile(times, 50), max: times.at(-1) ?? Number.NaN };
}

function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
}

function line(name: string, value: string, note = ''): void {
  process.stdout.write(`${'-'.padEnd(10)}${name.padEnd(66)}${value}${note ? `  ${note}` : ''}\n`);
}

/**
 * Builds the long postmortem in a throwaway SQLite database, times its HTML and PDF exports, prints the figures
 * and returns them.
 *
 * @example
 * const { pages, pdfMedianMs } = await pdfExportBench();
 */
export async function pdfExportBench(options: { runs?: number } = {}): Promise<PdfExportBenchResult> {
  const runs = Math.max(1, options.runs ?? RUNS);
  const dataDir = mkdtempSync(join(tmpdir(), 'debrief-bench-pdf-'));
  const database = openDatabase({ dataDir });
  try {
    await migrateToLatest(database);
    const ctx = createAppContext(database, { now: () => new Date(IMPACT_START + 24 * 60 * MINUTE) });
    process.stderr.write('postmortem export: preparing a long postmortem with 3 charts…\n');
    const { key, markdownBytes } = await prepare(ctx);
    process.stderr.write(`postmortem export: HTML, ${runs} runs…\n`);
    const html = await timed(runs, () => exportPostmortem(ctx, ACTOR, key, { format: 'html', variant: 'internal' }));
    process.stderr.write(`postmortem export: PDF, ${runs} runs…\n`);
    const pdf = await timed(runs, () => exportPostmortem(ctx, ACTOR, key, { format: 'pdf', variant: 'internal' }));
    const result: PdfExportBenchResult = {
      pages: pageCount(pdf.last.data),
      markdownBytes,
      htmlBytes: html.last.data.length,
      pdfBytes: pdf.last.data.length,
      runs,
      htmlMedianMs: html.median,
      htmlMaxMs: html.max,
      pdfMedianMs: pdf.median,
      pdfMaxMs: pdf.max,
    };
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    line(
      `postmortem export: HTML (${kib(result.markdownBytes)} markdown, 3 charts)`,
      `median=${result.htmlMedianMs.toFixed(0)}ms max=${result.htmlMaxMs.toFixed(0)}ms`,
      `(${runs} runs; ${kib(result.htmlBytes)})`,
    );
    line(
      `postmortem export: PDF (${result.pages} A4 pages, Chromium start included)`,
      `median=${result.pdfMedianMs.toFixed(0)}ms max=${result.pdfMaxMs.toFixed(0)}ms`,
      `(${runs} runs; ${kib(result.pdfBytes)})`,
    );
    return result;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await pdfExportBench();
