import type { QueryClient } from '@tanstack/react-query';
import type { IncidentView } from '../../api';
import { incidentKey, incidentQuery, postmortemKey } from '../../queries';

/**
 * After a write that returned the incident: show it at once, and refresh what it may have changed elsewhere
 * (resolving writes the postmortem draft).
 */
export async function applyIncidentUpdate(queryClient: QueryClient, incident: IncidentView): Promise<void> {
  queryClient.setQueryData(incidentQuery(incident.key).queryKey, incident);
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: [...incidentKey(incident.key), 'timeline'] }),
    queryClient.invalidateQueries({ queryKey: ['incidents'] }),
    queryClient.invalidateQueries({ queryKey: postmortemKey(incident.key) }),
    queryClient.invalidateQueries({ queryKey: ['postmortems'] }),
  ]);
}
