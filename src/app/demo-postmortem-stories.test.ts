import { describe, expect, it } from 'vitest';
import { lintPostmortem } from '../analysis/blame/index.js';
import { isImpactQuantified, parseActionItems, parseContributingFactors } from '../analysis/postmortem/index.js';
import { findSensitive } from '../analysis/redact/index.js';
import { ACTION_ITEM_TYPES } from '../domain/postmortem/types.js';
import { STORIES, type Story, type StoryFacts } from './demo-postmortem-stories.js';

const FACTS: StoryFacts = {
  v: {
    version: 'v2.14.3',
    previous: 'v2.14.2',
    pct: '7.4',
    p99: '3.2',
    depth: 48,
    hours: 6,
    pr: 3120,
    sha: 'a1b2c3d',
    impactMinutes: 37,
  },
  chat: ['The first message from the channel', 'The second message', 'The third message'],
  minutes: { detect: 4, mitigate: 37, resolve: 140 },
};

/** A story as one document, the way the demo writes it into the template's sections. */
function document(story: Story): string {
  const list = (lines: readonly string[]) => lines.map((l) => `- ${l}`).join('\n');
  const factors = [
    ...(story.change ? [`- **Change:** The payments deploy v2.14.3 ${story.change(FACTS)}.`] : []),
    ...story.factors(FACTS).map(([label, text]) => `- **${label}:** ${text}`),
  ];
  const rows = story.actions.map((a) => `| ${a.text} | ${a.type} | @ana | 2026-04-01 | ${a.priority} | OPS-1 |`);
  return [
    '# INC-1: Example',
    `## Impact\n\n${list(story.figures(FACTS))}`,
    `## Contributing factors\n\n${factors.join('\n')}`,
    `## 5 whys\n\n${(story.whys?.(FACTS) ?? []).map((w, i) => `${i + 1}. ${w}`).join('\n')}`,
    `## What went well\n\n${list(story.wentWell(FACTS))}`,
    `## What went wrong\n\n${list(story.wentWrong(FACTS))}`,
    `## Where we got lucky\n\n${list(story.lucky(FACTS))}`,
    `## Lessons\n\n${list(story.lessons(FACTS))}`,
    `## Action items\n\n| Action | Type | Owner | Due | Priority | Ticket |\n| --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}`,
  ].join('\n\n');
}

describe('demo postmortem stories', () => {
  it.each(Object.entries(STORIES))('%s: is blameless', (_title, story) => {
    expect(lintPostmortem(document(story))).toEqual([]);
  });

  it.each(Object.entries(STORIES))('%s: lists two or three categorised factors', (_title, story) => {
    const factors = parseContributingFactors(document(story));
    expect(factors.length).toBeGreaterThanOrEqual(2);
    expect(factors.length).toBeLessThanOrEqual(3);
    for (const factor of factors) expect(factor.category).not.toBeNull();
  });

  it.each(Object.entries(STORIES))(
    '%s: quantifies the impact and plans typed, prioritised actions',
    (_title, story) => {
      expect(isImpactQuantified(story.figures(FACTS).join(' '))).toBe(true);
      const items = parseActionItems(document(story));
      expect(items).toHaveLength(story.actions.length);
      expect(items.length).toBeGreaterThanOrEqual(2);
      for (const item of items) {
        expect(ACTION_ITEM_TYPES).toContain(item.type);
        expect(item.priority).toMatch(/^P[123]$/);
      }
      // Every story follows up how the next one would be found sooner, or how responders would act on it.
      expect(story.actions.some((a) => a.type === 'detect' || a.type === 'process')).toBe(true);
    },
  );

  it.each(Object.entries(STORIES))(
    '%s: quotes a flagged value only with a reason to keep it',
    async (_title, story) => {
      const findings = await findSensitive(document(story));
      if (story.keep === undefined) expect(findings).toEqual([]);
      else expect(findings.length).toBeGreaterThan(0);
    },
  );
});
