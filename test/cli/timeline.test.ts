import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { debrief, json, lines, tempDir } from './run.js';

const corpusDir = fileURLToPath(new URL('../../../shared/corpus/postmortems/', import.meta.url));
const available = existsSync(corpusDir);
const corpus = (file: string): string => join(corpusDir, file);

interface Output {
  events: { at: string; text: string; line: number }[];
  markers: Record<string, string>;
  durations: Record<string, number>;
}

/** The command never reads a database, so it runs with an empty environment. */
const run = (...args: string[]) => debrief(['timeline', ...args]);

describe('debrief timeline', () => {
  const dir = tempDir('debrief-timeline-');
  afterAll(() => dir.remove());

  it('prints the events, markers and durations of a small postmortem as JSON, with nothing else', async () => {
    const file = join(dir.path, 'pm.md');
    writeFileSync(
      file,
      [
        '# Checkout outage',
        '',
        '## Timeline (all times UTC)',
        '',
        '2026-03-14',
        '',
        '- 09:00 Deploy of checkout v2.3.1 starts; errors begin',
        '- 09:06 Alert fired: HighErrorRate',
        '- 09:20 Rolled back to v2.3.0, error rate recovering',
        '- 09:45 All clear, incident resolved',
        '',
        '## Contributing factors',
        '',
        'At 10:00 nothing happened.',
      ].join('\n'),
    );
    const res = await run(file, '--format', 'json');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const output = json<Output>(res);
    expect(Object.keys(output)).toEqual(['events', 'markers', 'durations']);
    expect(output.events).toEqual([
      { at: '2026-03-14T09:00:00.000Z', text: 'Deploy of checkout v2.3.1 starts; errors begin', line: 7 },
      { at: '2026-03-14T09:06:00.000Z', text: 'Alert fired: HighErrorRate', line: 8 },
      { at: '2026-03-14T09:20:00.000Z', text: 'Rolled back to v2.3.0, error rate recovering', line: 9 },
      { at: '2026-03-14T09:45:00.000Z', text: 'All clear, incident resolved', line: 10 },
    ]);
    expect(output.markers).toMatchObject({
      detected: '2026-03-14T09:06:00.000Z',
      resolved: '2026-03-14T09:45:00.000Z',
    });
    for (const value of Object.values(output.durations)) expect(Number.isInteger(value)).toBe(true);
  });

  it('says so on stderr and prints no events for a document without a timeline section', async () => {
    const file = join(dir.path, 'notes.md');
    writeFileSync(file, '# Notes\n\nAt 10:00 we met.\n');
    const res = await run(file, '--format', 'json');
    expect(res.code).toBe(0);
    expect(json<Output>(res)).toEqual({ events: [], markers: {}, durations: {} });
    expect(lines(res.stderr)).toEqual([`${file} has no Timeline or Chronology section; no events extracted.`]);
  });

  it('fails with one line and exit 2 for a missing file, a binary file, a directory, a bad --reference-date', async () => {
    const missing = await run(join(dir.path, 'missing.md'));
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([expect.stringMatching(/^debrief: cannot read .*missing\.md: ENOENT/)]);
    const binary = join(dir.path, 'image.md');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a]));
    const bin = await run(binary);
    expect(bin.code).toBe(2);
    expect(lines(bin.stderr)).toEqual([`debrief: ${binary} looks binary, not like a markdown postmortem`]);
    const directory = await run(dir.path);
    expect(directory.code).toBe(2);
    expect(lines(directory.stderr)).toHaveLength(1);
    const badDate = await run(join(dir.path, 'pm.md'), '--reference-date', '2026-02-30');
    expect(badDate.code).toBe(2);
    expect(lines(badDate.stderr)).toEqual([expect.stringMatching(/--reference-date.*must be a date as YYYY-MM-DD/)]);
  });

  describe.skipIf(!available)(
    available ? 'over the postmortem corpus' : `over the postmortem corpus (skipped: ${corpusDir} is absent)`,
    () => {
      it('prints DFDS PM2020-005 exactly: six events, four markers, three durations', async () => {
        const res = await run(corpus('dfds__PM2020-005---ALB-instance-attachment.md'), '--format', 'json');
        expect(res.code).toBe(0);
        const output = json<Output>(res);
        expect(Object.keys(output)).toEqual(['events', 'markers', 'durations']);
        expect(output.events).toHaveLength(6);
        expect(output.events[0]).toEqual({
          at: '2020-06-09T09:00:00.000Z',
          text: 'Maintenance for changing Hellman auto-scaling groups started',
          line: 15,
        });
        expect(output.markers).toEqual({
          impactStart: '2020-06-09T09:00:00.000Z',
          detected: '2020-06-09T10:25:00.000Z',
          mitigated: '2020-06-09T10:35:00.000Z',
          resolved: '2020-06-09T11:13:00.000Z',
        });
        expect(output.durations).toEqual({
          timeToDetectMinutes: 85,
          timeToMitigateMinutes: 95,
          timeToResolveMinutes: 133,
        });
      });

      it('leaves out whether an entry had only a date: events carry at, text and line only', async () => {
        const res = await run(corpus('dfds__PM2022-006---ALB-502-errors.md'), '--format', 'json');
        const output = json<Output>(res);
        expect(output.events.length).toBeGreaterThan(0);
        for (const event of output.events) expect(Object.keys(event)).toEqual(['at', 'text', 'line']);
      });

      it('places time-only entries on --reference-date, and asks for it when missing', async () => {
        const file = corpus('oib-review__2016-04-14-lexelby-Google-Compute-Engine-2016-04-11.md');
        const without = await run(file, '--format', 'json');
        expect(json<Output>(without).events).toEqual([]);
        expect(without.stderr).toMatch(/11 entries have a time but no date; pass --reference-date/);
        const withDate = await run(file, '--format', 'json', '--reference-date', '2016-04-11');
        expect(withDate.stderr).toBe('');
        const events = json<Output>(withDate).events;
        expect(events).toHaveLength(11);
        expect(events.every((e) => e.at.startsWith('2016-04-1'))).toBe(true);
      });

      it('prints a readable table with markers and durations as text', async () => {
        const res = await run(corpus('dfds__PM2020-005---ALB-instance-attachment.md'));
        expect(res.code).toBe(0);
        expect(res.stdout).toMatch(/^AT\s+LINE\s+TEXT\n2020-06-09T09:00:00Z\s+15\s+Maintenance for changing/);
        expect(res.stdout).toMatch(/Markers\n\s+Impact start\s+2020-06-09T09:00:00Z\n/);
        expect(res.stdout).toMatch(/Time to detect\s+1h 25m\n/);
      });

      it('extracts three or more events from most documents with a timeline section', async () => {
        const files = readdirSync(corpusDir).filter((f) => f.endsWith('.md'));
        let withSection = 0;
        let withThree = 0;
        for (const file of files) {
          const res = await run(corpus(file), '--format', 'json');
          expect(res.code).toBe(0);
          if (res.stderr.includes('no Timeline or Chronology section')) continue;
          withSection++;
          if (json<Output>(res).events.length >= 3) withThree++;
        }
        expect(withSection).toBeGreaterThan(100);
        expect(withThree / withSection).toBeGreaterThan(0.85);
      });
    },
  );
});
