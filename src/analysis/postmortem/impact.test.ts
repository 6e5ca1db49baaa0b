import { describe, expect, it } from 'vitest';
import { isImpactQuantified } from './impact.js';

describe('isImpactQuantified', () => {
  it.each([
    'About 12% of checkouts failed.',
    'Error rate peaked at 4.5 percent.',
    'Logins failed for 40 minutes.',
    'Impact duration: 1h 05m',
    'The API was down for two hours.',
    '1,200 customers could not pay.',
    '~3k paying users saw errors.',
    'We dropped 12 000 requests.',
    'Throughput fell to 200 req/s.',
    'Refunds cost $4,500.',
    'Lost revenue of 3200 EUR.',
    '3 of 12 regions were affected.',
    'Two customers opened tickets.',
  ])('counts %j as quantified', (text) => {
    expect(isImpactQuantified(text)).toBe(true);
  });

  it.each([
    '',
    'Some users were affected.',
    'Checkout returned HTTP 503 from 2026-03-04 14:05 until 15:10.',
    'Users saw 502 errors.',
    'Version v2.3.1 was rolled back on SEV2 INC-42, see #123.',
    'Many requests failed and customers were unhappy.',
  ])('does not count %j', (text) => {
    expect(isImpactQuantified(text)).toBe(false);
  });

  it('ignores numbers in prompts', () => {
    expect(isImpactQuantified('<!-- e.g. 12% of checkouts for 40 minutes -->\nSome users were affected.')).toBe(false);
  });
});
