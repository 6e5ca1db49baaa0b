import { Button, Center, Group, Loader, MultiSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useDocumentTitle, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useMemo } from 'react';
import { POSTMORTEM_STATUSES, type PostmortemStatus } from '../../../src/domain/postmortem/types';
import type { PostmortemSummaryView } from '../api';
import { PostmortemStatusBadge, QualityBadge, SeverityBadge } from '../components/Badges';
import { AnchorLink } from '../components/links';
import { QueryError } from '../components/QueryError';
import { Time } from '../components/Time';
import { POSTMORTEM_STATUS_LABEL } from '../labels';
import { postmortemListQuery } from '../queries';

const route = getRouteApi('/app/postmortems');

export function PostmortemListPage() {
  useDocumentTitle('Postmortems · Debrief');
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const status = useMemo(
    () =>
      (search.status?.split(',') ?? []).filter((s): s is PostmortemStatus =>
        POSTMORTEM_STATUSES.includes(s as PostmortemStatus),
      ),
    [search.status],
  );
  const list = useInfiniteQuery(postmortemListQuery(status));
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const wide = useMediaQuery('(min-width: 48em)', true, { getInitialValueInEffect: false });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>Postmortems</Title>
        <AnchorLink to="/postmortems/templates">Templates</AnchorLink>
      </Group>

      <Paper withBorder p="md">
        <MultiSelect
          label="Status"
          placeholder={status.length ? undefined : 'Any status'}
          data={POSTMORTEM_STATUSES.map((s) => ({ value: s, label: POSTMORTEM_STATUS_LABEL[s] }))}
          value={status}
          onChange={(v) => void navigate({ search: v.length > 0 ? { status: v.join(',') } : {}, replace: true })}
          clearable
          maw={480}
        />
      </Paper>

      {list.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading postmortems" />
        </Center>
      ) : !list.data ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} title="Could not load postmortems" />
      ) : items.length === 0 ? (
        <Paper withBorder p="xl">
          <Text ta="center" c="dimmed">
            {status.length > 0
              ? 'No postmortems with this status.'
              : 'No postmortems yet. Resolving an incident writes a draft from its evidence.'}
          </Text>
        </Paper>
      ) : (
        <Stack gap="sm">
          {wide ? (
            <Table.ScrollContainer minWidth={860} type="native">
              <Table striped highlightOnHover verticalSpacing="sm" aria-label="Postmortems">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Incident</Table.Th>
                    <Table.Th scope="col">Title</Table.Th>
                    <Table.Th scope="col">Severity</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Quality</Table.Th>
                    <Table.Th scope="col">Updated</Table.Th>
                    <Table.Th scope="col">Published</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((item) => (
                    <Table.Tr key={item.incident.key}>
                      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {item.incident.key}
                      </Table.Td>
                      <Table.Td className="break-anywhere">
                        <AnchorLink to="/incidents/$key/postmortem" params={{ key: item.incident.key }} fw={500}>
                          {item.incident.title}
                        </AnchorLink>
                      </Table.Td>
                      <Table.Td>
                        <SeverityBadge severity={item.incident.severity} />
                      </Table.Td>
                      <Table.Td>
                        <PostmortemStatusBadge status={item.status} />
                      </Table.Td>
                      <Table.Td>
                        <QualityBadge score={item.score} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Time iso={item.updatedAt} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Time iso={item.publishedAt} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Stack component="ul" aria-label="Postmortems" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
              {items.map((item) => (
                <li key={item.incident.key}>
                  <PostmortemCard item={item} />
                </li>
              ))}
            </Stack>
          )}
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              Showing {items.length} postmortem{items.length === 1 ? '' : 's'}
            </Text>
            {list.hasNextPage && (
              <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
                Load more
              </Button>
            )}
          </Group>
          {list.isFetchNextPageError && <QueryError error={list.error} title="Could not load more postmortems" />}
        </Stack>
      )}
    </Stack>
  );
}

function PostmortemCard({ item }: { item: PostmortemSummaryView }) {
  return (
    <Paper withBorder p="sm">
      <Stack gap={6}>
        <Group gap={6}>
          <Text ff="monospace" size="sm" c="dimmed">
            {item.incident.key}
          </Text>
          <SeverityBadge severity={item.incident.severity} />
          <PostmortemStatusBadge status={item.status} />
          <QualityBadge score={item.score} />
        </Group>
        <AnchorLink
          to="/incidents/$key/postmortem"
          params={{ key: item.incident.key }}
          fw={600}
          className="break-anywhere"
        >
          {item.incident.title}
        </AnchorLink>
        <Text size="xs" c="dimmed">
          Updated <Time iso={item.updatedAt} />
          {item.publishedAt && (
            <>
              {' · published '}
              <Time iso={item.publishedAt} />
            </>
          )}
        </Text>
      </Stack>
    </Paper>
  );
}
