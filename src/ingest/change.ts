import { z } from 'zod';
import { clip, compactLabels, digest, nonEmpty, parsePayload, zTimestamp } from './common.js';
import { CHANGE_KINDS, type ChangeInfo, type NormalizedEvent } from './types.js';

const text = (max: number) => z.string().trim().max(max);

/** The generic change event any CI/CD system, config tool or flag service can POST. Unknown fields are refused. */
export const changeEventSchema = z.strictObject({
  /** Idempotency key from the sender (e.g. the pipeline run id); without it, the content is the key. */
  id: text(200).min(1).optional(),
  service: text(200).min(1),
  version: text(200).min(1).optional(),
  kind: z.enum(CHANGE_KINDS).default('deploy'),
  at: zTimestamp.optional(),
  author: text(200).min(1).optional(),
  environment: text(100).min(1).optional(),
  description: text(10_000).optional(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  diff: z.string().max(5_000_000).optional(),
});
export type ChangeEventInput = z.input<typeof changeEventSchema>;

const KIND_WORDS = { deploy: 'Deploy', config: 'Config change', flag: 'Flag change' } as const;

/**
 * Parses a generic change event into one `change` event. `diff` is passed through untouched for the app to keep as
 * an artifact; it is not part of the body.
 *
 * The dedupe key is `change:<id>` when the sender gives an `id`, else a digest of service, kind, version,
 * environment and time, so that a retried POST with the same content is stored once. Without `at`, the event is
 * dated `now`.
 *
 * @example
 * parseChangeEvent({ service: 'checkout', version: 'v1.4.2', environment: 'production' }, { now });
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with the offending field (e.g. `kind`, or `colour` for an unknown one).
 */
export function parseChangeEvent(raw: unknown, options: { now?: string } = {}): NormalizedEvent[] {
  const input = parsePayload(changeEventSchema, raw, 'change event');
  const at = input.at ?? options.now ?? new Date().toISOString();
  const version = input.version ?? null;
  const environment = input.environment ?? null;
  const change: ChangeInfo = {
    kind: input.kind,
    service: input.service,
    version,
    environment,
    author: input.author ?? null,
    url: input.url ?? null,
  };
  const headline = [KIND_WORDS[input.kind], input.service, version, environment ? `to ${environment}` : null]
    .filter((part) => part)
    .join(' ');
  const description = nonEmpty(input.description);
  const event: NormalizedEvent = {
    at,
    kind: 'change',
    source: 'change',
    title: clip(description ? `${headline}: ${description}` : headline),
    body: [description, input.author ? `By: ${input.author}` : null, input.url ? `Link: ${input.url}` : null]
      .filter((line) => line)
      .join('\n'),
    labels: compactLabels({ change_kind: input.kind, environment, version, author: input.author }),
    dedupeKey: input.id
      ? `change:${input.id}`
      : `change:${digest(input.service, input.kind, version, environment, at)}`,
    service: input.service,
    severity: null,
    change,
  };
  if (input.diff !== undefined) event.diff = input.diff;
  return [event];
}
