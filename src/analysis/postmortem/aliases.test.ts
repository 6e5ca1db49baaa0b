import { describe, expect, it } from 'vitest';
import { CANONICAL_SECTION_TITLES, SECTION_ALIASES, canonicalSectionId, canonicalTitle } from './aliases.js';
import { sectionId } from './slug.js';

describe('canonicalSectionId', () => {
  it('maps every canonical title to itself', () => {
    for (const [id, title] of Object.entries(CANONICAL_SECTION_TITLES)) {
      expect(canonicalSectionId(title)).toBe(id);
      expect(sectionId(title)).toBe(id);
    }
  });

  it.each([
    ['Root cause', 'contributing-factors'],
    ['Root Causes', 'contributing-factors'],
    ['Trigger', 'contributing-factors'],
    ['Contributing Factors (findings)', 'contributing-factors'],
    ['TL/DR', 'tldr'],
    ['Executive summary', 'tldr'],
    ['Issue Summary', 'summary'],
    ['Customer impact', 'impact'],
    ['Resolution and recovery', 'response-and-recovery'],
    ['Mitigation', 'response-and-recovery'],
    ['Follow-ups', 'action-items'],
    ['Corrective and Preventative Measures', 'action-items'],
    ['Remediation / Future work', 'action-items'],
    ['Lessons Learnt', 'lessons'],
    ['What went poorly', 'what-went-wrong'],
    ['What could have gone better?', 'what-went-wrong'],
    ['Root cause identification: The Five Whys', '5-whys'],
    ['Appendix', 'supporting-information'],
  ])('maps %j to %s', (title, id) => {
    expect(canonicalSectionId(title)).toBe(id);
  });

  it('reads any heading that names a timeline as the timeline', () => {
    expect(canonicalSectionId('Timeline (all times PST) 10/14/2022 - 11/03/2022. All times approximations')).toBe(
      'timeline',
    );
    expect(canonicalSectionId('Timeline of events')).toBe('timeline');
    expect(canonicalSectionId('Chronology')).toBe('timeline');
  });

  it('ignores section numbering but not a number that is part of the name', () => {
    expect(canonicalSectionId('1. Summary')).toBe('summary');
    expect(canonicalSectionId('IV. Lessons learned')).toBe('lessons');
    expect(canonicalSectionId('5 whys')).toBe('5-whys');
  });

  it('returns null for sections the default template has no place for', () => {
    expect(canonicalSectionId('Attendees')).toBeNull();
    expect(canonicalSectionId('Company overview')).toBeNull();
  });

  it('lists aliases that are slugs and belong to exactly one canonical section', () => {
    const owners = new Map<string, string>();
    for (const [canonical, aliases] of Object.entries(SECTION_ALIASES)) {
      expect(CANONICAL_SECTION_TITLES[canonical]).toBeDefined();
      for (const alias of aliases) {
        expect(sectionId(alias)).toBe(alias);
        expect(owners.get(alias)).toBeUndefined();
        owners.set(alias, canonical);
      }
    }
  });
});

describe('canonicalTitle', () => {
  it('gives the default template title, or the id in words', () => {
    expect(canonicalTitle('tldr')).toBe('TL;DR');
    expect(canonicalTitle('action-items')).toBe('Action items');
    expect(canonicalTitle('customer-comms')).toBe('Customer comms');
  });
});
