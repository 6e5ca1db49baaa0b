import { describe, expect, it } from 'vitest';
import {
  classifyDelivery,
  compileMatch,
  compileRules,
  compileWindow,
  isPageWorthy,
  labelMatcher,
  matchesAlert,
  routeAlert,
  type AlertFacts,
  type DeliveryOutcome,
  type IncomingState,
  type RoutingDecision,
  type RoutingRule,
  type SignalState,
} from './alert-routing.js';
import { DebriefError } from './errors.js';

const T0 = '2026-03-14T09:00:00.000Z';
const T1 = '2026-03-14T09:10:00.000Z';
const T2 = '2026-03-14T09:20:00.000Z';
const T3 = '2026-03-14T09:30:00.000Z';

function alert(overrides: Partial<AlertFacts> = {}): AlertFacts {
  return {
    source: 'alertmanager',
    kind: 'alert',
    status: 'firing',
    severity: 'critical',
    service: 'checkout',
    labels: { alertname: 'CheckoutHighErrorRate', service: 'checkout', severity: 'critical', team: 'payments' },
    at: T1,
    ...overrides,
  };
}

const defaults = { defaultSeverity: 'SEV2' as const };

describe('labelMatcher', () => {
  it.each([
    ['checkout', 'checkout', true],
    ['checkout', 'checkout-eu', false],
    ['/check.*/', 'checkout-eu', true],
    ['/check/', 'checkout', false],
    ['/5\\d\\d/', '503', true],
    ['/5\\d\\d/', '1503', false],
    ['/prod|staging/', 'staging', true],
    ['/PROD/i', 'prod', true],
    ['/PROD/', 'prod', false],
    ['', '', true],
    ['/.*/', '', true],
  ])('%j matches %j: %s', (pattern, value, expected) => {
    expect(labelMatcher(pattern, 'f')(value)).toBe(expected);
  });

  it('names the field of an invalid regular expression', () => {
    let error: unknown;
    try {
      compileMatch({ labels: { team: '/pay(/' } }, 'match');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DebriefError);
    expect((error as DebriefError).field).toBe('match.labels.team');
    expect(() => compileMatch({ labels: { env: '/[/' } })).toThrow(/labels\.env/);
  });
});

describe('matchesAlert', () => {
  it.each<[string, Parameters<typeof compileMatch>[0], Partial<AlertFacts>, boolean]>([
    ['empty match', {}, {}, true],
    ['exact label', { labels: { team: 'payments' } }, {}, true],
    ['other label value', { labels: { team: 'search' } }, {}, false],
    ['missing label against exact', { labels: { env: 'prod' } }, {}, false],
    ['missing label against empty', { labels: { env: '' } }, {}, true],
    ['regex label', { labels: { alertname: '/Checkout.*/' } }, {}, true],
    ['severity list, any case', { severity: ['CRITICAL', 'page'] }, {}, true],
    ['severity list miss', { severity: ['warning'] }, {}, false],
    ['no severity on the alert', { severity: ['warning'] }, { severity: null }, false],
    ['service list', { service: ['search', 'checkout'] }, {}, true],
    ['service list miss', { service: ['search'] }, {}, false],
    ['source list', { source: ['grafana'] }, { source: 'grafana' }, true],
    ['source list miss', { source: ['grafana'] }, {}, false],
    ['all parts must match', { severity: ['critical'], labels: { team: 'search' } }, {}, false],
  ])('%s', (_name, match, facts, expected) => {
    expect(matchesAlert(compileMatch(match, 'match'), alert(facts))).toBe(expected);
  });
});

describe('isPageWorthy', () => {
  it.each<[string, Partial<AlertFacts>, boolean]>([
    ['critical firing', {}, true],
    ['Critical in another case', { severity: 'Critical' }, true],
    ['page', { severity: 'PAGE' }, true],
    ['warning', { severity: 'warning' }, false],
    ['no severity', { severity: null }, false],
    ['critical but resolved', { status: 'resolved' }, false],
    ['PagerDuty triggered', { kind: 'page', source: 'pagerduty', status: 'triggered', severity: 'P3' }, true],
    ['PagerDuty acknowledged', { kind: 'page', source: 'pagerduty', status: 'acknowledged', severity: 'P3' }, false],
    ['PagerDuty resolved', { kind: 'page', source: 'pagerduty', status: 'resolved', severity: 'P1' }, false],
  ])('%s: %s', (_name, facts, expected) => {
    expect(isPageWorthy(alert(facts))).toBe(expected);
  });
});

