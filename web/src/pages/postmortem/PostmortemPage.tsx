import { Badge, Box, Center, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { minimumRole, roleAtLeast } from '../../../../src/domain/access';
import { isApiError, type PostmortemDetailView } from '../../api';
import { PostmortemStatusBadge, QualityBadge, SeverityBadge } from '../../components/Badges';
import { AnchorLink } from '../../components/links';
import { QueryError } from '../../components/QueryError';
import { incidentQuery, meQuery, postmortemQuery } from '../../queries';
import { applyPostmortem } from './cache';
import type { PostmortemSearch, PostmortemTab } from '../../router';
import { CreatePostmortemForm } from './CreatePostmortemForm';
import { DocumentTab } from './DocumentTab';
import { ExportMenu } from './ExportMenu';
import { ExternalPanel } from './ExternalPanel';
import { HistoryPanel } from './HistoryPanel';
import type { EditorHandle } from './MarkdownEditor';
import { QualityPanel } from './QualityPanel';
import { ReadershipPanel } from './ReadershipPanel';
import { RedactionPanel } from './RedactionPanel';
import { ReviewPanel } from './ReviewPanel';
import { SaveIndicator } from './SaveIndicator';
import { useBodyDocument } from './useBodyDocument';
import { useRecordView } from './useRecordView';

const route = getRouteApi('/app/incidents/$key/postmortem');

export function PostmortemPage() {
  const { key } = route.useParams();
  const detail = useQuery(postmortemQuery(key));
  useDocumentTitle(
    detail.data
      ? `Postmortem ${key} ${detail.data.postmortem.incident.title} · Debrief`
      : `Postmortem ${key} · Debrief`,
  );

  if (detail.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading postmortem" />
      </Center>
    );
  }
  if (detail.isError) {
    if (isApiError(detail.error, 'DEBRIEF_ERR_NOT_FOUND')) return <NoPostmortem incidentKey={key} />;
    return <QueryError error={detail.error} onRetry={() => void detail.refetch()} title="Could not load" />;
  }
  // Another postmortem (after navigating between incidents) starts from a clean editor and save state.
  return <PostmortemWorkspace key={detail.data.postmortem.id} detail={detail.data} />;
}

/** The incident has no postmortem yet (or cannot be seen at all). */
function NoPostmortem({ incidentKey }: { incidentKey: string }) {
  const incident = useQuery(incidentQuery(incidentKey));
  const me = useQuery(meQuery);

  if (incident.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading incident" />
      </Center>
    );
  }
  if (incident.isError) {
    return (
      <Stack gap="sm">
        <Title order={1}>Incident not found</Title>
        <Text>There is no incident {incidentKey}, or it is private and you are not one of its members.</Text>
        <AnchorLink to="/incidents">Back to incidents</AnchorLink>
      </Stack>
    );
  }
  const canCreate = me.data ? roleAtLeast(me.data.role, minimumRole('postmortem.edit')) : false;
  return (
    <Stack gap="sm" align="flex-start">
      <AnchorLink to="/incidents/$key" params={{ key: incidentKey }} size="sm">
        ← {incidentKey}
      </AnchorLink>
      <Title order={1} className="break-anywhere">
        Postmortem: {incident.data.title}
      </Title>
      <Text>
        {incident.data.key} has no postmortem yet. A draft filled from the incident&apos;s evidence is written when it
        is resolved{canCreate ? '; you can also start one now.' : '.'}
      </Text>
      {canCreate && (
        <Box w="100%" maw="42rem">
          <CreatePostmortemForm incident={incident.data} />
        </Box>
      )}
    </Stack>
  );
}

