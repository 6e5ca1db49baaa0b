import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Code,
  FileButton,
  Group,
  Loader,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { TimelineEvent } from '../../../../../src/domain/types';
import { api, artifactUrl, type IncidentView, type LogEvidence, type LogFinding } from '../../../api';
import { QueryError } from '../../../components/QueryError';
import { formatLocal } from '../../../format';
import { incidentKey, logSnapshotQuery, logsQuery, timelineQuery } from '../../../queries';
import { formatCount } from '../swimlane-layout';

/** The server's limit for log files (`EVIDENCE_BODY_LIMIT_BYTES`). */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const SHOWN = 10;
const BUFFER = 'buffer';

/** Log evidence kept on the timeline: uploaded files and buffer snapshots, each linking its analysis. */
function isStoredAnalysis(event: TimelineEvent): event is TimelineEvent & { artifactId: string } {
  return event.kind === 'log' && event.artifactId !== null && event.labels.new !== undefined;
}

function analysisLabel(event: TimelineEvent): string {
  const when = formatLocal(event.at);
  return event.labels.file ? `Uploaded ${event.labels.file} (${when})` : `Snapshot of the OTLP buffer (${when})`;
}

/**
 * Log templates that are new or spiking in the incident window against the baseline before it: live from the OTLP
 * buffer, or from an uploaded file or a stored snapshot.
 */
export function LogsSection({ incident, canUpload }: { incident: IncidentView; canUpload: boolean }) {
  const queryClient = useQueryClient();
  const live = useQuery(logsQuery(incident.key));
  const logEvents = useQuery(timelineQuery(incident.key, { kind: ['log'] }));
  const stored = (logEvents.data ?? []).filter(isStoredAnalysis).reverse();
  const [chosen, setChosen] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  const liveHasLines = live.data ? live.data.incidentLines + live.data.baselineLines > 0 : false;
  // Until someone picks, show the buffer when it has lines, else the newest upload or snapshot.
  const selected =
    chosen && (chosen === BUFFER || stored.some((e) => e.id === chosen))
      ? chosen
      : liveHasLines || stored.length === 0
        ? BUFFER
        : (stored[0]?.id ?? BUFFER);
  const selectedEvent = stored.find((e) => e.id === selected);
  const snapshot = useQuery({
    ...logSnapshotQuery(selectedEvent?.artifactId ?? ''),
    enabled: selectedEvent !== undefined,
  });

  const upload = useMutation({
    mutationFn: (file: File) => api.uploadLogs(incident.key, file),
    onSuccess: async (result) => {
      if (result.event.artifactId) {
        queryClient.setQueryData(logSnapshotQuery(result.event.artifactId).queryKey, result.evidence);
      }
      setChosen(result.event.id);
      await queryClient.invalidateQueries({ queryKey: incidentKey(incident.key) });
    },
  });

  const onFile = (file: File | null) => {
    setFileError(null);
    upload.reset();
    if (!file) return;
    if (file.size === 0) setFileError(`${file.name} is empty.`);
    else if (file.size > MAX_UPLOAD_BYTES) setFileError(`${file.name} is larger than 10 MB; upload an excerpt.`);
    else upload.mutate(file);
  };

  const view = selectedEvent ? snapshot : live;
  const options = [
    { value: BUFFER, label: 'Live: OTLP buffer' },
    ...stored.map((e) => ({ value: e.id, label: analysisLabel(e) })),
  ];

  return (
    <Stack gap="sm" component="section" aria-labelledby="logs-heading">
      <Group justify="space-between" align="center" gap="xs">
        <Title order={3} size="h5" id="logs-heading">
          Log templates
        </Title>
        {canUpload && (
          <FileButton onChange={onFile} accept=".log,.txt,.jsonl,.ndjson,.json,text/plain,application/x-ndjson">
            {(props) => (
              <Button {...props} size="xs" variant="light" loading={upload.isPending}>
                Upload log file
              </Button>
            )}
          </FileButton>
        )}
      </Group>
      {canUpload && (
        <Text size="xs" c="dimmed">
          JSON lines or plain text, up to 10 MB. Lines are placed by their timestamps; the incident window is compared
          with an equal stretch of time before it.
        </Text>
      )}
      {(fileError || upload.error) && (
        <Alert
          color="red"
          role="alert"
          title="Log file not uploaded"
          withCloseButton
          onClose={() => setFileError(null)}
        >
          {fileError ?? upload.error?.message}
        </Alert>
      )}
      {upload.isSuccess && (
        <Text size="sm" c="teal.9" role="status">
          {upload.data.created ? 'Uploaded and analysed' : 'This file was already uploaded'}:{' '}
          {upload.data.evidence.summary.new} new, {upload.data.evidence.summary.spiking} spiking templates.
        </Text>
      )}
      {options.length > 1 && (
        <NativeSelect
          label="Show templates from"
          data={options}
          value={selected}
          onChange={(e) => setChosen(e.currentTarget.value)}
          maw={420}
        />
      )}
      {view.isPending ? (
        <Center py="md">
          <Loader size="sm" aria-label="Loading log templates" />
        </Center>
      ) : view.isError ? (
        <QueryError error={view.error} onRetry={() => void view.refetch()} title="Could not load log templates" />
      ) : view.data ? (
        <LogFindings
          evidence={view.data}
          uploadArtifact={selectedEvent?.labels.upload_artifact ?? null}
          analysisArtifact={selectedEvent?.artifactId ?? null}
        />
      ) : null}
    </Stack>
  );
}

