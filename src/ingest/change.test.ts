import { expectValidationError } from './fixtures/load.js';
import { describe, expect, it } from 'vitest';
import { parseChangeEvent } from './change.js';

const NOW = '2026-03-14T09:00:00.000Z';

describe('parseChangeEvent', () => {
  it('turns a full change event into a change', () => {
    const [event] = parseChangeEvent(
      {
        id: 'pipeline-8812',
        service: 'checkout',
        version: 'v2026.03.14-1',
        kind: 'deploy',
        at: '2026-03-14T10:05:12+01:00',
        author: 'dana',
        environment: 'production',
        description: 'Switch payment client to connection pooling\n\nRefs PAY-112',
        url: 'https://ci.example.net/pipelines/8812',
        diff: '--- a/pool.yaml\n+++ b/pool.yaml\n-max: 10\n+max: 2\n',
      },
      { now: NOW },
    );
    expect(event).toEqual({
      at: '2026-03-14T09:05:12.000Z',
      kind: 'change',
      source: 'change',
      title: 'Deploy checkout v2026.03.14-1 to production: Switch payment client to connection pooling',
      body: 'Switch payment client to connection pooling\n\nRefs PAY-112\nBy: dana\nLink: https://ci.example.net/pipelines/8812',
      labels: { change_kind: 'deploy', environment: 'production', version: 'v2026.03.14-1', author: 'dana' },
      dedupeKey: 'change:pipeline-8812',
      service: 'checkout',
      severity: null,
      change: {
        kind: 'deploy',
        service: 'checkout',
        version: 'v2026.03.14-1',
        environment: 'production',
        author: 'dana',
        url: 'https://ci.example.net/pipelines/8812',
      },
      diff: '--- a/pool.yaml\n+++ b/pool.yaml\n-max: 10\n+max: 2\n',
    });
  });

  it('defaults to a deploy dated now, with only a service', () => {
    const events = parseChangeEvent({ service: 'checkout' }, { now: NOW });
    expect(events[0]?.dedupeKey).toMatch(/^change:[0-9a-f]{32}$/);
    expect(events).toEqual([
      {
        at: NOW,
        kind: 'change',
        source: 'change',
        title: 'Deploy checkout',
        body: '',
        labels: { change_kind: 'deploy' },
        dedupeKey: events[0]?.dedupeKey,
        service: 'checkout',
        severity: null,
        change: { kind: 'deploy', service: 'checkout', version: null, environment: null, author: null, url: null },
      },
    ]);
  });

  it('titles config and flag changes', () => {
    expect(parseChangeEvent({ service: 'checkout', kind: 'config' }, { now: NOW })[0]?.title).toBe(
      'Config change checkout',
    );
    expect(
      parseChangeEvent({ service: 'checkout', kind: 'flag', version: 'new-pricing=on' }, { now: NOW })[0]?.title,
    ).toBe('Flag change checkout new-pricing=on');
  });

  it('gives a retried POST of the same change the same dedupe key', () => {
    const change = { service: 'checkout', version: 'v1', environment: 'production', at: '2026-03-14T09:05:00Z' };
    const first = parseChangeEvent(change, { now: NOW })[0]?.dedupeKey;
    expect(parseChangeEvent({ ...change }, { now: '2026-03-14T09:06:00Z' })[0]?.dedupeKey).toBe(first);
    expect(parseChangeEvent({ ...change, version: 'v2' }, { now: NOW })[0]?.dedupeKey).not.toBe(first);
  });

  it('refuses unknown fields, bad kinds, bad times and bad URLs, naming the field', () => {
    expect(expectValidationError(() => parseChangeEvent({ service: 'checkout', colour: 'red' })).field).toBe('colour');
    expect(expectValidationError(() => parseChangeEvent({ service: 'checkout', kind: 'migration' })).field).toBe(
      'kind',
    );
    expect(expectValidationError(() => parseChangeEvent({ service: 'checkout', at: '2026-03-14 09:05' })).field).toBe(
      'at',
    );
    expect(
      expectValidationError(() => parseChangeEvent({ service: 'checkout', url: 'javascript:alert(1)' })).field,
    ).toBe('url');
    expect(expectValidationError(() => parseChangeEvent({ service: '  ' })).field).toBe('service');
    expect(expectValidationError(() => parseChangeEvent({ version: 'v1' })).field).toBe('service');
    expect(expectValidationError(() => parseChangeEvent([])).field).toBe('(body)');
  });
});
