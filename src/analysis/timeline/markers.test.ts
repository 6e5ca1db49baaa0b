import { describe, expect, it } from 'vitest';
import { durationsFrom, inferMarkers, mentions } from './markers.js';

const at = (minute: number): string => new Date(Date.UTC(2024, 0, 2, 10, minute)).toISOString();

describe('mentions', () => {
  it.each([
    ['impactStart', 'Errors started for 30% of requests'],
    ['impactStart', 'Outage begins.'],
    ['impactStart', 'First report of failed logins'],
    ['impactStart', 'First occurence of a node in NodeNotReady state'],
    ['impactStart', 'Customers began seeing 502s'],
    ['impactStart', 'Start of the incident'],
    ['detected', 'Alert fired in #ops'],
    ['detected', 'CloudWatch alert detects high count of 5XX'],
    ['detected', 'On-call receives high error count alert'],
    ['detected', 'oncall paged'],
    ['detected', 'Support engineer notices customer reports'],
    ['detected', 'Issue reported by customer'],
    ['detected', 'Monitoring showed a spike'],
    ['detected', 'A customer reached out to inform us'],
    ['mitigated', 'Issue mitigated with manual attaching'],
    ['mitigated', '@Katharine manually rolls back prow.'],
    ['mitigated', 'Rollback completed'],
    ['mitigated', 'Mariano reverted the malicious change.'],
    ['mitigated', 'Failover to the secondary region'],
    ['mitigated', 'Workaround applied'],
    ['mitigated', 'Service restored'],
    ['mitigated', 'Error rate returned to baseline'],
    ['resolved', 'Incident resolved'],
    ['resolved', 'All clear given'],
    ['resolved', 'Site is fully recovered'],
    ['resolved', 'Incident closed, post-mortem phase begins'],
    ['resolved', 'Fix deployed and verified'],
    ['resolved', 'Everything is back to normal'],
    ['resolved', 'Prow is confirmed to be functional. Outage ends.'],
  ] as const)('%s in %j', (marker, text) => {
    expect(mentions(marker, text)).toBe(true);
  });

  it.each([
    ['detected', 'No abnormal login activity was detected for either employee.'],
    ['detected', 'Status page updated'],
    ['mitigated', 'Creates a PR to roll back the change'],
    ['mitigated', 'Rollback fails due to ArgoCD configuration issues'],
    ['mitigated', 'Fix committed to revert the reference'],
    ['resolved', 'The issue was not resolved by the restart'],
    ['resolved', 'Pipeline triggered to resolve issue'],
    ['resolved', 'Still unresolved'],
  ] as const)('not %s in %j', (marker, text) => {
    expect(mentions(marker, text)).toBe(false);
  });
});

describe('inferMarkers', () => {
  it('returns no markers for no events', () => {
    expect(inferMarkers([])).toEqual({});
  });

  it('uses the first event that says impact began, else the earliest event', () => {
    expect(
      inferMarkers([
        { at: at(0), text: 'deploy' },
        { at: at(5), text: 'errors started' },
      ]),
    ).toEqual({
      impactStart: at(5),
    });
    expect(
      inferMarkers([
        { at: at(0), text: 'deploy' },
        { at: at(5), text: 'nothing yet' },
      ]),
    ).toEqual({
      impactStart: at(0),
    });
  });

  it('skips detections before impact start and resolutions before detection', () => {
    const events = [
      { at: at(0), text: 'resolved a leftover ticket' },
      { at: at(1), text: 'alert fired for an unrelated service' },
      { at: at(2), text: 'outage begins' },
      { at: at(6), text: 'on-call paged' },
      { at: at(9), text: 'rolled back' },
      { at: at(20), text: 'incident resolved' },
    ];
    expect(inferMarkers(events)).toEqual({ impactStart: at(2), detected: at(6), mitigated: at(9), resolved: at(20) });
  });

  it('takes the last resolution and the first mitigation before it', () => {
    const events = [
      { at: at(0), text: 'errors started' },
      { at: at(10), text: 'service restored' },
      { at: at(15), text: 'issue resolved' },
      { at: at(30), text: 'rolled back again' },
      { at: at(40), text: 'incident closed' },
    ];
    expect(inferMarkers(events)).toEqual({ impactStart: at(0), mitigated: at(10), resolved: at(40) });
  });
});

describe('durationsFrom', () => {
  it('measures whole minutes from impact start, only where both ends are known', () => {
    expect(durationsFrom({ impactStart: at(0), detected: at(4), resolved: at(45) })).toEqual({
      timeToDetectMinutes: 4,
      timeToResolveMinutes: 45,
    });
    expect(durationsFrom({})).toEqual({});
  });
});
