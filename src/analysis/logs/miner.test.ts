import { describe, expect, it } from 'vitest';
import { tokenize } from './mask.js';
import { LogMiner } from './miner.js';

/** mulberry32: a seeded generator, so the corpus is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(7);
const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const hex = (length: number): string => Array.from({ length }, () => pick([...'0123456789abcdef'])).join('');
const ip = (): string => `${int(1, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;

/** A log statement: how it prints, and the template the miner should recover from many of its lines. */
const STATEMENTS: readonly { expected: string; print: () => string }[] = [
  {
    expected: 'user <*> logged in from <IP>',
    print: () => `user ${pick(['alice', 'bob', 'carol', 'dave'])} logged in from ${ip()}`,
  },
  {
    expected: 'GET /api/orders/<NUM> returned <NUM> in <DUR>',
    print: () => `GET /api/orders/${int(1, 99_999)} returned ${pick([200, 404, 500])} in ${int(1, 900)}ms`,
  },
  {
    expected: 'job <UUID> finished after <DUR> with <NUM> retries',
    print: () => `job ${uuid()} finished after ${(random() * 10).toFixed(2)}s with ${int(0, 4)} retries`,
  },
  {
    expected: 'cache <*> for key <HEX>',
    print: () => `cache ${pick(['hit', 'miss'])} for key ${hex(6)}${int(0, 9)}f`,
  },
  {
    expected: 'payment declined for <EMAIL> amount=<NUM> <*>',
    print: () =>
      `payment declined for ${pick(['ann', 'ben'])}@shop.example amount=${(random() * 100).toFixed(2)} ` +
      `reason=${pick(['expired', 'insufficient_funds', 'fraud'])}`,
  },
  { expected: '<NUM> workers ready', print: () => `${int(1, 64)} workers ready` },
  { expected: 'connection to <*> lost', print: () => `connection to db-${int(1, 5)} lost` },
  {
    expected: 'scheduled export started at <TS> <TS> by cron',
    print: () => `scheduled export started at 2024-05-${String(int(10, 28))} ${int(10, 23)}:${int(10, 59)}:00 by cron`,
  },
];

function corpus(lines: number): { statement: number; line: string }[] {
  return Array.from({ length: lines }, () => {
    const statement = int(0, STATEMENTS.length - 1);
    return { statement, line: (STATEMENTS[statement] as (typeof STATEMENTS)[number]).print() };
  });
}

describe('LogMiner on a generated corpus', () => {
  const lines = corpus(3000);
  const miner = new LogMiner();
  const ids = lines.map(({ line }, at) => miner.add(line, at).templateId);

  it('finds exactly the templates the lines were printed from', () => {
    expect(
      miner
        .templates()
        .map((t) => t.template)
        .sort(),
    ).toEqual(STATEMENTS.map((s) => s.expected).sort());
  });

  it('puts all lines of one statement, and only those, in one template', () => {
    const idOfStatement = new Map<number, string>();
    lines.forEach(({ statement }, i) => {
      const id = ids[i] as string;
      expect(idOfStatement.get(statement) ?? id).toBe(id);
      idOfStatement.set(statement, id);
    });
    expect(new Set(idOfStatement.values()).size).toBe(STATEMENTS.length);
  });

  it('counts the lines of each template', () => {
    for (const template of miner.templates()) {
      expect(template.count).toBe(ids.filter((id) => id === template.id).length);
    }
    expect(miner.templates().reduce((sum, t) => sum + t.count, 0)).toBe(lines.length);
  });

  it('yields templates that cover every line they were given', () => {
    lines.forEach(({ line }, i) => {
      const template = miner.get(ids[i] as string);
      const tokens = tokenize(line);
      expect(template?.tokens.length).toBe(tokens.length);
      template?.tokens.forEach((token, position) => {
        if (token !== '<*>') expect(token).toBe(tokens[position]);
      });
    });
  });

  it('records when each template was first and last seen', () => {
    for (const template of miner.templates()) {
      expect(template.firstSeen).toBe(ids.indexOf(template.id));
      expect(template.lastSeen).toBe(ids.lastIndexOf(template.id));
    }
  });
});

