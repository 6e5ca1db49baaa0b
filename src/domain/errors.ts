/**
 * Stable, coded errors. Each code maps to one HTTP status in the HTTP layer and to exit code 2 (usage/input) or 1
 * in the CLI. `field` is a JSON-pointer-like dotted path to the offending input when there is one.
 */
export const ERROR_CODES = {
  DEBRIEF_ERR_VALIDATION: 400,
  DEBRIEF_ERR_UNAUTHENTICATED: 401,
  DEBRIEF_ERR_FORBIDDEN: 403,
  DEBRIEF_ERR_NOT_FOUND: 404,
  DEBRIEF_ERR_VERSION_CONFLICT: 409,
  DEBRIEF_ERR_ALREADY_EXISTS: 409,
  /** Publishing a postmortem while a gate is open; `details` names each blocker (`blame`, `redaction`, `approvals`). */
  DEBRIEF_ERR_PUBLISH_BLOCKED: 409,
  DEBRIEF_ERR_PAYLOAD_TOO_LARGE: 413,
  DEBRIEF_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  DEBRIEF_ERR_INVALID_TRANSITION: 422,
  DEBRIEF_ERR_LIFECYCLE_ORDER: 422,
  DEBRIEF_ERR_NOT_CONFIGURED: 422,
  DEBRIEF_ERR_RATE_LIMITED: 429,
  DEBRIEF_ERR_UPSTREAM: 502,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  field: string;
  message: string;
}

export class DebriefError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, options: { field?: string; details?: ErrorDetail[] } = {}) {
    super(message);
    this.name = 'DebriefError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.field = options.field;
    this.details = options.details ?? (options.field ? [{ field: options.field, message }] : []);
  }
}

export const validationError = (field: string, message: string): DebriefError =>
  new DebriefError('DEBRIEF_ERR_VALIDATION', `${field}: ${message}`, { field, details: [{ field, message }] });

export const notFound = (entity: string, id: string): DebriefError =>
  new DebriefError('DEBRIEF_ERR_NOT_FOUND', `${entity} ${id} not found`);
