import { describe, expect, it } from 'vitest';
import {
  CANONICAL_SECTION_TITLES,
  parseActionItems,
  parseContributingFactors,
  parseSections,
  sectionId,
} from '../../analysis/postmortem/index.js';
import { DebriefError } from '../errors.js';
import {
  BUILT_IN_TEMPLATE_ID,
  DEFAULT_TEMPLATE,
  checkTemplateSections,
  promptComment,
  renderSkeleton,
  selectTemplate,
} from './templates.js';
import type { PostmortemTemplate, TemplateSection } from './types.js';

function template(name: string, fields: Partial<PostmortemTemplate> = {}): PostmortemTemplate {
  return {
    ...DEFAULT_TEMPLATE,
    id: `t-${name}`,
    name,
    builtIn: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  };
}

describe('DEFAULT_TEMPLATE', () => {
  it('is the built-in template with the canonical sections in order', () => {
    expect(DEFAULT_TEMPLATE).toMatchObject({
      id: BUILT_IN_TEMPLATE_ID,
      builtIn: true,
      version: 1,
      severities: [],
      types: [],
      createdAt: '1970-01-01T00:00:00.000Z',
      updatedAt: '1970-01-01T00:00:00.000Z',
    });
    expect(DEFAULT_TEMPLATE.sections.map((section) => section.title)).toEqual([
      'TL;DR',
      'Summary',
      'Impact',
      'Timeline',
      'Detection',
      'Response and recovery',
      'Contributing factors',
      '5 whys',
      'What went well',
      'What went wrong',
      'Where we got lucky',
      'Lessons',
      'Action items',
      'Supporting information',
    ]);
    expect(DEFAULT_TEMPLATE.sections.map((section) => section.id)).toEqual(Object.keys(CANONICAL_SECTION_TITLES));
  });

  it('passes its own section check, with a prompt for every section', () => {
    expect(() => checkTemplateSections(DEFAULT_TEMPLATE.sections)).not.toThrow();
    for (const section of DEFAULT_TEMPLATE.sections) {
      expect(section.id).toBe(sectionId(section.title));
      expect(section.prompt.length).toBeGreaterThan(20);
    }
  });

  it('makes 5 whys optional and asks for factors with categories, never one root cause', () => {
    const byId = new Map(DEFAULT_TEMPLATE.sections.map((section) => [section.id, section]));
    expect(byId.get('5-whys')?.required).toBe(false);
    expect(byId.get('summary')?.required).toBe(true);
    const factors = byId.get('contributing-factors')?.prompt ?? '';
    expect(factors).toContain('Never one root cause');
    expect(factors).toContain('- **Change:**');
    expect(factors).toContain('Detection gap');
    expect(byId.get('tldr')?.prompt).toContain('five sentences');
  });
});

describe('selectTemplate', () => {
  const incident = { severity: 'SEV1', type: 'security' } as const;

  it('falls back to the default when nothing matches', () => {
    expect(selectTemplate([], incident)).toBe(DEFAULT_TEMPLATE);
    expect(selectTemplate([template('sev3', { severities: ['SEV3'] })], incident)).toBe(DEFAULT_TEMPLATE);
    expect(selectTemplate([template('exercise', { types: ['exercise'] })], incident)).toBe(DEFAULT_TEMPLATE);
  });

  it('prefers both lists matching over one over "any"', () => {
    const any = template('any');
    const sev1 = template('sev1', { severities: ['SEV1', 'SEV2'] });
    const security = template('security', { types: ['security'] });
    const both = template('both', { severities: ['SEV1'], types: ['security'] });
    expect(selectTemplate([any, sev1, security, both], incident)).toBe(both);
    expect(selectTemplate([any, sev1], incident)).toBe(sev1);
    expect(selectTemplate([any], incident)).toBe(any);
  });

  it('never picks a template whose other list excludes the incident', () => {
    const wrongType = template('wrong', { severities: ['SEV1'], types: ['near_miss'] });
    const any = template('any');
    expect(selectTemplate([wrongType, any], incident)).toBe(any);
  });

  it('breaks ties by the newest update, then by name', () => {
    const older = template('b-older', { types: ['security'], updatedAt: '2026-01-01T00:00:00.000Z' });
    const newer = template('c-newer', { types: ['security'], updatedAt: '2026-02-01T00:00:00.000Z' });
    const sameTime = template('a-same', { types: ['security'], updatedAt: '2026-02-01T00:00:00.000Z' });
    expect(selectTemplate([older, newer], incident)).toBe(newer);
    expect(selectTemplate([older, newer, sameTime], incident)).toBe(sameTime);
    expect(selectTemplate([sameTime, newer, older], incident)).toBe(sameTime);
  });

  it('prefers a custom "any" template over the stored default', () => {
    const custom = template('house style');
    expect(selectTemplate([DEFAULT_TEMPLATE, custom], incident)).toBe(custom);
  });
});

