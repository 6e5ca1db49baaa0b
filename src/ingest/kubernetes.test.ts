import { readFileSync } from 'node:fs';
import { validationField } from './fixtures/load.js';
import { describe, expect, it } from 'vitest';
import { parseKubernetesEvents } from './kubernetes.js';

type EventItem = Record<string, unknown> & { metadata: Record<string, unknown> };
type EventList = Record<string, unknown> & { items: EventItem[] };

const fixture = (): EventList =>
  JSON.parse(readFileSync(new URL('./fixtures/kubernetes/events.json', import.meta.url), 'utf8')) as EventList;
const item = (list: EventList, index: number): EventItem => {
  const found = list.items[index];
  if (!found) throw new Error(`fixture has no item ${index}`);
  return found;
};

describe('parseKubernetesEvents', () => {
  it('turns the event list into log events, in time order', () => {
    expect(parseKubernetesEvents(fixture())).toEqual([
      {
        at: '2026-03-14T09:05:14.000Z',
        kind: 'log',
        source: 'kubernetes',
        title: 'ScalingReplicaSet Deployment/checkout: Scaled up replica set checkout-7d9f8b6c5 to 3',
        body: 'Scaled up replica set checkout-7d9f8b6c5 to 3\nReported by: deployment-controller',
        labels: {
          namespace: 'shop',
          kind: 'Deployment',
          name: 'checkout',
          reason: 'ScalingReplicaSet',
          type: 'Normal',
          count: '1',
          component: 'deployment-controller',
        },
        dedupeKey: 'kubernetes:7a2d3e4f-5b6c-4d7e-9f80-1a2b3c4d5e6f:2026-03-14T09:05:14.000Z',
        service: 'shop',
        severity: 'info',
      },
      {
        at: '2026-03-14T09:09:31.004Z',
        kind: 'log',
        source: 'kubernetes',
        title: 'Unhealthy Pod/coredns-5d78c9869d-4kq2p: Readiness probe failed: HTTP probe failed with statuscode: 503',
        body:
          'Readiness probe failed: HTTP probe failed with statuscode: 503\n' +
          'Seen 4 times since 2026-03-14T09:08:01.512Z.\n' +
          'Reported by: kubelet on node-eu-1-b',
        labels: {
          namespace: 'kube-system',
          kind: 'Pod',
          name: 'coredns-5d78c9869d-4kq2p',
          reason: 'Unhealthy',
          type: 'Warning',
          count: '4',
          component: 'kubelet',
        },
        dedupeKey: 'kubernetes:8b3e4f50-6c7d-4e8f-a091-2b3c4d5e6f70:2026-03-14T09:09:31.004Z',
        service: null,
        severity: 'warning',
      },
      {
        at: '2026-03-14T09:11:47.000Z',
        kind: 'log',
        source: 'kubernetes',
        title: 'BackOff Pod/checkout-7d9f8b6c5-x2x9q: Back-off restarting failed container checkout in pod…',
        body:
          'Back-off restarting failed container checkout in pod checkout-7d9f8b6c5-x2x9q_shop(0a1b2c3d-1111-4222-8333-944455566677)\n' +
          'Seen 5 times since 2026-03-14T09:06:20.000Z.\n' +
          'Field: spec.containers{checkout}\n' +
          'Reported by: kubelet on node-eu-1-a',
        labels: {
          namespace: 'shop',
          kind: 'Pod',
          name: 'checkout-7d9f8b6c5-x2x9q',
          reason: 'BackOff',
          type: 'Warning',
          count: '5',
          component: 'kubelet',
        },
        dedupeKey: 'kubernetes:6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f:2026-03-14T09:11:47.000Z',
        service: 'shop',
        severity: 'warning',
      },
    ]);
  });

  it('adds nothing for a re-export, and a new event when Kubernetes saw it again', () => {
    const first = parseKubernetesEvents(fixture()).map((e) => e.dedupeKey);
    expect(parseKubernetesEvents(fixture()).map((e) => e.dedupeKey)).toEqual(first);

    const later = fixture();
    Object.assign(item(later, 0), { count: 6, lastTimestamp: '2026-03-14T09:14:02Z' });
    const keys = parseKubernetesEvents(later).map((e) => e.dedupeKey);
    expect(keys.filter((k) => !first.includes(k))).toEqual([
      'kubernetes:6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f:2026-03-14T09:14:02.000Z',
    ]);
  });

  it('reads the EventList the API returns and an empty list', () => {
    expect(parseKubernetesEvents({ ...fixture(), kind: 'EventList' })).toHaveLength(3);
    expect(parseKubernetesEvents({ apiVersion: 'v1', kind: 'List', items: [], metadata: {} })).toEqual([]);
  });

  it('names the offending field of a malformed list', () => {
    const noUid = fixture();
    delete item(noUid, 1).metadata.uid;
    expect(validationField(() => parseKubernetesEvents(noUid))).toBe('items[1].metadata.uid');

    const badTime = fixture();
    item(badTime, 0).lastTimestamp = 'Mar 14 09:11';
    expect(validationField(() => parseKubernetesEvents(badTime))).toBe('items[0].lastTimestamp');

    const noTime = fixture();
    Object.assign(item(noTime, 2), { eventTime: null, series: null, metadata: { uid: 'x' } });
    expect(validationField(() => parseKubernetesEvents(noTime))).toBe('items[2].lastTimestamp');

    expect(validationField(() => parseKubernetesEvents({ kind: 'Pod', items: [] }))).toBe('kind');
  });
});