describe('routeAlert', () => {
  const rules: RoutingRule[] = [
    { id: 'settings:0', name: 'noisy canaries', match: { labels: { alertname: '/Canary.*/' } }, action: 'ignore' },
    {
      id: 'r1',
      name: 'payments pages',
      match: { labels: { team: 'payments' }, severity: ['warning'] },
      action: 'declare',
      severity: 'SEV1',
    },
    {
      id: 'r2',
      name: 'edge to cdn',
      match: { labels: { job: 'edge' } },
      action: 'attach',
      service: 'cdn',
    },
    { id: 'r3', name: 'grafana declares', match: { source: ['grafana'] }, action: 'declare' },
  ];
  const compiled = compileRules(rules);
  const window = compileWindow({
    id: 'mw-1',
    service: 'checkout',
    labels: {},
    startsAt: T0,
    endsAt: T2,
  });
  const labelWindow = compileWindow({
    id: 'mw-2',
    service: null,
    labels: { cluster: '/eu-.*/' },
    startsAt: T0,
    endsAt: T3,
  });

  it.each<[string, Partial<AlertFacts>, Partial<RoutingDecision>]>([
    ['default: critical declares at the default severity', {}, { action: 'declare', severity: 'SEV2', rule: null }],
    ['default: warning attaches', { severity: 'warning', labels: {} }, { action: 'attach', rule: null }],
    ['default: resolved critical attaches', { status: 'resolved' }, { action: 'attach' }],
    [
      'first matching rule wins: ignore',
      { labels: { alertname: 'CanaryDown', team: 'payments' } },
      { action: 'ignore', rule: 'noisy canaries' },
    ],
    [
      'rule declares a warning at SEV1',
      { severity: 'warning' },
      { action: 'declare', severity: 'SEV1', rule: 'payments pages', service: 'checkout' },
    ],
    [
      'rule routes to another service',
      { severity: 'critical', labels: { job: 'edge' }, service: 'edge' },
      { action: 'attach', service: 'cdn', rule: 'edge to cdn' },
    ],
    [
      'rule without severity uses the default',
      { source: 'grafana', severity: 'info', labels: {} },
      { action: 'declare', severity: 'SEV2', rule: 'grafana declares' },
    ],
    [
      'a rule declare still never declares a resolved alert',
      { source: 'grafana', status: 'resolved', labels: {} },
      {
        action: 'attach',
      },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(routeAlert(alert(facts), compiled, [], defaults)).toMatchObject({ suppressedBy: null, ...expected });
  });

  it.each<[string, Partial<AlertFacts>, string | null, RoutingDecision['action']]>([
    ['inside a service window: suppressed', {}, 'mw-1', 'attach'],
    ['at the window start (inclusive)', { at: T0 }, 'mw-1', 'attach'],
    ['at the window end (exclusive)', { at: T2 }, null, 'declare'],
    ['before the window', { at: '2026-03-14T08:59:59.000Z' }, null, 'declare'],
    ['another service', { service: 'search', labels: { alertname: 'X' } }, null, 'declare'],
    ['label window', { service: 'search', labels: { alertname: 'X', cluster: 'eu-west-1' }, at: T2 }, 'mw-2', 'attach'],
    ['label window, other cluster', { service: 'search', labels: { cluster: 'us-east-1' }, at: T2 }, null, 'declare'],
  ])('%s', (_name, facts, suppressedBy, action) => {
    const decision = routeAlert(alert(facts), [], [window, labelWindow], defaults);
    expect(decision).toMatchObject({ suppressedBy, action });
  });

  it('suppresses by the routed service, and only declarations', () => {
    const cdnWindow = compileWindow({ id: 'mw-cdn', service: 'cdn', labels: {}, startsAt: T0, endsAt: T3 });
    const declareEdge = compileRules([
      { id: 'r', name: 'edge', match: { labels: { job: 'edge' } }, action: 'declare', service: 'cdn' },
    ]);
    const routed = routeAlert(alert({ labels: { job: 'edge' }, service: 'edge' }), declareEdge, [cdnWindow], defaults);
    expect(routed).toMatchObject({ action: 'attach', service: 'cdn', suppressedBy: 'mw-cdn' });
    const warning = routeAlert(alert({ severity: 'warning', labels: {} }), [], [window], defaults);
    expect(warning).toMatchObject({ action: 'attach', suppressedBy: null });
  });
});

describe('classifyDelivery', () => {
  const firing: SignalState = { status: 'firing', startsAt: T1, endsAt: null };
  const resolved: SignalState = { status: 'resolved', startsAt: T1, endsAt: T2 };
  const triggered: SignalState = { status: 'triggered', startsAt: T1, endsAt: null };
  const acknowledged: SignalState = { status: 'acknowledged', startsAt: T1, endsAt: null };
  const pageResolved: SignalState = { status: 'resolved', startsAt: T1, endsAt: T2 };

  it.each<[string, SignalState | null, IncomingState, DeliveryOutcome]>([
    ['first sight', null, { status: 'firing', startsAt: T1, at: T1 }, 'new'],
    ['first sight of a resolved alert', null, { status: 'resolved', startsAt: T1, at: T2 }, 'new'],
    ['repeat_interval re-send', firing, { status: 'firing', startsAt: T1, at: T1 }, 'repeat'],
    ['firing → resolved', firing, { status: 'resolved', startsAt: T1, at: T2 }, 'transition'],
    ['resolved re-sent', resolved, { status: 'resolved', startsAt: T1, at: T2 }, 'repeat'],
    ['firing arriving after its resolution', resolved, { status: 'firing', startsAt: T1, at: T1 }, 'stale'],
    ['re-fire: a later startsAt', resolved, { status: 'firing', startsAt: T3, at: T3 }, 'refire'],
    ['re-fire while still firing', firing, { status: 'firing', startsAt: T3, at: T3 }, 'refire'],
    ['late resolution of an older episode', firing, { status: 'resolved', startsAt: T0, at: T2 }, 'stale'],
    ['late firing of an older episode', firing, { status: 'firing', startsAt: T0, at: T0 }, 'stale'],
    ['page acknowledged', triggered, { status: 'acknowledged', at: T2 }, 'transition'],
    ['page resolved', acknowledged, { status: 'resolved', at: T3 }, 'transition'],
    ['page retriggered event, same state', triggered, { status: 'triggered', at: T2 }, 'repeat'],
    [
      'page acknowledgement after resolution, delivered late',
      pageResolved,
      { status: 'acknowledged', at: T1 },
      'stale',
    ],
    ['page re-triggered after resolution', pageResolved, { status: 'triggered', at: T3 }, 'refire'],
    ['page triggered delivered after acknowledgement', acknowledged, { status: 'triggered', at: T0 }, 'stale'],
  ])('%s → %s', (_name, current, incoming, expected) => {
    expect(classifyDelivery(current, incoming)).toBe(expected);
  });
});
