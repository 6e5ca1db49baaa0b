/**
 * The extractor over the real postmortems in the shared corpus (`../shared/corpus/postmortems`, beside the repo):
 * it must never throw, must find events in most timelines, and must read a hand-checked selection exactly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractTimeline } from './extract.js';
import type { ExtractTimelineOptions, TimelineExtraction } from './types.js';

const corpus = new URL('../../../../shared/corpus/postmortems/', import.meta.url);
const available = existsSync(corpus);

/** Measured at 97 of 109 documents with a timeline section (122 documents); a small margin below that. */
const MIN_DOCUMENTS_WITH_THREE_EVENTS = 92;

function extract(file: string, options?: ExtractTimelineOptions): TimelineExtraction {
  return extractTimeline(readFileSync(new URL(file, corpus), 'utf8'), options);
}

/** An event as `[at, line, text]`, with the text cut to `length` characters when given. */
function row(result: TimelineExtraction, index: number, length?: number): [string, number, string] {
  const event = result.events[index];
  if (!event) throw new Error(`no event #${index}`);
  return [event.at, event.line, length === undefined ? event.text : event.text.slice(0, length)];
}

describe.skipIf(!available)(
  available
    ? 'extractTimeline over the postmortem corpus'
    : `extractTimeline over the postmortem corpus (skipped: ${fileURLToPath(corpus)} is absent)`,
  () => {
    const files = available ? readdirSync(corpus).filter((file) => file.endsWith('.md')) : [];

    it('reads every document without throwing and finds events in most timelines', () => {
      const results = files.map((file) => extractTimeline(readFileSync(new URL(file, corpus), 'utf8')));
      const withSection = results.filter((result) => result.hasTimelineSection);
      const withThreeEvents = withSection.filter((result) => result.events.length >= 3);
      expect(files.length).toBeGreaterThan(100);
      expect(withThreeEvents.length).toBeGreaterThanOrEqual(MIN_DOCUMENTS_WITH_THREE_EVENTS);
      for (const result of results) {
        const sorted = result.events.map((event) => event.at).sort();
        expect(result.events.map((event) => event.at)).toEqual(sorted);
      }
    });

    it('DFDS PM2020-005: table, "All times in CET" in June is UTC+2, all four markers', () => {
      const result = extract('dfds__PM2020-005---ALB-instance-attachment.md');
      expect(result.events).toHaveLength(6);
      expect(row(result, 0)).toEqual([
        '2020-06-09T09:00:00.000Z',
        15,
        'Maintenance for changing Hellman auto-scaling groups started',
      ]);
      expect(row(result, 2)).toEqual([
        '2020-06-09T10:25:00.000Z',
        17,
        "CloudWatch alert detects high count of 5XX for the ALB's",
      ]);
      expect(result.markers).toEqual({
        impactStart: '2020-06-09T09:00:00.000Z',
        detected: '2020-06-09T10:25:00.000Z',
        mitigated: '2020-06-09T10:35:00.000Z',
        resolved: '2020-06-09T11:13:00.000Z',
      });
      expect(result.durations).toEqual({
        timeToDetectMinutes: 85,
        timeToMitigateMinutes: 95,
        timeToResolveMinutes: 133,
      });
    });

    it('Chia 2021-10-31 employee compromise: Day | Date (2021) | Time (PT) columns, past midnight UTC', () => {
      const result = extract('chia__2021-10-31-EmployeeCompromise.md');
      expect(result.events).toHaveLength(23);
      expect(row(result, 0, 40)).toEqual(['2021-11-01T04:33:00.000Z', 15, 'Affected user posts in Keybase, “interes']);
      expect(row(result, 17, 60)).toEqual([
        '2021-11-02T00:00:00.000Z',
        32,
        'The employee starts setting up brand-new hardware for the us',
      ]);
      expect(row(result, 22)[0]).toBe('2021-11-02T04:54:00.000Z');
      expect(result.markers).toEqual({ impactStart: '2021-11-01T04:33:00.000Z', detected: '2021-11-01T05:59:00.000Z' });
      expect(result.durations).toEqual({ timeToDetectMinutes: 86 });
    });

    it('Kubernetes 2019-05-30: [HH:MM] bullets, "All times PDT." above the section, [???] skipped, day rollover', () => {
      const result = extract('k8s-test-infra__2019-05-30.md');
      expect(result.events).toHaveLength(10);
      expect(row(result, 0)).toEqual([
        '2019-05-30T20:26:00.000Z',
        82,
        '@cblecker reports on Slack that something is wrong with Prow',
      ]);
      // 23:55 then 07:00: the morning after.
      expect(row(result, 8)[0]).toBe('2019-05-31T06:55:00.000Z');
      expect(row(result, 9)).toEqual(['2019-05-31T14:00:00.000Z', 91, 'Prow is once again merging at its usual rate']);
      expect(result.durations).toEqual({ timeToDetectMinutes: 0 });
    });

    it('Kubernetes 2019-03-26: month-day without a year takes the year nearest to the title date', () => {
      const result = extract('k8s-test-infra__2019-03-26.md');
      expect(row(result, 0, 20)).toEqual(['2018-12-06T00:21:00.000Z', 74, 'Crashloop bug preven']);
    });

    it('Kubernetes 2019-02-05: bracketed times, date and zone in the introduction, "Outage begins/ends"', () => {
      const result = extract('k8s-test-infra__2019-02-05.md');
      expect(result.events).toHaveLength(12);
      expect(result.markers).toEqual({
        impactStart: '2019-02-05T16:47:00.000Z',
        detected: '2019-02-05T16:57:00.000Z',
        mitigated: '2019-02-05T17:29:00.000Z',
        resolved: '2019-02-05T17:34:00.000Z',
      });
      // The document itself states "a 47 minute period during which nothing could merge".
      expect(result.durations).toEqual({
        timeToDetectMinutes: 10,
        timeToMitigateMinutes: 42,
        timeToResolveMinutes: 47,
      });
    });

    it('mybinder 2018-01-18: HH:MM headings with paragraphs, PST in January is UTC-8, a range heading', () => {
      const result = extract('mybinder__2018-01-18-reddit-hug.md');
      expect(result.events).toHaveLength(25);
      expect(row(result, 0, 32)).toEqual(['2018-01-18T12:19:00.000Z', 12, 'First noticed something was up a']);
      expect(row(result, 13)).toEqual([
        '2018-01-18T16:20:00.000Z',
        64,
        'Yuvi and Carol discuss situation. Suggest scrolling back through gitter history to catch up with state of play.',
      ]);
      expect(row(result, 24)[0]).toBe('2018-01-18T17:14:00.000Z');
    });

    it('mybinder 2018-07-08: log timestamps inside a fenced code block are not events', () => {
      const result = extract('mybinder__2018-07-08-podsnips-aplenty.md');
      expect(result.events.map((event) => [event.at, event.line])).toEqual([
        ['2018-07-08T16:30:00.000Z', 14],
        ['2018-07-08T20:48:00.000Z', 18],
        ['2018-07-08T21:25:00.000Z', 22],
        ['2018-07-09T06:00:00.000Z', 37],
        ['2018-07-09T08:00:00.000Z', 42],
      ]);
      expect(result.markers).toEqual({ impactStart: '2018-07-08T16:30:00.000Z', detected: '2018-07-08T20:48:00.000Z' });
      expect(result.durations).toEqual({ timeToDetectMinutes: 258 });
    });

    it('mybinder 2018-04-18: "~13:30-13:45", an out-of-order heading, and "19. April, 11:00"', () => {
      const result = extract('mybinder__2018-04-18-cull-flood.md');
      expect(result.events).toHaveLength(15);
      expect(row(result, 1)).toEqual(['2018-04-18T11:30:00.000Z', 18, 'Launch success drops to zero.']);
      expect(row(result, 3)).toEqual(['2018-04-18T12:43:00.000Z', 46, 'apply changes to jupyterhub chart']);
      expect(row(result, 10, 30)).toEqual(['2018-04-19T09:00:00.000Z', 88, 'Fix for image-culler bug that ']);
    });

    it('Rust crates.io 2018: TOML front-matter title date, UTC bullets, continuation lines, rollover past midnight', () => {
      const result = extract('rust__Update-on-crates.io-incident.md');
      expect(result.events).toHaveLength(12);
      expect(row(result, 1)).toEqual([
        '2018-10-15T20:13:00.000Z',
        43,
        'This user begins uploading packages at a rate of roughly one package every 2 seconds',
      ]);
      expect(row(result, 11)).toEqual(['2018-10-16T00:40:00.000Z', 55, 'The packages are removed from the index.']);
      expect(result.markers).toEqual({ impactStart: '2018-10-15T20:09:00.000Z', detected: '2018-10-15T20:41:00.000Z' });
      expect(result.durations).toEqual({ timeToDetectMinutes: 32 });
    });

    it('docs.rs 2019: the introduction dates the day; an entry dated the day before stays an aside', () => {
      const result = extract('rust__docsrs-outage-postmortem.md');
      expect(result.events).toHaveLength(13);
      expect(row(result, 0)).toEqual([
        '2019-10-20T00:55:00.000Z',
        56,
        'crate builds started failing due to the low disk space',
      ]);
      expect(row(result, 1)).toEqual([
        '2019-10-21T01:38:00.000Z',
        57,
        'alerts fired for the docs.rs website being down, ashleygwilliams (backup contact) got paged',
      ]);
      expect(result.markers).toEqual({
        impactStart: '2019-10-20T00:55:00.000Z',
        detected: '2019-10-21T01:38:00.000Z',
        mitigated: '2019-10-21T02:06:00.000Z',
      });
      expect(result.durations).toEqual({ timeToDetectMinutes: 1483, timeToMitigateMinutes: 1511 });
    });

    it('PostHog 2025-10-03: bold times, zone in the introduction, date from the title', () => {
      const result = extract('posthog__2025-10-03-surveys-sdk-bug.md');
      expect(result.events).toHaveLength(8);
      expect(row(result, 4)).toEqual([
        '2025-10-03T16:11:00.000Z',
        17,
        'Reverts deployed, issue mitigated. SDK version 1.270.1 released',
      ]);
      expect(result.markers).toEqual({
        impactStart: '2025-10-03T10:45:00.000Z',
        detected: '2025-10-03T14:59:00.000Z',
        mitigated: '2025-10-03T16:11:00.000Z',
        resolved: '2025-10-03T22:28:00.000Z',
      });
      // The document states a 4 h 14 min detection delay and 5 h 26 min of impact.
      expect(result.durations).toEqual({
        timeToDetectMinutes: 254,
        timeToMitigateMinutes: 326,
        timeToResolveMinutes: 703,
      });
    });

    it('PostHog 2026-01-17: "Jan 14, 10:18 AM" table cells take the year from "**Date:** January 14-19, 2026"', () => {
      const result = extract('posthog__2026-01-17-replay-sdk-fetch-wrapper-incident.md');
      expect(result.events).toHaveLength(10);
      expect(row(result, 0)[0]).toBe('2026-01-14T10:18:00.000Z');
      expect(row(result, 8, 45)).toEqual([
        '2026-01-17T20:13:00.000Z',
        41,
        'A new version (1.328.0) of the PostHog SDK wa',
      ]);
    });

    it('Chia 2021-05-09: "(UTC)" in the heading, the day from the first sentence, a "14:20-2:00" range', () => {
      const result = extract('chia__2021-05-09-negative-coin-values.md');
      expect(result.events).toHaveLength(11);
      expect(row(result, 0, 40)).toEqual(['2021-05-09T12:48:00.000Z', 11, '(6:48 PDT): The last transaction block b']);
      expect(row(result, 9, 40)).toEqual(['2021-05-09T14:20:00.000Z', 20, 'Through the next two hours, we checked t']);
      expect(result.durations).toEqual({ timeToDetectMinutes: 23 });
    });

    it('Chia 2024-02-15: "Month D, YYYY: h:mmam UTC" lines with the text below, and a date-only entry', () => {
      const result = extract('chia__2024-02-15-Financial-instutition-credentials.md');
      expect(result.events).toHaveLength(14);
      expect(result.events[0]).toMatchObject({ at: '2024-01-29T00:00:00.000Z', line: 40, dateOnly: true });
      expect(row(result, 1)).toEqual([
        '2024-02-15T07:56:00.000Z',
        45,
        'CNI Employee received an email from financial institution indicating that there was a login from a new device at 2:56am EST.',
      ]);
      // Date-only entries do not count for markers when timed ones exist.
      expect(result.markers.impactStart).toBe('2024-02-15T07:56:00.000Z');
    });

    it('Google Compute Engine review: pipe table without outer pipes, "Time (Pacific)", no date in the document', () => {
      const file = 'oib-review__2016-04-14-lexelby-Google-Compute-Engine-2016-04-11.md';
      const undated = extract(file);
      expect(undated.hasTimelineSection).toBe(true);
      expect(undated.events).toEqual([]);
      expect(undated.undatedEntries).toBe(11);
      const result = extract(file, { referenceDate: '2016-04-11' });
      expect(result.events).toHaveLength(11);
      expect(row(result, 0)).toEqual([
        '2016-04-11T21:50:00.000Z',
        26,
        'Benign configuration change released by GCE engineers.',
      ]);
      expect(row(result, 6)).toEqual([
        '2016-04-12T02:08:00.000Z',
        32,
        'Internal alerts generated due to significant traffic loss.',
      ]);
      // "Postmortem states that Cloud VPN impact started now." is the explicit impact start; the later status post
      // that repeats "impact resolved" is the last resolution by rule, 18 minutes after the narrative's 19:27.
      expect(result.markers).toEqual({
        impactStart: '2016-04-12T01:14:00.000Z',
        detected: '2016-04-12T01:25:00.000Z',
        mitigated: '2016-04-12T02:09:00.000Z',
        resolved: '2016-04-12T02:45:00.000Z',
      });
    });
  },
);
