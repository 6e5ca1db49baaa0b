import { z } from 'zod';
import { clip, compactLabels, digest, nonEmpty, parsePayload, refVersion, safeEqual, zTimestamp } from './common.js';
import type { ChangeInfo, EventStatus, NormalizedEvent } from './types.js';

const deploymentHookSchema = z.looseObject({
  object_kind: z.literal('deployment'),
  status: z.string().min(1),
  status_changed_at: zTimestamp,
  deployment_id: z.number().int().optional(),
  deployable_id: z.number().int().nullish(),
  deployable_url: z.string().nullish(),
  environment: z.string().min(1),
  environment_tier: z.string().nullish(),
  environment_slug: z.string().nullish(),
  environment_external_url: z.string().nullish(),
  project: z.looseObject({
    id: z.number().int(),
    name: z.string(),
    web_url: z.string(),
    path_with_namespace: z.string().min(1),
  }),
  short_sha: z.string().min(1),
  ref: z.string().nullish(),
  user: z.looseObject({ username: z.string(), name: z.string().nullish() }).nullish(),
  user_url: z.string().nullish(),
  commit_url: z.string().nullish(),
  commit_title: z.string().nullish(),
});

// GitLab's deployment states: created, running, success, failed, canceled, skipped, blocked.
const STATUS_BY_STATE: Readonly<Record<string, EventStatus>> = {
  created: 'pending',
  blocked: 'pending',
  running: 'in_progress',
  success: 'success',
  failed: 'failure',
  canceled: 'canceled',
  skipped: 'canceled',
};

/**
 * Checks the `X-Gitlab-Token` header against the webhook's secret token in constant time. GitLab sends the token
 * itself, not a signature; a missing header or an empty expected token never verifies.
 */
export function verifyGitLabToken(header: string | undefined, expected: string): boolean {
  if (!header || expected === '') return false;
  return safeEqual(header, expected);
}

/**
 * Parses a GitLab deployment event (`X-Gitlab-Event: Deployment Hook`, `object_kind: "deployment"`) into one
 * `change` event (change kind `deploy`), one per deployment state. Other hooks (push, pipeline, …) give none.
 *
 * The service is the project's path (`group/api` -> `api`); the version is `<ref>@<short_sha>` when the payload has
 * a ref, else the short sha. The dedupe key is `gitlab:<project id>:<deployment id>:<status>`.
 *
 * @param eventHeader the `X-Gitlab-Event` header, when the caller has it.
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with the JSON path (e.g. `status_changed_at`) of a malformed field.
 */
export function parseGitLab(raw: unknown, eventHeader?: string): NormalizedEvent[] {
  if (eventHeader !== undefined && eventHeader !== 'Deployment Hook') return [];
  const kind = z.looseObject({ object_kind: z.string() }).safeParse(raw);
  if (kind.success && kind.data.object_kind !== 'deployment') return [];

  const hook = parsePayload(deploymentHookSchema, raw, 'GitLab deployment');
  const service = hook.project.path_with_namespace.split('/').pop() ?? hook.project.name;
  const version = refVersion(hook.ref, hook.short_sha);
  const author = nonEmpty(hook.user?.username);
  const url = nonEmpty(hook.deployable_url) ?? nonEmpty(hook.commit_url) ?? hook.project.web_url;
  const deploymentId = hook.deployment_id ?? hook.deployable_id;
  const change: ChangeInfo = {
    kind: 'deploy',
    service,
    version,
    environment: hook.environment,
    author,
    url,
    status: hook.status,
  };
  const event: NormalizedEvent = {
    at: hook.status_changed_at,
    kind: 'change',
    source: 'gitlab',
    title: clip(`Deploy ${service} ${version} to ${hook.environment}: ${hook.status}`),
    body: [
      nonEmpty(hook.commit_title),
      author ? `By: ${author}` : null,
      nonEmpty(hook.commit_url) ? `Commit: ${hook.commit_url}` : null,
      nonEmpty(hook.deployable_url) ? `Job: ${hook.deployable_url}` : null,
      nonEmpty(hook.environment_external_url) ? `Environment: ${hook.environment_external_url}` : null,
    ]
      .filter((line) => line)
      .join('\n'),
    labels: compactLabels({
      project: hook.project.path_with_namespace,
      environment: hook.environment,
      environment_tier: hook.environment_tier,
      ref: hook.ref,
      short_sha: hook.short_sha,
      deployment_id: hook.deployment_id,
      deployable_id: hook.deployable_id,
      state: hook.status,
    }),
    dedupeKey:
      deploymentId === null || deploymentId === undefined
        ? `gitlab:${hook.project.id}:${digest(hook.environment, hook.short_sha, hook.status_changed_at)}:${hook.status}`
        : `gitlab:${hook.project.id}:${deploymentId}:${hook.status}`,
    service,
    severity: null,
    change,
  };
  const status = STATUS_BY_STATE[hook.status];
  if (status) event.status = status;
  if (deploymentId !== null && deploymentId !== undefined) event.groupKey = `gitlab:${hook.project.id}:${deploymentId}`;
  return [event];
}
