import { z } from 'zod';
import { validationError } from '../domain/errors.js';
import { clip, compactLabels, nonEmpty, parsePayload, zTimestamp } from './common.js';
import type { NormalizedEvent } from './types.js';

const eventSchema = z.looseObject({
  kind: z.literal('Event').optional(),
  metadata: z.looseObject({
    uid: z.string().min(1),
    name: z.string().optional(),
    namespace: z.string().optional(),
    creationTimestamp: zTimestamp.nullish(),
  }),
  involvedObject: z.looseObject({
    kind: z.string().optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
    fieldPath: z.string().optional(),
  }),
  reason: z.string().nullish(),
  message: z.string().nullish(),
  type: z.string().nullish(),
  count: z.number().int().nonnegative().nullish(),
  firstTimestamp: zTimestamp.nullish(),
  lastTimestamp: zTimestamp.nullish(),
  eventTime: zTimestamp.nullish(),
  series: z.looseObject({ count: z.number().int().optional(), lastObservedTime: zTimestamp.optional() }).nullish(),
  source: z.looseObject({ component: z.string().optional(), host: z.string().optional() }).nullish(),
  reportingComponent: z.string().nullish(),
  reportingInstance: z.string().nullish(),
});

const listSchema = z.looseObject({
  kind: z.enum(['List', 'EventList']),
  items: z.array(eventSchema),
});

/** Namespaces that are the cluster's own plumbing, not a service someone owns. */
const isSystemNamespace = (namespace: string): boolean => namespace === 'default' || namespace.startsWith('kube-');

/**
 * Parses `kubectl get events -A -o json` (a `List`, or the API's `EventList`) into `log` events, one per Event
 * object and observation: the dedupe key is `kubernetes:<metadata.uid>:<last seen>`, so a re-export of the same
 * events adds nothing, while an event Kubernetes saw again (its count and lastTimestamp moved on) is added.
 *
 * Sorted by time; dated at the last time the event was seen (`lastTimestamp`, `series.lastObservedTime`, `eventTime`, then
 * `firstTimestamp`). `Warning` events carry severity `warning`, `Normal` ones `info`. The namespace stands for
 * the service, except `default` and `kube-*`.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with the JSON path (e.g. `items[3].metadata.uid`) of a malformed field.
 */
export function parseKubernetesEvents(raw: unknown): NormalizedEvent[] {
  const list = parsePayload(listSchema, raw, 'Kubernetes event list');
  const events = list.items.map((item, i) => {
    const at =
      item.lastTimestamp ??
      item.series?.lastObservedTime ??
      item.eventTime ??
      item.firstTimestamp ??
      item.metadata.creationTimestamp;
    if (!at) throw validationError(`items[${i}].lastTimestamp`, 'the event has no timestamp at all');
    const object = item.involvedObject;
    const namespace = nonEmpty(object.namespace) ?? nonEmpty(item.metadata.namespace);
    const reason = nonEmpty(item.reason) ?? 'Event';
    const type = nonEmpty(item.type) ?? 'Normal';
    const count = item.count ?? item.series?.count ?? 1;
    const message = item.message?.trim() ?? '';
    const component = nonEmpty(item.source?.component) ?? nonEmpty(item.reportingComponent);
    const objectName = [object.kind, object.name].filter((p) => p).join('/');
    const first = item.firstTimestamp ?? item.eventTime;
    const lines = [message];
    if (count > 1) lines.push(`Seen ${count} times${first && first !== at ? ` since ${first}` : ''}.`);
    if (object.fieldPath) lines.push(`Field: ${object.fieldPath}`);
    const host = nonEmpty(item.source?.host) ?? nonEmpty(item.reportingInstance);
    if (component) lines.push(`Reported by: ${component}${host ? ` on ${host}` : ''}`);
    return {
      at,
      kind: 'log',
      source: 'kubernetes',
      title: clip(`${reason} ${objectName}${message ? `: ${message}` : ''}`),
      body: lines.filter((line) => line).join('\n'),
      labels: compactLabels({
        namespace,
        kind: object.kind,
        name: object.name,
        reason,
        type,
        count,
        component,
      }),
      dedupeKey: `kubernetes:${item.metadata.uid}:${at}`,
      service: namespace && !isSystemNamespace(namespace) ? namespace : null,
      severity: type === 'Warning' ? 'warning' : type === 'Normal' ? 'info' : type.toLowerCase(),
    } satisfies NormalizedEvent;
  });
  // kubectl lists events in no useful order.
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
