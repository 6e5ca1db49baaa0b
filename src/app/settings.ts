/**
 * Settings that shape ingestion and evidence capture, read from a JSON file (`DEBRIEF_SETTINGS`, or
 * `settings.json` in the data directory when present). Every section is optional; defaults apply.
 *
 * @example
 * {
 *   "routing": { "rules": [{ "name": "payments pages", "match": { "labels": { "team": "payments" } }, "action": "declare", "severity": "SEV1" }] },
 *   "webhooks": { "githubSecret": "…" },
 *   "telemetry": { "retentionMinutes": 120 },
 *   "prometheus": { "url": "http://127.0.0.1:9090", "queries": { "checkout": [{ "name": "error ratio", "query": "…" }] } }
 * }
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DebriefError } from '../domain/errors.js';
import { SEVERITIES } from '../domain/types.js';
import { zodDetails } from './validate.js';

const severity = z.enum(SEVERITIES);

/** Label matchers: exact values, or `/regex/` between slashes. */
export const alertMatchSchema = z.strictObject({
  labels: z.record(z.string(), z.string()).optional(),
  severity: z.array(z.string()).optional(),
  service: z.array(z.string()).optional(),
  source: z.array(z.string()).optional(),
});

export const routingRuleSchema = z.strictObject({
  name: z.string().min(1).max(100),
  match: alertMatchSchema.default({}),
  /** declare: open an incident (or attach to the open one of the group/service); attach: only attach; ignore: record the alert, no incident. */
  action: z.enum(['declare', 'attach', 'ignore']),
  severity: severity.optional(),
  service: z.string().optional(),
});
export type RoutingRuleSetting = z.infer<typeof routingRuleSchema>;

