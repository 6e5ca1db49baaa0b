import { z } from 'zod';
import { clip, compactLabels, isZeroTime, nonEmpty, parsePayload, zTimestamp } from './common.js';
import type { IngestSource, NormalizedEvent } from './types.js';

const stringMap = z.record(z.string(), z.string());

/** One alert as Alertmanager (and Grafana, which reuses its notifier) sends it. */
export const alertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.default({}),
  startsAt: zTimestamp,
  endsAt: zTimestamp.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1).optional(),
});
export type SourceAlert = z.output<typeof alertSchema>;

const alertmanagerSchema = z.looseObject({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema),
});

const FNV_OFFSET_64 = 0xcbf29ce484222325n;
const FNV_PRIME_64 = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/**
 * The fingerprint Alertmanager gives an alert: 64-bit FNV-1a over the label names and values in name order, each
 * followed by the byte 0xff, as 16 hex digits. Used when a payload comes without one (Alertmanager before 0.19).
 *
 * @example
 * alertFingerprint({ alertname: 'Up', job: 'node' }); // 16 lower-case hex digits
 */
export function alertFingerprint(labels: Record<string, string>): string {
  let hash = FNV_OFFSET_64;
  const add = (bytes: Uint8Array) => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * FNV_PRIME_64) & MASK_64;
  };
  const encoder = new TextEncoder();
  const separator = Uint8Array.of(0xff);
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add(separator);
    add(encoder.encode(labels[name] ?? ''));
    add(separator);
  }
  return hash.toString(16).padStart(16, '0');
}

/** Text for an alert's body: summary and description first, the other annotations after, then extra links. */
export function alertBody(
  annotations: Record<string, string>,
  extras: readonly [string, string | undefined][],
): string {
  const lines: string[] = [];
  const { summary, description } = annotations;
  if (summary) lines.push(summary);
  if (description && description !== summary) lines.push(description);
  for (const key of Object.keys(annotations).sort()) {
    if (key === 'summary' || key === 'description') continue;
    lines.push(`${key}: ${annotations[key]}`);
  }
  for (const [name, value] of extras) {
    if (nonEmpty(value)) lines.push(`${name}: ${value}`);
  }
  return lines.join('\n');
}

/** Service an alert is about: the `service` label, else the scrape `job`. */
export const alertService = (labels: Record<string, string>): string | null =>
  nonEmpty(labels.service) ?? nonEmpty(labels.job);

/**
 * One event per alert and status. Firing is dated at `startsAt`, resolved at `endsAt`; a firing alert's `endsAt` is
 * only Alertmanager's guess at when it would time out, so it is not kept as the end of the active window.
 */
export function alertEvent(
  source: IngestSource,
  alert: SourceAlert,
  options: { groupKey?: string; keyPrefix: string; body: string },
): NormalizedEvent {
  const fingerprint = alert.fingerprint ?? alertFingerprint(alert.labels);
  const endsAt = alert.status === 'resolved' && alert.endsAt && !isZeroTime(alert.endsAt) ? alert.endsAt : undefined;
  const alertname = nonEmpty(alert.labels.alertname) ?? 'alert';
  const summary = nonEmpty(alert.annotations.summary);
  const event: NormalizedEvent = {
    at: alert.status === 'resolved' ? (endsAt ?? alert.startsAt) : alert.startsAt,
    kind: 'alert',
    source,
    title: clip(summary ? `${alertname} ${alert.status}: ${summary}` : `${alertname} ${alert.status}`),
    body: options.body,
    labels: compactLabels(alert.labels),
    dedupeKey: `${options.keyPrefix}:${fingerprint}:${alert.startsAt}:${alert.status}`,
    service: alertService(alert.labels),
    severity: nonEmpty(alert.labels.severity),
    status: alert.status,
    fingerprint,
    startsAt: alert.startsAt,
  };
  if (endsAt) event.endsAt = endsAt;
  if (options.groupKey) event.groupKey = options.groupKey;
  return event;
}

/**
 * Parses an Alertmanager webhook (`version: "4"`) into one `alert` event per alert.
 *
 * The dedupe key is `alertmanager:<fingerprint>:<startsAt>:<status>`, so the re-sends of every `repeat_interval`
 * add nothing, while firing and resolved are two events. A later re-fire has a new `startsAt`, hence a new event.
 *
 * @example
 * parseAlertmanager(JSON.parse(body)).map((e) => e.title); // ['CheckoutHighErrorRate firing: 5xx ratio above 5%']
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with the JSON path (e.g. `alerts[0].startsAt`) of a malformed field.
 */
export function parseAlertmanager(raw: unknown): NormalizedEvent[] {
  const payload = parsePayload(alertmanagerSchema, raw, 'Alertmanager');
  return payload.alerts.map((alert) =>
    alertEvent('alertmanager', alert, {
      groupKey: payload.groupKey,
      keyPrefix: 'alertmanager',
      body: alertBody(alert.annotations, [['source', alert.generatorURL]]),
    }),
  );
}
