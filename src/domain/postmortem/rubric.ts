/**
 * The quality rubric of a postmortem: nine checks an experienced reviewer would make, weighted to 100 points, each
 * saying what is missing. Reviewers' own 1–5 scores are reported beside it, not mixed in.
 */
import type { ActionItem, ContributingFactor, QualityItem, QualityReport } from './types.js';

export interface QualityInput {
  tldr: { filled: boolean; sentences: number };
  impactQuantified: boolean;
  markers: { impactStart: boolean; detected: boolean; mitigated: boolean; resolved: boolean };
  factors: readonly ContributingFactor[];
  actionItems: readonly ActionItem[];
  /** Open blameless-lint findings of severity `error`. */
  openBlameFindings: number;
  /** Redaction findings neither redacted nor waived. */
  unresolvedRedactions: number;
  /** The document links captured evidence (charts, artifacts). */
  evidenceLinked: boolean;
  resolvedAt: string | null;
  publishedAt: string | null;
  now: string;
  publishWithinDays: number;
  /** Reviewer scores (1–5) of the current round. */
  reviewerScores: readonly number[];
}

/** The most sentences a TL;DR may have. */
export const TLDR_MAX_SENTENCES = 5;

const DAY_MS = 24 * 60 * 60 * 1000;

type Check = Omit<QualityItem, 'weight' | 'label' | 'id'>;

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function tldr({ tldr: summary }: QualityInput): Check {
  if (!summary.filled) return { passed: false, detail: 'TL;DR is empty' };
  if (summary.sentences > TLDR_MAX_SENTENCES) {
    return {
      passed: false,
      detail: `TL;DR has ${summary.sentences} sentences; keep it to ${TLDR_MAX_SENTENCES}`,
    };
  }
  return { passed: true, detail: `TL;DR in ${plural(summary.sentences, 'sentence', 'sentences')}` };
}

function impact({ impactQuantified }: QualityInput): Check {
  return impactQuantified
    ? { passed: true, detail: 'impact is quantified' }
    : { passed: false, detail: 'impact has no numbers: say how many users, requests or orders, and for how long' };
}

const MARKER_NAMES = {
  impactStart: 'impact start',
  detected: 'detected',
  mitigated: 'mitigated',
  resolved: 'resolved',
} as const;

function timeline({ markers }: QualityInput): Check {
  const missing = (Object.keys(MARKER_NAMES) as (keyof typeof MARKER_NAMES)[])
    .filter((key) => !markers[key])
    .map((key) => MARKER_NAMES[key]);
  return missing.length === 0
    ? { passed: true, detail: 'impact start, detection, mitigation and resolution are marked' }
    : { passed: false, detail: `timeline markers missing: ${missing.join(', ')}` };
}

function factors(input: QualityInput): Check {
  const total = input.factors.length;
  const categorised = input.factors.filter((factor) => factor.category !== null).length;
  if (total === 0) return { passed: false, detail: 'no contributing factors listed' };
  if (categorised === 0) {
    return {
      passed: false,
      detail: `${plural(total, 'contributing factor', 'contributing factors')}, none with a category`,
    };
  }
  return {
    passed: true,
    detail: `${plural(total, 'contributing factor', 'contributing factors')}, ${categorised} with a category`,
  };
}

function actionItems(input: QualityInput): Check {
  const total = input.actionItems.length;
  if (total === 0) return { passed: false, detail: 'no action items' };
  const noOwner = input.actionItems.filter((item) => item.owner === null).length;
  const noDue = input.actionItems.filter((item) => item.due === null).length;
  if (noOwner === 0 && noDue === 0) {
    return {
      passed: true,
      detail: `${plural(total, 'action item', 'action items')}, each with an owner and a due date`,
    };
  }
  const gaps: string[] = [];
  if (noOwner > 0) gaps.push(`${noOwner} without an owner`);
  if (noDue > 0) gaps.push(`${noDue} without a due date`);
  return { passed: false, detail: `${plural(total, 'action item', 'action items')}: ${gaps.join(', ')}` };
}

function blame({ openBlameFindings }: QualityInput): Check {
  return openBlameFindings === 0
    ? { passed: true, detail: 'no open blame-language errors' }
    : { passed: false, detail: `${plural(openBlameFindings, 'blame-language error', 'blame-language errors')} open` };
}

