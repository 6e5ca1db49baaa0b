/** Response shapes, for the OpenAPI document and for serialisation (fields not listed here never leave). */
import { z } from 'zod';
import {
  EVENT_KINDS,
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  MARKERS,
  SEVERITIES,
  USER_ROLES,
  VISIBILITIES,
} from '../domain/types.js';

/** An ISO 8601 timestamp, as every response carries times. */
export const time = z.string().meta({ format: 'date-time' });
export const nullableTime = time.nullable();

/** Path parameters of the routes under `/api/v1/incidents/:key`. */
export const keyParams = z.object({ key: z.string().max(40).meta({ description: 'Incident key, e.g. INC-12' }) });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z.string(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

export const timelineEventSchema = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    at: time,
    kind: z.enum(EVENT_KINDS),
    source: z.string(),
    title: z.string(),
    body: z.string(),
    labels: z.record(z.string(), z.string()),
    dedupeKey: z.string().nullable(),
    marker: z.enum(MARKERS).nullable(),
    pinned: z.boolean(),
    artifactId: z.string().nullable(),
    count: z.number().int(),
    actor: z.string().nullable(),
    createdAt: time,
  })
  .meta({ id: 'TimelineEvent' });

export const incidentSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    key: z.string(),
    title: z.string(),
    summary: z.string(),
    severity: z.enum(SEVERITIES),
    type: z.enum(INCIDENT_TYPES),
    visibility: z.enum(VISIBILITIES),
    status: z.enum(INCIDENT_STATUSES),
    services: z.array(z.string()),
    customerImpact: z.string(),
    roles: z.object({
      commander: z.string().nullable(),
      scribe: z.string().nullable(),
      communications: z.string().nullable(),
    }),
    members: z.array(z.string()),
    impactStartedAt: nullableTime,
    detectedAt: nullableTime,
    acknowledgedAt: nullableTime,
    mitigatedAt: nullableTime,
    resolvedAt: nullableTime,
    closedAt: nullableTime,
    declaredAt: time,
    declaredBy: z.string(),
    createdAt: time,
    updatedAt: time,
    version: z.number().int(),
    durations: z.object({
      timeToDetectSeconds: z.number().nullable(),
      timeToAcknowledgeSeconds: z.number().nullable(),
      timeToMitigateSeconds: z.number().nullable(),
      timeToResolveSeconds: z.number().nullable(),
    }),
    allowedTransitions: z.array(z.enum(INCIDENT_STATUSES)),
    timeline: z.array(timelineEventSchema).optional(),
  })
  .meta({ id: 'Incident' });

export const serviceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    displayName: z.string(),
    description: z.string(),
    team: z.string().nullable(),
    tier: z.number().int(),
    runbookUrl: z.string().nullable(),
    owners: z.array(z.string()),
    dependencies: z.array(z.string()),
    createdAt: time,
    updatedAt: time,
    version: z.number().int(),
  })
  .meta({ id: 'Service' });

export const teamSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    displayName: z.string(),
    members: z.array(z.string()),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Team' });

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    createdAt: time,
    disabledAt: nullableTime,
  })
  .meta({ id: 'User' });

export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    prefix: z.string(),
    createdBy: z.string().nullable(),
    createdAt: time,
    lastUsedAt: nullableTime,
    expiresAt: nullableTime,
    revokedAt: nullableTime,
  })
  .meta({ id: 'ApiToken' });

export const auditEventSchema = z
  .object({
    id: z.string(),
    at: time,
    actor: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditEvent' });

/** Standard error responses for a route, by status. */
export function errors(...statuses: number[]): Record<number, typeof problemSchema> {
  return Object.fromEntries([401, ...statuses].map((s) => [s, problemSchema]));
}

/** Comma-separated query values -> validated array. */
export function csv<T extends z.ZodType<unknown, string>>(item: T) {
  return z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    )
    .pipe(z.array(item));
}
