/**
 * Timeline extraction (`debrief timeline FILE.md`) over the real postmortems in `../shared/corpus/postmortems`:
 * milliseconds per document, and how many documents with a timeline section yield three or more events.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractTimeline } from '../src/analysis/timeline/index.js';
import { percentile } from './http-load.js';

/** Timed passes over the corpus after one warm-up pass; each document's figure is its median pass. */
const PASSES = 5;

export interface TimelineBenchResult {
  documents: number;
  withSection: number;
  withThreeEvents: number;
  meanMs: number;
  p95Ms: number;
  maxMs: number;
  slowest: string;
}

/** Null when the corpus folder is absent. */
export function runTimelineBench(corpusDir: string): TimelineBenchResult | null {
  if (!existsSync(corpusDir)) return null;
  const docs = readdirSync(corpusDir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(corpusDir, file), 'utf8') }));
  let withSection = 0;
  let withThreeEvents = 0;
  for (const doc of docs) {
    const result = extractTimeline(doc.text);
    if (result.hasTimelineSection) {
      withSection += 1;
      if (result.events.length >= 3) withThreeEvents += 1;
    }
  }
  const timings = docs.map(() => [] as number[]);
  for (let pass = 0; pass < PASSES; pass++) {
    for (const [i, doc] of docs.entries()) {
      const started = performance.now();
      extractTimeline(doc.text);
      timings[i]?.push(performance.now() - started);
    }
  }
  const perDoc = timings.map((t) =>
    percentile(
      t.sort((a, b) => a - b),
      50,
    ),
  );
  const sorted = [...perDoc].sort((a, b) => a - b);
  const max = sorted.at(-1) ?? Number.NaN;
  return {
    documents: docs.length,
    withSection,
    withThreeEvents,
    meanMs: perDoc.reduce((sum, t) => sum + t, 0) / Math.max(1, perDoc.length),
    p95Ms: percentile(sorted, 95),
    maxMs: max,
    slowest: docs[perDoc.indexOf(max)]?.file ?? '',
  };
}
