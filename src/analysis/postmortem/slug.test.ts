import { describe, expect, it } from 'vitest';
import { plainHeadingText, sectionId } from './slug.js';

describe('sectionId', () => {
  it.each([
    ['What went well', 'what-went-well'],
    ['TL;DR', 'tldr'],
    ['5 whys', '5-whys'],
    ['Response and recovery', 'response-and-recovery'],
    ['Response & recovery', 'response-and-recovery'],
    ['Timeline (all times UTC)', 'timeline-all-times-utc'],
    ['Root Cause(s)', 'root-causes'],
    ['Follow-ups', 'follow-ups'],
    ["What we're doing about it", 'what-were-doing-about-it'],
    ['Remediation / future work', 'remediation-future-work'],
    ['Q&A', 'q-and-a'],
    ['  Lessons   learned:  ', 'lessons-learned'],
  ])('slugs %j as %j', (title, id) => {
    expect(sectionId(title)).toBe(id);
  });

  it('strips inline markdown: emphasis, code, links and HTML anchors', () => {
    expect(sectionId('**Impact**')).toBe('impact');
    expect(sectionId('_Detection_')).toBe('detection');
    expect(sectionId('`kubectl` rollout')).toBe('kubectl-rollout');
    expect(sectionId('[Supporting information](#links)')).toBe('supporting-information');
    expect(sectionId('Follow-up actions<a name="followup"></a>')).toBe('follow-up-actions');
  });

  it('keeps letters of other scripts and drops accents', () => {
    expect(sectionId('Résumé')).toBe('resume');
    expect(sectionId('Zeitablauf Übersicht')).toBe('zeitablauf-ubersicht');
    expect(sectionId('時系列')).toBe('時系列');
  });

  it('never gives an empty id', () => {
    expect(sectionId('')).toBe('section');
    expect(sectionId('???')).toBe('section');
  });

  it('is stable: the slug of a slug is itself', () => {
    for (const title of ['TL;DR', 'Where we got lucky', 'Response & recovery']) {
      expect(sectionId(sectionId(title))).toBe(sectionId(title));
    }
  });
});

describe('plainHeadingText', () => {
  it('keeps the words and drops the markup', () => {
    expect(plainHeadingText('**Root cause(s)** <a name="rc"></a>')).toBe('Root cause(s)');
    expect(plainHeadingText('Timeline \\#2')).toBe('Timeline #2');
    expect(plainHeadingText('![icon](x.png) Impact')).toBe('icon Impact');
  });

  it('leaves underscores inside words alone', () => {
    expect(plainHeadingText('settlement_payments.clvm')).toBe('settlement_payments.clvm');
  });
});