describe('LogMiner', () => {
  it('reports a new template once, then the same id as it generalises', () => {
    const miner = new LogMiner();
    expect(miner.add('cache hit for key 9f86d08')).toEqual({
      templateId: 'T1',
      template: 'cache hit for key <HEX>',
      isNew: true,
    });
    expect(miner.add('cache hit for key 1b4f0e9')).toEqual({
      templateId: 'T1',
      template: 'cache hit for key <HEX>',
      isNew: false,
    });
    expect(miner.add('cache miss for key 60303ae')).toEqual({
      templateId: 'T1',
      template: 'cache <*> for key <HEX>',
      isNew: false,
    });
    expect(miner.add('disk almost full').templateId).toBe('T2');
    expect(miner.size).toBe(2);
  });

  it('keeps a line that repeats after its template generalised on that template', () => {
    const miner = new LogMiner();
    miner.add('cache hit for key 9f86d08');
    miner.add('cache miss for key 9f86d08');
    expect(miner.add('cache hit for key 9f86d08')).toMatchObject({
      templateId: 'T1',
      template: 'cache <*> for key <HEX>',
    });
  });

  it('turns a position into <*> when typed placeholders disagree', () => {
    const miner = new LogMiner();
    miner.add('lookup of 42 failed');
    expect(miner.add('lookup of 10.0.0.1 failed').template).toBe('lookup of <*> failed');
  });

  it('starts a new template when too few positions agree', () => {
    const miner = new LogMiner();
    miner.add('disk sda is full');
    expect(miner.add('disk quota exceeded today').isNew).toBe(true);
    const loose = new LogMiner({ similarity: 0.25 });
    loose.add('disk sda is full');
    expect(loose.add('disk quota exceeded today')).toMatchObject({ isNew: false, template: 'disk <*> <*> <*>' });
  });

  it('never merges lines of different lengths', () => {
    const miner = new LogMiner({ similarity: 0 });
    miner.add('disk full');
    expect(miner.add('disk full again').isNew).toBe(true);
  });

  it('routes on the first token at depth 4, so a leading word variable splits templates, as in Drain', () => {
    const miner = new LogMiner();
    miner.add('alice logged out');
    miner.add('bob logged out');
    expect(miner.templates().map((t) => t.template)).toEqual(['alice logged out', 'bob logged out']);
    const flat = new LogMiner({ depth: 3 });
    flat.add('alice logged out');
    flat.add('bob logged out');
    expect(flat.templates().map((t) => t.template)).toEqual(['<*> logged out']);
  });

  it('sends leading tokens with digits down a shared branch', () => {
    const miner = new LogMiner();
    miner.add('w1 started ok');
    expect(miner.add('w22 started ok')).toMatchObject({ templateId: 'T1', template: '<*> started ok' });
  });

  it('routes on two leading tokens at depth 5', () => {
    const miner = new LogMiner({ depth: 5 });
    miner.add('worker pool alpha drained');
    miner.add('worker queue alpha drained');
    expect(miner.size).toBe(2);
    const shallow = new LogMiner({ depth: 4 });
    shallow.add('worker pool alpha drained');
    expect(shallow.add('worker queue alpha drained').template).toBe('worker <*> alpha drained');
  });

  it('shares one <*> branch once a node has maxChildren children', () => {
    const lines = ['alpha ready', 'beta ready', 'gamma ready', 'delta ready'];
    const capped = new LogMiner({ maxChildren: 2 });
    for (const line of lines) capped.add(line);
    expect(capped.templates().map((t) => t.template)).toEqual(['alpha ready', '<*> ready']);
    const roomy = new LogMiner();
    for (const line of lines) roomy.add(line);
    expect(roomy.size).toBe(4);
  });

  it('clusters without masking when masking is off', () => {
    const miner = new LogMiner({ mask: false });
    miner.add('took 5 ms');
    expect(miner.add('took  7 ms')).toMatchObject({ templateId: 'T1', template: 'took <*> ms' });
  });

  it('masks quoted strings when asked', () => {
    const miner = new LogMiner({ maskQuoted: true });
    expect(miner.add('unknown command "drop table" from admin').template).toBe('unknown command <STR> from admin');
  });

  it('keeps the first distinct raw lines as samples', () => {
    const miner = new LogMiner();
    for (const n of [1, 1, 2, 3, 4]) miner.add(`retry ${n} scheduled`);
    expect(miner.get('T1')?.samples).toEqual(['retry 1 scheduled', 'retry 2 scheduled', 'retry 3 scheduled']);
    const one = new LogMiner({ maxSamples: 1 });
    one.add('retry 1 scheduled');
    one.add('retry 2 scheduled');
    expect(one.get('T1')?.samples).toEqual(['retry 1 scheduled']);
  });

  it('tracks first and last seen even when lines arrive out of order', () => {
    const miner = new LogMiner();
    miner.add('tick 1', 500);
    miner.add('tick 2', 100);
    miner.add('tick 3', 900);
    miner.add('tick 4');
    expect(miner.get('T1')).toMatchObject({ count: 4, firstSeen: 100, lastSeen: 900 });
    expect(new LogMiner().templates()).toEqual([]);
  });

  it('gives blank lines a template of their own', () => {
    const miner = new LogMiner();
    expect(miner.add('')).toEqual({ templateId: 'T1', template: '', isNew: true });
    expect(miner.add('   ').templateId).toBe('T1');
  });

  it('hands out copies, not its own state', () => {
    const miner = new LogMiner();
    miner.add('tick 1');
    const [template] = miner.templates();
    (template?.tokens as string[]).push('extra');
    (template?.samples as string[]).length = 0;
    expect(miner.get('T1')).toMatchObject({ tokens: ['tick', '<NUM>'], samples: ['tick 1'] });
    expect(miner.get('T9')).toBeUndefined();
  });

  it('stays consistent when more distinct lines arrive than its line memory holds', () => {
    const miner = new LogMiner();
    const word = (n: number): string => n.toString(26).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)] as string);
    for (let n = 0; n < 60_000; n++) miner.add(`login by ${word(n)} accepted`);
    expect(miner.templates().map((t) => [t.template, t.count])).toEqual([['login by <*> accepted', 60_000]]);
  });

  it('rejects options out of range', () => {
    expect(() => new LogMiner({ depth: 2 })).toThrow(RangeError);
    expect(() => new LogMiner({ depth: 4.5 })).toThrow(RangeError);
    expect(() => new LogMiner({ similarity: 1.5 })).toThrow(RangeError);
    expect(() => new LogMiner({ maxChildren: 1 })).toThrow(RangeError);
    expect(() => new LogMiner({ maxSamples: -1 })).toThrow(RangeError);
  });
});
