import {
  Alert,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ReadershipView } from '../../api';
import { QueryError } from '../../components/QueryError';
import { Time } from '../../components/Time';
import { meQuery, readershipQuery } from '../../queries';

/** Who read the postmortem, who confirmed it, and who was expected to but has not yet. */
export function ReadershipPanel({ incidentKey }: { incidentKey: string }) {
  const readership = useQuery(readershipQuery(incidentKey));

  if (readership.isPending) {
    return (
      <Center py="md">
        <Loader aria-label="Loading readership" />
      </Center>
    );
  }
  if (readership.isError) {
    return <QueryError error={readership.error} onRetry={() => void readership.refetch()} />;
  }
  const data = readership.data;
  return (
    <Stack gap="md">
      <AcknowledgeButton incidentKey={incidentKey} readership={data} />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md" component="section" aria-labelledby="acks-heading">
          <Title order={2} size="h4" id="acks-heading" mb="xs">
            Acknowledged ({data.acknowledgements.length})
          </Title>
          {data.acknowledgements.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nobody has confirmed reading it yet.
            </Text>
          ) : (
            <Stack component="ul" gap={4} className="plain-list" aria-label="Acknowledgements">
              {data.acknowledgements.map((a) => (
                <li key={a.user}>
                  <Text size="sm" className="break-anywhere">
                    {a.user} · <Time iso={a.at} />
                  </Text>
                </li>
              ))}
            </Stack>
          )}
        </Paper>
        <Paper withBorder p="md" component="section" aria-labelledby="pending-heading">
          <Title order={2} size="h4" id="pending-heading" mb="xs">
            Not acknowledged yet ({data.pending.length})
          </Title>
          {data.expected.length === 0 ? (
            <Text size="sm" c="dimmed">
              Nobody is expected: the impacted services have no owners or owning teams with members.
            </Text>
          ) : data.pending.length === 0 ? (
            <Text size="sm" c="teal.8">
              Everyone expected has acknowledged it.
            </Text>
          ) : (
            <Stack component="ul" gap={4} className="plain-list" aria-label="Pending acknowledgements">
              {data.pending.map((user) => {
                const teams = data.expected.find((e) => e.user === user)?.teams ?? [];
                return (
                  <li key={user}>
                    <Group gap={6}>
                      <Text size="sm" className="break-anywhere">
                        {user}
                      </Text>
                      {teams.map((t) => (
                        <Badge key={t} size="xs" variant="outline" tt="none">
                          {t}
                        </Badge>
                      ))}
                    </Group>
                  </li>
                );
              })}
            </Stack>
          )}
        </Paper>
      </SimpleGrid>
      <Paper withBorder p="md" component="section" aria-labelledby="readers-heading">
        <Title order={2} size="h4" id="readers-heading" mb="xs">
          Views
        </Title>
        {data.readers.length === 0 ? (
          <Text size="sm" c="dimmed">
            No views recorded yet.
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={480} type="native">
            <Table verticalSpacing="xs" aria-label="Readers">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Reader</Table.Th>
                  <Table.Th scope="col">Views</Table.Th>
                  <Table.Th scope="col">First</Table.Th>
                  <Table.Th scope="col">Last</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.readers.map((r) => (
                  <Table.Tr key={r.user}>
                    <Table.Td className="break-anywhere">{r.user}</Table.Td>
                    <Table.Td>{r.views}</Table.Td>
                    <Table.Td>
                      <Time iso={r.firstViewedAt} />
                    </Table.Td>
                    <Table.Td>
                      <Time iso={r.lastViewedAt} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </Stack>
  );
}

/** "I have read this": confirms reading; shown as done once the signed-in user has acknowledged. */
export function AcknowledgeButton({ incidentKey, readership }: { incidentKey: string; readership: ReadershipView }) {
  const queryClient = useQueryClient();
  const me = useQuery(meQuery);
  const acknowledge = useMutation({
    mutationFn: () => api.acknowledgePostmortem(incidentKey),
    onSuccess: (updated) => queryClient.setQueryData(readershipQuery(incidentKey).queryKey, updated),
  });
  const mine = me.data ? readership.acknowledgements.find((a) => a.user === me.data.email) : undefined;
  return (
    <Stack gap={4} align="flex-start" className="no-print">
      {mine ? (
        <Text size="sm" c="teal.8" role="status">
          You acknowledged this postmortem <Time iso={mine.at} />.
        </Text>
      ) : (
        <Button onClick={() => acknowledge.mutate()} loading={acknowledge.isPending}>
          I have read this
        </Button>
      )}
      {acknowledge.error && (
        <Alert color="red" role="alert" title="Not recorded">
          {acknowledge.error.message}
        </Alert>
      )}
    </Stack>
  );
}
