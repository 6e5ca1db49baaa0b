import { createHash, randomBytes } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { principalLabel } from '../domain/access.js';
import { DebriefError, notFound } from '../domain/errors.js';
import { normalizeTimestamp } from '../domain/lifecycle.js';
import type { ApiToken, Principal, User } from '../domain/types.js';
import { newId } from '../store/ids.js';
import { read, transact, type AppContext } from './context.js';
import { authorize } from './guard.js';
import {
  createTokenInput,
  createUserInput,
  loginInput,
  type CreateTokenInput,
  type CreateUserInput,
  type LoginInput,
} from './inputs.js';
import { presentUser, type UserView } from './presenters.js';
import { parseInput } from './validate.js';

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
const SESSION_TOUCH_MS = 60 * 60 * 1000;
export const TOKEN_PREFIX = 'dbf_';

/** Secrets are random; a fast hash is enough to look them up without storing them. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Creates a user; without a password one is generated and returned once. */
export async function createUser(
  ctx: AppContext,
  actor: Principal,
  raw: CreateUserInput,
): Promise<{ user: UserView; generatedPassword: string | null }> {
  const input = parseInput(createUserInput, raw);
  const generatedPassword = input.password ? null : randomBytes(12).toString('base64url');
  const passwordHash = await argonHash(input.password ?? generatedPassword ?? '');
  return transact(ctx, async (tx) => {
    authorize(actor, 'user.manage');
    if (await tx.repos.identity.findUserByEmail(input.email)) {
      throw new DebriefError('DEBRIEF_ERR_ALREADY_EXISTS', `a user with email ${input.email} already exists`, {
        field: 'email',
      });
    }
    const user: User = {
      id: newId(),
      email: input.email,
      name: input.name ?? input.email.split('@')[0] ?? input.email,
      role: input.role,
      createdAt: tx.now,
      disabledAt: null,
    };
    await tx.repos.identity.insertUser(user, passwordHash);
    await tx.audit(actor, 'user.create', 'user', user.email, null, presentUser(user));
    return { user: presentUser(user), generatedPassword };
  });
}

export async function listUsers(ctx: AppContext, actor: Principal): Promise<UserView[]> {
  authorize(actor, 'user.manage');
  return (await read(ctx).identity.listUsers()).map(presentUser);
}

const DUMMY_HASH = await argonHash('debrief-timing-equaliser');

/**
 * Checks a password and opens a session. Unknown emails take as long as wrong passwords, and both get the same
 * answer, so the endpoint does not reveal who has an account.
 */
export async function login(
  ctx: AppContext,
  raw: LoginInput,
): Promise<{ user: UserView; sessionToken: string; expiresAt: string }> {
  const input = parseInput(loginInput, raw);
  const user = await read(ctx).identity.findUserByEmail(input.email);
  const ok = await argonVerify(user?.passwordHash ?? DUMMY_HASH, input.password).catch(() => false);
  if (!user || !user.passwordHash || !ok || user.disabledAt) {
    throw new DebriefError('DEBRIEF_ERR_UNAUTHENTICATED', 'email or password is wrong');
  }
  const sessionToken = newSecret('dbs_');
  return transact(ctx, async (tx) => {
    const expiresAt = new Date(Date.parse(tx.now) + SESSION_TTL_MS).toISOString();
    await tx.repos.identity.insertSession({
      id: newId(),
      tokenHash: hashSecret(sessionToken),
      userId: user.id,
      createdAt: tx.now,
      expiresAt,
      lastSeenAt: tx.now,
    });
    const principal: Principal = { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role };
    await tx.audit(principal, 'session.create', 'user', user.email, null, null);
    return { user: presentUser(user), sessionToken, expiresAt };
  });
}

/** The user behind a session cookie, sliding its expiry; null when unknown or expired. */
export async function authenticateSession(ctx: AppContext, sessionToken: string): Promise<Principal | null> {
  const repos = read(ctx);
  const session = await repos.identity.findSessionByHash(hashSecret(sessionToken));
  const now = ctx.now();
  if (!session || Date.parse(session.expiresAt) <= now.getTime()) return null;
  const user = await repos.identity.findUserById(session.userId);
  if (!user || user.disabledAt) return null;
  if (now.getTime() - Date.parse(session.lastSeenAt) > SESSION_TOUCH_MS) {
    await repos.identity.touchSession(
      session.id,
      now.toISOString(),
      new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    );
  }
  return { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Ends a session; signing out of an unknown or expired session is a no-op. */
export async function logout(ctx: AppContext, sessionToken: string): Promise<void> {
  await transact(ctx, async (tx) => {
    const tokenHash = hashSecret(sessionToken);
    const session = await tx.repos.identity.findSessionByHash(tokenHash);
    if (!session) return;
    const user = await tx.repos.identity.findUserById(session.userId);
    await tx.repos.identity.deleteSessionByHash(tokenHash);
    if (user) {
      const principal: Principal = { kind: 'user', id: user.id, email: user.email, name: user.name, role: user.role };
      await tx.audit(principal, 'session.delete', 'user', user.email, null, null);
    }
  });
}

/** Creates an API token; the secret is returned once and only its hash is kept. */
export async function createApiToken(
  ctx: AppContext,
  actor: Principal,
  raw: CreateTokenInput,
): Promise<{ token: string; apiToken: ApiToken }> {
  const input = parseInput(createTokenInput, raw);
  const secret = newSecret(TOKEN_PREFIX);
  return transact(ctx, async (tx) => {
    authorize(actor, 'token.manage');
    const apiToken: ApiToken = {
      id: newId(),
      name: input.name,
      role: input.role,
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      createdBy: principalLabel(actor),
      createdAt: tx.now,
      lastUsedAt: null,
      expiresAt: input.expiresAt ? normalizeTimestamp(input.expiresAt, 'expiresAt') : null,
      revokedAt: null,
    };
    await tx.repos.identity.insertToken(apiToken, hashSecret(secret));
    await tx.audit(actor, 'token.create', 'token', apiToken.id, null, apiToken);
    return { token: secret, apiToken };
  });
}

/** The principal behind a bearer token; null when unknown, revoked or expired. */
export async function authenticateToken(ctx: AppContext, secret: string): Promise<Principal | null> {
  if (!secret.startsWith(TOKEN_PREFIX)) return null;
  const repos = read(ctx);
  const token = await repos.identity.findTokenByHash(hashSecret(secret));
  const now = ctx.now();
  if (!token || token.revokedAt || (token.expiresAt && Date.parse(token.expiresAt) <= now.getTime())) return null;
  if (!token.lastUsedAt || now.getTime() - Date.parse(token.lastUsedAt) > SESSION_TOUCH_MS) {
    await repos.identity.markTokenUsed(token.id, now.toISOString());
  }
  return { kind: 'token', id: token.id, name: token.name, role: token.role };
}

export async function listApiTokens(ctx: AppContext, actor: Principal): Promise<ApiToken[]> {
  authorize(actor, 'token.manage');
  return read(ctx).identity.listTokens();
}

export async function revokeApiToken(ctx: AppContext, actor: Principal, id: string): Promise<ApiToken> {
  return transact(ctx, async (tx) => {
    authorize(actor, 'token.manage');
    const before = await tx.repos.identity.findTokenById(id);
    if (!before) throw notFound('token', id);
    if (before.revokedAt) return before;
    await tx.repos.identity.revokeToken(id, tx.now);
    const after = { ...before, revokedAt: tx.now };
    await tx.audit(actor, 'token.revoke', 'token', id, before, after);
    return after;
  });
}
