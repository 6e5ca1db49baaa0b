import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Group,
  NativeSelect,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useId, useState } from 'react';
import { api, artifactUrl, isApiError, type IncidentView, type MetricEvidence } from '../../../api';
import { QueryError } from '../../../components/QueryError';
import { Time } from '../../../components/Time';
import { formatRange } from '../../../format';
import { incidentKey, metricsQuery } from '../../../queries';
import type { LifecycleField } from '../../../../../src/domain/types';
import { LIFECYCLE_LABEL, markerCssColor } from '../lifecycle-markers';
import { shortTime } from '../swimlane-layout';
import { formatValue, seriesStats } from './metric-format';

// echarts is loaded only when a chart is on screen.
const MetricChart = lazy(() => import('./MetricChart').then((m) => ({ default: m.MetricChart })));

const PHASE_LABEL: Record<MetricEvidence['phase'], string> = {
  declare: 'On declare',
  resolve: 'On resolve',
  manual: 'Manual',
};

const CHART_HEIGHT = 200;

/** Prometheus snapshots of the incident window, one chart per captured query, and a button to capture again. */
export function MetricsSection({ incident, canCapture }: { incident: IncidentView; canCapture: boolean }) {
  const queryClient = useQueryClient();
  const metrics = useQuery(metricsQuery(incident.key));
  const capture = useMutation({
    mutationFn: () => api.captureMetrics(incident.key),
    // A partial failure (502) still stored the queries that worked, so refresh in every case.
    onSettled: () => queryClient.invalidateQueries({ queryKey: incidentKey(incident.key) }),
  });
  const captureError = capture.error;
  const notConfigured = isApiError(captureError) && captureError.status === 422;

  return (
    <Stack gap="sm" component="section" aria-labelledby="metrics-heading">
      <Group justify="space-between" align="center" gap="xs">
        <Title order={3} size="h5" id="metrics-heading">
          Metrics
        </Title>
        {canCapture && (
          <Button size="xs" variant="light" loading={capture.isPending} onClick={() => capture.mutate()}>
            Capture now
          </Button>
        )}
      </Group>
      {capture.isSuccess && (
        <Text size="sm" c="teal.9" role="status">
          Captured {capture.data.length} {capture.data.length === 1 ? 'query' : 'queries'} from Prometheus.
        </Text>
      )}
      {captureError && (
        <Alert
          color={notConfigured ? 'yellow' : 'red'}
          role="alert"
          title={notConfigured ? 'Prometheus capture is not set up' : 'Capture failed'}
          withCloseButton
          onClose={() => capture.reset()}
        >
          {captureError.message}
        </Alert>
      )}
      {metrics.isPending ? (
        <Skeleton height={CHART_HEIGHT} aria-label="Loading metric snapshots" />
      ) : metrics.isError ? (
        <QueryError error={metrics.error} onRetry={() => void metrics.refetch()} title="Could not load metrics" />
      ) : metrics.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No metric snapshots yet. Debrief captures the Prometheus queries configured for this incident&apos;s services
          when it is declared and when it is resolved{canCapture ? ', or now with Capture now' : ''}.
        </Text>
      ) : (
        <>
          <ChartKey incident={incident} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="sm">
            {byQuery(metrics.data).map((snapshots) => (
              <MetricCard key={snapshots[0]?.eventId} snapshots={snapshots} incident={incident} />
            ))}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

/** The chart's text alternative, shown under its title: span, peak, low and last value. */
function describeChart(evidence: MetricEvidence): string {
  const stats = seriesStats(evidence);
  const span = formatRange(evidence.window.start, evidence.window.end);
  if (stats.points === 0) return `${span}: no data.`;
  const series = evidence.series.length === 1 ? 'One series' : `${evidence.series.length} series`;
  const figures: string[] = [];
  if (stats.max !== null && stats.maxAt) {
    figures.push(`peak ${formatValue(stats.max, evidence.unit)} at ${shortTime(stats.maxAt)}`);
  }
  if (stats.min !== null) figures.push(`lowest ${formatValue(stats.min, evidence.unit)}`);
  if (evidence.series.length === 1 && stats.last !== null) {
    figures.push(`last ${formatValue(stats.last, evidence.unit)}`);
  }
  return `${series}, ${span}: ${figures.join(', ')}.`;
}

/** Names the shading and the dashed lines once for all charts, instead of labels crowding each small chart. */
function ChartKey({ incident }: { incident: IncidentView }) {
  const fields = (Object.keys(LIFECYCLE_LABEL) as LifecycleField[]).filter((f) => incident[f] !== null);
  return (
    <Group gap="sm" aria-hidden="true">
      {incident.impactStartedAt && (
        <Group gap={4} wrap="nowrap">
          <span className="swimlane-impact-swatch" />
          <Text size="xs">Impact window</Text>
        </Group>
      )}
      {fields.map((f) => (
        <Group key={f} gap={4} wrap="nowrap" c={markerCssColor(f)}>
          <span className="marker-swatch" />
          <Text size="xs" fw={600}>
            {LIFECYCLE_LABEL[f]}
          </Text>
        </Group>
      ))}
    </Group>
  );
}

/** Snapshots grouped by query (service and name), in timeline order within each group. */
function byQuery(items: MetricEvidence[]): MetricEvidence[][] {
  const groups = new Map<string, MetricEvidence[]>();
  for (const m of items) {
    const key = `${m.service}\u0000${m.name}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()];
}

/** One query: its newest snapshot drawn, the earlier ones a choice away. */
function MetricCard({ snapshots, incident }: { snapshots: MetricEvidence[]; incident: IncidentView }) {
  const headingId = useId();
  const descriptionId = useId();
  const [chosen, setChosen] = useState<string | null>(null);
  const evidence = snapshots.find((m) => m.eventId === chosen) ?? snapshots[snapshots.length - 1];
  if (!evidence) return null;
  const empty = evidence.series.every((s) => s.points.every(([, v]) => v === null));
  return (
    <Paper withBorder p="sm" component="figure" m={0} aria-labelledby={headingId} aria-describedby={descriptionId}>
      <Group justify="space-between" gap={4} wrap="nowrap" align="flex-start">
        <Text fw={600} size="sm" id={headingId} className="break-anywhere">
          {evidence.name}{' '}
          <Text span c="dimmed" inherit fw={400}>
            · {evidence.service}
          </Text>
        </Text>
        {snapshots.length > 1 ? (
          <NativeSelect
            size="xs"
            aria-label={`Snapshot of ${evidence.name} (${evidence.service})`}
            value={evidence.eventId}
            onChange={(e) => setChosen(e.currentTarget.value)}
            data={snapshots.map((m) => ({
              value: m.eventId,
              label: `${PHASE_LABEL[m.phase]}, ${shortTime(m.capturedAt)}`,
            }))}
            style={{ flex: 'none' }}
          />
        ) : (
          <Badge variant="default" size="sm" radius="sm" tt="none" style={{ flex: 'none' }}>
            {PHASE_LABEL[evidence.phase]}
          </Badge>
        )}
      </Group>
      <Text size="xs" c="dimmed" id={descriptionId} mb={4}>
        {describeChart(evidence)}
        {evidence.seriesTotal > evidence.series.length &&
          ` Showing ${evidence.series.length} of ${evidence.seriesTotal} series.`}
      </Text>
      {empty ? (
        <Text size="sm" c="dimmed" py="md" ta="center">
          Prometheus returned no data for this window.
        </Text>
      ) : (
        <Suspense fallback={<Skeleton height={CHART_HEIGHT} />}>
          <MetricChart evidence={evidence} incident={incident} height={CHART_HEIGHT} />
        </Suspense>
      )}
      <Text size="xs" c="dimmed" mt={4} component="div">
        <details>
          <summary className="details-summary">Query and snapshot</summary>
          <Code block className="break-anywhere" mt={4}>
            {evidence.query}
          </Code>
          <Text size="xs" mt={4}>
            Captured <Time iso={evidence.capturedAt} withSeconds />, step {evidence.window.stepSeconds}s ·{' '}
            <Anchor href={artifactUrl(evidence.artifactId)} target="_blank" rel="noopener" size="xs">
              Snapshot JSON
            </Anchor>
          </Text>
        </details>
      </Text>
    </Paper>
  );
}
