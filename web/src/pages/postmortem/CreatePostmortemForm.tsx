import { Alert, Button, Group, NativeSelect, Stack } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { selectTemplate } from '../../../../src/domain/postmortem/templates';
import type { IncidentType, Severity } from '../../../../src/domain/types';
import { api, type TemplateView } from '../../api';
import { TYPE_LABEL } from '../../labels';
import { postmortemKey, templatesQuery } from '../../queries';

/** The automatic choice is sent as no `templateId`, so the server picks the best match when it creates. */
const AUTOMATIC = '';

const summary = (template: TemplateView) =>
  `${template.sections.length} section${template.sections.length === 1 ? '' : 's'}${
    template.description ? ` · ${template.description}` : ''
  }`;

/**
 * Starts a postmortem before the incident is resolved, from a template of the writer's choice or (by default) the
 * one the server would pick: the best match for the incident's severity and type.
 */
export function CreatePostmortemForm({
  incident,
}: {
  incident: { key: string; severity: Severity; type: IncidentType };
}) {
  const queryClient = useQueryClient();
  const templates = useQuery(templatesQuery);
  const [templateId, setTemplateId] = useState(AUTOMATIC);
  const create = useMutation({
    mutationFn: () => api.createPostmortem(incident.key, templateId === AUTOMATIC ? undefined : templateId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: postmortemKey(incident.key) }),
  });

  // The same choice the server makes, shown so the writer knows what "automatic" gives them today.
  const best = templates.data ? selectTemplate(templates.data, incident) : null;
  const chosen = templateId === AUTOMATIC ? best : (templates.data?.find((t) => t.id === templateId) ?? null);
  const description = templates.isError
    ? 'Templates could not be loaded; the best match is used.'
    : !templates.data
      ? 'Loading templates…'
      : !chosen
        ? 'This template no longer exists; choose another.'
        : templateId === AUTOMATIC
          ? `Now “${chosen.name}”: ${summary(chosen)}`
          : summary(chosen);

  return (
    <Stack
      component="form"
      gap="xs"
      aria-label="Create postmortem"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <Group gap="xs" align="flex-end" wrap="wrap">
        <NativeSelect
          label="Template"
          description={description}
          value={templateId}
          onChange={(event) => setTemplateId(event.currentTarget.value)}
          data={[
            {
              value: AUTOMATIC,
              label: `Automatic (best match for ${incident.severity} / ${TYPE_LABEL[incident.type]})`,
            },
            ...(templates.data ?? []).map((t) => ({ value: t.id, label: t.builtIn ? `${t.name} (built-in)` : t.name })),
          ]}
          style={{ flex: '1 1 16rem', minWidth: 0 }}
        />
        <Button type="submit" variant="light" loading={create.isPending}>
          Create postmortem
        </Button>
      </Group>
      {create.error && (
        <Alert color="red" role="alert" title="Postmortem not created">
          {create.error.message}
        </Alert>
      )}
    </Stack>
  );
}
