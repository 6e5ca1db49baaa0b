import { computeDurations } from '../domain/durations.js';
import { allowedTransitions } from '../domain/lifecycle.js';
import type { Incident, IncidentDurations, IncidentStatus, TimelineEvent, User } from '../domain/types.js';

export interface IncidentView extends Incident {
  durations: IncidentDurations;
  allowedTransitions: IncidentStatus[];
  timeline?: TimelineEvent[];
}

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
