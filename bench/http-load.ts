/**
 * Sequential HTTP reads over keep-alive connections (Node's fetch keeps them open), timed from sending the request
 * to the last byte of the body: the latency one user sees, without concurrency.
 */
import { Random } from './random.js';

export interface Summary {
  p50: number;
  p95: number;
  n: number;
  errors: number;
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export class Recorder {
  readonly samples: number[] = [];
  errors = 0;
  lastError = '';

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** GETs `path`, records its latency, and returns the parsed JSON body (null on an error status). */
  async get(path: string): Promise<unknown> {
    const started = performance.now();
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    const body = await res.text();
    this.samples.push(performance.now() - started);
    if (res.status !== 200) {
      this.errors++;
      this.lastError = `${res.status} ${path}: ${body.slice(0, 200)}`;
      return null;
    }
    return JSON.parse(body) as unknown;
  }

  summary(): Summary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length, errors: this.errors };
  }
}

export interface ReadScenario {
  name: string;
  /** One unit of work: a single request, or a first page followed by a few `nextCursor` pages. */
  run(recorder: Recorder, rng: Random): Promise<void>;
  /** Which token it reads with. */
  as: 'admin' | 'responder';
}

/** A first page, then up to `pages - 1` more by following `nextCursor`, as someone scrolling a list would. */
export async function paginate(recorder: Recorder, query: string, pages: number): Promise<void> {
  let cursor: string | null = null;
  for (let page = 0; page < pages; page++) {
    const path = `/api/v1/incidents?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = (await recorder.get(path)) as { nextCursor?: string | null } | null;
    cursor = body?.nextCursor ?? null;
    if (!cursor) return;
  }
}

/** The read mix, over a dataset of `incidents` incidents and the given service names. */
export function readScenarios(incidents: number, services: readonly string[]): ReadScenario[] {
  return [
    {
      name: 'GET /api/v1/incidents (first page, no filter)',
      as: 'admin',
      run: (r) => paginate(r, 'limit=50', 1),
    },
    {
      name: 'GET /api/v1/incidents (filtered, paginated)',
      as: 'admin',
      run: (r) => paginate(r, 'status=resolved&severity=SEV2,SEV3&limit=50', 5),
    },
    {
      name: 'GET /api/v1/incidents (filtered, paginated, responder)',
      as: 'responder',
      run: (r) => paginate(r, 'status=resolved&severity=SEV2,SEV3&limit=50', 5),
    },
    {
      name: 'GET /api/v1/incidents?service= (paginated)',
      as: 'admin',
      run: (r, rng) => paginate(r, `service=${rng.pick(services)}&limit=50`, 5),
    },
    {
      name: 'GET /api/v1/incidents/:key?include=timeline',
      as: 'admin',
      run: async (r, rng) => {
        await r.get(`/api/v1/incidents/INC-${rng.int(1, incidents)}?include=timeline`);
      },
    },
  ];
}

/** Runs `scenario` until `warmup` requests are done and discarded, then until `n` requests are recorded. */
export async function measure(
  scenario: ReadScenario,
  baseUrl: string,
  tokens: { admin: string; responder: string },
  options: { n: number; warmup: number; seed: number },
): Promise<Summary & { lastError: string }> {
  const rng = new Random(options.seed);
  const warm = new Recorder(baseUrl, tokens[scenario.as]);
  while (warm.samples.length < options.warmup) await scenario.run(warm, rng);
  const recorder = new Recorder(baseUrl, tokens[scenario.as]);
  while (recorder.samples.length < options.n) await scenario.run(recorder, rng);
  return { ...recorder.summary(), lastError: recorder.lastError || warm.lastError };
}
