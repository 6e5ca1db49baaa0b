import { Badge, Center, Grid, Group, Loader, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { minimumRole, roleAtLeast } from '../../../../src/domain/access';
import { isApiError } from '../../api';
import { SeverityBadge, StatusBadge } from '../../components/Badges';
import { AnchorLink } from '../../components/links';
import { QueryError } from '../../components/QueryError';
import { Time } from '../../components/Time';
import { TYPE_LABEL } from '../../labels';
import { incidentQuery, meQuery } from '../../queries';
import { LifecyclePanel } from './LifecyclePanel';
import { PostmortemCard } from './PostmortemCard';
import { RolesPanel } from './RolesPanel';
import { EvidencePanel } from './evidence/EvidencePanel';
import { StatusActions } from './StatusActions';
import { SuspectsPanel } from './SuspectsPanel';
import { TimelinePanel } from './TimelinePanel';

const route = getRouteApi('/app/incidents/$key');

export function IncidentPage() {
  const { key } = route.useParams();
  const { tab = 'timeline' } = route.useSearch();
  const navigate = useNavigate();
  const incidentResult = useQuery(incidentQuery(key));
  const me = useQuery(meQuery);
  useDocumentTitle(
    incidentResult.data ? `${incidentResult.data.key} ${incidentResult.data.title} · Debrief` : `${key} · Debrief`,
  );

  if (incidentResult.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading incident" />
      </Center>
    );
  }
  if (incidentResult.isError) {
    if (isApiError(incidentResult.error, 'DEBRIEF_ERR_NOT_FOUND')) {
      return (
        <Stack gap="sm">
          <Title order={1}>Incident not found</Title>
          <Text>There is no incident {key}, or it is private and you are not one of its members.</Text>
          <AnchorLink to="/incidents">Back to incidents</AnchorLink>
        </Stack>
      );
    }
    return <QueryError error={incidentResult.error} onRetry={() => void incidentResult.refetch()} />;
  }

  const incident = incidentResult.data;
  const role = me.data?.role ?? 'viewer';
  const canUpdate = roleAtLeast(role, minimumRole('incident.update'));
  const canChangeStatus = roleAtLeast(role, minimumRole('incident.changeStatus'));
  const canAssign = roleAtLeast(role, minimumRole('incident.assignRoles'));
  const canAddToTimeline = roleAtLeast(role, minimumRole('timeline.add'));
  const canWritePostmortem = roleAtLeast(role, minimumRole('postmortem.edit'));
  const setTab = (value: string | null) =>
    void navigate({
      to: '/incidents/$key',
      params: { key },
      search: value === 'evidence' ? { tab: 'evidence' } : {},
      replace: true,
      resetScroll: false,
    });

  return (
    <Stack gap="lg">
      <Stack gap="xs" component="header">
        <AnchorLink to="/incidents" size="sm">
          ← Incidents
        </AnchorLink>
        <Title order={1} className="break-anywhere">
          <Text span inherit ff="monospace" c="dimmed">
            {incident.key}
          </Text>{' '}
          {incident.title}
        </Title>
        <Group gap="xs" aria-label="Incident attributes" role="group">
          <StatusBadge status={incident.status} />
          <SeverityBadge severity={incident.severity} />
          <Badge variant="default" radius="sm">
            {TYPE_LABEL[incident.type]}
          </Badge>
          <Badge
            variant={incident.visibility === 'private' ? 'light' : 'default'}
            radius="sm"
            color={incident.visibility === 'private' ? 'red' : undefined}
          >
            {incident.visibility === 'private' ? 'Private' : 'Public'}
          </Badge>
          {incident.services.map((s) => (
            <Badge key={s} variant="outline" radius="sm" tt="none">
              {s}
            </Badge>
          ))}
        </Group>
        <Text size="sm" c="dimmed" className="break-anywhere">
          Declared <Time iso={incident.declaredAt} /> by {incident.declaredBy}
          {incident.closedAt && (
            <>
              {' · '}closed <Time iso={incident.closedAt} />
            </>
          )}
        </Text>
        {canChangeStatus && <StatusActions incident={incident} />}
        <PostmortemCard incident={incident} canCreate={canWritePostmortem} />
      </Stack>

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            {(incident.summary || incident.customerImpact) && (
              <Paper withBorder p="md" component="section" aria-labelledby="summary-heading">
                <Title order={2} size="h4" id="summary-heading" mb="xs">
                  Summary
                </Title>
                {incident.summary && <Text className="pre-wrap">{incident.summary}</Text>}
                {incident.customerImpact && (
                  <>
                    <Title order={3} size="h5" mt="sm" mb={4}>
                      Customer impact
                    </Title>
                    <Text className="pre-wrap">{incident.customerImpact}</Text>
                  </>
                )}
              </Paper>
            )}
            {/* Panels render only while their tab is open: evidence queries and charts load on demand. */}
            <Tabs value={tab} onChange={setTab} keepMounted={false}>
              <Tabs.List aria-label="Incident views">
                <Tabs.Tab value="timeline">Timeline</Tabs.Tab>
                <Tabs.Tab value="evidence">Evidence</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="timeline" pt="md">
                <TimelinePanel incident={incident} canEdit={canAddToTimeline} />
              </Tabs.Panel>
              <Tabs.Panel value="evidence" pt="md">
                <EvidencePanel incident={incident} canCapture={canAddToTimeline} />
              </Tabs.Panel>
            </Tabs>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg">
            <LifecyclePanel key={incident.key} incident={incident} canEdit={canUpdate} />
            <SuspectsPanel incident={incident} canDecide={canUpdate} />
            <RolesPanel key={incident.key} incident={incident} canEdit={canAssign} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
