/**
 * The incident as the API sends it (`/api/v1/incidents…`). Types only, importing only from the domain, so the web
 * app can import them without server code.
 */
import type { Incident, IncidentDurations, IncidentStatus, TimelineEvent } from '../domain/types.js';

/** An incident as the API presents it: the stored shape plus server-derived fields. */
export interface IncidentView extends Incident {
  durations: IncidentDurations;
  allowedTransitions: IncidentStatus[];
  timeline?: TimelineEvent[];
}
