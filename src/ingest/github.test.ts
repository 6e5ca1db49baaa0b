import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validationField } from './fixtures/load.js';
import { describe, expect, it } from 'vitest';
import { parseGitHub, verifyGitHubSignature } from './github.js';

const raw = (name: string): string => readFileSync(new URL(`./fixtures/github/${name}`, import.meta.url), 'utf8');
type Payload = Record<string, unknown> & {
  deployment: Record<string, unknown>;
  deployment_status: Record<string, unknown>;
};
const fixture = (name: string): Payload => JSON.parse(raw(name)) as Payload;

const COMMIT = 'https://github.com/Codertocat/Hello-World/commit/f95f852bd8fca8fcc58a9a2d6c842781e32a215e';

describe('parseGitHub', () => {
  it('turns a deployment event into a deploy change', () => {
    expect(parseGitHub('deployment', fixture('deployment.json'), '72d3162e-cc78-11e3-81ab-4c9367dc0958')).toEqual([
      {
        at: '2019-05-15T15:20:53.000Z',
        kind: 'change',
        source: 'github',
        title: 'Deploy Hello-World master@f95f852 to production created',
        body: `By: Codertocat\nCommit: ${COMMIT}`,
        labels: {
          repository: 'Codertocat/Hello-World',
          environment: 'production',
          ref: 'master',
          sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
          task: 'deploy',
          deployment_id: '145988746',
          delivery: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        },
        dedupeKey: 'github:deployment:145988746',
        service: 'Hello-World',
        severity: null,
        groupKey: 'github:deployment:145988746',
        change: {
          kind: 'deploy',
          service: 'Hello-World',
          version: 'master@f95f852',
          environment: 'production',
          author: 'Codertocat',
          url: COMMIT,
        },
      },
    ]);
  });

  it('turns a deployment_status event into a change with the status', () => {
    const [event] = parseGitHub('deployment_status', fixture('deployment_status.json'), 'delivery-2');
    expect(event).toEqual({
      at: '2019-05-15T15:20:55.000Z',
      kind: 'change',
      source: 'github',
      title: 'Deploy Hello-World master@f95f852 to production: success',
      body: `By: Codertocat\nCommit: ${COMMIT}`,
      labels: {
        repository: 'Codertocat/Hello-World',
        environment: 'production',
        ref: 'master',
        sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        task: 'deploy',
        deployment_id: '145988746',
        state: 'success',
        delivery: 'delivery-2',
      },
      dedupeKey: 'github:deployment_status:209916254',
      service: 'Hello-World',
      severity: null,
      status: 'success',
      groupKey: 'github:deployment:145988746',
      change: {
        kind: 'deploy',
        service: 'Hello-World',
        version: 'master@f95f852',
        environment: 'production',
        author: 'Codertocat',
        url: COMMIT,
        status: 'success',
      },
    });
  });

  it('is idempotent across redeliveries, whatever the delivery id', () => {
    const first = parseGitHub('deployment_status', fixture('deployment_status.json'), 'delivery-a');
    const again = parseGitHub('deployment_status', fixture('deployment_status.json'), 'delivery-b');
    expect(again[0]?.dedupeKey).toBe(first[0]?.dedupeKey);
  });

  it('keeps each status of one deployment, grouped by the deployment', () => {
    const inProgress = fixture('deployment_status.json');
    Object.assign(inProgress.deployment_status, {
      id: 209916250,
      state: 'in_progress',
      log_url: 'https://github.com/Codertocat/Hello-World/actions/runs/1',
    });
    const failed = fixture('deployment_status.json');
    Object.assign(failed.deployment_status, { id: 209916260, state: 'failure', description: 'health check failed' });
    const events = [inProgress, failed].flatMap((p) => parseGitHub('deployment_status', p));
    expect(events.map((e) => [e.status, e.change?.status])).toEqual([
      ['in_progress', 'in_progress'],
      ['failure', 'failure'],
    ]);
    expect(events[0]?.change?.url).toBe('https://github.com/Codertocat/Hello-World/actions/runs/1');
    expect(events[1]?.body).toBe(`health check failed\nBy: Codertocat\nCommit: ${COMMIT}`);
    expect(new Set(events.map((e) => e.groupKey)).size).toBe(1);
    expect(new Set(events.map((e) => e.dedupeKey)).size).toBe(2);
  });

  it('takes the service from the deployment payload when the deployer names one', () => {
    const asObject = fixture('deployment.json');
    asObject.deployment.payload = { service: 'checkout' };
    const asString = fixture('deployment.json');
    asString.deployment.payload = '{"service":"checkout"}';
    const tagged = fixture('deployment.json');
    tagged.deployment.ref = 'v2.4.0';
    expect(parseGitHub('deployment', asObject)[0]?.service).toBe('checkout');
    expect(parseGitHub('deployment', asString)[0]?.change?.service).toBe('checkout');
    expect(parseGitHub('deployment', tagged)[0]?.change?.version).toBe('v2.4.0@f95f852');
  });

  it('ignores the events it does not ingest', () => {
    expect(parseGitHub('ping', { zen: 'Keep it logically awesome.' }, 'x')).toEqual([]);
    expect(parseGitHub('push', fixture('deployment.json'))).toEqual([]);
  });

  it('names the offending field of a malformed payload', () => {
    const noSha = fixture('deployment.json');
    delete noSha.deployment.sha;
    expect(validationField(() => parseGitHub('deployment', noSha))).toBe('deployment.sha');

    const badState = fixture('deployment_status.json');
    badState.deployment_status.created_at = 'yesterday';
    expect(validationField(() => parseGitHub('deployment_status', badState))).toBe('deployment_status.created_at');

    expect(validationField(() => parseGitHub('deployment_status', fixture('deployment.json')))).toBe(
      'deployment_status',
    );
    expect(validationField(() => parseGitHub(undefined, fixture('deployment.json')))).toBe('X-GitHub-Event');
  });
});

describe('verifyGitHubSignature', () => {
  const body = raw('deployment.json');
  const sign = (secret: string, text: string | Buffer) =>
    `sha256=${createHmac('sha256', secret).update(text).digest('hex')}`;

  it('accepts the signature of the raw body, as a string or bytes, in either hex case', () => {
    expect(verifyGitHubSignature(body, sign('s3cret', body), 's3cret')).toBe(true);
    expect(verifyGitHubSignature(Buffer.from(body), sign('s3cret', body), 's3cret')).toBe(true);
    const upper = `sha256=${sign('s3cret', body).slice('sha256='.length).toUpperCase()}`;
    expect(verifyGitHubSignature(body, upper, 's3cret')).toBe(true);
  });

  it("matches GitHub's documented example", () => {
    // From GitHub's "Validating webhook deliveries": secret and payload below give this signature.
    expect(
      verifyGitHubSignature(
        'Hello, World!',
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
        "It's a Secret to Everybody",
      ),
    ).toBe(true);
  });

  it('refuses a wrong secret, a changed body, a malformed or missing header and an empty secret', () => {
    expect(verifyGitHubSignature(body, sign('other', body), 's')).toBe(false);
    expect(verifyGitHubSignature(`${body}\n`, sign('s', body), 's')).toBe(false);
    expect(verifyGitHubSignature(body, sign('s', body).replace('sha256=', 'sha1='), 's')).toBe(false);
    expect(verifyGitHubSignature(body, 'sha256=abc', 's')).toBe(false);
    expect(verifyGitHubSignature(body, undefined, 's')).toBe(false);
    expect(verifyGitHubSignature(body, sign('', body), '')).toBe(false);
  });
});
