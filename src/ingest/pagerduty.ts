import { z } from 'zod';
import { clip, compactLabels, hmacSha256Hex, nonEmpty, parsePayload, safeEqual, zTimestamp } from './common.js';
import type { EventStatus, NormalizedEvent } from './types.js';

const reference = z.looseObject({
  id: z.string(),
  type: z.string().optional(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
});

const envelopeSchema = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string(),
    occurred_at: zTimestamp,
    agent: reference.nullish(),
    data: z.looseObject({ type: z.string() }),
  }),
});

const incidentSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal('incident'),
  number: z.number().int(),
  title: z.string(),
  status: z.string(),
  html_url: z.string(),
  incident_key: z.string().nullish(),
  urgency: z.string().nullish(),
  service: reference,
  assignees: z.array(reference).default([]),
  escalation_policy: reference.nullish(),
  priority: reference.nullish(),
});

/** Notes, status updates and responder requests all point at their incident. */
const incidentChildSchema = z.looseObject({
  type: z.enum(['incident_note', 'incident_status_update', 'incident_responder']),
  incident: reference,
  content: z.string().optional(),
  message: z.string().nullish(),
  user: reference.nullish(),
  state: z.string().optional(),
});

const INCIDENT_STATES: Readonly<Record<string, EventStatus>> = {
  triggered: 'triggered',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
};

/** What the incident is after the event: the event says it for state changes, the incident's status otherwise. */
const STATUS_BY_EVENT: Readonly<Record<string, EventStatus>> = {
  'incident.triggered': 'triggered',
  'incident.acknowledged': 'acknowledged',
  'incident.unacknowledged': 'triggered',
  'incident.reopened': 'triggered',
  'incident.resolved': 'resolved',
};

/** `incident.priority_updated` -> `priority updated`. */
const action = (eventType: string): string => eventType.replace(/^incident\./, '').replace(/[._]/g, ' ');

const CHILD_WORDS = {
  incident_note: 'Note',
  incident_status_update: 'Status update',
  incident_responder: 'Responder request',
} as const;

/**
 * Checks `X-PagerDuty-Signature` (`v1=<hex HMAC-SHA256 of the raw body>`, comma-separated when a subscription is
 * rotating its secret) against every configured secret, in constant time. Use the raw body bytes, before any JSON
 * parsing.
 *
 * @example
 * verifyPagerDutySignature(rawBody, req.headers['x-pagerduty-signature'], [secret]); // true | false
 */
export function verifyPagerDutySignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secrets: readonly string[],
): boolean {
  if (!header) return false;
  const signatures = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3).toLowerCase());
  if (signatures.length === 0) return false;
  let valid = false;
  for (const secret of secrets) {
    if (secret === '') continue;
    const expected = hmacSha256Hex(secret, rawBody);
    for (const signature of signatures) {
      // No early exit: the time taken does not tell which signature or secret matched.
      if (safeEqual(signature, expected)) valid = true;
    }
  }
  return valid;
}

/**
 * Parses a PagerDuty Webhooks v3 delivery into `page` events.
 *
 * Incident events (`incident.triggered`, `.acknowledged`, `.resolved`, `.escalated`, …) and the incident's notes,
 * status updates and responder requests each give one event, grouped by the PagerDuty incident id (`groupKey`).
 * Other resources (`service.updated`, the `pagey.ping` sent when a subscription is created) give none.
 * The dedupe key is `pagerduty:<event.id>`, which PagerDuty keeps across retries.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with the JSON path (e.g. `event.data.number`) of a malformed field.
 */
export function parsePagerDuty(raw: unknown): NormalizedEvent[] {
  const { event } = parsePayload(envelopeSchema, raw, 'PagerDuty');
  const agent = nonEmpty(event.agent?.summary);
  const common = {
    at: event.occurred_at,
    kind: 'page' as const,
    source: 'pagerduty' as const,
    dedupeKey: `pagerduty:${event.id}`,
  };

  if (event.data.type === 'incident') {
    const incident = parsePayload(incidentSchema, event.data, 'PagerDuty', 'event.data');
    const assignees = incident.assignees.map((a) => nonEmpty(a.summary) ?? a.id).join(', ');
    const priority = nonEmpty(incident.priority?.summary);
    const service = nonEmpty(incident.service.summary);
    const lines = [
      service ? `Service: ${service}` : null,
      incident.urgency ? `Urgency: ${incident.urgency}` : null,
      priority ? `Priority: ${priority}` : null,
      assignees ? `Assigned to: ${assignees}` : null,
      agent ? `By: ${agent}` : null,
      `Link: ${incident.html_url}`,
    ];
    const result: NormalizedEvent = {
      ...common,
      title: clip(`Incident #${incident.number} ${action(event.event_type)}: ${incident.title}`),
      body: lines.filter((line) => line !== null).join('\n'),
      labels: compactLabels({
        event_type: event.event_type,
        incident_id: incident.id,
        incident_number: incident.number,
        incident_key: incident.incident_key,
        service: service,
        service_id: incident.service.id,
        urgency: incident.urgency,
        priority,
        escalation_policy: incident.escalation_policy?.summary,
        assignees,
        agent,
      }),
      service,
      severity: priority ?? nonEmpty(incident.urgency),
      groupKey: incident.id,
    };
    const status = STATUS_BY_EVENT[event.event_type] ?? INCIDENT_STATES[incident.status];
    if (status) result.status = status;
    if (incident.incident_key) result.fingerprint = incident.incident_key;
    return [result];
  }

  if (incidentChildSchema.shape.type.safeParse(event.data.type).success) {
    const child = parsePayload(incidentChildSchema, event.data, 'PagerDuty', 'event.data');
    const incidentName = nonEmpty(child.incident.summary) ?? child.incident.id;
    const text = child.content ?? child.message ?? '';
    const who = child.type === 'incident_responder' ? nonEmpty(child.user?.summary) : agent;
    return [
      {
        ...common,
        title: clip(`${CHILD_WORDS[child.type]} on ${incidentName}${text ? `: ${text}` : ''}`),
        body: [text, who ? `By: ${who}` : null, child.incident.html_url ? `Link: ${child.incident.html_url}` : null]
          .filter((line) => line)
          .join('\n'),
        labels: compactLabels({
          event_type: event.event_type,
          incident_id: child.incident.id,
          agent: who,
          state: child.state,
        }),
        service: null,
        severity: null,
        groupKey: child.incident.id,
      },
    ];
  }

  return [];
}
