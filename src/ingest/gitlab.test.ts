import { readFileSync } from 'node:fs';
import { validationField } from './fixtures/load.js';
import { describe, expect, it } from 'vitest';
import { parseGitLab, verifyGitLabToken } from './gitlab.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/gitlab/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('parseGitLab', () => {
  it('turns the documented deployment hook into a deploy change', () => {
    expect(parseGitLab(fixture('deployment-success.json'), 'Deployment Hook')).toEqual([
      {
        at: '2026-03-14T09:05:12.000Z',
        kind: 'change',
        source: 'gitlab',
        title: 'Deploy checkout 9c1e5b7 to production: success',
        body:
          'Switch payment client to connection pooling\n' +
          'By: dana\n' +
          'Commit: https://gitlab.example.net/shop/checkout/-/commit/9c1e5b7d0a4f2e6c8b1d3f5a7c9e0b2d4f6a8c1e\n' +
          'Job: https://gitlab.example.net/shop/checkout/-/jobs/90412\n' +
          'Environment: https://checkout.example.net',
        labels: {
          project: 'shop/checkout',
          environment: 'production',
          environment_tier: 'production',
          short_sha: '9c1e5b7d',
          deployment_id: '1187',
          deployable_id: '90412',
          state: 'success',
        },
        dedupeKey: 'gitlab:42:1187:success',
        service: 'checkout',
        severity: null,
        status: 'success',
        groupKey: 'gitlab:42:1187',
        change: {
          kind: 'deploy',
          service: 'checkout',
          version: '9c1e5b7',
          environment: 'production',
          author: 'dana',
          url: 'https://gitlab.example.net/shop/checkout/-/jobs/90412',
          status: 'success',
        },
      },
    ]);
  });

  it('gives one event per deployment state, grouped by the deployment', () => {
    const events = [fixture('deployment-running.json'), fixture('deployment-success.json')].flatMap((p) =>
      parseGitLab(p),
    );
    expect(events.map((e) => [e.at, e.status, e.dedupeKey])).toEqual([
      ['2026-03-14T09:03:58.000Z', 'in_progress', 'gitlab:42:1187:running'],
      ['2026-03-14T09:05:12.000Z', 'success', 'gitlab:42:1187:success'],
    ]);
    expect(events[0]?.groupKey).toBe(events[1]?.groupKey);
  });

  it('is idempotent when GitLab retries the hook', () => {
    expect(parseGitLab(fixture('deployment-success.json'))).toEqual(parseGitLab(fixture('deployment-success.json')));
  });

  it('maps failed and canceled deployments, and API deployments without a job', () => {
    const failed = { ...fixture('deployment-success.json'), status: 'failed' };
    const viaApi = {
      ...fixture('deployment-success.json'),
      deployable_id: null,
      deployable_url: null,
      ref: 'v2026.03.14-1',
      status_changed_at: '2026-03-14 09:05:12 UTC',
    };
    expect(parseGitLab(failed)[0]).toMatchObject({ status: 'failure', change: { status: 'failed' } });
    expect(parseGitLab({ ...failed, status: 'canceled' })[0]?.status).toBe('canceled');
    expect(parseGitLab(viaApi)[0]).toMatchObject({
      at: '2026-03-14T09:05:12.000Z',
      change: {
        version: 'v2026.03.14-1@9c1e5b7',
        url: 'https://gitlab.example.net/shop/checkout/-/commit/9c1e5b7d0a4f2e6c8b1d3f5a7c9e0b2d4f6a8c1e',
      },
    });
  });

  it('ignores the other GitLab hooks', () => {
    expect(parseGitLab(fixture('deployment-success.json'), 'Push Hook')).toEqual([]);
    expect(parseGitLab({ object_kind: 'push', ref: 'refs/heads/main' })).toEqual([]);
  });

  it('names the offending field of a malformed payload', () => {
    expect(
      validationField(() => parseGitLab({ ...fixture('deployment-success.json'), status_changed_at: '28/04/2021' })),
    ).toBe('status_changed_at');
    const noProject = fixture('deployment-success.json');
    delete (noProject.project as Record<string, unknown>).path_with_namespace;
    expect(validationField(() => parseGitLab(noProject))).toBe('project.path_with_namespace');
    expect(validationField(() => parseGitLab({ status: 'success' }))).toBe('object_kind');
  });
});

describe('verifyGitLabToken', () => {
  it('accepts the configured token only', () => {
    expect(verifyGitLabToken('hook-token-1', 'hook-token-1')).toBe(true);
    expect(verifyGitLabToken('hook-token-2', 'hook-token-1')).toBe(false);
    expect(verifyGitLabToken('hook-token-1 ', 'hook-token-1')).toBe(false);
    expect(verifyGitLabToken('hook', 'hook-token-1')).toBe(false);
  });

  it('refuses a missing header and an empty expected token', () => {
    expect(verifyGitLabToken(undefined, 'hook-token-1')).toBe(false);
    expect(verifyGitLabToken('', 'hook-token-1')).toBe(false);
    expect(verifyGitLabToken('', '')).toBe(false);
  });
});
