/**
 * RFC 9457 problem details. Every error leaving the server goes through `toProblem`, so clients always get
 * `application/problem+json` naming the offending field, and never a stack trace.
 */
import type { FastifyError, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DebriefError, ERROR_CODES, type ErrorCode, type ErrorDetail } from '../domain/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode | 'DEBRIEF_ERR_INTERNAL';
  detail: string;
  errors: ErrorDetail[];
}

const TITLES: Record<string, string> = {
  DEBRIEF_ERR_VALIDATION: 'Invalid request',
  DEBRIEF_ERR_UNAUTHENTICATED: 'Authentication required',
  DEBRIEF_ERR_FORBIDDEN: 'Not allowed',
  DEBRIEF_ERR_NOT_FOUND: 'Not found',
  DEBRIEF_ERR_VERSION_CONFLICT: 'Version conflict',
  DEBRIEF_ERR_ALREADY_EXISTS: 'Already exists',
  DEBRIEF_ERR_PUBLISH_BLOCKED: 'Publishing blocked',
  DEBRIEF_ERR_PAYLOAD_TOO_LARGE: 'Payload too large',
  DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
  DEBRIEF_ERR_INVALID_TRANSITION: 'Status change not allowed',
  DEBRIEF_ERR_LIFECYCLE_ORDER: 'Lifecycle times out of order',
  DEBRIEF_ERR_NOT_CONFIGURED: 'Not configured',
  DEBRIEF_ERR_RATE_LIMITED: 'Too many requests',
  DEBRIEF_ERR_UPSTREAM: 'Upstream service failed',
  DEBRIEF_ERR_INTERNAL: 'Internal error',
};

export const PROBLEM_BASE = 'https://debrief.dev/problems/';

function slug(code: string): string {
  return code
    .replace(/^DEBRIEF_ERR_/, '')
    .toLowerCase()
    .replace(/_/g, '-');
}

export function problem(code: ErrorCode | 'DEBRIEF_ERR_INTERNAL', detail: string, errors: ErrorDetail[] = []): Problem {
  const status = code === 'DEBRIEF_ERR_INTERNAL' ? 500 : ERROR_CODES[code];
  return { type: `${PROBLEM_BASE}${slug(code)}`, title: TITLES[code] ?? 'Error', status, code, detail, errors };
}

/** `/roles/commander` -> `roles.commander`, `/services/1` -> `services[1]`. */
function pointerToField(pointer: string, prefix: string): string {
  const parts = pointer.split('/').filter((p) => p !== '');
  let out = '';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? prefix : out;
}

/** Maps anything thrown while handling a request to a problem; unknown errors become a bare 500. */
export function toProblem(error: unknown): { problem: Problem; internal: boolean } {
  if (error instanceof DebriefError) {
    const base = problem(error.code, error.message, error.details);
    // Extension members (RFC 9457 §3.2) a use case attaches, e.g. the current state with a version conflict; the
    // standard members always win.
    const extensions = (error as { extensions?: unknown }).extensions;
    const extended = typeof extensions === 'object' && extensions !== null ? { ...extensions, ...base } : base;
    return { problem: extended, internal: false };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const errors: ErrorDetail[] = error.validation.map((v) => {
      const params = v.params as { keys?: string[] };
      if (v.keyword === 'unrecognized_keys' && params.keys) {
        const base = pointerToField(v.instancePath, '');
        return {
          field: params.keys.map((k) => (base ? `${base}.${k}` : k)).join(', '),
          message: `unknown field${params.keys.length > 1 ? 's' : ''}`,
        };
      }
      return { field: pointerToField(v.instancePath, `(${where})`), message: v.message ?? 'invalid' };
    });
    return {
      problem: problem('DEBRIEF_ERR_VALIDATION', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors),
      internal: false,
    };
  }
  const fe = error as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        problem: problem('DEBRIEF_ERR_PAYLOAD_TOO_LARGE', 'request body is larger than the limit'),
        internal: false,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        problem: problem('DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json'),
        internal: false,
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        problem: problem('DEBRIEF_ERR_VALIDATION', 'the JSON body is empty', [{ field: '(body)', message: 'empty' }]),
        internal: false,
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        problem: problem('DEBRIEF_ERR_VALIDATION', 'the body is not valid JSON', [
          { field: '(body)', message: 'not valid JSON' },
        ]),
        internal: false,
      };
    case 'FST_ERR_RATE_LIMITED':
      return { problem: problem('DEBRIEF_ERR_RATE_LIMITED', 'too many requests; wait a minute'), internal: false };
    default:
      break;
  }
  if (error instanceof SyntaxError || (fe.statusCode === 400 && fe.code?.startsWith('FST_'))) {
    return {
      problem: problem('DEBRIEF_ERR_VALIDATION', fe.message ?? 'bad request', [
        { field: '(body)', message: 'invalid' },
      ]),
      internal: false,
    };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const p = problem('DEBRIEF_ERR_VALIDATION', fe.message ?? 'bad request');
    return { problem: { ...p, status: fe.statusCode }, internal: false };
  }
  return {
    problem: problem('DEBRIEF_ERR_INTERNAL', 'something went wrong on our side; it has been logged'),
    internal: true,
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.status(p.status).type('application/problem+json').send(p);
}
