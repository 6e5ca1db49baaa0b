import { USER_ROLES, type Incident, type Principal, type UserRole } from './types.js';

/** Everything a principal may ask to do. Checked in one place so that every entry point agrees. */
export type Action =
  | 'incident.read'
  | 'incident.create'
  | 'incident.update'
  | 'incident.changeStatus'
  | 'incident.assignRoles'
  | 'timeline.add'
  | 'timeline.pin'
  | 'service.read'
  | 'service.write'
  | 'audit.read'
  | 'user.manage'
  | 'token.manage'
  | 'postmortem.read'
  | 'postmortem.edit'
  | 'postmortem.comment'
  | 'postmortem.review'
  | 'postmortem.waive'
  | 'postmortem.publish'
  | 'postmortem.acknowledge'
  | 'template.manage'
  | 'alert.ingest'
  | 'routing.read'
  | 'routing.manage'
  | 'maintenance.read'
  | 'maintenance.manage'
  | 'change.record'
  | 'telemetry.ingest';

/** The fields of an incident that decide who may see it. */
export type IncidentAccessFields = Pick<Incident, 'visibility' | 'members' | 'roles' | 'declaredBy'>;

const MIN_ROLE: Readonly<Record<Action, UserRole>> = {
  'incident.read': 'viewer',
  'incident.create': 'responder',
  'incident.update': 'responder',
  'incident.changeStatus': 'responder',
  'incident.assignRoles': 'responder',
  'timeline.add': 'responder',
  'timeline.pin': 'responder',
  'service.read': 'viewer',
  'service.write': 'reviewer',
  'audit.read': 'admin',
  'user.manage': 'admin',
  'token.manage': 'admin',
  'postmortem.read': 'viewer',
  'postmortem.edit': 'responder',
  'postmortem.comment': 'viewer',
  'postmortem.review': 'reviewer',
  'postmortem.waive': 'reviewer',
  'postmortem.publish': 'reviewer',
  'postmortem.acknowledge': 'viewer',
  'template.manage': 'reviewer',
  // Ingesting alerts declares incidents and writes their timelines, so it needs what those need.
  'alert.ingest': 'responder',
  'routing.read': 'viewer',
  'routing.manage': 'reviewer',
  'maintenance.read': 'viewer',
  'maintenance.manage': 'reviewer',
  'change.record': 'responder',
  'telemetry.ingest': 'responder',
};

/**
 * The least role that may perform `action` (before any per-incident visibility rule).
 *
 * @example
 * minimumRole('service.write'); // 'reviewer'
 */
export function minimumRole(action: Action): UserRole {
  return MIN_ROLE[action];
}

/**
 * Whether `role` is `min` or more privileged, in the order viewer < responder < reviewer < admin.
 *
 * @example
 * roleAtLeast('reviewer', 'responder'); // true
 */
export function roleAtLeast(role: UserRole, min: UserRole): boolean {
  return USER_ROLES.indexOf(role) >= USER_ROLES.indexOf(min);
}

/**
 * How a principal is named in audit logs, `declaredBy` and timeline actors.
 *
 * @example
 * principalLabel({ kind: 'token', id: 't1', name: 'ci', role: 'responder' }); // 'token:ci'
 */
export function principalLabel(p: Principal): string {
  switch (p.kind) {
    case 'user':
      return p.email;
    case 'token':
      return `token:${p.name}`;
    case 'system':
      return `system:${p.name}`;
  }
}

/**
 * Which incidents a principal may see, in a form store queries can turn into a filter, so that lists, search and
 * exports apply exactly the rule `canSeeIncident` applies. With `all: false`, an incident is visible when it is
 * public, when `declaredBy` equals `label`, or when `email` is non-null and appears in `members` or holds a role.
 * Emails are compared exactly; they are expected lowercased when they enter the system.
 *
 * @example
 * visibilityScope({ kind: 'token', id: 't1', name: 'ci', role: 'responder' });
 * // { all: false, email: null, label: 'token:ci' }
 */
export function visibilityScope(
  principal: Principal,
): { all: true } | { all: false; email: string | null; label: string } {
  if (principal.kind === 'system' || principal.role === 'admin') return { all: true };
  return {
    all: false,
    email: principal.kind === 'user' ? principal.email : null,
    label: principalLabel(principal),
  };
}

/**
 * Whether `principal` may see `incident` at all. Public incidents are visible to everyone signed in; private ones
 * to admins, the system principal, members, role holders and whoever declared them. Tokens have no email, so only
 * their own declarations are visible to them unless they are admin tokens.
 *
 * @example
 * canSeeIncident(viewer, { visibility: 'private', members: [viewer.email], ... }); // true
 */
export function canSeeIncident(principal: Principal, incident: IncidentAccessFields): boolean {
  if (incident.visibility === 'public') return true;
  const scope = visibilityScope(principal);
  if (scope.all) return true;
  if (incident.declaredBy === scope.label) return true;
  if (scope.email === null) return false;
  return incident.members.includes(scope.email) || Object.values(incident.roles).includes(scope.email);
}

/**
 * The access policy: whether `principal` may perform `action`, optionally on `incident`. Acting on an incident
 * also requires being able to see it, so a private incident cannot be changed by someone who cannot read it.
 *
 * @example
 * can(responder, 'incident.update', privateIncident); // false unless the responder is a member
 */
export function can(principal: Principal, action: Action, incident?: IncidentAccessFields): boolean {
  if (!roleAtLeast(principal.role, MIN_ROLE[action])) return false;
  return incident === undefined || canSeeIncident(principal, incident);
}
