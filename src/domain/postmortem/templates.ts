/**
 * Postmortem templates: the built-in default, choosing the template for an incident, checking a template's
 * sections, and the empty document a template gives.
 */
import {
  CANONICAL_SECTION_TITLES,
  FACTOR_CATEGORY_LABELS,
  canonicalSectionId,
  sectionId,
} from '../../analysis/postmortem/index.js';
import { DebriefError, type ErrorDetail } from '../errors.js';
import type { IncidentType, Severity } from '../types.js';
import { FACTOR_CATEGORIES, type PostmortemTemplate, type TemplateSection } from './types.js';

export const BUILT_IN_TEMPLATE_ID = 'default';

const EPOCH = '1970-01-01T00:00:00.000Z';

/** The header row (and delimiter) of the action-items table, as the draft and the skeleton write it. */
export const ACTION_ITEMS_TABLE_HEADER =
  '| Action | Type | Owner | Due | Priority | Ticket |\n| --- | --- | --- | --- | --- | --- |';

const CATEGORY_LIST = FACTOR_CATEGORIES.map((category) => FACTOR_CATEGORY_LABELS[category]).join(', ');

function section(id: string, prompt: string, required = true): TemplateSection {
  const title = CANONICAL_SECTION_TITLES[id] ?? id;
  return { id: sectionId(title), title, prompt, required };
}

/**
 * The built-in template, used when no other template matches an incident. Its sections follow the common ground of
 * real templates (Google SRE book, PagerDuty, Atlassian, DFDS, mybinder, PostHog): summary, impact, timeline,
 * detection, response, contributing factors, lessons, action items, supporting information.
 */
export const DEFAULT_TEMPLATE: PostmortemTemplate = {
  id: BUILT_IN_TEMPLATE_ID,
  name: 'Default',
  description:
    'A blameless postmortem: what happened, its impact and timeline, how it was detected and handled, the ' +
    'contributing factors, what we learned and the actions we take.',
  severities: [],
  types: [],
  sections: [
    section(
      'tldr',
      'At most five sentences for someone who reads nothing else: what happened, who was affected and for how ' +
        'long, how it was fixed, and the most important follow-up.',
    ),
    section(
      'summary',
      'What happened, in plain words: the services involved, what users saw, and how the incident was detected ' +
        'and resolved. Describe systems and decisions, not people.',
    ),
    section(
      'impact',
      'Who was affected, for how long and how much: users, requests, orders, regions, money, support tickets. Use ' +
        'numbers. Once the service has SLOs, state the error budget spent.',
    ),
    section(
      'timeline',
      'Key moments in UTC: impact start, detection, acknowledgement, mitigation, resolution, and the decisions ' +
        'in between. Add what was known at each moment and why the next step made sense then.',
    ),
    section(
      'detection',
      'How did we find out: an alert, a customer, someone looking at a dashboard? How long did it take, and what ' +
        'would have told us sooner?',
    ),
    section(
      'response-and-recovery',
      'What was done to mitigate and resolve the incident, and who held which role. What slowed the response ' +
        'down, and what sped it up?',
    ),
    section(
      'contributing-factors',
      'The conditions that together made this incident possible. Never one root cause, and never a person. ' +
        'One list item per factor, each starting with its category, for example:\n' +
        '- **Change:** the v2.3 deploy halved the connection pool\n' +
        '- **Detection gap:** no alert fires on 429 responses\n' +
        `Categories: ${CATEGORY_LIST}.`,
    ),
    section(
      '5-whys',
      'Optional. For a contributing factor, ask "why?" until you reach something the organisation can change. ' +
        'Ask it of systems and conditions, not of people.',
      false,
    ),
    section(
      'what-went-well',
      'What worked and should be kept: alerts that fired, runbooks that helped, decisions that limited the impact.',
    ),
    section(
      'what-went-wrong',
      'What made the incident worse or the response harder. Describe gaps in systems, tools and processes.',
    ),
    section(
      'where-we-got-lucky',
      'What helped but was not planned, and would not help next time. Each is a risk worth an action item.',
      false,
    ),
    section('lessons', 'What we learned that teams beyond this incident should know.'),
    section(
      'action-items',
      'One row per action: what will change, its type (mitigate, prevent, detect or process), one owner, a due ' +
        'date (YYYY-MM-DD), a priority and a ticket link. Every contributing factor should lead to at least one.',
    ),
    section(
      'supporting-information',
      'Links to dashboards, logs, chat threads, tickets and charts that support this document.',
      false,
    ),
  ],
  builtIn: true,
  createdAt: EPOCH,
  updatedAt: EPOCH,
  version: 1,
};

