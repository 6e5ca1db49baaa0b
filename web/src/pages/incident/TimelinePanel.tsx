import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Checkbox,
  Flex,
  Group,
  Loader,
  Menu,
  MultiSelect,
  NativeSelect,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { EVENT_KINDS, MARKERS, type EventKind, type Marker, type TimelineEvent } from '../../../../src/domain/types';
import { api, ApiError, artifactUrl, type IncidentView, type TimelineFilters } from '../../api';
import { QueryError } from '../../components/QueryError';
import { KindIcon } from '../../components/KindIcon';
import { Time } from '../../components/Time';
import { KIND_LABEL, MARKER_LABEL } from '../../labels';
import { incidentKey, timelineQuery } from '../../queries';
import { formatCount } from './swimlane-layout';
import { SwimlaneChart } from './SwimlaneChart';

const LIFECYCLE_MARKERS = new Set<Marker>(['impact_start', 'detected', 'acknowledged', 'mitigated', 'resolved']);

/** What an event's artifact holds, by the kind of event that links it. */
const ARTIFACT_LINK: Partial<Record<EventKind, string>> = {
  metric: 'Metric snapshot',
  change: 'Diff',
  log: 'Log analysis',
};

const eventDomId = (id: string) => `timeline-event-${id}`;

/** Scrolls the list to the first of `ids`, moves focus there and flashes each of them briefly. */
function showEvents(ids: readonly string[]): void {
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const elements = ids.map((id) => document.getElementById(eventDomId(id))).filter((el) => el !== null);
  const first = elements[0];
  if (!first) return;
  first.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' });
  first.focus({ preventScroll: true });
  // Flashing a whole alert storm would cost more than it shows; the first hundred make the point.
  for (const el of elements.slice(0, 100)) {
    el.animate(
      [
        { boxShadow: '0 0 0 3px var(--mantine-color-indigo-5)', backgroundColor: 'var(--mantine-color-indigo-0)' },
        { boxShadow: '0 0 0 3px transparent' },
      ],
      { duration: reduceMotion ? 4000 : 2500, easing: reduceMotion ? 'steps(1, end)' : 'ease-out' },
    );
  }
}

export function TimelinePanel({ incident, canEdit }: { incident: IncidentView; canEdit: boolean }) {
  const [kinds, setKinds] = useState<EventKind[]>([]);
  const [sources, setSources] = useState<string[]>([]);
  const [pinnedOnly, setPinnedOnly] = useState(false);
  const filters: TimelineFilters = { kind: kinds, source: sources, pinned: pinnedOnly };
  const filtered = kinds.length > 0 || sources.length > 0 || pinnedOnly;

  const events = useQuery(timelineQuery(incident.key, filters));
  // Source choices come from the whole timeline, so narrowing by kind does not hide the other sources.
  const all = useQuery({ ...timelineQuery(incident.key, {}), enabled: filtered });
  const sourceOptions = [
    ...new Set([...(filtered ? (all.data ?? []) : (events.data ?? [])).map((e) => e.source), ...sources]),
  ].sort();

  return (
    <Stack gap="md" component="section" aria-labelledby="timeline-heading">
      <Title order={2} size="h3" id="timeline-heading">
        Timeline
      </Title>

      {canEdit && <AddNoteForm incidentKey={incident.key} />}

      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" role="group" aria-label="Timeline filters">
        <MultiSelect
          label="Kind"
          placeholder={kinds.length ? undefined : 'All kinds'}
          data={EVENT_KINDS.map((k) => ({ value: k, label: KIND_LABEL[k].label }))}
          value={kinds}
          onChange={(v) => setKinds(v)}
          clearable
        />
        <MultiSelect
          label="Source"
          placeholder={sources.length ? undefined : 'All sources'}
          data={sourceOptions}
          value={sources}
          onChange={setSources}
          clearable
          nothingFoundMessage="No other sources"
        />
        <Checkbox
          label="Pinned only"
          checked={pinnedOnly}
          onChange={(e) => setPinnedOnly(e.currentTarget.checked)}
          mt={{ base: 0, xs: 30 }}
        />
      </SimpleGrid>

      {events.isPending ? (
        <Center py="lg">
          <Loader aria-label="Loading timeline" />
        </Center>
      ) : events.isError ? (
        <QueryError error={events.error} onRetry={() => void events.refetch()} title="Could not load the timeline" />
      ) : events.data.length === 0 ? (
        <Text c="dimmed">{filtered ? 'No events match these filters.' : 'No events yet.'}</Text>
      ) : (
        <>
          <Paper withBorder p="sm">
            <SwimlaneChart incident={incident} events={events.data} onSelect={showEvents} />
          </Paper>
          <ol className="timeline-list" aria-label="Timeline events">
            {events.data.map((event) => (
              <li key={event.id}>
                <TimelineItem event={event} incidentKey={incident.key} canEdit={canEdit} />
              </li>
            ))}
          </ol>
        </>
      )}
    </Stack>
  );
}

