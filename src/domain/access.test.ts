import { describe, it, expect } from 'vitest';
import {
  type Action,
  can,
  canSeeIncident,
  minimumRole,
  principalLabel,
  roleAtLeast,
  visibilityScope,
} from './access.js';
import { USER_ROLES, type Incident, type Principal, type UserRole } from './types.js';

type AccessFields = Pick<Incident, 'visibility' | 'members' | 'roles' | 'declaredBy'>;

const user = (role: UserRole, email = `${role}@example.com`): Principal => ({
  kind: 'user',
  id: `u-${email}`,
  email,
  name: email,
  role,
});
const token = (role: UserRole, name = 'ci'): Principal => ({ kind: 'token', id: `t-${name}`, name, role });
const system: Principal = { kind: 'system', name: 'cli', role: 'admin' };

const noRoles = { commander: null, scribe: null, communications: null };
const publicIncident: AccessFields = { visibility: 'public', members: [], roles: noRoles, declaredBy: 'x@example.com' };
const privateIncident = (overrides: Partial<AccessFields> = {}): AccessFields => ({
  visibility: 'private',
  members: ['member@example.com'],
  roles: { ...noRoles, commander: 'commander@example.com' },
  declaredBy: 'declarer@example.com',
  ...overrides,
});

const ACTIONS: Action[] = [
  'incident.read',
  'incident.create',
  'incident.update',
  'incident.changeStatus',
  'incident.assignRoles',
  'timeline.add',
  'timeline.pin',
  'service.read',
  'service.write',
  'audit.read',
  'user.manage',
  'token.manage',
];

describe('roleAtLeast', () => {
  it('orders viewer < responder < reviewer < admin', () => {
    for (const [i, role] of USER_ROLES.entries()) {
      for (const [j, min] of USER_ROLES.entries()) expect(roleAtLeast(role, min)).toBe(i >= j);
    }
    expect(roleAtLeast('viewer', 'responder')).toBe(false);
    expect(roleAtLeast('admin', 'reviewer')).toBe(true);
  });
});

describe('can (role rules)', () => {
  const expected: Record<UserRole, Action[]> = {
    viewer: ['incident.read', 'service.read'],
    responder: [
      'incident.read',
      'incident.create',
      'incident.update',
      'incident.changeStatus',
      'incident.assignRoles',
      'timeline.add',
      'timeline.pin',
      'service.read',
    ],
    reviewer: [
      'incident.read',
      'incident.create',
      'incident.update',
      'incident.changeStatus',
      'incident.assignRoles',
      'timeline.add',
      'timeline.pin',
      'service.read',
      'service.write',
    ],
    admin: ACTIONS,
  };

  it.each(USER_ROLES)('grants a %s exactly its actions', (role) => {
    expect(ACTIONS.filter((action) => can(user(role), action))).toEqual(expected[role]);
    expect(ACTIONS.filter((action) => can(token(role), action))).toEqual(expected[role]);
  });

  it('grants the system principal everything', () => {
    expect(ACTIONS.every((action) => can(system, action, privateIncident()))).toBe(true);
  });

  it('exposes the minimum role of an action', () => {
    expect(minimumRole('timeline.pin')).toBe('responder');
    expect(minimumRole('token.manage')).toBe('admin');
  });
});

describe('can (alert, routing, change and telemetry actions)', () => {
  const allowed: [Action, UserRole[]][] = [
    ['alert.ingest', ['responder', 'reviewer', 'admin']],
    ['routing.read', ['viewer', 'responder', 'reviewer', 'admin']],
    ['routing.manage', ['reviewer', 'admin']],
    ['maintenance.read', ['viewer', 'responder', 'reviewer', 'admin']],
    ['maintenance.manage', ['reviewer', 'admin']],
    ['change.record', ['responder', 'reviewer', 'admin']],
    ['telemetry.ingest', ['responder', 'reviewer', 'admin']],
  ];

  it.each(allowed)('grants %s to exactly %j', (action, roles) => {
    expect(USER_ROLES.filter((role) => can(user(role), action))).toEqual(roles);
    expect(USER_ROLES.filter((role) => can(token(role), action))).toEqual(roles);
    expect(can(system, action)).toBe(true);
    expect(minimumRole(action)).toBe(roles[0]);
  });
});

