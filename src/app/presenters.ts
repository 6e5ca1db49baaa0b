import { computeDurations } from '../domain/durations.js';
import { allowedTransitions } from '../domain/lifecycle.js';
import type { Incident, TimelineEvent, User } from '../domain/types.js';
import type { IncidentView } from './incident-views.js';

export type { IncidentView };

/** The incident as it leaves the server: stored fields plus what is derived from them. */
export function presentIncident(incident: Incident, timeline?: TimelineEvent[]): IncidentView {
  return {
    ...incident,
    durations: computeDurations(incident),
    allowedTransitions: [...allowedTransitions(incident.status)],
    ...(timeline ? { timeline } : {}),
  };
}

export type UserView = Pick<User, 'id' | 'email' | 'name' | 'role' | 'createdAt' | 'disabledAt'>;

/** Whitelists user fields: never a password hash. */
export function presentUser(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt,
    disabledAt: user.disabledAt,
  };
}
