/**
 * Input schemas for the use cases. The HTTP layer uses the same schemas for validation and OpenAPI, and the CLI
 * goes through them in local mode, so every entry point rejects the same input with the same field names.
 */
import { z } from 'zod';
import {
  EVENT_KINDS,
  INCIDENT_ROLES,
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  MARKERS,
  SEVERITIES,
  USER_ROLES,
  VISIBILITIES,
} from '../domain/types.js';

const enumOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `must be one of ${values.join(', ')}` });

export const severity = enumOf(SEVERITIES);
export const incidentType = enumOf(INCIDENT_TYPES);
export const visibility = enumOf(VISIBILITIES);
export const incidentStatus = enumOf(INCIDENT_STATUSES);
export const eventKind = enumOf(EVENT_KINDS);
export const marker = enumOf(MARKERS);
export const userRole = enumOf(USER_ROLES);

/** ISO-8601 with a zone; normalised to UTC by the use case so the message names the field. */
export const timestamp = z
  .string()
  .max(64)
  .meta({ description: 'ISO-8601 timestamp with a zone, e.g. 2026-11-20T10:02:00Z', format: 'date-time' });

export const email = z
  .email({ error: 'must be an email address' })
  .max(254)
  .transform((v) => v.trim().toLowerCase());

const text = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });
const title = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' });
const serviceName = z.string().min(1).max(63);

export const rolesInput = z.strictObject(
  Object.fromEntries(INCIDENT_ROLES.map((r) => [r, email.nullable().optional()])) as Record<
    (typeof INCIDENT_ROLES)[number],
    z.ZodOptional<z.ZodNullable<typeof email>>
  >,
);

export const declareIncidentInput = z.strictObject({
  title,
  severity,
  type: incidentType.default('standard'),
  visibility: visibility.default('public'),
  services: z.array(serviceName).max(50).default([]),
  summary: text(20_000).default(''),
  customerImpact: text(5_000).default(''),
  impactStartedAt: timestamp.nullable().optional(),
  detectedAt: timestamp.nullable().optional(),
  roles: rolesInput.optional(),
  members: z.array(email).max(500).default([]),
});
export type DeclareIncidentInput = z.input<typeof declareIncidentInput>;

export const updateIncidentInput = z.strictObject({
  version: z.number().int().positive(),
  title: title.optional(),
  summary: text(20_000).optional(),
  severity: severity.optional(),
  type: incidentType.optional(),
  visibility: visibility.optional(),
  services: z.array(serviceName).max(50).optional(),
  customerImpact: text(5_000).optional(),
  members: z.array(email).max(500).optional(),
  impactStartedAt: timestamp.nullable().optional(),
  detectedAt: timestamp.nullable().optional(),
  acknowledgedAt: timestamp.nullable().optional(),
  mitigatedAt: timestamp.nullable().optional(),
  resolvedAt: timestamp.nullable().optional(),
});
export type UpdateIncidentInput = z.input<typeof updateIncidentInput>;

export const changeStatusInput = z.strictObject({
  status: incidentStatus,
  at: timestamp.optional(),
  note: text(5_000).optional(),
  version: z.number().int().positive().optional(),
});
export type ChangeStatusInput = z.input<typeof changeStatusInput>;

export const listIncidentsInput = z.strictObject({
  status: z.array(incidentStatus).optional(),
  severity: z.array(severity).optional(),
  type: z.array(incidentType).optional(),
  visibility: visibility.optional(),
  service: serviceName.optional(),
  from: timestamp.optional(),
  to: timestamp.optional(),
  q: text(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});
export type ListIncidentsInput = z.input<typeof listIncidentsInput>;

export const addTimelineEventInput = z.strictObject({
  kind: eventKind.default('note'),
  title: text(500).optional(),
  body: text(100_000).default(''),
  at: timestamp.optional(),
  marker: marker.nullable().optional(),
  pinned: z.boolean().default(false),
  labels: z.record(z.string().max(200), z.string().max(2_000)).default({}),
  source: z.string().trim().min(1).max(100).default('debrief'),
  dedupeKey: z.string().min(1).max(500).optional(),
});
export type AddTimelineEventInput = z.input<typeof addTimelineEventInput>;

export const updateTimelineEventInput = z.strictObject({
  pinned: z.boolean().optional(),
  marker: marker.nullable().optional(),
});
export type UpdateTimelineEventInput = z.input<typeof updateTimelineEventInput>;

export const listTimelineInput = z.strictObject({
  kind: z.array(eventKind).optional(),
  source: z.array(z.string().max(100)).optional(),
  pinned: z.boolean().optional(),
});
export type ListTimelineInput = z.input<typeof listTimelineInput>;

const tier = z
  .number()
  .int({ error: 'must be 1, 2, 3 or 4' })
  .min(1, { error: 'must be 1, 2, 3 or 4' })
  .max(4, { error: 'must be 1, 2, 3 or 4' });

const url = z.url({ error: 'must be an http(s) URL', protocol: /^https?$/ }).max(2_000);

export const createServiceInput = z.strictObject({
  name: z.string().min(1).max(63),
  displayName: text(200).optional(),
  description: text(5_000).default(''),
  team: z.string().min(1).max(63).nullable().optional(),
  tier: tier.default(3),
  runbookUrl: url.nullable().optional(),
  owners: z.array(email).max(100).default([]),
  dependencies: z.array(serviceName).max(100).default([]),
});
export type CreateServiceInput = z.input<typeof createServiceInput>;

export const updateServiceInput = z.strictObject({
  version: z.number().int().positive(),
  displayName: text(200).optional(),
  description: text(5_000).optional(),
  team: z.string().min(1).max(63).nullable().optional(),
  tier: tier.optional(),
  runbookUrl: url.nullable().optional(),
  owners: z.array(email).max(100).optional(),
  dependencies: z.array(serviceName).max(100).optional(),
});
export type UpdateServiceInput = z.input<typeof updateServiceInput>;

export const createTeamInput = z.strictObject({
  name: z.string().min(1).max(63),
  displayName: text(200).optional(),
  members: z.array(email).max(500).default([]),
});
export type CreateTeamInput = z.input<typeof createTeamInput>;

/** `members` replaces the whole list. */
export const updateTeamInput = z.strictObject({
  displayName: text(200).optional(),
  members: z.array(email).max(500).optional(),
});
export type UpdateTeamInput = z.input<typeof updateTeamInput>;

export const createUserInput = z.strictObject({
  email,
  name: z.string().trim().min(1).max(200).optional(),
  role: userRole.default('responder'),
  password: z.string().min(8, { error: 'must be at least 8 characters' }).max(1_000).optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export const loginInput = z.strictObject({
  email: z
    .string()
    .max(254)
    .transform((v) => v.trim().toLowerCase()),
  password: z.string().max(1_000),
});
export type LoginInput = z.input<typeof loginInput>;

export const createTokenInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: userRole.default('responder'),
  expiresAt: timestamp.nullable().optional(),
});
export type CreateTokenInput = z.input<typeof createTokenInput>;

export const listAuditInput = z.strictObject({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  actor: z.string().max(300).optional(),
  limit: z.number().int().min(1).max(500).default(100),
  cursor: z.string().max(100).optional(),
});
export type ListAuditInput = z.input<typeof listAuditInput>;
