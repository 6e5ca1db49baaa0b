import { describe, expect, it } from 'vitest';
import { countSentences } from './sentences.js';

describe('countSentences', () => {
  it.each([
    ['', 0],
    ['   \n\n', 0],
    ['Checkout failed.', 1],
    ['Checkout failed', 1],
    ['Checkout failed. We rolled back! Was it the pool? Yes.', 4],
    ['Checkout failed for 12% of users, e.g. in the EU. A rollback at 14:52 fixed it.', 2],
    ['Version 2.3.1 shipped at 14:05. Latency rose 3.5x.', 2],
    ['See https://status.example.com/incidents/42. It has the details.', 2],
    ['Dr. Smith approved it, i.e. the on-call lead. It went out at 5 p.m. on Tuesday.', 2],
    ['J. R. Hartley wrote the runbook.', 1],
    ['Wait... it recovered.', 1],
  ])('counts %j as %i', (text, count) => {
    expect(countSentences(text)).toBe(count);
  });

  it('counts list items and paragraphs as sentences even without a full stop', () => {
    expect(countSentences('- API errors for 40 min\n- Rolled back v2.3.1')).toBe(2);
    expect(countSentences('1. One\n2. Two. Three.\n\nA paragraph\nwrapped over lines.')).toBe(4);
    expect(countSentences('- [x] Done item')).toBe(1);
  });

  it('ignores prompts, code blocks, headings and tables', () => {
    const markdown = [
      '<!-- At most five sentences. Really. -->',
      '### Short',
      '```',
      'panic: one. two. three.',
      '```',
      '| a | b |',
      '|---|---|',
      '| c. | d. |',
      'The only sentence.',
    ].join('\n');
    expect(countSentences(markdown)).toBe(1);
  });

  it('does not count punctuation alone', () => {
    expect(countSentences('- \n- ...\n')).toBe(0);
  });
});