function redaction({ unresolvedRedactions }: QualityInput): Check {
  return unresolvedRedactions === 0
    ? { passed: true, detail: 'every redaction finding is redacted or waived' }
    : {
        passed: false,
        detail: `${plural(unresolvedRedactions, 'redaction finding', 'redaction findings')} neither redacted nor waived`,
      };
}

function evidence({ evidenceLinked }: QualityInput): Check {
  return evidenceLinked
    ? { passed: true, detail: 'evidence is linked' }
    : { passed: false, detail: 'no evidence linked: capture charts or attach artifacts' };
}

function publishedOnTime(input: QualityInput): Check {
  const days = plural(input.publishWithinDays, 'day', 'days');
  if (input.resolvedAt === null) {
    return input.publishedAt === null
      ? { passed: true, detail: `the incident is not resolved; publish within ${days} of resolution` }
      : { passed: true, detail: 'published before the incident was resolved' };
  }
  const resolved = Date.parse(input.resolvedAt);
  const deadline = resolved + input.publishWithinDays * DAY_MS;
  const deadlineText = new Date(deadline).toISOString().slice(0, 10);
  if (input.publishedAt !== null) {
    const published = Date.parse(input.publishedAt);
    const took = Math.max(0, Math.ceil((published - resolved) / DAY_MS));
    return published <= deadline
      ? { passed: true, detail: `published ${plural(took, 'day', 'days')} after resolution (policy: ${days})` }
      : { passed: false, detail: `published ${plural(took, 'day', 'days')} after resolution; policy is ${days}` };
  }
  const now = Date.parse(input.now);
  if (now <= deadline) return { passed: true, detail: `not published yet; due by ${deadlineText}` };
  const late = Math.ceil((now - deadline) / DAY_MS);
  return {
    passed: false,
    detail: `not published; ${plural(late, 'day', 'days')} past the ${days} policy (due ${deadlineText})`,
  };
}

const CHECKS: readonly (Pick<QualityItem, 'id' | 'label' | 'weight'> & { check: (input: QualityInput) => Check })[] = [
  { id: 'tldr', label: 'TL;DR', weight: 10, check: tldr },
  { id: 'impact', label: 'Impact quantified', weight: 10, check: impact },
  { id: 'timeline', label: 'Timeline markers', weight: 15, check: timeline },
  { id: 'factors', label: 'Categorised contributing factors', weight: 15, check: factors },
  { id: 'action_items', label: 'Action items with owners and due dates', weight: 15, check: actionItems },
  { id: 'blame', label: 'Blameless language', weight: 10, check: blame },
  { id: 'redaction', label: 'Redaction', weight: 10, check: redaction },
  { id: 'evidence', label: 'Evidence linked', weight: 5, check: evidence },
  { id: 'published_on_time', label: 'Published on time', weight: 10, check: publishedOnTime },
];

/**
 * Scores a postmortem against the rubric: TL;DR present and at most five sentences (10), impact quantified (10),
 * the four lifecycle markers on the timeline (15), at least one categorised contributing factor (15), at least one
 * action item and every one with an owner and a due date (15), no open blame-language errors (10), no unresolved
 * redaction findings (10), evidence linked (5), published within the policy days of resolution (10; while
 * unpublished it passes until the window closes). `reviewerScore` is the mean of reviewer scores to one decimal.
 *
 * @example
 * scoreQuality({ ...input, openBlameFindings: 2 }).items.find((item) => item.id === 'blame');
 * // { id: 'blame', label: 'Blameless language', weight: 10, passed: false, detail: '2 blame-language errors open' }
 */
export function scoreQuality(input: QualityInput): QualityReport {
  const items: QualityItem[] = CHECKS.map(({ id, label, weight, check }) => ({ id, label, weight, ...check(input) }));
  const score = items.reduce((total, item) => total + (item.passed ? item.weight : 0), 0);
  const scores = input.reviewerScores.filter((value) => Number.isFinite(value));
  const reviewerScore =
    scores.length === 0 ? null : Math.round((scores.reduce((sum, value) => sum + value, 0) / scores.length) * 10) / 10;
  return { score, items, reviewerScore };
}
