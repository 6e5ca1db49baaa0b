import {
  Badge,
  Center,
  Divider,
  Group,
  List,
  Loader,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { formatDuration } from '../../../../../src/domain/durations';
import type { EvidenceKind, EvidenceSummary, IncidentView } from '../../../api';
import { QueryError } from '../../../components/QueryError';
import { Time } from '../../../components/Time';
import { formatLocal } from '../../../format';
import { KIND_LABEL } from '../../../labels';
import { evidenceQuery } from '../../../queries';
import { formatCount, shortTime } from '../swimlane-layout';
import { AlertsSection } from './AlertsSection';
import { LogsSection } from './LogsSection';
import { MetricsSection } from './MetricsSection';

const EVIDENCE_ORDER: EvidenceKind[] = ['alerts', 'metrics', 'logs', 'traces', 'changes', 'chat'];

const EVIDENCE_LABEL: Record<EvidenceKind, string> = {
  alerts: 'Alerts',
  metrics: 'Metrics',
  logs: 'Logs',
  traces: 'Traces',
  changes: 'Changes',
  chat: 'Chat',
};

/** How to bring in evidence of a kind that is missing. */
const HOW_TO_ADD: Record<EvidenceKind, string> = {
  alerts: 'point Alertmanager, Grafana or PagerDuty webhooks at Debrief',
  metrics: "configure Prometheus queries for the incident's services, then capture",
  logs: 'upload a log file below, or send OTLP logs to /v1/logs',
  traces: 'send OTLP traces to /v1/traces',
  changes: 'record deploys with the GitHub or GitLab webhooks, POST /api/v1/changes or debrief change record',
  chat: 'import the incident channel with debrief import slack',
};

/** Everything captured for the incident: which kinds of evidence exist, gaps, metric charts, log templates, alerts. */
export function EvidencePanel({ incident, canCapture }: { incident: IncidentView; canCapture: boolean }) {
  const summary = useQuery(evidenceQuery(incident.key));
  return (
    <Stack gap="md" component="section" aria-labelledby="evidence-heading">
      <Title order={2} size="h3" id="evidence-heading">
        Evidence
      </Title>
      <Paper withBorder p="md">
        {summary.isPending ? (
          <Center py="md">
            <Loader size="sm" aria-label="Loading evidence summary" />
          </Center>
        ) : summary.isError ? (
          <QueryError
            error={summary.error}
            onRetry={() => void summary.refetch()}
            title="Could not load the evidence summary"
          />
        ) : (
          <Completeness summary={summary.data} />
        )}
      </Paper>
      <Paper withBorder p="md">
        <MetricsSection incident={incident} canCapture={canCapture} />
      </Paper>
      <Paper withBorder p="md">
        <LogsSection incident={incident} canUpload={canCapture} />
      </Paper>
      <Paper withBorder p="md">
        <AlertsSection incident={incident} />
      </Paper>
    </Stack>
  );
}

function Completeness({ summary }: { summary: EvidenceSummary }) {
  const { present, missing } = summary.completeness;
  const has = new Set(present);
  return (
    <Stack gap="sm">
      <Group justify="space-between" gap="xs" align="baseline">
        <Title order={3} size="h5">
          Completeness
        </Title>
        <Text size="sm" fw={600}>
          {present.length} of {EVIDENCE_ORDER.length} kinds
        </Text>
      </Group>
      <Group gap={6} role="list" aria-label="Evidence kinds">
        {EVIDENCE_ORDER.map((kind) => (
          <Badge
            key={kind}
            role="listitem"
            size="lg"
            radius="sm"
            tt="none"
            variant={has.has(kind) ? 'light' : 'outline'}
            color={has.has(kind) ? 'teal' : 'gray'}
            leftSection={<span aria-hidden="true">{has.has(kind) ? '✓' : '✕'}</span>}
          >
            {EVIDENCE_LABEL[kind]}
            <VisuallyHidden>{has.has(kind) ? ': present' : ': missing'}</VisuallyHidden>
          </Badge>
        ))}
      </Group>
      {missing.length > 0 && (
        <div>
          <Text size="sm" fw={600}>
            Missing: {missing.map((k) => EVIDENCE_LABEL[k].toLowerCase()).join(', ')}
          </Text>
          <List size="xs" c="dimmed" spacing={2}>
            {missing.map((k) => (
              <List.Item key={k}>
                {EVIDENCE_LABEL[k]}: {HOW_TO_ADD[k]}.
              </List.Item>
            ))}
          </List>
        </div>
      )}
      <Text size="xs" c="dimmed">
        Incident window {formatLocal(summary.window.start)} – {formatLocal(summary.window.end)}
      </Text>

      <Divider />
      <Title order={3} size="h5">
        Telemetry gaps
      </Title>
      {summary.gaps.length === 0 ? (
        <Text size="sm" c="dimmed">
          No source went silent during the incident window.
        </Text>
      ) : (
        <List size="sm" spacing={4} aria-label="Telemetry gaps">
          {summary.gaps.map((g) => (
            <List.Item key={`${g.source}-${g.kind}-${g.from}`}>
              <Text span fw={600} size="sm">
                {g.source}
              </Text>{' '}
              ({KIND_LABEL[g.kind]?.label.toLowerCase() ?? g.kind}) silent for {formatDuration(g.durationMs / 1000)},{' '}
              {shortTime(g.from)} – {g.ongoing ? 'still silent' : shortTime(g.to)}
              <Text span c="dimmed" size="xs">
                {' '}
                (usually every {formatDuration(Math.max(1, g.intervalMs / 1000))})
              </Text>
            </List.Item>
          ))}
        </List>
      )}

      {summary.sources.length > 0 && (
        <details>
          <summary className="details-summary">
            <Text span size="sm" fw={600}>
              Sources ({summary.sources.length})
            </Text>
          </summary>
          <Table.ScrollContainer minWidth={380} mt={4}>
            <Table fz="xs" verticalSpacing={4} aria-label="Evidence sources">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Source</Table.Th>
                  <Table.Th scope="col">Kind</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Events
                  </Table.Th>
                  <Table.Th scope="col">First</Table.Th>
                  <Table.Th scope="col">Last</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {summary.sources.map((s) => (
                  <Table.Tr key={`${s.source}-${s.kind}`}>
                    <Table.Td className="break-anywhere">{s.source}</Table.Td>
                    <Table.Td>{KIND_LABEL[s.kind]?.label ?? s.kind}</Table.Td>
                    <Table.Td ta="right">{formatCount(s.count)}</Table.Td>
                    <Table.Td>
                      <Time iso={s.first} />
                    </Table.Td>
                    <Table.Td>
                      <Time iso={s.last} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </details>
      )}
    </Stack>
  );
}
