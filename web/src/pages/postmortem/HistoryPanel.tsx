import {
  Alert,
  Badge,
  Button,
  Center,
  Grid,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Suspense, useRef, useState } from 'react';
import { ApiError, type PostmortemRevisionView, type RevisionSummaryView } from '../../api';
import { QueryError } from '../../components/QueryError';
import { Time } from '../../components/Time';
import { formatBytes, formatLocal } from '../../format';
import { postmortemRevisionQuery, postmortemRevisionsQuery } from '../../queries';
import { ConflictBanner } from './ConflictBanner';
import { MarkdownPreview } from './lazy';
import { SideBySideDiff } from './SideBySideDiff';
import type { DocumentPanelProps } from './useBodyDocument';

type HistoryPanelProps = Omit<DocumentPanelProps, 'editor'>;

/**
 * The saved revisions of the text, newest first: each one readable rendered or compared with the current text, and
 * restorable (as a new save on top of the current version) by people who may edit.
 */
export function HistoryPanel({ detail, doc, editable }: HistoryPanelProps) {
  const key = detail.postmortem.incident.key;
  const revisions = useQuery(postmortemRevisionsQuery(key));
  // By id, not version: a revision that later saves fold into moves to a newer version but stays the same revision.
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const wide = useMediaQuery('(min-width: 62em)', true, { getInitialValueInEffect: false });
  const viewer = useRef<HTMLDivElement>(null);

  const restore = useMutation({
    mutationFn: async (revision: PostmortemRevisionView) => {
      // Typed text goes to the server first, so the restore lands on the latest version and replaces nothing unseen.
      if (!(await doc.flush())) {
        throw new ApiError(
          0,
          'DEBRIEF_ERR_UNSAVED',
          'Your latest text is not saved yet; resolve that first (see the Document tab).',
          [],
        );
      }
      doc.replace(revision.body, revision.version);
      return (await doc.flush()) ? { restored: revision.version, savedAs: doc.version() } : null;
    },
  });

  if (revisions.isPending) {
    return (
      <Center py="md">
        <Loader aria-label="Loading history" />
      </Center>
    );
  }
  if (revisions.isError) return <QueryError error={revisions.error} onRetry={() => void revisions.refetch()} />;

  const items = revisions.data;
  const selected = items.find((r) => r.id === selectedId) ?? null;
  const current = editable ? doc.text() : detail.postmortem.body;

  const select = (revision: RevisionSummaryView) => {
    setSelectedId(revision.id);
    restore.reset();
    // Stacked on a phone, the revision opens below the list: bring it into view.
    if (!wide) requestAnimationFrame(() => viewer.current?.scrollIntoView({ block: 'start' }));
  };

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Paper withBorder p="sm" component="section" aria-labelledby="revisions-heading" className="sticky-column">
          <Title order={2} size="h4" id="revisions-heading">
            Revisions ({items.length})
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            Saves by one person within five minutes are kept as one revision.
          </Text>
          {items.length === 0 ? (
            <Text size="sm" c="dimmed">
              No saved revisions yet.
            </Text>
          ) : (
            <Stack component="ul" gap={2} className="plain-list revision-list" aria-label="Revisions">
              {items.map((revision, index) => (
                <li key={revision.id}>
                  <RevisionItem
                    revision={revision}
                    older={items[index + 1]}
                    latest={index === 0}
                    selected={revision.id === selectedId}
                    onSelect={() => select(revision)}
                  />
                </li>
              ))}
            </Stack>
          )}
        </Paper>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <div ref={viewer} className="revision-viewer">
          <Stack gap="md">
            {doc.state.kind === 'conflict' && (
              <ConflictBanner
                theirs={doc.state.theirs}
                mine={doc.text()}
                onKeepTheirs={doc.keepTheirs}
                onOverwrite={() => void doc.overwriteWithMine()}
                overwriting={false}
              />
            )}
            {restore.error && (
              <Alert color="red" role="alert" title="Not restored" withCloseButton onClose={() => restore.reset()}>
                {restore.error.message}
              </Alert>
            )}
            {restore.data === null && doc.state.kind === 'error' && (
              <Alert color="red" role="alert" title="The restored text is not saved yet">
                <Stack gap="xs" align="flex-start">
                  <Text size="sm">{doc.state.message}</Text>
                  <Button size="xs" variant="light" color="red" onClick={() => void doc.flush()}>
                    Try again
                  </Button>
                </Stack>
              </Alert>
            )}
            {restore.data && (
              <Alert color="teal" role="status" title="Restored" withCloseButton onClose={() => restore.reset()}>
                The text of version {restore.data.restored} is the current text again, saved as version{' '}
                {restore.data.savedAs}.
              </Alert>
            )}
            {selected ? (
              <RevisionViewer
                key={selected.id}
                incidentKey={key}
                summary={selected}
                current={current}
                restore={editable ? { run: (r) => restore.mutate(r), pending: restore.isPending } : undefined}
                restoreHint={
                  detail.permissions.edit && !editable
                    ? 'Published: reopen the postmortem (Review tab) to restore an older version.'
                    : null
                }
              />
            ) : (
              items.length > 0 && (
                <Text size="sm" c="dimmed">
                  Choose a revision to read it or compare it with the current text.
                </Text>
              )
            )}
          </Stack>
        </div>
      </Grid.Col>
    </Grid>
  );
}

