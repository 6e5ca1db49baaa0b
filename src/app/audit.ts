import { validationError } from '../domain/errors.js';
import type { AuditEvent, Principal } from '../domain/types.js';
import { read, type AppContext } from './context.js';
import { authorize } from './guard.js';
import { listAuditInput, type ListAuditInput } from './inputs.js';
import { parseInput } from './validate.js';

/** The audit log, newest first (admins only). */
export async function listAudit(
  ctx: AppContext,
  actor: Principal,
  raw: ListAuditInput = {},
): Promise<{ items: AuditEvent[]; nextCursor: string | null }> {
  const input = parseInput(listAuditInput, raw);
  authorize(actor, 'audit.read');
  let before: string | undefined;
  if (input.cursor !== undefined) {
    before = Buffer.from(input.cursor, 'base64url').toString('utf8');
    if (!/^[0-9a-f-]{36}$/.test(before)) throw validationError('cursor', 'is not a cursor returned by this API');
  }
  const page = await read(ctx).audit.list(input, input.limit, before);
  return { items: page.items, nextCursor: page.next ? Buffer.from(page.next).toString('base64url') : null };
}
