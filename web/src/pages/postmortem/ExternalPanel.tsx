import { Alert, Center, Group, Loader, Paper, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type PostmortemDetailView } from '../../api';
import { QueryError } from '../../components/QueryError';
import { postmortemKey, postmortemVersionsQuery } from '../../queries';
import { applyPostmortem } from './cache';
import { SideBySideDiff } from './SideBySideDiff';
import type { BodyDocument } from './useBodyDocument';

/**
 * The external (public) version: which sections stay internal, and the two texts side by side. The external text
 * also has every redaction applied and the writing prompts removed.
 */
export function ExternalPanel({
  detail,
  doc,
  editable,
}: {
  detail: PostmortemDetailView;
  doc: BodyDocument;
  editable: boolean;
}) {
  const key = detail.postmortem.incident.key;
  const queryClient = useQueryClient();
  const versions = useQuery(postmortemVersionsQuery(key));
  const hidden = detail.postmortem.hiddenSections;

  const setHidden = useMutation({
    mutationFn: async (next: string[]) => {
      // The version must be the one the editor is on, or a pending save and this change would collide.
      if (editable && !(await doc.flush())) {
        throw new ApiError(0, 'DEBRIEF_ERR_UNSAVED', 'Save the text first: it has unsaved changes.', []);
      }
      return api.updatePostmortem(key, editable ? doc.version() : detail.postmortem.version, { hiddenSections: next });
    },
    onSuccess: (updated) => applyPostmortem(queryClient, updated),
    onError: () => queryClient.invalidateQueries({ queryKey: postmortemKey(key) }),
  });
  const canChange = detail.permissions.edit && detail.postmortem.status !== 'published';

  return (
    <Stack gap="md">
      <Paper withBorder p="md" component="section" aria-labelledby="external-sections-heading">
        <Title order={2} size="h4" id="external-sections-heading" mb="xs">
          Sections in the external version
        </Title>
        {setHidden.error && (
          <Alert color="red" role="alert" title="Not changed" mb="xs">
            {setHidden.error.message}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="xs" role="group" aria-label="Hide sections externally">
          {detail.sections.map((s) => (
            <Switch
              key={s.id}
              label={`Hide “${s.title}”`}
              checked={hidden.includes(s.id)}
              disabled={!canChange || setHidden.isPending}
              onChange={(e) =>
                setHidden.mutate(
                  e.currentTarget.checked ? [...new Set([...hidden, s.id])] : hidden.filter((id) => id !== s.id),
                )
              }
            />
          ))}
        </SimpleGrid>
        {!canChange && (
          <Text size="xs" c="dimmed" mt="xs">
            {detail.postmortem.status === 'published'
              ? 'Reopen the postmortem to change what is published externally.'
              : 'Only people who may edit the postmortem choose what is hidden.'}
          </Text>
        )}
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="external-diff-heading">
        <Group justify="space-between" mb="xs">
          <Title order={2} size="h4" id="external-diff-heading">
            Internal and external, side by side
          </Title>
          {versions.data && (
            <Text size="sm" c="dimmed">
              {versions.data.redactions} redaction{versions.data.redactions === 1 ? '' : 's'},{' '}
              {versions.data.hiddenSections.length} hidden section{versions.data.hiddenSections.length === 1 ? '' : 's'}
            </Text>
          )}
        </Group>
        {versions.isPending ? (
          <Center py="md">
            <Loader aria-label="Loading versions" />
          </Center>
        ) : versions.isError ? (
          <QueryError error={versions.error} onRetry={() => void versions.refetch()} />
        ) : (
          <Stack gap="xs">
            <SideBySideDiff
              left={versions.data.internal}
              right={versions.data.external}
              leftCaption="Internal (saved text)"
              rightCaption="External"
              leftLabel="Internal version"
              rightLabel="External version"
            />
          </Stack>
        )}
      </Paper>
    </Stack>
  );
}