describe('canSeeIncident', () => {
  it('shows public incidents to every role and kind', () => {
    for (const role of USER_ROLES) {
      expect(canSeeIncident(user(role), publicIncident)).toBe(true);
      expect(canSeeIncident(token(role), publicIncident)).toBe(true);
    }
  });

  it('shows private incidents to members, role holders and the declarer', () => {
    expect(canSeeIncident(user('viewer', 'member@example.com'), privateIncident())).toBe(true);
    expect(canSeeIncident(user('viewer', 'commander@example.com'), privateIncident())).toBe(true);
    expect(canSeeIncident(user('viewer', 'declarer@example.com'), privateIncident())).toBe(true);
  });

  it('hides private incidents from other non-admin users', () => {
    expect(canSeeIncident(user('reviewer', 'outsider@example.com'), privateIncident())).toBe(false);
    expect(canSeeIncident(user('responder', 'outsider@example.com'), privateIncident())).toBe(false);
  });

  it('shows private incidents to admins and the system principal', () => {
    expect(canSeeIncident(user('admin', 'outsider@example.com'), privateIncident())).toBe(true);
    expect(canSeeIncident(system, privateIncident())).toBe(true);
  });

  it('shows private incidents to tokens only when admin or the declarer', () => {
    expect(canSeeIncident(token('reviewer'), privateIncident())).toBe(false);
    expect(canSeeIncident(token('admin'), privateIncident())).toBe(true);
    expect(canSeeIncident(token('responder', 'ci'), privateIncident({ declaredBy: 'token:ci' }))).toBe(true);
    expect(canSeeIncident(token('responder', 'other'), privateIncident({ declaredBy: 'token:ci' }))).toBe(false);
  });

  it('does not let a token in by a member entry that looks like its label', () => {
    expect(canSeeIncident(token('responder', 'ci'), privateIncident({ members: ['token:ci'] }))).toBe(false);
  });

  it('does not confuse a user whose email happens to match an unassigned role', () => {
    expect(canSeeIncident(user('viewer', 'x@example.com'), privateIncident({ roles: noRoles, members: [] }))).toBe(
      false,
    );
  });
});

describe('can (incident visibility)', () => {
  it('refuses writes on a private incident the principal cannot read, even with the role', () => {
    const outsider = user('reviewer', 'outsider@example.com');
    expect(can(outsider, 'incident.update', privateIncident())).toBe(false);
    expect(can(outsider, 'timeline.add', privateIncident())).toBe(false);
    expect(can(outsider, 'incident.update', publicIncident)).toBe(true);
  });

  it('allows writes to members with the role', () => {
    expect(can(user('responder', 'member@example.com'), 'incident.changeStatus', privateIncident())).toBe(true);
  });

  it('still needs the role for a visible incident', () => {
    expect(can(user('viewer', 'member@example.com'), 'incident.read', privateIncident())).toBe(true);
    expect(can(user('viewer', 'member@example.com'), 'incident.update', privateIncident())).toBe(false);
  });
});

describe('principalLabel', () => {
  it('names users by email, tokens and the system by kind and name', () => {
    expect(principalLabel(user('viewer', 'ana@example.com'))).toBe('ana@example.com');
    expect(principalLabel(token('responder', 'deploy-bot'))).toBe('token:deploy-bot');
    expect(principalLabel(system)).toBe('system:cli');
  });
});

describe('visibilityScope', () => {
  it('sees everything as admin or system', () => {
    expect(visibilityScope(user('admin'))).toEqual({ all: true });
    expect(visibilityScope(token('admin'))).toEqual({ all: true });
    expect(visibilityScope(system)).toEqual({ all: true });
  });

  it('filters users by email and label, tokens by label only', () => {
    expect(visibilityScope(user('reviewer', 'ana@example.com'))).toEqual({
      all: false,
      email: 'ana@example.com',
      label: 'ana@example.com',
    });
    expect(visibilityScope(token('responder', 'ci'))).toEqual({ all: false, email: null, label: 'token:ci' });
  });
});
