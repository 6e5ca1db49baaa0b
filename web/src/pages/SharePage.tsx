import {
  Badge,
  Button,
  Center,
  Container,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { type ReactNode, Suspense } from 'react';
import { isApiError, type IncidentView, type PostmortemDetailView } from '../api';
import { SeverityBadge } from '../components/Badges';
import { AnchorLink } from '../components/links';
import { QueryError } from '../components/QueryError';
import { Time } from '../components/Time';
import { formatSeconds } from '../format';
import { TYPE_LABEL } from '../labels';
import { incidentQuery, postmortemQuery, postmortemVersionsQuery, readershipQuery } from '../queries';
import { MarkdownPreview } from './postmortem/lazy';
import { AcknowledgeButton } from './postmortem/ReadershipPanel';
import { useRecordView } from './postmortem/useRecordView';

const route = getRouteApi('/share/$key');

/** The published postmortem on a page of its own: for reading, linking and printing. */
export function SharePage() {
  const { key } = route.useParams();
  const detail = useQuery(postmortemQuery(key));
  useDocumentTitle(detail.data ? `${key} postmortem: ${detail.data.postmortem.incident.title}` : `${key} postmortem`);

  return (
    <Container size="md" py="lg" px="md" component="main">
      {detail.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading postmortem" />
        </Center>
      ) : detail.isError ? (
        isApiError(detail.error, 'DEBRIEF_ERR_NOT_FOUND') ? (
          <Stack gap="sm">
            <Title order={1}>Postmortem not found</Title>
            <Text>
              There is no postmortem for {key}, or its incident is private and you are not one of its members.
            </Text>
            <AnchorLink to="/incidents">Go to incidents</AnchorLink>
          </Stack>
        ) : (
          <QueryError error={detail.error} onRetry={() => void detail.refetch()} />
        )
      ) : detail.data.postmortem.status !== 'published' ? (
        <Stack gap="sm">
          <Title order={1} className="break-anywhere">
            {detail.data.postmortem.incident.title}
          </Title>
          <Text>This postmortem is not published yet.</Text>
          <AnchorLink to="/incidents/$key/postmortem" params={{ key }}>
            Open the draft
          </AnchorLink>
        </Stack>
      ) : (
        <Published detail={detail.data} />
      )}
    </Container>
  );
}

function Published({ detail }: { detail: PostmortemDetailView }) {
  const { key } = route.useParams();
  const { variant } = route.useSearch();
  const navigate = useNavigate();
  const external = variant === 'external';
  const incident = useQuery(incidentQuery(key));
  const versions = useQuery({ ...postmortemVersionsQuery(key), enabled: external });
  const readership = useQuery(readershipQuery(key));
  useRecordView(key);
  const { postmortem, publication } = detail;

  return (
    <Stack gap="lg">
      <Stack gap="xs" component="header">
        <Group justify="space-between" className="no-print">
          <AnchorLink to="/incidents/$key/postmortem" params={{ key }} size="sm">
            Open in Debrief
          </AnchorLink>
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              aria-label="Version"
              value={external ? 'external' : 'internal'}
              onChange={(value) =>
                void navigate({
                  to: '/share/$key',
                  params: { key },
                  search: value === 'external' ? { variant: 'external' } : {},
                  replace: true,
                })
              }
              data={[
                { value: 'internal', label: 'Internal' },
                { value: 'external', label: 'External' },
              ]}
            />
            <Button size="xs" variant="default" onClick={() => window.print()}>
              Print
            </Button>
          </Group>
        </Group>
        <Text size="sm" c="dimmed" ff="monospace">
          {postmortem.incident.key} · postmortem{external ? ' · external version' : ''}
        </Text>
        <Title order={1} className="break-anywhere">
          {postmortem.incident.title}
        </Title>
        <Group gap="xs">
          <SeverityBadge severity={postmortem.incident.severity} />
          <Badge variant="default" radius="sm">
            {TYPE_LABEL[postmortem.incident.type]}
          </Badge>
          {postmortem.incident.services.map((s) => (
            <Badge key={s} variant="outline" radius="sm" tt="none">
              {s}
            </Badge>
          ))}
        </Group>
        {publication && (
          <Text size="sm" c="dimmed">
            Published <Time iso={publication.publishedAt} /> by {publication.publishedBy} · version{' '}
            {publication.version}
          </Text>
        )}
        {incident.data && <Facts incident={incident.data} />}
      </Stack>

      {readership.data && <AcknowledgeButton incidentKey={key} readership={readership.data} />}

      <Suspense
        fallback={
          <Center py="xl">
            <Loader aria-label="Loading text" />
          </Center>
        }
      >
        {!external ? (
          <MarkdownPreview markdown={postmortem.body} label="Postmortem" />
        ) : versions.data ? (
          <MarkdownPreview markdown={versions.data.external} label="Postmortem, external version" />
        ) : versions.isError ? (
          <QueryError error={versions.error} onRetry={() => void versions.refetch()} />
        ) : (
          <Center py="xl">
            <Loader aria-label="Loading external version" />
          </Center>
        )}
      </Suspense>
      <Text size="xs" c="dimmed" className="print-only">
        {window.location.origin}/share/{key}
        {external ? '?variant=external' : ''}
      </Text>
    </Stack>
  );
}

const FACTS: { label: string; value: (i: IncidentView) => ReactNode }[] = [
  { label: 'Impact started', value: (i) => <Time iso={i.impactStartedAt} /> },
  { label: 'Detected', value: (i) => <Time iso={i.detectedAt} /> },
  { label: 'Mitigated', value: (i) => <Time iso={i.mitigatedAt} /> },
  { label: 'Resolved', value: (i) => <Time iso={i.resolvedAt} /> },
  { label: 'Time to detect', value: (i) => formatSeconds(i.durations.timeToDetectSeconds) },
  { label: 'Time to mitigate', value: (i) => formatSeconds(i.durations.timeToMitigateSeconds) },
  { label: 'Time to resolve', value: (i) => formatSeconds(i.durations.timeToResolveSeconds) },
];

function Facts({ incident }: { incident: IncidentView }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" component="dl" className="facts" aria-label="Incident facts">
      {FACTS.map((f) => (
        <div key={f.label}>
          <Text component="dt" size="xs" c="dimmed">
            {f.label}
          </Text>
          <Text component="dd" size="sm" m={0}>
            {f.value(incident)}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}