describe('checkTemplateSections', () => {
  const section = (title: string, id = sectionId(title)): TemplateSection => ({
    id,
    title,
    prompt: '',
    required: true,
  });

  function errorOf(sections: TemplateSection[]): DebriefError {
    try {
      checkTemplateSections(sections);
    } catch (error) {
      if (error instanceof DebriefError) return error;
      throw error;
    }
    throw new Error('expected a DebriefError');
  }

  it('accepts sections whose ids are the slugs of their titles', () => {
    expect(() => checkTemplateSections([section('Summary'), section('Customer comms')])).not.toThrow();
  });

  it('names the section whose id is not the slug of its title', () => {
    const error = errorOf([section('Summary'), section('Impact', 'customer-impact')]);
    expect(error.code).toBe('DEBRIEF_ERR_VALIDATION');
    expect(error.field).toBe('sections.1.title');
    expect(error.message).toContain('expected "impact"');
  });

  it('names every section whose title repeats an id', () => {
    const error = errorOf([section('Summary'), section('Impact'), section('summary'), section('IMPACT')]);
    expect(error.field).toBe('sections.2.title');
    expect(error.details.map((detail) => detail.field)).toEqual(['sections.2.title', 'sections.3.title']);
    expect(error.details[1]?.message).toContain('already used by sections.1');
  });

  it('rejects a template without sections', () => {
    expect(errorOf([]).field).toBe('sections');
  });
});

describe('promptComment', () => {
  it('wraps a prompt in an HTML comment, on its own lines when it has several', () => {
    expect(promptComment('Who was affected?')).toBe('<!-- Who was affected? -->');
    expect(promptComment('one\ntwo')).toBe('<!--\none\ntwo\n-->');
    expect(promptComment('  ')).toBe('');
  });

  it('cannot be closed early by the prompt text', () => {
    const comment = promptComment('use --> arrows and --!> too');
    expect(comment.match(/-->/g)).toHaveLength(1);
    expect(comment.endsWith('-->')).toBe(true);
  });
});

describe('renderSkeleton', () => {
  it('renders the title, every section heading and its prompt as a comment', () => {
    const skeleton = renderSkeleton(DEFAULT_TEMPLATE, 'INC-7: Checkout errors');
    expect(skeleton.startsWith('# INC-7: Checkout errors\n\n## TL;DR\n\n<!-- At most five sentences')).toBe(true);
    const sections = parseSections(skeleton);
    expect(sections.map((section) => section.id)).toEqual(DEFAULT_TEMPLATE.sections.map((section) => section.id));
    expect(sections.every((section) => !section.filled)).toBe(true);
  });

  it('puts the action-items table header under the action items, and no facts anywhere', () => {
    const skeleton = renderSkeleton(DEFAULT_TEMPLATE, 'x');
    expect(skeleton).toContain('## Action items\n\n<!--');
    expect(skeleton).toContain(
      '| Action | Type | Owner | Due | Priority | Ticket |\n| --- | --- | --- | --- | --- | --- |\n',
    );
    expect(parseActionItems(skeleton)).toEqual([]);
    expect(parseContributingFactors(skeleton)).toEqual([]);
  });

  it('keeps a multi-line title and custom sections on their heading lines', () => {
    const custom = template('custom', {
      sections: [{ id: 'customer-comms', title: 'Customer comms', prompt: 'What we told customers.', required: true }],
    });
    expect(renderSkeleton(custom, 'Two\nlines')).toBe(
      '# Two lines\n\n## Customer comms\n\n<!-- What we told customers. -->\n',
    );
  });
});
