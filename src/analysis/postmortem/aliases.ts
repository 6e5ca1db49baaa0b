/**
 * The sections of the default template and the other names real postmortems and templates give them (from the
 * shared corpus: SRE book, PagerDuty, DFDS, mybinder, PostHog, Chia, Rust and Kubernetes postmortems).
 */
import { isTimelineHeading } from '../timeline/sections.js';
import { sectionId } from './slug.js';

/** Canonical section id -> its title in the default template, in template order. */
export const CANONICAL_SECTION_TITLES: Readonly<Record<string, string>> = {
  tldr: 'TL;DR',
  summary: 'Summary',
  impact: 'Impact',
  timeline: 'Timeline',
  detection: 'Detection',
  'response-and-recovery': 'Response and recovery',
  'contributing-factors': 'Contributing factors',
  '5-whys': '5 whys',
  'what-went-well': 'What went well',
  'what-went-wrong': 'What went wrong',
  'where-we-got-lucky': 'Where we got lucky',
  lessons: 'Lessons',
  'action-items': 'Action items',
  'supporting-information': 'Supporting information',
};

/** Canonical section id -> heading ids that mean the same section. */
export const SECTION_ALIASES: Readonly<Record<string, readonly string[]>> = {
  tldr: ['tl-dr', 'tl-dr-summary', 'executive-summary', 'exec-summary', 'bluf', 'in-brief', 'at-a-glance'],
  summary: [
    'issue-summary',
    'incident-summary',
    'incident-overview',
    'overview',
    'what-happened',
    'description',
    'incident-description',
    'synopsis',
  ],
  impact: [
    'customer-impact',
    'incident-impact',
    'user-impact',
    'business-impact',
    'impact-assessment',
    'impact-analysis',
    'what-was-impacted',
    'customer-experience',
    'affected-services',
    'blast-radius',
  ],
  timeline: [
    'timeline-utc',
    'timeline-of-events',
    'incident-timeline',
    'detailed-timeline',
    'timeline-summary',
    'chronology',
    'sequence-of-events',
  ],
  detection: [
    'detection-and-alerting',
    'how-was-it-detected',
    'how-it-was-detected',
    'how-we-found-out',
    'why-was-this-hard-to-detect',
    'discovery',
  ],
  'response-and-recovery': [
    'resolution',
    'resolution-and-recovery',
    'recovery',
    'mitigation',
    'mitigation-and-resolution',
    'response',
    'incident-response',
    'response-and-mitigation',
    'actions-taken',
    'action-taken',
    'how-we-fixed-it',
  ],
  'contributing-factors': [
    'root-cause',
    'root-causes',
    'root-cause-analysis',
    'root-cause-of-the-outage',
    'root-cause-of-the-issue',
    'root-cause-and-trigger',
    'causes',
    'cause',
    'trigger',
    'triggers',
    'contributing-conditions',
    'contributing-conditions-analysis',
    'contributing-factors-findings',
    'identified-cause',
    'why-did-it-happen',
    'how-did-it-happen',
    'fault',
  ],
  '5-whys': ['five-whys', '5whys', 'the-five-whys', 'the-5-whys', 'root-cause-identification-the-five-whys'],
  'what-went-well': ['what-went-right', 'things-that-went-well', 'went-well', 'what-worked'],
  'what-went-wrong': [
    'what-went-poorly',
    'what-went-badly',
    'what-didnt-go-well',
    'what-could-have-gone-better',
    'what-could-have-been-better',
    'things-that-went-wrong',
    'what-could-be-improved',
  ],
  'where-we-got-lucky': ['we-got-lucky', 'where-we-were-lucky', 'where-we-got-lucky-and-unlucky', 'lucky'],
  lessons: [
    'lessons-learned',
    'lessons-learnt',
    'lessons-learned-and-future-improvements',
    'learnings',
    'what-we-learned',
    'key-takeaways',
    'takeaways',
    'insights',
  ],
  'action-items': [
    'follow-ups',
    'followups',
    'follow-up-actions',
    'follow-up-items',
    'corrective-actions',
    'corrective-and-preventative-measures',
    'corrective-and-preventative-measure',
    'corrective-and-preventive-actions',
    'remediation',
    'remediations',
    'remediation-future-work',
    'future-work',
    'future-measures',
    'future-actions',
    'next-steps',
    'action-plan',
    'actions',
    'what-were-doing-about-it',
    'how-are-we-preventing-it-from-happening-again',
    'recommendations',
    'moving-forward',
  ],
  'supporting-information': [
    'supporting-info',
    'supporting-material',
    'supporting-evidence',
    'appendix',
    'appendices',
    'additional-information',
    'references',
    'related-links',
    'links',
    'logs',
    'related-issues-prs',
    'additional-reading',
    'citations-additional-reading',
  ],
};

const ALIAS_INDEX: ReadonlyMap<string, string> = new Map(
  Object.entries(SECTION_ALIASES).flatMap(([canonical, aliases]) => [
    [canonical, canonical] as const,
    ...aliases.map((alias) => [alias, canonical] as const),
  ]),
);

/** "1. Summary", "2) Impact", "IV. Timeline", "A. Lessons". */
const NUMBERING = /^\s*(?:\d+(?:\.\d+)*[.)]|[ivx]+\.|[a-z][.)])\s+/i;
/** A trailing qualifier in parentheses: "Timeline (all times UTC)", "Contributing factors (findings)". */
const QUALIFIER = /\s*\([^()]*\)\s*:?\s*$/;

/**
 * The canonical section (a default-template id) a heading stands for, or null. Section numbering and a trailing
 * qualifier in parentheses are ignored; any heading that names a timeline ("Timeline (all times PST) 10/14/2022")
 * is the timeline.
 *
 * @example
 * canonicalSectionId('Root Cause(s)'); // 'contributing-factors'
 * canonicalSectionId('3. Lessons learned'); // 'lessons'
 * canonicalSectionId('Attendees'); // null
 */
export function canonicalSectionId(title: string): string | null {
  const candidates = [title];
  if (NUMBERING.test(title)) candidates.push(title.replace(NUMBERING, ''));
  for (const candidate of [...candidates]) {
    if (QUALIFIER.test(candidate)) candidates.push(candidate.replace(QUALIFIER, ''));
  }
  for (const candidate of candidates) {
    const found = ALIAS_INDEX.get(sectionId(candidate));
    if (found) return found;
  }
  return candidates.some((candidate) => isTimelineHeading(candidate)) ? 'timeline' : null;
}

/**
 * A title for a section id: the default template's title for a canonical id, else the id in words.
 *
 * @example
 * canonicalTitle('action-items'); // 'Action items'
 * canonicalTitle('customer-comms'); // 'Customer comms'
 */
export function canonicalTitle(id: string): string {
  const known = CANONICAL_SECTION_TITLES[id];
  if (known !== undefined) return known;
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
