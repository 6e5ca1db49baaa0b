import { z } from 'zod';
import { DebriefError } from '../domain/errors.js';
import {
  clip,
  compactLabels,
  hmacSha256Hex,
  nonEmpty,
  parsePayload,
  refVersion,
  safeEqual,
  zTimestamp,
} from './common.js';
import type { ChangeInfo, EventStatus, NormalizedEvent } from './types.js';

const user = z.looseObject({ login: z.string() });

const repositorySchema = z.looseObject({
  name: z.string().min(1),
  full_name: z.string().min(1),
  html_url: z.string(),
});

const deploymentSchema = z.looseObject({
  id: z.number().int(),
  sha: z.string().min(1),
  ref: z.string(),
  task: z.string().optional(),
  // GitHub keeps whatever the creator sent: an object, or a JSON string.
  payload: z.union([z.record(z.string(), z.unknown()), z.string()]).nullish(),
  environment: z.string(),
  description: z.string().nullish(),
  creator: user.nullish(),
  created_at: zTimestamp,
  updated_at: zTimestamp.optional(),
});

const deploymentEventSchema = z.looseObject({
  action: z.string().optional(),
  deployment: deploymentSchema,
  repository: repositorySchema,
});

const deploymentStatusEventSchema = deploymentEventSchema.extend({
  deployment_status: z.looseObject({
    id: z.number().int(),
    state: z.string().min(1),
    creator: user.nullish(),
    description: z.string().nullish(),
    environment: z.string().optional(),
    target_url: z.string().nullish(),
    log_url: z.string().nullish(),
    environment_url: z.string().nullish(),
    created_at: zTimestamp,
    updated_at: zTimestamp.optional(),
  }),
});

const STATUS_BY_STATE: Readonly<Record<string, EventStatus>> = {
  pending: 'pending',
  queued: 'queued',
  in_progress: 'in_progress',
  success: 'success',
  failure: 'failure',
  error: 'error',
  inactive: 'inactive',
};

/**
 * Checks `X-Hub-Signature-256` (`sha256=<hex HMAC-SHA256 of the raw body>`) in constant time. Use the raw body bytes,
 * before any JSON parsing. A missing header or an empty secret never verifies.
 *
 * @example
 * verifyGitHubSignature(rawBody, req.headers['x-hub-signature-256'], secret); // true | false
 */
export function verifyGitHubSignature(rawBody: string | Buffer, header: string | undefined, secret: string): boolean {
  if (!header || secret === '') return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match?.[1]) return false;
  return safeEqual(match[1].toLowerCase(), hmacSha256Hex(secret, rawBody));
}

/** `deployment.payload.service` wins over the repository name, for monorepos that deploy several services. */
function serviceOf(deployment: z.output<typeof deploymentSchema>, repository: { name: string }): string {
  let payload: unknown = deployment.payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      payload = null;
    }
  }
  if (payload && typeof payload === 'object' && 'service' in payload) {
    const service = (payload as { service?: unknown }).service;
    if (typeof service === 'string' && service.trim() !== '') return service.trim();
  }
  return repository.name;
}

/**
 * Parses a GitHub `deployment` or `deployment_status` webhook into one `change` event (change kind `deploy`).
 * Any other event (`ping`, `push`, …) gives none, so a hook subscribed to more events than needed is harmless.
 *
 * The dedupe key names the GitHub object (`github:deployment:<id>`, `github:deployment_status:<id>`) so that a
 * redelivery, or the same event reaching two hooks, is stored once; the delivery id is kept as a label.
 *
 * @param eventName the `X-GitHub-Event` header.
 * @param deliveryId the `X-GitHub-Delivery` header.
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with the JSON path (e.g. `deployment.sha`) of a malformed field.
 */
export function parseGitHub(eventName: string | undefined, payload: unknown, deliveryId?: string): NormalizedEvent[] {
  if (!eventName) {
    throw new DebriefError('DEBRIEF_ERR_VALIDATION', 'X-GitHub-Event: the GitHub event header is missing', {
      field: 'X-GitHub-Event',
    });
  }
  if (eventName !== 'deployment' && eventName !== 'deployment_status') return [];

  let parsed: z.output<typeof deploymentEventSchema>;
  let status: z.output<typeof deploymentStatusEventSchema>['deployment_status'] | null = null;
  if (eventName === 'deployment_status') {
    const withStatus = parsePayload(deploymentStatusEventSchema, payload, 'GitHub deployment_status');
    parsed = withStatus;
    status = withStatus.deployment_status;
  } else {
    parsed = parsePayload(deploymentEventSchema, payload, 'GitHub deployment');
  }
  const { deployment, repository } = parsed;

  const service = serviceOf(deployment, repository);
  const version = refVersion(deployment.ref, deployment.sha);
  const environment = nonEmpty(status?.environment) ?? nonEmpty(deployment.environment);
  const author = nonEmpty(deployment.creator?.login);
  const commitUrl = `${repository.html_url}/commit/${deployment.sha}`;
  const url = nonEmpty(status?.log_url) ?? nonEmpty(status?.target_url) ?? commitUrl;
  const what = `Deploy ${service} ${version}${environment ? ` to ${environment}` : ''}`;
  const description = nonEmpty(status?.description) ?? nonEmpty(deployment.description);

  const change: ChangeInfo = { kind: 'deploy', service, version, environment, author, url };
  if (status) change.status = status.state;
  const event: NormalizedEvent = {
    at: status ? (status.updated_at ?? status.created_at) : deployment.created_at,
    kind: 'change',
    source: 'github',
    title: clip(status ? `${what}: ${status.state}` : `${what} created`),
    body: [
      description,
      author ? `By: ${author}` : null,
      `Commit: ${commitUrl}`,
      nonEmpty(status?.environment_url) ? `Environment: ${status?.environment_url}` : null,
    ]
      .filter((line) => line)
      .join('\n'),
    labels: compactLabels({
      repository: repository.full_name,
      environment,
      ref: deployment.ref,
      sha: deployment.sha,
      task: deployment.task,
      deployment_id: deployment.id,
      state: status?.state,
      delivery: deliveryId,
    }),
    dedupeKey: status ? `github:deployment_status:${status.id}` : `github:deployment:${deployment.id}`,
    service,
    severity: null,
    groupKey: `github:deployment:${deployment.id}`,
    change,
  };
  const mapped = status ? STATUS_BY_STATE[status.state] : undefined;
  if (mapped) event.status = mapped;
  return [event];
}
