import {
  Badge,
  Button,
  Center,
  Collapse,
  Group,
  Loader,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedCallback, useDisclosure, useDocumentTitle, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import {
  INCIDENT_STATUSES,
  INCIDENT_TYPES,
  SEVERITIES,
  type IncidentStatus,
  type IncidentType,
  type Severity,
} from '../../../src/domain/types';
import { minimumRole, roleAtLeast } from '../../../src/domain/access';
import { api, type IncidentFilters, type IncidentView } from '../api';
import { SeverityBadge, StatusBadge } from '../components/Badges';
import { AnchorLink, ButtonLink } from '../components/links';
import { QueryError } from '../components/QueryError';
import { Time } from '../components/Time';
import { dayBoundary, formatSeconds } from '../format';
import { STATUS_LABEL, TYPE_LABEL } from '../labels';
import type { IncidentListSearch } from '../router';
import { meQuery, servicesQuery } from '../queries';

const route = getRouteApi('/app/incidents');

function splitList<T extends string>(value: string | undefined, allowed: readonly T[]): T[] {
  if (!value) return [];
  return value.split(',').filter((v): v is T => (allowed as readonly string[]).includes(v));
}

const joinList = (values: string[]) => (values.length > 0 ? values.join(',') : undefined);

function toFilters(search: IncidentListSearch): IncidentFilters {
  return {
    status: splitList<IncidentStatus>(search.status, INCIDENT_STATUSES),
    severity: splitList<Severity>(search.severity, SEVERITIES),
    type: splitList<IncidentType>(search.type, INCIDENT_TYPES),
    service: search.service,
    q: search.q,
    from: dayBoundary(search.from, 'start'),
    to: dayBoundary(search.to, 'end'),
  };
}

export function IncidentListPage() {
  useDocumentTitle('Incidents · Debrief');
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const filters = useMemo(() => toFilters(search), [search]);
  const services = useQuery(servicesQuery);
  const me = useQuery(meQuery);
  const canDeclare = me.data ? roleAtLeast(me.data.role, minimumRole('incident.create')) : false;

  const setSearch = (patch: Partial<IncidentListSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });

  // The title search is typed; it updates the URL (and the query) once typing pauses.
  const [q, setQ] = useState(search.q ?? '');
  useEffect(() => setQ(search.q ?? ''), [search.q]);
  const commitQ = useDebouncedCallback((value: string) => setSearch({ q: value.trim() || undefined }), 300);

  const incidents = useInfiniteQuery({
    queryKey: ['incidents', filters],
    queryFn: ({ pageParam, signal }) => api.listIncidents(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

  const items = incidents.data?.pages.flatMap((p) => p.items) ?? [];
  const activeFilters = Object.values(search).filter((v) => v !== undefined).length;
  const filtered = activeFilters > 0;
  // Phones get cards and folded filters; a nine-column table and eight inputs do not fit 375 px.
  const wide = useMediaQuery('(min-width: 48em)', true, { getInitialValueInEffect: false });
  const [filtersOpen, filtersToggle] = useDisclosure(false);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>Incidents</Title>
        {canDeclare && <ButtonLink to="/incidents/new">Declare incident</ButtonLink>}
      </Group>

      <Paper withBorder p="md" component="section" aria-labelledby="filters-heading">
        <Group justify="space-between" mb={wide || filtersOpen ? 'sm' : 0}>
          <Group gap="xs">
            <Title order={2} size="h5" id="filters-heading">
              Filters
            </Title>
            {filtered && (
              <Badge size="sm" variant="light">
                {activeFilters} active
              </Badge>
            )}
          </Group>
          {!wide && (
            <Button
              size="xs"
              variant="default"
              onClick={filtersToggle.toggle}
              aria-expanded={filtersOpen}
              aria-controls="incident-filters"
            >
              {filtersOpen ? 'Hide filters' : 'Show filters'}
            </Button>
          )}
        </Group>
        <Collapse expanded={wide || filtersOpen} id="incident-filters" keepMountedMode="display-none">
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
            <TextInput
              style={{ gridColumn: wide ? undefined : '1 / -1' }}
              label="Title contains"
              type="search"
              value={q}
              onChange={(e) => {
                setQ(e.currentTarget.value);
                commitQ(e.currentTarget.value);
              }}
            />
            <MultiSelect
              label="Status"
              placeholder={filters.status?.length ? undefined : 'Any status'}
              data={INCIDENT_STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
              value={filters.status}
              onChange={(v) => setSearch({ status: joinList(v) })}
              clearable
            />
            <MultiSelect
              label="Severity"
              placeholder={filters.severity?.length ? undefined : 'Any severity'}
              data={[...SEVERITIES]}
              value={filters.severity}
              onChange={(v) => setSearch({ severity: joinList(v) })}
              clearable
            />
            <MultiSelect
              label="Type"
              placeholder={filters.type?.length ? undefined : 'Any type'}
              data={INCIDENT_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
              value={filters.type}
              onChange={(v) => setSearch({ type: joinList(v) })}
              clearable
            />
            <Select
              label="Service"
              placeholder={services.isError ? 'Services unavailable' : 'Any service'}
              data={(services.data ?? []).map((s) => ({ value: s.name, label: s.displayName || s.name }))}
              value={search.service ?? null}
              onChange={(v) => setSearch({ service: v ?? undefined })}
              searchable
              clearable
              nothingFoundMessage="No matching service"
            />
            <TextInput
              label="Declared from"
              type="date"
              value={search.from ?? ''}
              max={search.to}
              onChange={(e) => setSearch({ from: e.currentTarget.value || undefined })}
            />
            <TextInput
              label="Declared to"
              type="date"
              value={search.to ?? ''}
              min={search.from}
              onChange={(e) => setSearch({ to: e.currentTarget.value || undefined })}
            />
            <Group align="flex-end">
              <Button
                variant="default"
                disabled={!filtered}
                onClick={() => void navigate({ search: {}, replace: true })}
              >
                Clear filters
              </Button>
            </Group>
          </SimpleGrid>
        </Collapse>
      </Paper>

      {incidents.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading incidents" />
        </Center>
      ) : !incidents.data ? (
        <QueryError error={incidents.error} onRetry={() => void incidents.refetch()} title="Could not load incidents" />
      ) : items.length === 0 ? (
        <Paper withBorder p="xl">
          <Text ta="center" c="dimmed">
            {filtered
              ? 'No incidents match these filters.'
              : canDeclare
                ? 'No incidents yet. When something goes wrong, declare one to start the timeline.'
                : 'No incidents yet.'}
          </Text>
        </Paper>
      ) : (
        <Stack gap="sm">
          {wide ? (
            <Table.ScrollContainer minWidth={960} type="native">
              <Table striped highlightOnHover verticalSpacing="sm" aria-label="Incidents">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Key</Table.Th>
                    <Table.Th scope="col">Title</Table.Th>
                    <Table.Th scope="col">Severity</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Type</Table.Th>
                    <Table.Th scope="col">Services</Table.Th>
                    <Table.Th scope="col">Declared</Table.Th>
                    <Table.Th scope="col">Time to resolve</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((incident) => (
                    <Table.Tr key={incident.id}>
                      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {incident.key}
                      </Table.Td>
                      <Table.Td className="break-anywhere">
                        <AnchorLink to="/incidents/$key" params={{ key: incident.key }} fw={500}>
                          {incident.title}
                        </AnchorLink>
                      </Table.Td>
                      <Table.Td>
                        <SeverityBadge severity={incident.severity} />
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={incident.status} />
                      </Table.Td>
                      <Table.Td>{TYPE_LABEL[incident.type]}</Table.Td>
                      <Table.Td className="break-anywhere">{incident.services.join(', ') || '—'}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Time iso={incident.declaredAt} />
                      </Table.Td>
                      <Table.Td>{formatSeconds(incident.durations.timeToResolveSeconds)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <Stack component="ul" aria-label="Incidents" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
              {items.map((incident) => (
                <li key={incident.id}>
                  <IncidentCard incident={incident} />
                </li>
              ))}
            </Stack>
          )}
          <Group justify="space-between">
            <Text size="sm" c="dimmed" aria-live="polite">
              Showing {items.length} incident{items.length === 1 ? '' : 's'}
            </Text>
            {incidents.hasNextPage && (
              <Button
                variant="default"
                onClick={() => void incidents.fetchNextPage()}
                loading={incidents.isFetchingNextPage}
              >
                Load more
              </Button>
            )}
          </Group>
          {incidents.isFetchNextPageError && (
            <QueryError error={incidents.error} title="Could not load more incidents" />
          )}
        </Stack>
      )}
    </Stack>
  );
}

function IncidentCard({ incident }: { incident: IncidentView }) {
  return (
    <Paper withBorder p="sm">
      <Stack gap={6}>
        <Group gap={6}>
          <Text ff="monospace" size="sm" c="dimmed">
            {incident.key}
          </Text>
          <SeverityBadge severity={incident.severity} />
          <StatusBadge status={incident.status} />
        </Group>
        <AnchorLink to="/incidents/$key" params={{ key: incident.key }} fw={600} className="break-anywhere">
          {incident.title}
        </AnchorLink>
        <Text size="xs" c="dimmed" className="break-anywhere">
          {TYPE_LABEL[incident.type]}
          {incident.services.length > 0 && ` · ${incident.services.join(', ')}`} · declared{' '}
          <Time iso={incident.declaredAt} />
          {incident.durations.timeToResolveSeconds !== null &&
            ` · resolved in ${formatSeconds(incident.durations.timeToResolveSeconds)}`}
        </Text>
      </Stack>
    </Paper>
  );
}
