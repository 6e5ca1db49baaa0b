/**
 * Input schemas of the postmortem use cases. The HTTP routes use the same schemas for validation and OpenAPI, and
 * the CLI goes through them in local mode, so every entry point rejects the same input with the same field names.
 */
import { z } from 'zod';
import { POSTMORTEM_STATUSES, REVIEW_DECISIONS } from '../domain/postmortem/types.js';
import { incidentType, severity } from './inputs.js';

/** The largest postmortem body accepted, in characters: room for pasted logs, far beyond any real document. */
export const MAX_POSTMORTEM_BODY = 10 * 1024 * 1024;

const enumOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `must be one of ${values.join(', ')}` });

const version = z
  .number({ error: 'must be the version you loaded (a positive integer)' })
  .int({ error: 'must be the version you loaded (a positive integer)' })
  .positive({ error: 'must be the version you loaded (a positive integer)' });

const body = z
  .string({ error: 'must be the markdown text' })
  .max(MAX_POSTMORTEM_BODY, { error: `must be at most ${MAX_POSTMORTEM_BODY} characters` });

const sectionRef = z
  .string()
  .min(1, { error: 'must name a section' })
  .max(200, { error: 'must be at most 200 characters' })
  .regex(/^[\p{L}\p{N}_-]+$/u, { error: 'must be a section id such as "what-went-well"' });

const templateId = z.string().min(1, { error: 'must name a template' }).max(100);

export const postmortemStatus = enumOf(POSTMORTEM_STATUSES);

export const createPostmortemInput = z.strictObject({ templateId: templateId.optional() });
export type CreatePostmortemInput = z.input<typeof createPostmortemInput>;

export const savePostmortemBodyInput = z.strictObject({
  body,
  version,
  /** The revision this text restores: the save is then its own revision, never folded into the previous one. */
  restoredFrom: z.number().int().min(1).optional(),
});
export type SavePostmortemBodyInput = z.input<typeof savePostmortemBodyInput>;

export const updatePostmortemInput = z.strictObject({
  version,
  hiddenSections: z.array(sectionRef).max(100).optional(),
  templateId: templateId.optional(),
});
export type UpdatePostmortemInput = z.input<typeof updatePostmortemInput>;

export const checkPostmortemTextInput = z.strictObject({ body });
export type CheckPostmortemTextInput = z.input<typeof checkPostmortemTextInput>;

export const requestReviewInput = z.strictObject({
  version: version.optional(),
  note: z.string().max(5_000, { error: 'must be at most 5000 characters' }).optional(),
});
export type RequestReviewInput = z.input<typeof requestReviewInput>;

export const reviewPostmortemInput = z.strictObject({
  decision: enumOf(REVIEW_DECISIONS),
  score: z
    .number({ error: 'must be a whole number from 1 to 5' })
    .int({ error: 'must be a whole number from 1 to 5' })
    .min(1, { error: 'must be a whole number from 1 to 5' })
    .max(5, { error: 'must be a whole number from 1 to 5' })
    .optional(),
  comment: z.string().trim().max(10_000, { error: 'must be at most 10000 characters' }).default(''),
});
export type ReviewPostmortemInput = z.input<typeof reviewPostmortemInput>;

export const addCommentInput = z.strictObject({
  section: sectionRef,
  body: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(10_000, { error: 'must be at most 10000 characters' }),
});
export type AddCommentInput = z.input<typeof addCommentInput>;

export const resolveCommentInput = z.strictObject({ resolved: z.boolean({ error: 'must be true or false' }) });
export type ResolveCommentInput = z.input<typeof resolveCommentInput>;

const fingerprint = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { error: 'must be a finding fingerprint (64 lowercase hex characters)' });

export const applyRedactionsInput = z.strictObject({
  version,
  fingerprints: z.array(fingerprint).max(10_000).optional(),
});
export type ApplyRedactionsInput = z.input<typeof applyRedactionsInput>;

export const waiveRedactionInput = z.strictObject({
  fingerprint,
  reason: z
    .string({ error: 'must say why this value may stay in the internal version' })
    .trim()
    .min(3, { error: 'must say why this value may stay in the internal version (at least 3 characters)' })
    .max(500, { error: 'must be at most 500 characters' }),
});
export type WaiveRedactionInput = z.input<typeof waiveRedactionInput>;

export const publishPostmortemInput = z.strictObject({ version });
export type PublishPostmortemInput = z.input<typeof publishPostmortemInput>;

export const listPostmortemsInput = z.strictObject({
  status: z.array(postmortemStatus).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListPostmortemsInput = z.input<typeof listPostmortemsInput>;

export const revisionInput = z.strictObject({
  version: z.coerce
    .number({ error: 'must be a revision version (a positive integer)' })
    .int({ error: 'must be a revision version (a positive integer)' })
    .positive({ error: 'must be a revision version (a positive integer)' }),
});

const templateSectionInput = z.strictObject({
  /** Defaults to the slug of the title; when given it must be that slug. */
  id: z.string().max(200).optional(),
  title: z.string().trim().min(1, { error: 'must not be empty' }).max(200),
  prompt: z.string().max(5_000, { error: 'must be at most 5000 characters' }).default(''),
  required: z.boolean().default(true),
});

const templateFields = {
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  description: z.string().max(2_000, { error: 'must be at most 2000 characters' }),
  severities: z.array(severity).max(4),
  types: z.array(incidentType).max(4),
  sections: z.array(templateSectionInput).min(1, { error: 'needs at least one section' }).max(100),
};

export const createTemplateInput = z.strictObject({
  name: templateFields.name,
  description: templateFields.description.default(''),
  severities: templateFields.severities.default([]),
  types: templateFields.types.default([]),
  sections: templateFields.sections,
});
export type CreateTemplateInput = z.input<typeof createTemplateInput>;

export const updateTemplateInput = z.strictObject({
  version,
  name: templateFields.name.optional(),
  description: templateFields.description.optional(),
  severities: templateFields.severities.optional(),
  types: templateFields.types.optional(),
  sections: templateFields.sections.optional(),
});
export type UpdateTemplateInput = z.input<typeof updateTemplateInput>;
