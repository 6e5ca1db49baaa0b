import { Alert, Button, Group, Paper, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { INCIDENT_ROLES, type IncidentRole, type IncidentRoles } from '../../../../src/domain/types';
import { api, ApiError, type IncidentView } from '../../api';
import { applyIncidentUpdate } from './cache';

const ROLE_LABEL: Record<IncidentRole, string> = {
  commander: 'Commander',
  scribe: 'Scribe',
  communications: 'Communications',
};

export function RolesPanel({ incident, canEdit }: { incident: IncidentView; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Record<IncidentRole, string>>(() => toDraft(incident.roles));

  const save = useMutation({
    mutationFn: (roles: IncidentRoles) => api.setRoles(incident.key, roles),
    onSuccess: async (updated) => {
      await applyIncidentUpdate(queryClient, updated);
      setEditing(false);
    },
  });
  const error = save.error instanceof ApiError ? save.error : null;

  const startEditing = () => {
    setDraft(toDraft(incident.roles));
    save.reset();
    setEditing(true);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const roles = Object.fromEntries(INCIDENT_ROLES.map((role) => [role, draft[role].trim() || null])) as IncidentRoles;
    save.mutate(roles);
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="roles-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="roles-heading">
          Roles
        </Title>
        {canEdit && !editing && (
          <Button size="xs" variant="light" onClick={startEditing}>
            Edit roles
          </Button>
        )}
      </Group>
      {editing ? (
        <form onSubmit={onSubmit} noValidate aria-label="Edit roles">
          <Stack gap="sm">
            {save.error && (
              <Alert color="red" role="alert" title="Roles not saved">
                {save.error.message}
              </Alert>
            )}
            {INCIDENT_ROLES.map((role) => (
              <TextInput
                key={role}
                label={ROLE_LABEL[role]}
                type="email"
                placeholder="name@example.com"
                autoComplete="off"
                value={draft[role]}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setDraft((d) => ({ ...d, [role]: value }));
                }}
                error={error?.fieldMessage(role)}
              />
            ))}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={() => setEditing(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save roles
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Table variant="vertical" layout="fixed" withRowBorders={false} verticalSpacing={4}>
          <Table.Tbody>
            {INCIDENT_ROLES.map((role) => (
              <Table.Tr key={role}>
                <Table.Th w="45%" scope="row">
                  {ROLE_LABEL[role]}
                </Table.Th>
                <Table.Td className="break-anywhere">{incident.roles[role] ?? 'Unassigned'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function toDraft(roles: IncidentRoles): Record<IncidentRole, string> {
  return {
    commander: roles.commander ?? '',
    scribe: roles.scribe ?? '',
    communications: roles.communications ?? '',
  };
}