function LogFindings({
  evidence,
  uploadArtifact,
  analysisArtifact,
}: {
  evidence: LogEvidence;
  uploadArtifact: string | null;
  analysisArtifact: string | null;
}) {
  const [showAll, setShowAll] = useState(false);
  const { summary, findings } = evidence;
  const noLines = evidence.incidentLines + evidence.baselineLines === 0;
  const items = showAll ? findings : findings.slice(0, SHOWN);

  return (
    <Stack gap="xs">
      <Text size="sm">
        {noLines ? (
          evidence.source === 'buffer' ? (
            <>
              No OTLP logs were buffered for {evidence.services.length ? evidence.services.join(', ') : 'any service'}{' '}
              around this incident. Send logs to <code>/v1/logs</code> or upload a log file.
            </>
          ) : (
            <>None of the file&apos;s lines fall in the incident window or the baseline before it.</>
          )
        ) : (
          <>
            <strong>{summary.new}</strong> new and <strong>{summary.spiking}</strong> spiking templates among{' '}
            {formatCount(evidence.templates)}, from {formatCount(evidence.incidentLines)} lines in the incident window
            and {formatCount(evidence.baselineLines)} in the baseline before it.
          </>
        )}
      </Text>
      <Text size="xs" c="dimmed">
        Window {formatLocal(evidence.window.start)} – {formatLocal(evidence.window.end)}; baseline from{' '}
        {formatLocal(evidence.baseline.start)}.
        {evidence.upload &&
          ` ${formatCount(evidence.upload.lines)} lines in the file, ${formatCount(evidence.upload.timed)} with a time` +
            `${evidence.upload.outsideWindows ? `, ${formatCount(evidence.upload.outsideWindows)} outside both windows` : ''}.`}
        {evidence.truncated && ' The buffer held more lines than are read at once; counts are from part of it.'}{' '}
        {uploadArtifact && (
          <Anchor href={artifactUrl(uploadArtifact)} target="_blank" rel="noopener" size="xs">
            Uploaded file
          </Anchor>
        )}
        {uploadArtifact && analysisArtifact && ' · '}
        {analysisArtifact && (
          <Anchor href={artifactUrl(analysisArtifact)} target="_blank" rel="noopener" size="xs">
            Analysis JSON
          </Anchor>
        )}
      </Text>
      {findings.length > 0 && (
        <ol className="plain-list" aria-label="New and spiking log templates">
          {items.map((f) => (
            <li key={f.templateId}>
              <FindingItem finding={f} />
            </li>
          ))}
        </ol>
      )}
      {findings.length > SHOWN && (
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={() => setShowAll((v) => !v)}
          aria-expanded={showAll}
          style={{ alignSelf: 'flex-start' }}
        >
          {showAll ? 'Show fewer' : `Show all ${findings.length} templates`}
        </Button>
      )}
    </Stack>
  );
}

function FindingItem({ finding: f }: { finding: LogFinding }) {
  const rates = `${f.incidentRatePerMinute}/min in the window, ${f.baselineRatePerMinute}/min before`;
  return (
    <Paper withBorder p="xs" mb={6}>
      <Group gap={6} mb={4} wrap="wrap">
        {f.status === 'new' ? (
          <Badge color="red" variant="light" size="sm">
            New
          </Badge>
        ) : (
          <Badge color="orange" variant="light" size="sm">
            Spiking ×{f.ratio.toLocaleString()}
          </Badge>
        )}
        {f.severity && (
          <Badge color="gray" variant="outline" size="sm" tt="none">
            {f.severity}
          </Badge>
        )}
        <Text size="xs" c="dimmed" title={rates}>
          {formatCount(f.incidentCount)} in the window · {formatCount(f.baselineCount)} before
        </Text>
      </Group>
      <Code block className="log-template">
        {f.template ?? f.templateId}
      </Code>
      {f.samples.length > 0 && (
        <details className="log-samples">
          <summary className="details-summary">
            {f.samples.length === 1 ? '1 sample line' : `${f.samples.length} sample lines`}
          </summary>
          <ul className="plain-list">
            {f.samples.map((line, i) => (
              <li key={i}>
                <Code block className="log-template" mt={4}>
                  {line}
                </Code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </Paper>
  );
}