export const settingsSchema = z.strictObject({
  routing: z
    .strictObject({
      rules: z.array(routingRuleSchema).default([]),
      /** Severity of incidents declared by the default rule (critical or page alerts). */
      defaultSeverity: severity.default('SEV2'),
    })
    .default({ rules: [], defaultSeverity: 'SEV2' }),
  webhooks: z
    .strictObject({
      pagerdutySecrets: z.array(z.string().min(1)).default([]),
      githubSecret: z.string().min(1).optional(),
      gitlabToken: z.string().min(1).optional(),
    })
    .default({ pagerdutySecrets: [] }),
  telemetry: z
    .strictObject({
      /** How long OTLP logs and spans are kept per service when no incident claims them. */
      retentionMinutes: z.number().int().min(5).max(10_080).default(120),
      /** Cap per service, oldest dropped first. */
      maxRecordsPerService: z.number().int().min(100).max(10_000_000).default(200_000),
    })
    .default({ retentionMinutes: 120, maxRecordsPerService: 200_000 }),
  prometheus: z
    .strictObject({
      url: z.url().optional(),
      /** Minutes captured before impact start and after resolution. */
      marginMinutes: z.number().int().min(0).max(1_440).default(30),
      /** PromQL queries to capture per service name (`*` applies to every service). */
      queries: z
        .record(
          z.string(),
          z.array(
            z.strictObject({
              name: z.string().min(1).max(100),
              query: z.string().min(1).max(5_000),
              unit: z.string().max(20).optional(),
            }),
          ),
        )
        .default({}),
    })
    .default({ marginMinutes: 30, queries: {} }),
  postmortems: z
    .strictObject({
      /** Approvals needed before publishing, per severity. */
      approvals: z
        .strictObject({
          SEV1: z.number().int().min(0).max(10).default(2),
          SEV2: z.number().int().min(0).max(10).default(2),
          SEV3: z.number().int().min(0).max(10).default(1),
          SEV4: z.number().int().min(0).max(10).default(1),
        })
        .default({ SEV1: 2, SEV2: 2, SEV3: 1, SEV4: 1 }),
      /** Severities where one approval must come from an owner of an impacted service. */
      ownerApprovalSeverities: z.array(severity).default(['SEV1', 'SEV2']),
      /** Policy: publish within this many days of resolution (a quality rubric item). */
      publishWithinDays: z.number().int().min(1).max(365).default(7),
      /** An edit after approval (other than applying redactions) sends the postmortem back to review. */
      dismissStaleApprovals: z.boolean().default(true),
      /** Blameless-lint rule settings and allowlist, as `debrief lint --config` takes them. */
      lint: z
        .strictObject({
          rules: z
            .record(
              z.string(),
              z.strictObject({
                enabled: z.boolean().optional(),
                severity: z.enum(['error', 'warning', 'info']).optional(),
              }),
            )
            .default({}),
          allow: z.array(z.string().min(1).max(200)).default([]),
        })
        .default({ rules: {}, allow: [] }),
      /** Redaction: private address ranges and organisation terms (customer names, internal hosts). */
      redaction: z
        .strictObject({
          redactPrivateIps: z.boolean().default(false),
          terms: z
            .array(
              z.strictObject({
                kind: z.string().regex(/^[a-z0-9-]+$/),
                values: z.array(z.string().min(1)).optional(),
                pattern: z.string().min(1).max(1_000).optional(),
                caseSensitive: z.boolean().optional(),
              }),
            )
            .default([]),
        })
        .default({ redactPrivateIps: false, terms: [] }),
    })
    .default({
      approvals: { SEV1: 2, SEV2: 2, SEV3: 1, SEV4: 1 },
      ownerApprovalSeverities: ['SEV1', 'SEV2'],
      publishWithinDays: 7,
      dismissStaleApprovals: true,
      lint: { rules: {}, allow: [] },
      redaction: { redactPrivateIps: false, terms: [] },
    }),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

/** Validates settings, naming the offending path in a DEBRIEF_ERR_VALIDATION. */
export function parseSettings(raw: unknown, origin = 'settings'): Settings {
  const result = settingsSchema.safeParse(raw);
  if (result.success) return result.data;
  const details = zodDetails(result.error);
  throw new DebriefError(
    'DEBRIEF_ERR_VALIDATION',
    `${origin}: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
    { details, ...(details[0] ? { field: details[0].field } : {}) },
  );
}

/**
 * Reads the settings file: `path` when given (it must exist), else `settings.json` in the data directory if there
 * is one, else the defaults. Secrets may also come from the environment, which wins over the file.
 */
export function loadSettings(options: {
  path?: string | undefined;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}): Settings {
  const env = options.env ?? process.env;
  const path = options.path ?? join(options.dataDir, 'settings.json');
  let raw: unknown = {};
  if (options.path !== undefined || existsSync(path)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new DebriefError(
        'DEBRIEF_ERR_VALIDATION',
        `cannot read settings file ${path}: ${(error as Error).message}`,
        {
          field: 'DEBRIEF_SETTINGS',
        },
      );
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new DebriefError(
        'DEBRIEF_ERR_VALIDATION',
        `settings file ${path} is not valid JSON: ${(error as Error).message}`,
        {
          field: 'DEBRIEF_SETTINGS',
        },
      );
    }
  }
  const settings = parseSettings(raw, path);
  const pagerduty = env.DEBRIEF_PAGERDUTY_SECRETS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    ...settings,
    webhooks: {
      ...settings.webhooks,
      ...(pagerduty?.length ? { pagerdutySecrets: pagerduty } : {}),
      ...(env.DEBRIEF_GITHUB_SECRET ? { githubSecret: env.DEBRIEF_GITHUB_SECRET } : {}),
      ...(env.DEBRIEF_GITLAB_TOKEN ? { gitlabToken: env.DEBRIEF_GITLAB_TOKEN } : {}),
    },
    prometheus: { ...settings.prometheus, ...(env.DEBRIEF_PROMETHEUS_URL ? { url: env.DEBRIEF_PROMETHEUS_URL } : {}) },
  };
}
