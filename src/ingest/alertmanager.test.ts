import { readFileSync } from 'node:fs';
import { validationField } from './fixtures/load.js';
import { describe, expect, it } from 'vitest';
import { DebriefError } from '../domain/errors.js';
import { alertFingerprint, parseAlertmanager } from './alertmanager.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/alertmanager/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

const GROUP_KEY = '{}/{severity="critical"}:{alertname="CheckoutHighErrorRate"}';

describe('parseAlertmanager', () => {
  it('turns a firing notification into one alert event per alert', () => {
    expect(parseAlertmanager(fixture('firing.json'))).toEqual([
      {
        at: '2026-03-14T09:12:31.000Z',
        kind: 'alert',
        source: 'alertmanager',
        title: 'CheckoutHighErrorRate firing: 5xx ratio above 5% in eu-west-1',
        body:
          '5xx ratio above 5% in eu-west-1\n' +
          'runbook_url: https://runbooks.example.net/checkout/high-error-rate\n' +
          'source: http://prometheus.example.net:9090/graph?g0.expr=...',
        labels: {
          alertname: 'CheckoutHighErrorRate',
          service: 'checkout',
          severity: 'critical',
          namespace: 'shop',
          cluster: 'eu-west-1',
        },
        dedupeKey: 'alertmanager:506b7cc49c429700:2026-03-14T09:12:31.000Z:firing',
        service: 'checkout',
        severity: 'critical',
        status: 'firing',
        groupKey: GROUP_KEY,
        fingerprint: '506b7cc49c429700',
        startsAt: '2026-03-14T09:12:31.000Z',
      },
      {
        at: '2026-03-14T09:13:02.000Z',
        kind: 'alert',
        source: 'alertmanager',
        title: 'CheckoutHighErrorRate firing: 5xx ratio above 5% in us-east-1',
        body:
          '5xx ratio above 5% in us-east-1\n' +
          'runbook_url: https://runbooks.example.net/checkout/high-error-rate\n' +
          'source: http://prometheus.example.net:9090/graph?g0.expr=...',
        labels: {
          alertname: 'CheckoutHighErrorRate',
          service: 'checkout',
          severity: 'critical',
          namespace: 'shop',
          cluster: 'us-east-1',
        },
        dedupeKey: 'alertmanager:3f68016eec97af5c:2026-03-14T09:13:02.000Z:firing',
        service: 'checkout',
        severity: 'critical',
        status: 'firing',
        groupKey: GROUP_KEY,
        fingerprint: '3f68016eec97af5c',
        startsAt: '2026-03-14T09:13:02.000Z',
      },
    ]);
  });

  it('dates a resolved alert at its end and keeps the active window', () => {
    const [first] = parseAlertmanager(fixture('resolved.json'));
    expect(first).toMatchObject({
      at: '2026-03-14T09:58:01.000Z',
      status: 'resolved',
      title: 'CheckoutHighErrorRate resolved: 5xx ratio above 5% in eu-west-1',
      dedupeKey: 'alertmanager:506b7cc49c429700:2026-03-14T09:12:31.000Z:resolved',
      startsAt: '2026-03-14T09:12:31.000Z',
      endsAt: '2026-03-14T09:58:01.000Z',
      fingerprint: '506b7cc49c429700',
    });
  });

  it('gives two events for an alert that fires and resolves, one identity across both', () => {
    const firing = parseAlertmanager(fixture('firing.json')).filter((e) => e.fingerprint === '506b7cc49c429700');
    const resolved = parseAlertmanager(fixture('resolved.json')).filter((e) => e.fingerprint === '506b7cc49c429700');
    const events = [...firing, ...resolved];
    expect(events.map((e) => e.status)).toEqual(['firing', 'resolved']);
    expect(new Set(events.map((e) => e.dedupeKey)).size).toBe(2);
    expect(new Set(events.map((e) => e.groupKey)).size).toBe(1);
  });

  it('gives the same dedupe keys for the re-sends of every repeat_interval', () => {
    const first = parseAlertmanager(fixture('firing.json'));
    const repeat = fixture('firing.json');
    repeat.truncatedAlerts = 0;
    repeat.receiver = 'debrief';
    const again = parseAlertmanager(repeat);
    expect(again.map((e) => e.dedupeKey)).toEqual(first.map((e) => e.dedupeKey));
    expect(again).toEqual(first);
  });

  it('treats a later re-fire of the same alert as a new event', () => {
    const refire = fixture('firing.json');
    (refire.alerts as { startsAt: string }[])[0]!.startsAt = '2026-03-14T11:00:00Z';
    const [later] = parseAlertmanager(refire);
    const [earlier] = parseAlertmanager(fixture('firing.json'));
    expect(later?.fingerprint).toBe(earlier?.fingerprint);
    expect(later?.dedupeKey).not.toBe(earlier?.dedupeKey);
  });

  it('computes the fingerprint the way Alertmanager does', () => {
    for (const alert of fixture('firing.json').alerts as { labels: Record<string, string>; fingerprint: string }[]) {
      expect(alertFingerprint(alert.labels)).toBe(alert.fingerprint);
    }
  });

  it('falls back to the computed fingerprint when the payload has none', () => {
    const payload = fixture('firing.json');
    delete (payload.alerts as { fingerprint?: string }[])[0]!.fingerprint;
    expect(parseAlertmanager(payload)[0]?.dedupeKey).toBe(
      'alertmanager:506b7cc49c429700:2026-03-14T09:12:31.000Z:firing',
    );
  });

  it('takes the service from the job label when there is no service label, and converts offsets to UTC', () => {
    const [event] = parseAlertmanager({
      version: '4',
      groupKey: '{}:{alertname="InstanceDown"}',
      status: 'firing',
      receiver: 'debrief',
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'InstanceDown', job: 'node', instance: 'db-1:9100' },
          annotations: {},
          startsAt: '2026-03-14T10:00:00.123456789+01:00',
          endsAt: '2026-03-14T10:04:00+01:00',
        },
      ],
    });
    expect(event).toMatchObject({
      at: '2026-03-14T09:00:00.123Z',
      title: 'InstanceDown firing',
      body: '',
      service: 'node',
      severity: null,
    });
    expect(event?.endsAt).toBeUndefined();
  });

  it('names the offending field of a malformed payload', () => {
    const badTime = fixture('firing.json');
    (badTime.alerts as { startsAt: string }[])[0]!.startsAt = 'yesterday';
    expect(validationField(() => parseAlertmanager(badTime))).toBe('alerts[0].startsAt');

    const badStatus = fixture('firing.json');
    (badStatus.alerts as { status: string }[])[1]!.status = 'pending';
    expect(validationField(() => parseAlertmanager(badStatus))).toBe('alerts[1].status');

    const badLabel = fixture('firing.json');
    (badLabel.alerts as { labels: Record<string, unknown> }[])[0]!.labels.cluster = 3;
    expect(validationField(() => parseAlertmanager(badLabel))).toBe('alerts[0].labels.cluster');

    expect(validationField(() => parseAlertmanager({ ...fixture('firing.json'), version: '3' }))).toBe('version');
    expect(validationField(() => parseAlertmanager({ ...fixture('firing.json'), alerts: undefined }))).toBe('alerts');
    expect(validationField(() => parseAlertmanager('not json'))).toBe('(body)');
  });

  it('lists every offending field in the error details', () => {
    const payload = fixture('firing.json');
    const alerts = payload.alerts as { startsAt: string; status: string }[];
    alerts[0]!.startsAt = 'soon';
    alerts[1]!.status = 'unknown';
    try {
      parseAlertmanager(payload);
      expect.unreachable();
    } catch (error) {
      expect((error as DebriefError).details.map((d) => d.field)).toEqual(['alerts[0].startsAt', 'alerts[1].status']);
      expect((error as DebriefError).message).toMatch(/^invalid Alertmanager payload: alerts\[0\]\.startsAt: /);
    }
  });
});
