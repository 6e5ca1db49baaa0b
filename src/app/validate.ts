import { z } from 'zod';
import { DebriefError, type ErrorDetail } from '../domain/errors.js';

/** Turns a zod issue path into the dotted field path clients see, e.g. `roles.commander` or `services[1]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(body)' : out;
}

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const base = fieldPath(issue.path);
      return {
        field: issue.keys.map((k) => (base === '(body)' ? k : `${base}.${k}`)).join(', '),
        message: `unknown field${issue.keys.length > 1 ? 's' : ''}`,
      };
    }
    return { field: fieldPath(issue.path), message: issue.message };
  });
}

/** Validates use-case input; throws DEBRIEF_ERR_VALIDATION naming every offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = zodDetails(result.error);
  const first = details[0] ?? { field: '(body)', message: 'invalid' };
  return (() => {
    throw new DebriefError('DEBRIEF_ERR_VALIDATION', details.map((d) => `${d.field}: ${d.message}`).join('; '), {
      field: first.field,
      details,
    });
  })();
}