/** How specifically a template fits an incident: 2 for both lists matching, 1 for one, 0 for "any"; -1 for no fit. */
function specificity(template: PostmortemTemplate, incident: { severity: Severity; type: IncidentType }): number {
  const severity = template.severities.length === 0 ? 0 : template.severities.includes(incident.severity) ? 1 : -1;
  const type = template.types.length === 0 ? 0 : template.types.includes(incident.type) ? 1 : -1;
  return severity < 0 || type < 0 ? -1 : severity + type;
}

/**
 * The template for an incident: the most specific match (severity and type both listed and matching, then one
 * of them, then a template for any incident), ties going to the most recently updated, then by name.
 * {@link DEFAULT_TEMPLATE} when nothing matches.
 *
 * @example
 * selectTemplate([securityTemplate, sev1Template], { severity: 'SEV1', type: 'security' });
 * // the one listing both SEV1 and security, if any; else the most recently updated of the two
 */
export function selectTemplate(
  templates: readonly PostmortemTemplate[],
  incident: { severity: Severity; type: IncidentType },
): PostmortemTemplate {
  let best: PostmortemTemplate | null = null;
  let bestScore = -1;
  for (const template of templates) {
    const score = specificity(template, incident);
    if (score < 0) continue;
    const better =
      best === null ||
      score > bestScore ||
      (score === bestScore &&
        (template.updatedAt > best.updatedAt || (template.updatedAt === best.updatedAt && template.name < best.name)));
    if (better) {
      best = template;
      bestScore = score;
    }
  }
  return best ?? DEFAULT_TEMPLATE;
}

/**
 * Checks a template's sections: each id must be `sectionId(title)` and ids must be unique, so that sections can be
 * found again in the document by their heading. The shape itself is checked by the request schema.
 *
 * @example
 * checkTemplateSections([{ id: 'impact', title: 'Impact', prompt: '', required: true }]); // passes
 * @throws DebriefError DEBRIEF_ERR_VALIDATION naming `sections.N.title` for each offending section (the first in
 *   `field`), or `sections` when there is none.
 */
export function checkTemplateSections(sections: readonly TemplateSection[]): void {
  if (sections.length === 0) {
    throw new DebriefError('DEBRIEF_ERR_VALIDATION', 'sections: a template needs at least one section', {
      field: 'sections',
    });
  }
  const details: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  for (const [index, { id, title }] of sections.entries()) {
    const field = `sections.${index}.title`;
    const expected = sectionId(title);
    if (id !== expected) {
      details.push({
        field,
        message: `id ${JSON.stringify(id)} does not match the title; expected ${JSON.stringify(expected)}`,
      });
      continue;
    }
    const first = seen.get(id);
    if (first !== undefined) {
      details.push({ field, message: `the title gives id ${JSON.stringify(id)}, already used by sections.${first}` });
      continue;
    }
    seen.set(id, index);
  }
  const first = details[0];
  if (first) {
    throw new DebriefError('DEBRIEF_ERR_VALIDATION', `${first.field}: ${first.message}`, {
      field: first.field,
      details,
    });
  }
}

/**
 * A prompt as an HTML comment, which keeps it out of rendered and published text. A `-->` inside the prompt would
 * end the comment early, so it is broken up.
 *
 * @example
 * promptComment('Who was affected?'); // '<!-- Who was affected? -->'
 */
export function promptComment(prompt: string): string {
  const text = prompt.trim().replace(/--!?>/g, '-- >');
  if (text === '') return '';
  return text.includes('\n') ? `<!--\n${text}\n-->` : `<!-- ${text} -->`;
}

/** Text a section starts with in an empty document, beyond its prompt: the action-items table header. */
export function sectionStarter(templateSection: Pick<TemplateSection, 'id' | 'title'>): string {
  const canonical = canonicalSectionId(templateSection.title) ?? templateSection.id;
  return canonical === 'action-items' ? ACTION_ITEMS_TABLE_HEADER : '';
}

/** A title as one line of heading text. */
export function headingLine(title: string): string {
  return title.replace(/\s+/g, ' ').trim();
}

/**
 * The empty document for a template: `# title`, then each `## Section` with its prompt as an HTML comment (and
 * the table header under action items).
 *
 * @example
 * renderSkeleton(DEFAULT_TEMPLATE, 'INC-7: Checkout errors').split('\n').slice(0, 4);
 * // ['# INC-7: Checkout errors', '', '## TL;DR', '']
 */
export function renderSkeleton(template: PostmortemTemplate, title: string): string {
  const parts = [`# ${headingLine(title)}`];
  for (const templateSection of template.sections) {
    const body = [promptComment(templateSection.prompt), sectionStarter(templateSection)].filter(Boolean);
    parts.push([`## ${headingLine(templateSection.title)}`, ...body].join('\n\n'));
  }
  return `${parts.join('\n\n')}\n`;
}
