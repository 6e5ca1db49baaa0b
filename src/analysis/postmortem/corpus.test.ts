/**
 * The section and fact parsers over the real postmortems and templates in the shared corpus (`../shared/corpus`,
 * beside the repo): they must never throw, must map the common headings to canonical sections, and must read a
 * hand-checked selection exactly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canonicalSectionId } from './aliases.js';
import { parseActionItems } from './action-items.js';
import { parseContributingFactors } from './factors.js';
import { parseSections } from './sections.js';

const corpus = new URL('../../../../shared/corpus/', import.meta.url);
const available = existsSync(corpus);

function read(path: string): string {
  return readFileSync(new URL(path, corpus), 'utf8');
}

function markdownFiles(folder: string): string[] {
  return readdirSync(new URL(folder, corpus))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `${folder}${file}`);
}

describe.skipIf(!available)(
  available
    ? 'postmortem structure over the corpus'
    : `postmortem structure (skipped: ${fileURLToPath(corpus)} is absent)`,
  () => {
    const files = available ? [...markdownFiles('postmortems/'), ...markdownFiles('templates/')] : [];

    it('parses every document without throwing, and maps most headings to canonical sections', () => {
      let headings = 0;
      let mapped = 0;
      for (const file of files) {
        const markdown = read(file);
        const sections = parseSections(markdown);
        parseContributingFactors(markdown);
        parseActionItems(markdown);
        headings += sections.length;
        mapped += sections.filter((section) => canonicalSectionId(section.title) !== null).length;
        for (const section of sections) expect(markdown.slice(section.start, section.end)).toContain(section.content);
      }
      expect(files.length).toBeGreaterThan(130);
      // Measured at 554 of 652 level-2 headings; the rest are attendees, company overviews, Q&As and the like.
      expect(mapped / headings).toBeGreaterThan(0.8);
    });

    it('reads the DFDS contributing factors and action items as lists without categories', () => {
      const markdown = read(
        'postmortems/dfds__PM2021-008---Kubernetes-ingress-controller-Traefik-v2-configuration-caused-outage.md',
      );
      expect(parseSections(markdown).map((section) => section.id)).toEqual([
        'summary',
        'timeline',
        'contributing-factors',
        'action-items',
        'lessons-learned',
        'attendees',
      ]);
      const factors = parseContributingFactors(markdown);
      expect(factors.map((factor) => [factor.category, factor.line])).toEqual([
        [null, 24],
        [null, 25],
        [null, 26],
        [null, 27],
        [null, 28],
      ]);
      expect(factors[3]?.description).toBe('Some announcements on Slack are sometimes drowning in other noise.');
      expect(parseActionItems(markdown).map((item) => item.line)).toEqual([32, 33]);
    });

    it('finds the PostHog root cause analysis and remediation under their own names', () => {
      const markdown = read('postmortems/posthog__2025-10-21-feature-flags-recurring-outages.md');
      const sections = parseSections(markdown);
      expect(sections.map((section) => [section.id, canonicalSectionId(section.title)])).toEqual([
        ['summary', 'summary'],
        ['incident-timeline', 'timeline'],
        ['root-cause-analysis', 'contributing-factors'],
        ['impact', 'impact'],
        ['remediation', 'action-items'],
        ['lessons-learned', 'lessons'],
        ['moving-forward', 'action-items'],
      ]);
      const factors = parseContributingFactors(markdown);
      expect(factors).toHaveLength(6);
      expect(factors[4]).toEqual({
        category: null,
        description:
          '**Unbounded retries**: Unbounded retries in Envoy (between load balancer and endpoint) amplified failures (now fixed with retry limits)',
        line: 163,
      });
      const items = parseActionItems(markdown);
      expect(items[0]?.line).toBe(180);
      expect(items.every((item) => item.owner === null)).toBe(true);
    });

    it('reads the SRE book template as an empty skeleton', () => {
      const sections = parseSections(read('templates/dastergon__postmortem-template-srebook.md'));
      expect(sections.map((section) => [canonicalSectionId(section.title), section.filled])).toEqual([
        ['action-items', false],
        ['lessons', false],
        ['timeline', false],
        ['supporting-information', false],
      ]);
    });
  },
);
