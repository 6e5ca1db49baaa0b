import { afterAll, describe, expect, it } from 'vitest';
import type { UserView } from '../../src/app/presenters.js';
import type { ApiToken } from '../../src/domain/types.js';
import { debrief, json, lines, tempDir } from './run.js';

describe('debrief user and token (local)', () => {
  const dir = tempDir();
  const env = { DEBRIEF_DATA_DIR: dir.path };
  const run = (...args: string[]) => debrief(args, { env });
  afterAll(() => dir.remove());

  it('creates a user with a generated password shown once, and lists users', async () => {
    const created = await run('user', 'create', '--email', 'Ana@Example.com', '--role', 'responder', '--name', 'Ana');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created user ana@example\.com\n/);
    expect(created.stdout).toMatch(/Password\s+\S{12,}\n/);
    expect(created.stderr).toMatch(/shown only this once/);

    const withPassword = json<{ user: UserView; generatedPassword: string | null }>(
      await run(
        'user',
        'create',
        '--email',
        'bo@example.com',
        '--role',
        'admin',
        '--password',
        'correct-horse-battery',
        '--format',
        'json',
      ),
    );
    expect(withPassword.generatedPassword).toBeNull();
    expect(withPassword.user).toMatchObject({ email: 'bo@example.com', role: 'admin', name: 'bo' });

    const listed = json<{ items: UserView[] }>(await run('user', 'list', '--format', 'json'));
    expect(listed.items.map((u) => u.email)).toEqual(['ana@example.com', 'bo@example.com']);
    expect(JSON.stringify(listed)).not.toMatch(/password/i);

    const table = await run('user', 'list');
    expect(table.stdout.split('\n')[0]).toMatch(/^EMAIL\s+ROLE\s+CREATED\s+STATUS\s+NAME$/);
  });

  it('refuses a duplicate email and a short password with exit 2', async () => {
    const duplicate = await run('user', 'create', '--email', 'ana@example.com', '--role', 'viewer');
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toBe('debrief: a user with email ana@example.com already exists\n');

    const short = await run('user', 'create', '--email', 'cy@example.com', '--role', 'viewer', '--password', 'short');
    expect(short.code).toBe(2);
    expect(short.stderr).toBe('debrief: password: must be at least 8 characters\n');
  });

  it('creates a token whose JSON carries the secret once, lists it without the secret, and revokes it', async () => {
    const created = await run('token', 'create', '--name', 'ci', '--role', 'responder', '--format', 'json');
    expect(created.code).toBe(0);
    const token = json<ApiToken & { token: string }>(created);
    expect(token.token).toMatch(/^dbf_[A-Za-z0-9_-]{20,}$/);
    expect(token).toMatchObject({ name: 'ci', role: 'responder', revokedAt: null, expiresAt: null });
    expect(Object.keys(token)[0]).toBe('token');

    const listed = await run('token', 'list', '--format', 'json');
    expect(listed.stdout).not.toContain(token.token);
    expect(json<{ items: ApiToken[] }>(listed).items.map((t) => t.id)).toEqual([token.id]);

    const revoked = await run('token', 'revoke', token.id);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^Revoked token "ci" \(/);

    const table = await run('token', 'list');
    expect(table.stdout).toMatch(/ci\s+responder\s+dbf_\S+…\s+.*revoked /);
  });

  it('prints only the secret on stdout in text format, so scripts can capture it', async () => {
    const result = await run(
      'token',
      'create',
      '--name',
      'deploy',
      '--role',
      'viewer',
      '--expires',
      '2099-01-01T00:00:00Z',
    );
    expect(result.code).toBe(0);
    expect(lines(result.stdout)).toHaveLength(1);
    expect(result.stdout).toMatch(/^dbf_\S+\n$/);
    expect(result.stderr).toMatch(/^Created token "deploy" \(viewer, expires 2099-01-01T00:00:00Z, id \S+\)/);
  });

  it('reports an unknown token id with exit 1 and a bad expiry with exit 2', async () => {
    const unknown = await run('token', 'revoke', 'no-such-id');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('debrief: token no-such-id not found\n');

    const badExpiry = await run('token', 'create', '--name', 'x', '--role', 'viewer', '--expires', 'tomorrow');
    expect(badExpiry.code).toBe(2);
    expect(badExpiry.stderr).toMatch(/^debrief: expiresAt: expected an ISO-8601 timestamp/);
  });
});