function RevisionItem({
  revision,
  older,
  latest,
  selected,
  onSelect,
}: {
  revision: RevisionSummaryView;
  older: RevisionSummaryView | undefined;
  latest: boolean;
  selected: boolean;
  onSelect: () => void;
}) {
  const change = older ? formatBytes(revision.size - older.size, true) : null;
  const size = `${formatBytes(revision.size)}${change ? ` (${change})` : ''}`;
  return (
    <UnstyledButton
      className="section-nav-item"
      onClick={onSelect}
      aria-current={selected ? 'true' : undefined}
      aria-label={`Version ${revision.version}${latest ? ', latest' : ''}, by ${revision.author}, ${formatLocal(
        revision.createdAt,
      )}, ${size}`}
    >
      <Group gap={6} justify="space-between" wrap="nowrap">
        <Text size="sm" fw={600}>
          Version {revision.version}
        </Text>
        {latest && (
          <Badge size="xs" variant="light">
            latest
          </Badge>
        )}
      </Group>
      <Text size="xs" className="break-anywhere">
        {revision.author}
      </Text>
      <Text size="xs" c="dimmed">
        <Time iso={revision.createdAt} /> · {size}
      </Text>
    </UnstyledButton>
  );
}

type ViewMode = 'rendered' | 'diff';

function RevisionViewer({
  incidentKey,
  summary,
  current,
  restore,
  restoreHint,
}: {
  incidentKey: string;
  summary: RevisionSummaryView;
  current: string;
  /** Present for people who may restore now. */
  restore: { run: (revision: PostmortemRevisionView) => void; pending: boolean } | undefined;
  restoreHint: string | null;
}) {
  const revision = useQuery(postmortemRevisionQuery(incidentKey, summary.version));
  const [mode, setMode] = useState<ViewMode>('rendered');
  const headingId = `revision-${summary.id}-heading`;

  return (
    <Paper withBorder p={{ base: 'sm', sm: 'md' }} component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Stack gap={0}>
            <Title order={2} size="h4" id={headingId}>
              Version {summary.version}
            </Title>
            <Text size="sm" c="dimmed" className="break-anywhere">
              {summary.author} · <Time iso={summary.createdAt} />
            </Text>
          </Stack>
          <SegmentedControl
            aria-label="Show revision as"
            value={mode}
            onChange={(value) => setMode(value === 'diff' ? 'diff' : 'rendered')}
            data={[
              { value: 'rendered', label: 'Rendered' },
              { value: 'diff', label: 'Compare with current' },
            ]}
          />
        </Group>
        {revision.isPending ? (
          <Center py="md">
            <Loader aria-label="Loading revision" />
          </Center>
        ) : revision.isError ? (
          <QueryError error={revision.error} onRetry={() => void revision.refetch()} />
        ) : (
          <>
            {restore && (
              <Group gap="xs">
                <Button
                  variant="light"
                  onClick={() => restore.run(revision.data)}
                  loading={restore.pending}
                  disabled={revision.data.body === current}
                >
                  Restore this version
                </Button>
                <Text size="xs" c="dimmed">
                  {revision.data.body === current
                    ? 'This is the current text.'
                    : 'Saves this text on top of the current one, like an edit.'}
                </Text>
              </Group>
            )}
            {restoreHint && (
              <Text size="xs" c="dimmed">
                {restoreHint}
              </Text>
            )}
            {mode === 'rendered' ? (
              <Suspense
                fallback={
                  <Center py="md">
                    <Loader aria-label="Loading preview" />
                  </Center>
                }
              >
                <MarkdownPreview markdown={revision.data.body} label={`Version ${summary.version}, rendered`} />
              </Suspense>
            ) : revision.data.body === current ? (
              <Text size="sm">No differences: this version is the current text.</Text>
            ) : (
              <SideBySideDiff
                left={revision.data.body}
                right={current}
                leftCaption={`Version ${summary.version}`}
                rightCaption="Current text"
                leftLabel={`Text of version ${summary.version}`}
                rightLabel="Current text"
              />
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