function PostmortemWorkspace({ detail }: { detail: PostmortemDetailView }) {
  const { key } = route.useParams();
  const { tab = 'document' } = route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const editor = useRef<EditorHandle | null>(null);
  const { postmortem } = detail;
  const editable = detail.permissions.edit && postmortem.status !== 'published';

  const doc = useBodyDocument({
    incidentKey: key,
    initial: { body: postmortem.body, version: postmortem.version },
    editor,
    onSaved: (saved) => void applyPostmortem(queryClient, saved),
  });
  const { sync } = doc;
  useEffect(() => sync(postmortem), [sync, postmortem]);
  useRecordView(key);

  const setTab = (value: string | null) =>
    void navigate({
      to: '/incidents/$key/postmortem',
      params: { key },
      search: (value && value !== 'document' ? { tab: value } : {}) as PostmortemSearch,
      replace: true,
      resetScroll: false,
    });

  const openBlame = detail.lint.filter((f) => f.severity === 'error').length;
  const openRedactions = detail.redaction.filter((f) => !f.waiver).length;
  const openComments = detail.comments.filter((c) => !c.resolvedAt).length;

  return (
    <Stack gap="md">
      <Stack gap="xs" component="header">
        <AnchorLink to="/incidents/$key" params={{ key }} size="sm">
          ← {key}
        </AnchorLink>
        <Title order={1} className="break-anywhere">
          Postmortem: {postmortem.incident.title}
        </Title>
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Group gap="xs" role="group" aria-label="Postmortem attributes">
            <PostmortemStatusBadge status={postmortem.status} />
            <QualityBadge score={detail.quality.score} />
            <SeverityBadge severity={postmortem.incident.severity} />
            <Badge variant="default" radius="sm" tt="none">
              Template: {postmortem.template.name}
            </Badge>
            {editable && <SaveIndicator state={doc.state} onRetry={() => void doc.flush()} />}
          </Group>
          <Group gap="xs">
            {postmortem.status === 'published' && (
              <AnchorLink to="/share/$key" params={{ key }} size="sm">
                Share page
              </AnchorLink>
            )}
            <ExportMenu incidentKey={key} published={postmortem.status === 'published'} />
          </Group>
        </Group>
      </Stack>

      <Tabs value={tab} onChange={setTab} keepMounted={false} keepMountedMode="display-none">
        <Tabs.List aria-label="Postmortem views">
          <Tabs.Tab value={'document' satisfies PostmortemTab}>Document</Tabs.Tab>
          <Tabs.Tab
            value={'review' satisfies PostmortemTab}
            rightSection={openComments > 0 ? <CountBadge count={openComments} label="open comments" /> : null}
          >
            Review
          </Tabs.Tab>
          <Tabs.Tab value={'quality' satisfies PostmortemTab}>Quality</Tabs.Tab>
          <Tabs.Tab
            value={'redaction' satisfies PostmortemTab}
            rightSection={
              openRedactions > 0 ? <CountBadge count={openRedactions} label="open redaction findings" /> : null
            }
          >
            Redaction
          </Tabs.Tab>
          <Tabs.Tab value={'external' satisfies PostmortemTab}>External version</Tabs.Tab>
          <Tabs.Tab value={'history' satisfies PostmortemTab}>History</Tabs.Tab>
          <Tabs.Tab value={'readership' satisfies PostmortemTab}>Readership</Tabs.Tab>
        </Tabs.List>

        {/* The editor stays mounted (hidden) on other tabs, so its text, undo history and cursor survive. */}
        <Tabs.Panel value="document" pt="md" keepMounted>
          <DocumentTab detail={detail} doc={doc} editor={editor} editable={editable} />
        </Tabs.Panel>
        <Tabs.Panel value="review" pt="md">
          <ReviewPanel detail={detail} doc={doc} editable={editable} openBlame={openBlame} />
        </Tabs.Panel>
        <Tabs.Panel value="quality" pt="md">
          <QualityPanel quality={detail.quality} />
        </Tabs.Panel>
        <Tabs.Panel value="redaction" pt="md">
          <RedactionPanel detail={detail} doc={doc} editor={editor} editable={editable} />
        </Tabs.Panel>
        <Tabs.Panel value="external" pt="md">
          <ExternalPanel detail={detail} doc={doc} editable={editable} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <HistoryPanel detail={detail} doc={doc} editable={editable} />
        </Tabs.Panel>
        <Tabs.Panel value="readership" pt="md">
          <ReadershipPanel incidentKey={key} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function CountBadge({ count, label }: { count: number; label: string }) {
  return (
    <Badge size="sm" variant="filled" color="orange" circle aria-label={`${count} ${label}`}>
      {count}
    </Badge>
  );
}
