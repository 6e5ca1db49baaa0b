import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { isApiError, type IncidentView } from '../../api';
import { PostmortemStatusBadge, QualityBadge } from '../../components/Badges';
import { ButtonLink } from '../../components/links';
import { postmortemQuery } from '../../queries';
import { CreatePostmortemForm } from '../postmortem/CreatePostmortemForm';

/**
 * The incident's postmortem at a glance (status and quality) with the way in; or, before there is one, a button to
 * start it early from a chosen template. Resolving the incident writes the draft on its own.
 */
export function PostmortemCard({ incident, canCreate }: { incident: IncidentView; canCreate: boolean }) {
  const postmortem = useQuery(postmortemQuery(incident.key));
  const missing = postmortem.isError && isApiError(postmortem.error, 'DEBRIEF_ERR_NOT_FOUND');
  const open = incident.status === 'investigating' || incident.status === 'mitigated';

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="postmortem-card-heading">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Stack gap={4}>
          <Title order={2} size="h5" id="postmortem-card-heading">
            Postmortem
          </Title>
          {postmortem.data ? (
            <Group gap="xs" role="group" aria-label="Postmortem status">
              <PostmortemStatusBadge status={postmortem.data.postmortem.status} />
              <QualityBadge score={postmortem.data.quality.score} />
            </Group>
          ) : missing ? (
            <Text size="sm" c="dimmed">
              {open ? 'Written from the evidence when the incident is resolved.' : 'None yet.'}
            </Text>
          ) : postmortem.isError ? (
            <Text size="sm" c="red">
              Could not load: {postmortem.error.message}
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              Loading…
            </Text>
          )}
        </Stack>
        {postmortem.data && (
          <ButtonLink to="/incidents/$key/postmortem" params={{ key: incident.key }} variant="light">
            Open postmortem
          </ButtonLink>
        )}
      </Group>
      {missing && canCreate && (
        <Stack mt="xs">
          <CreatePostmortemForm incident={incident} />
        </Stack>
      )}
    </Paper>
  );
}