function AddNoteForm({ incidentKey: key }: { incidentKey: string }) {
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [marker, setMarker] = useState<Marker | ''>('');
  const add = useMutation({
    mutationFn: () => api.addTimelineEvent(key, marker ? { body: body.trim(), marker } : { body: body.trim() }),
    onSuccess: async () => {
      setBody('');
      setMarker('');
      // A lifecycle marker moves the incident's matching time, so refresh the incident too.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: incidentKey(key) }),
        queryClient.invalidateQueries({ queryKey: ['incidents'] }),
      ]);
    },
  });
  const [empty, setEmpty] = useState(false);
  const error = add.error instanceof ApiError ? add.error : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    add.mutate();
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={onSubmit} noValidate aria-label="Add note">
        <Stack gap="sm">
          {add.error && (
            <Alert color="red" role="alert" title="Note not added">
              {add.error.message}
            </Alert>
          )}
          <Textarea
            label="Note"
            placeholder="What was observed, decided or tried?"
            autosize
            minRows={2}
            maxRows={10}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            onKeyDown={(e) => {
              // Ctrl/Cmd+Enter posts, as in chat tools responders already use.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) onSubmit(e);
            }}
            error={empty ? 'Write something first.' : error?.fieldMessage('body')}
          />
          <Group align="flex-end" justify="space-between" gap="sm">
            <NativeSelect
              label="Marker (optional)"
              value={marker}
              onChange={(e) => setMarker(e.currentTarget.value as Marker | '')}
              data={[{ value: '', label: 'No marker' }, ...MARKERS.map((m) => ({ value: m, label: MARKER_LABEL[m] }))]}
              error={error?.fieldMessage('marker')}
              w={{ base: '100%', xs: 220 }}
            />
            <Button type="submit" loading={add.isPending}>
              Add note
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function TimelineItem({
  event,
  incidentKey: key,
  canEdit,
}: {
  event: TimelineEvent;
  incidentKey: string;
  canEdit: boolean;
}) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const kind = KIND_LABEL[event.kind] ?? { label: event.kind, color: 'gray' };
  const update = useMutation({
    mutationFn: (patch: { pinned?: boolean; marker?: Marker | null }) => api.updateTimelineEvent(key, event.id, patch),
    onSuccess: async (_updated, patch) => {
      const touchesIncident = patch.marker !== undefined;
      await queryClient.invalidateQueries({
        queryKey: touchesIncident ? incidentKey(key) : [...incidentKey(key), 'timeline'],
      });
    },
  });
  const labels = Object.entries(event.labels ?? {});
  const heading = event.title || (event.kind === 'note' ? 'Note' : kind.label);
  // Notes are titled by their first line; show the rest once rather than repeating it.
  const rest = event.title && event.body.startsWith(event.title) ? event.body.slice(event.title.length) : null;
  const body = rest !== null && (rest === '' || /^\r?\n/.test(rest)) ? rest.replace(/^\s*\n/, '') : event.body;

  return (
    <Paper
      component="article"
      id={eventDomId(event.id)}
      tabIndex={-1}
      aria-labelledby={headingId}
      withBorder
      p="sm"
      mb="xs"
      style={event.pinned ? { borderLeft: '4px solid var(--mantine-color-indigo-6)' } : undefined}
    >
      {/* Actions sit beside the event where there is room, and under it on phones. */}
      <Flex
        direction={{ base: 'column', xs: 'row' }}
        justify="space-between"
        align={{ base: 'stretch', xs: 'flex-start' }}
        gap="xs"
      >
        <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
          <Group gap={6} wrap="wrap">
            <Badge color={kind.color} variant="light" leftSection={<KindIcon kind={event.kind} size={12} />}>
              {kind.label}
            </Badge>
            {event.marker && (
              <Badge color={event.marker === 'key_moment' ? 'grape' : 'indigo'} variant="filled">
                {MARKER_LABEL[event.marker]}
              </Badge>
            )}
            {event.pinned && (
              <Badge color="indigo" variant="outline">
                Pinned
              </Badge>
            )}
            {event.count > 1 && (
              <Badge
                color="gray"
                variant="outline"
                title={`${formatCount(event.count)} occurrences folded into this event`}
              >
                ×{formatCount(event.count)}
              </Badge>
            )}
            <Text size="sm" c="dimmed">
              <Time iso={event.at} withSeconds />
            </Text>
          </Group>
          <Text fw={600} className="break-anywhere" id={headingId}>
            {heading}
          </Text>
          {body.trim() && (
            <Text size="sm" className="pre-wrap">
              {body}
            </Text>
          )}
          {labels.length > 0 && (
            <Group gap={4}>
              {labels.map(([name, value]) => (
                <Badge key={name} size="xs" variant="default" tt="none" className="break-anywhere">
                  {name}={value}
                </Badge>
              ))}
            </Group>
          )}
          <Text size="xs" c="dimmed" className="break-anywhere">
            {event.source}
            {event.actor ? ` · ${event.actor}` : ''}
            {event.artifactId && (
              <>
                {' · '}
                <Anchor href={artifactUrl(event.artifactId)} target="_blank" rel="noopener" size="xs">
                  {ARTIFACT_LINK[event.kind] ?? 'Captured evidence'}
                </Anchor>
              </>
            )}
            {event.labels.upload_artifact && (
              <>
                {' · '}
                <Anchor href={artifactUrl(event.labels.upload_artifact)} target="_blank" rel="noopener" size="xs">
                  Uploaded file
                </Anchor>
              </>
            )}
          </Text>
          {update.error && (
            <Text size="sm" c="red" role="alert">
              {update.error.message}
            </Text>
          )}
        </Stack>
        {canEdit && (
          <Group gap={4} wrap="nowrap" justify="flex-end">
            <Button
              size="compact-sm"
              variant={event.pinned ? 'light' : 'subtle'}
              aria-pressed={event.pinned}
              loading={update.isPending && update.variables?.pinned !== undefined}
              onClick={() => update.mutate({ pinned: !event.pinned })}
            >
              <span aria-hidden="true">{event.pinned ? '★' : '☆'}</span>&nbsp;Pin
            </Button>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button
                  size="compact-sm"
                  variant="subtle"
                  loading={update.isPending && update.variables?.marker !== undefined}
                >
                  Marker
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>Mark this event as</Menu.Label>
                {MARKERS.map((m) => (
                  <Menu.Item key={m} disabled={event.marker === m} onClick={() => update.mutate({ marker: m })}>
                    {MARKER_LABEL[m]}
                    {LIFECYCLE_MARKERS.has(m) ? ' (sets incident time)' : ''}
                  </Menu.Item>
                ))}
                {event.marker && (
                  <>
                    <Menu.Divider />
                    <Menu.Item color="red" onClick={() => update.mutate({ marker: null })}>
                      Clear marker
                    </Menu.Item>
                  </>
                )}
              </Menu.Dropdown>
            </Menu>
          </Group>
        )}
      </Flex>
    </Paper>
  );
}
