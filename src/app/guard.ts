import { can, type Action, type IncidentAccessFields } from '../domain/access.js';
import { DebriefError, notFound } from '../domain/errors.js';
import { parseIncidentKey } from '../domain/incident-key.js';
import type { Incident, Principal } from '../domain/types.js';
import type { Repositories } from '../store/repositories.js';

/** Throws 403 unless the principal's role allows the action (incident visibility is checked by `loadIncident`). */
export function authorize(principal: Principal, action: Action, incident?: IncidentAccessFields): void {
  if (!can(principal, action, incident)) {
    throw new DebriefError('DEBRIEF_ERR_FORBIDDEN', `your role (${principal.role}) may not ${action}`);
  }
}

/**
 * Finds an incident by key for `principal`. A private incident the principal may not see is reported exactly like
 * a missing one, so its existence does not leak.
 */
export async function loadIncident(
  repos: Repositories,
  principal: Principal,
  key: string,
  action: Action = 'incident.read',
): Promise<Incident> {
  const number = parseIncidentKey(key);
  const incident = number === null ? null : await repos.incidents.findByNumber(number);
  if (!incident || !can(principal, 'incident.read', incident)) throw notFound('incident', key);
  authorize(principal, action, incident);
  return incident;
}
