import { describe, expect, it } from 'vitest';
import { scoreQuality, type QualityInput } from './rubric.js';
import type { ActionItem, QualityItem } from './types.js';

const action = (fields: Partial<ActionItem> = {}): ActionItem => ({
  description: 'Add a 429 alert',
  type: 'detect',
  owner: '@ana',
  due: '2026-04-01',
  priority: 'P1',
  ticket: null,
  line: 40,
  ...fields,
});

/** A postmortem that passes every check. */
const complete: QualityInput = {
  tldr: { filled: true, sentences: 3 },
  impactQuantified: true,
  markers: { impactStart: true, detected: true, mitigated: true, resolved: true },
  factors: [{ category: 'change', description: 'v2.3 halved the pool', line: 30 }],
  actionItems: [action()],
  openBlameFindings: 0,
  unresolvedRedactions: 0,
  evidenceLinked: true,
  resolvedAt: '2026-03-04T15:10:00.000Z',
  publishedAt: '2026-03-09T09:00:00.000Z',
  now: '2026-03-20T00:00:00.000Z',
  publishWithinDays: 7,
  reviewerScores: [],
};

function item(input: Partial<QualityInput>, id: QualityItem['id']): QualityItem {
  const found = scoreQuality({ ...complete, ...input }).items.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

describe('scoreQuality', () => {
  it('scores a complete postmortem 100 with weights that add up to 100', () => {
    const report = scoreQuality(complete);
    expect(report.score).toBe(100);
    expect(report.items.map((entry) => [entry.id, entry.weight])).toEqual([
      ['tldr', 10],
      ['impact', 10],
      ['timeline', 15],
      ['factors', 15],
      ['action_items', 15],
      ['blame', 10],
      ['redaction', 10],
      ['evidence', 5],
      ['published_on_time', 10],
    ]);
    expect(report.items.every((entry) => entry.passed && entry.label !== '' && entry.detail !== '')).toBe(true);
  });

  it('scores an empty draft by what it lacks', () => {
    const report = scoreQuality({
      ...complete,
      tldr: { filled: false, sentences: 0 },
      impactQuantified: false,
      markers: { impactStart: false, detected: false, mitigated: false, resolved: false },
      factors: [],
      actionItems: [],
      evidenceLinked: false,
      resolvedAt: null,
      publishedAt: null,
    });
    // Blame, redaction and the publication window (not yet open) pass.
    expect(report.score).toBe(30);
  });

  it('checks the TL;DR is there and at most five sentences', () => {
    expect(item({ tldr: { filled: false, sentences: 0 } }, 'tldr')).toMatchObject({
      passed: false,
      detail: 'TL;DR is empty',
    });
    expect(item({ tldr: { filled: true, sentences: 5 } }, 'tldr').passed).toBe(true);
    expect(item({ tldr: { filled: true, sentences: 6 } }, 'tldr')).toMatchObject({
      passed: false,
      detail: 'TL;DR has 6 sentences; keep it to 5',
    });
  });

  it('asks for numbers in the impact', () => {
    expect(item({ impactQuantified: false }, 'impact').passed).toBe(false);
  });

  it('names the missing timeline markers', () => {
    expect(
      item({ markers: { impactStart: true, detected: false, mitigated: true, resolved: false } }, 'timeline'),
    ).toMatchObject({
      passed: false,
      detail: 'timeline markers missing: detected, resolved',
    });
  });

  it('needs at least one categorised factor', () => {
    expect(item({ factors: [] }, 'factors').detail).toBe('no contributing factors listed');
    expect(item({ factors: [{ category: null, description: 'x', line: 1 }] }, 'factors')).toMatchObject({
      passed: false,
      detail: '1 contributing factor, none with a category',
    });
    expect(
      item(
        {
          factors: [
            { category: null, description: 'x', line: 1 },
            { category: 'config', description: 'y', line: 2 },
          ],
        },
        'factors',
      ).passed,
    ).toBe(true);
  });

  it('needs action items, each with an owner and a due date', () => {
    expect(item({ actionItems: [] }, 'action_items')).toMatchObject({ passed: false, detail: 'no action items' });
    expect(
      item({ actionItems: [action(), action({ owner: null }), action({ owner: null, due: null })] }, 'action_items'),
    ).toMatchObject({
      passed: false,
      detail: '3 action items: 2 without an owner, 1 without a due date',
    });
  });

  it('fails on open blame errors and unresolved redactions', () => {
    expect(item({ openBlameFindings: 2 }, 'blame')).toMatchObject({
      passed: false,
      detail: '2 blame-language errors open',
    });
    expect(item({ unresolvedRedactions: 1 }, 'redaction')).toMatchObject({
      passed: false,
      detail: '1 redaction finding neither redacted nor waived',
    });
    expect(item({ evidenceLinked: false }, 'evidence').passed).toBe(false);
  });

  describe('published on time', () => {
    const resolvedAt = '2026-03-04T15:10:00.000Z';

    it('passes when published within the policy days of resolution, to the minute', () => {
      expect(item({ resolvedAt, publishedAt: '2026-03-11T15:10:00.000Z' }, 'published_on_time').passed).toBe(true);
      expect(item({ resolvedAt, publishedAt: '2026-03-11T15:11:00.000Z' }, 'published_on_time')).toMatchObject({
        passed: false,
        detail: 'published 8 days after resolution; policy is 7 days',
      });
    });

    it('passes while unpublished inside the window and fails after it', () => {
      expect(
        item({ resolvedAt, publishedAt: null, now: '2026-03-06T00:00:00.000Z' }, 'published_on_time'),
      ).toMatchObject({
        passed: true,
        detail: 'not published yet; due by 2026-03-11',
      });
      expect(
        item({ resolvedAt, publishedAt: null, now: '2026-03-14T00:00:00.000Z' }, 'published_on_time'),
      ).toMatchObject({
        passed: false,
        detail: 'not published; 3 days past the 7 days policy (due 2026-03-11)',
      });
    });

    it('passes while the incident is not resolved', () => {
      expect(item({ resolvedAt: null, publishedAt: null }, 'published_on_time').passed).toBe(true);
    });

    it('follows the configured number of days', () => {
      expect(
        item({ resolvedAt, publishedAt: '2026-03-06T00:00:00.000Z', publishWithinDays: 1 }, 'published_on_time').passed,
      ).toBe(false);
    });
  });

  it('reports the mean reviewer score to one decimal, or null', () => {
    expect(scoreQuality(complete).reviewerScore).toBeNull();
    expect(scoreQuality({ ...complete, reviewerScores: [4, 5, 5] }).reviewerScore).toBe(4.7);
    expect(scoreQuality({ ...complete, reviewerScores: [3] }).reviewerScore).toBe(3);
  });
});
