import { Alert, Button, Group } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { IncidentStatus } from '../../../../src/domain/types';
import { api, type IncidentView } from '../../api';
import { transitionLabel } from '../../labels';
import { incidentKey } from '../../queries';
import { applyIncidentUpdate } from './cache';

const COLOR: Record<IncidentStatus, string> = {
  mitigated: 'yellow',
  resolved: 'green',
  closed: 'gray',
  investigating: 'red',
};

export function StatusActions({ incident }: { incident: IncidentView }) {
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: (status: IncidentStatus) => api.changeStatus(incident.key, status),
    onSuccess: (updated) => applyIncidentUpdate(queryClient, updated),
    // A refused transition usually means someone else moved the incident first: show where it is now.
    onError: () => queryClient.invalidateQueries({ queryKey: incidentKey(incident.key) }),
  });

  if (incident.allowedTransitions.length === 0) return null;
  return (
    <Group gap="xs" role="group" aria-label="Change status">
      {incident.allowedTransitions.map((to) => (
        <Button
          key={to}
          color={COLOR[to]}
          variant={to === 'investigating' ? 'outline' : 'filled'}
          autoContrast
          loading={change.isPending && change.variables === to}
          disabled={change.isPending && change.variables !== to}
          onClick={() => change.mutate(to)}
        >
          {transitionLabel(incident.status, to)}
        </Button>
      ))}
      {change.error && (
        <Alert color="red" role="alert" w="100%" title="Status not changed">
          {change.error.message}
        </Alert>
      )}
    </Group>
  );
}
