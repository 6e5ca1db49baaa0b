import { Alert, Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { LIFECYCLE_FIELDS, type IncidentDurations, type LifecycleField } from '../../../../src/domain/types';
import { api, ApiError, isApiError, type IncidentView, type LifecyclePatch } from '../../api';
import { Time } from '../../components/Time';
import { formatSeconds, fromLocalInput, toLocalInput } from '../../format';
import { incidentQuery } from '../../queries';
import { applyIncidentUpdate } from './cache';

const FIELD_LABEL: Record<LifecycleField, string> = {
  impactStartedAt: 'Impact start',
  detectedAt: 'Detected',
  acknowledgedAt: 'Acknowledged',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
};

const DURATIONS: { key: keyof IncidentDurations; label: string; hint: string }[] = [
  { key: 'timeToDetectSeconds', label: 'Time to detect', hint: 'impact start → detected' },
  { key: 'timeToAcknowledgeSeconds', label: 'Time to acknowledge', hint: 'detected → acknowledged' },
  { key: 'timeToMitigateSeconds', label: 'Time to mitigate', hint: 'impact start → mitigated' },
  { key: 'timeToResolveSeconds', label: 'Time to resolve', hint: 'impact start → resolved' },
];

type Draft = Record<LifecycleField, string>;

function toDraft(incident: IncidentView): Draft {
  return Object.fromEntries(LIFECYCLE_FIELDS.map((f) => [f, toLocalInput(incident[f])])) as Draft;
}

export function LifecyclePanel({ incident, canEdit }: { incident: IncidentView; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Draft>(() => toDraft(incident));
  // What the form started from, so only the times someone changed are sent.
  const [base, setBase] = useState<Draft>(() => toDraft(incident));
  // The version the form was filled from: a change made meanwhile by anyone must surface as a conflict.
  const [baseVersion, setBaseVersion] = useState(incident.version);
  const [inputErrors, setInputErrors] = useState<Partial<Record<LifecycleField, string>>>({});
  const [conflict, setConflict] = useState(false);

  const startEditing = (from: IncidentView) => {
    const fresh = toDraft(from);
    setDraft(fresh);
    setBase(fresh);
    setBaseVersion(from.version);
    setInputErrors({});
    save.reset();
    setEditing(true);
  };

  const save = useMutation({
    mutationFn: (patch: LifecyclePatch) => api.updateLifecycle(incident.key, baseVersion, patch),
    onSuccess: async (updated) => {
      setConflict(false);
      await applyIncidentUpdate(queryClient, updated);
      setEditing(false);
    },
    onError: async (error) => {
      if (isApiError(error, 'DEBRIEF_ERR_VERSION_CONFLICT')) {
        setConflict(true);
        const latest = await queryClient.fetchQuery({ ...incidentQuery(incident.key), staleTime: 0 });
        startEditing(latest);
      }
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const patch: LifecyclePatch = {};
    const errors: Partial<Record<LifecycleField, string>> = {};
    for (const field of LIFECYCLE_FIELDS) {
      if (draft[field] === base[field]) continue;
      const iso = fromLocalInput(draft[field]);
      if (draft[field] && !iso) errors[field] = 'Enter a valid date and time.';
      else patch[field] = iso;
    }
    setInputErrors(errors);
    if (Object.keys(errors).length > 0) return;
    if (Object.keys(patch).length === 0) {
      setEditing(false);
      return;
    }
    setConflict(false);
    save.mutate(patch);
  };

  const error =
    save.error instanceof ApiError && save.error.code !== 'DEBRIEF_ERR_VERSION_CONFLICT' ? save.error : null;
  const orderError = error?.code === 'DEBRIEF_ERR_LIFECYCLE_ORDER';

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="lifecycle-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="lifecycle-heading">
          Lifecycle
        </Title>
        {canEdit && !editing && (
          <Button size="xs" variant="light" onClick={() => startEditing(incident)}>
            Edit times
          </Button>
        )}
      </Group>

      {conflict && (
        <Alert
          color="yellow"
          role="alert"
          title="Someone else changed this incident"
          mb="sm"
          withCloseButton
          onClose={() => setConflict(false)}
        >
          Your times were not saved. The form now shows the latest values; make your change again and save.
        </Alert>
      )}

      {editing ? (
        <form onSubmit={onSubmit} noValidate aria-label="Edit lifecycle times">
          <Stack gap="sm">
            <Text size="xs" c="dimmed">
              Times are in your local zone. Clear a field to unset it.
            </Text>
            {error && (
              <Alert color="red" role="alert" title={orderError ? 'Times are out of order' : 'Times not saved'}>
                {error.detail || error.message}
              </Alert>
            )}
            {LIFECYCLE_FIELDS.map((field) => (
              <TextInput
                key={field}
                label={FIELD_LABEL[field]}
                type="datetime-local"
                step={1}
                value={draft[field]}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setDraft((d) => ({ ...d, [field]: value }));
                }}
                error={inputErrors[field] ?? error?.fieldMessage(field)}
              />
            ))}
            <Group justify="flex-end" gap="xs">
              <Button
                variant="default"
                onClick={() => {
                  setEditing(false);
                  setConflict(false);
                }}
              >
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save times
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Table
          variant="vertical"
          layout="fixed"
          withRowBorders={false}
          verticalSpacing={4}
          aria-label="Lifecycle times"
        >
          <Table.Tbody>
            {LIFECYCLE_FIELDS.map((field) => (
              <Table.Tr key={field}>
                <Table.Th w="45%" scope="row">
                  {FIELD_LABEL[field]}
                </Table.Th>
                <Table.Td>
                  <Time iso={incident[field]} withSeconds />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}

      <Title order={3} size="h5" mt="md" mb="xs">
        Durations
      </Title>
      <Table variant="vertical" layout="fixed" withRowBorders={false} verticalSpacing={4} aria-label="Durations">
        <Table.Tbody>
          {DURATIONS.map((d) => (
            <Table.Tr key={d.key}>
              <Table.Th w="45%" scope="row" title={d.hint}>
                {d.label}
              </Table.Th>
              <Table.Td>{formatSeconds(incident.durations[d.key])}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
