import { Badge, Button, Center, Group, Loader, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AlertSignal, AlertStatus, IncidentView } from '../../../api';
import { QueryError } from '../../../components/QueryError';
import { Time } from '../../../components/Time';
import { alertsQuery } from '../../../queries';
import { formatCount } from '../swimlane-layout';

const STATUS_COLOR: Record<string, string> = {
  firing: 'red',
  triggered: 'red',
  acknowledged: 'yellow',
  resolved: 'green',
};

const FILTERS: { value: string; label: string; status: AlertStatus[] }[] = [
  { value: 'all', label: 'All', status: [] },
  { value: 'open', label: 'Firing', status: ['firing', 'triggered', 'acknowledged'] },
  { value: 'resolved', label: 'Resolved', status: ['resolved'] },
];

/** Labels worth a glance; the identity labels (alertname, service, severity) are shown in their own columns. */
function extraLabels(signal: AlertSignal): string {
  return Object.entries(signal.labels)
    .filter(([k]) => !['alertname', 'service', 'severity'].includes(k))
    .slice(0, 4)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/**
 * The alerts behind the incident, one row per alert identity (fingerprint), with how many deliveries each had:
 * an alert storm shows here as many signals with many re-sends.
 */
export function AlertsSection({ incident }: { incident: IncidentView }) {
  const [filter, setFilter] = useState('all');
  const status = FILTERS.find((f) => f.value === filter)?.status ?? [];
  const alerts = useInfiniteQuery(alertsQuery(incident.key, status));
  const items = alerts.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack gap="sm" component="section" aria-labelledby="alerts-heading">
      <Group justify="space-between" align="center" gap="xs">
        <Title order={3} size="h5" id="alerts-heading">
          Alerts
        </Title>
        <SegmentedControl
          size="xs"
          value={filter}
          onChange={setFilter}
          data={FILTERS.map((f) => ({ value: f.value, label: f.label }))}
          aria-label="Alert status"
        />
      </Group>
      {alerts.isPending ? (
        <Center py="md">
          <Loader size="sm" aria-label="Loading alerts" />
        </Center>
      ) : alerts.isError ? (
        <QueryError error={alerts.error} onRetry={() => void alerts.refetch()} title="Could not load alerts" />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {filter === 'all'
            ? 'No alerts reached this incident through the Alertmanager, Grafana or PagerDuty webhooks.'
            : 'No alerts with this status.'}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={560}>
            <Table fz="xs" verticalSpacing={4} striped aria-label="Alerts of this incident, newest first">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Alert</Table.Th>
                  <Table.Th scope="col">Service</Table.Th>
                  <Table.Th scope="col">Started</Table.Th>
                  <Table.Th scope="col">Ended</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Deliveries
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <Badge size="xs" variant="light" color={STATUS_COLOR[a.status] ?? 'gray'}>
                        {a.status}
                      </Badge>
                    </Table.Td>
                    <Table.Td className="break-anywhere">
                      <Text inherit fw={600}>
                        {a.title}
                      </Text>
                      <Text inherit c="dimmed">
                        {a.source}
                        {a.severity ? ` · ${a.severity}` : ''}
                        {extraLabels(a) ? ` · ${extraLabels(a)}` : ''}
                        {a.suppressedBy ? ` · suppressed by ${a.suppressedBy}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>{a.service ?? '—'}</Table.Td>
                    <Table.Td>
                      <Time iso={a.startsAt} />
                    </Table.Td>
                    <Table.Td>
                      <Time iso={a.endsAt} />
                    </Table.Td>
                    <Table.Td ta="right">{formatCount(a.deliveries)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group gap="sm">
            <Text size="xs" c="dimmed">
              Showing {formatCount(items.length)} {items.length === 1 ? 'alert' : 'alerts'}
              {alerts.hasNextPage ? ' so far' : ''}.
            </Text>
            {alerts.hasNextPage && (
              <Button
                size="compact-xs"
                variant="subtle"
                loading={alerts.isFetchingNextPage}
                onClick={() => void alerts.fetchNextPage()}
              >
                Load more
              </Button>
            )}
          </Group>
        </>
      )}
    </Stack>
  );
}
