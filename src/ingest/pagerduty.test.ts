import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validationField } from './fixtures/load.js';
import { describe, expect, it } from 'vitest';
import { parsePagerDuty, verifyPagerDutySignature } from './pagerduty.js';

const raw = (name: string): string => readFileSync(new URL(`./fixtures/pagerduty/${name}`, import.meta.url), 'utf8');
const fixture = (name: string): { event: Record<string, unknown> & { data: Record<string, unknown> } } =>
  JSON.parse(raw(name)) as { event: Record<string, unknown> & { data: Record<string, unknown> } };

const sign = (secret: string, body: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('parsePagerDuty', () => {
  it('turns incident.triggered into a page event grouped by the incident', () => {
    expect(parsePagerDuty(fixture('incident-triggered.json'))).toEqual([
      {
        at: '2026-03-14T09:13:40.412Z',
        kind: 'page',
        source: 'pagerduty',
        title: 'Incident #1432 triggered: [FIRING:2] CheckoutHighErrorRate (critical)',
        body:
          'Service: Checkout API\nUrgency: high\nPriority: P1\nAssigned to: Alice Ops\nBy: Checkout API\n' +
          'Link: https://acme.pagerduty.com/incidents/Q1R2S3T4U5V6W7',
        labels: {
          event_type: 'incident.triggered',
          incident_id: 'Q1R2S3T4U5V6W7',
          incident_number: '1432',
          incident_key: '0f3a9c1e5b7d4e2f8a6c4b2d0e9f7a5c',
          service: 'Checkout API',
          service_id: 'PF9KMXH',
          urgency: 'high',
          priority: 'P1',
          escalation_policy: 'Checkout on-call',
          assignees: 'Alice Ops',
          agent: 'Checkout API',
        },
        dedupeKey: 'pagerduty:01DEN4HFH1MDQ0ZMYR0OLVXJJA',
        service: 'Checkout API',
        severity: 'P1',
        status: 'triggered',
        groupKey: 'Q1R2S3T4U5V6W7',
        fingerprint: '0f3a9c1e5b7d4e2f8a6c4b2d0e9f7a5c',
      },
    ]);
  });

  it('follows the incident through acknowledged and resolved, one event each', () => {
    const events = ['incident-triggered.json', 'incident-acknowledged.json', 'incident-resolved.json'].flatMap((f) =>
      parsePagerDuty(fixture(f)),
    );
    expect(events.map((e) => [e.at, e.status, e.title])).toEqual([
      [
        '2026-03-14T09:13:40.412Z',
        'triggered',
        'Incident #1432 triggered: [FIRING:2] CheckoutHighErrorRate (critical)',
      ],
      [
        '2026-03-14T09:16:02.118Z',
        'acknowledged',
        'Incident #1432 acknowledged: [FIRING:2] CheckoutHighErrorRate (critical)',
      ],
      ['2026-03-14T10:02:45.901Z', 'resolved', 'Incident #1432 resolved: [FIRING:2] CheckoutHighErrorRate (critical)'],
    ]);
    expect(new Set(events.map((e) => e.groupKey))).toEqual(new Set(['Q1R2S3T4U5V6W7']));
    expect(new Set(events.map((e) => e.dedupeKey)).size).toBe(3);
    expect(events[1]?.labels.agent).toBe('Alice Ops');
  });

  it('gives the same dedupe key when PagerDuty retries a delivery', () => {
    expect(parsePagerDuty(fixture('incident-triggered.json'))).toEqual(
      parsePagerDuty(JSON.parse(raw('incident-triggered.json'))),
    );
  });

  it("takes other events' state from the incident", () => {
    const escalated = fixture('incident-acknowledged.json');
    escalated.event.event_type = 'incident.escalated';
    escalated.event.id = 'ESCALATED1';
    expect(parsePagerDuty(escalated)[0]).toMatchObject({
      status: 'acknowledged',
      title: 'Incident #1432 escalated: [FIRING:2] CheckoutHighErrorRate (critical)',
    });
  });

  it('keeps a note on the incident as a page event of the same group', () => {
    expect(parsePagerDuty(fixture('incident-annotated.json'))).toEqual([
      {
        at: '2026-03-14T09:24:31.007Z',
        kind: 'page',
        source: 'pagerduty',
        title:
          'Note on [FIRING:2] CheckoutHighErrorRate (critical): Rolling back checkout to v2026.03.13-2; error rate started with…',
        body:
          'Rolling back checkout to v2026.03.13-2; error rate started with the 09:05 deploy.\nBy: Alice Ops\n' +
          'Link: https://acme.pagerduty.com/incidents/Q1R2S3T4U5V6W7',
        labels: { event_type: 'incident.annotated', incident_id: 'Q1R2S3T4U5V6W7', agent: 'Alice Ops' },
        dedupeKey: 'pagerduty:01DEN4L7ZPMDQ0ZMYR0OLVXJJD',
        service: null,
        severity: null,
        groupKey: 'Q1R2S3T4U5V6W7',
      },
    ]);
  });

  it('ignores events about other resources and the subscription ping', () => {
    expect(parsePagerDuty(fixture('service-updated.json'))).toEqual([]);
    expect(
      parsePagerDuty({
        event: {
          id: '01BZ2QWER',
          event_type: 'pagey.ping',
          resource_type: 'pagey',
          occurred_at: '2026-03-14T08:00:00.000Z',
          agent: null,
          client: null,
          data: { message: 'Hello from your friend Pagey!', type: 'ping' },
        },
      }),
    ).toEqual([]);
  });

  it('names the offending field of a malformed payload', () => {
    const noNumber = fixture('incident-triggered.json');
    noNumber.event.data.number = 'one';
    expect(validationField(() => parsePagerDuty(noNumber))).toBe('event.data.number');

    const noService = fixture('incident-triggered.json');
    delete noService.event.data.service;
    expect(validationField(() => parsePagerDuty(noService))).toBe('event.data.service');

    const badTime = fixture('incident-triggered.json');
    badTime.event.occurred_at = 'now';
    expect(validationField(() => parsePagerDuty(badTime))).toBe('event.occurred_at');

    expect(validationField(() => parsePagerDuty({ messages: [] }))).toBe('event');
  });
});

describe('verifyPagerDutySignature', () => {
  const body = raw('incident-triggered.json');

  it('accepts the signature of the raw body, as a string or bytes', () => {
    expect(verifyPagerDutySignature(body, sign('s3cret', body), ['s3cret'])).toBe(true);
    expect(verifyPagerDutySignature(Buffer.from(body), sign('s3cret', body), ['s3cret'])).toBe(true);
  });

  it('accepts any one of several signatures during a secret rotation', () => {
    const header = `${sign('old-secret', body)},${sign('new-secret', body)}`;
    expect(verifyPagerDutySignature(body, header, ['new-secret'])).toBe(true);
    expect(verifyPagerDutySignature(body, header.replace(',', ', '), ['old-secret'])).toBe(true);
    expect(verifyPagerDutySignature(body, sign('new-secret', body), ['old-secret', 'new-secret'])).toBe(true);
  });

  it('refuses a wrong secret, a changed body, another version and a missing header', () => {
    expect(verifyPagerDutySignature(body, sign('other', body), ['s3cret'])).toBe(false);
    expect(verifyPagerDutySignature(`${body} `, sign('s3cret', body), ['s3cret'])).toBe(false);
    expect(verifyPagerDutySignature(body, sign('s3cret', body).replace('v1=', 'v2='), ['s3cret'])).toBe(false);
    expect(verifyPagerDutySignature(body, 'v1=abc', ['s3cret'])).toBe(false);
    expect(verifyPagerDutySignature(body, undefined, ['s3cret'])).toBe(false);
    expect(verifyPagerDutySignature(body, '', ['s3cret'])).toBe(false);
    expect(verifyPagerDutySignature(body, sign('', body), [''])).toBe(false);
    expect(verifyPagerDutySignature(body, sign('s3cret', body), [])).toBe(false);
  });
});
