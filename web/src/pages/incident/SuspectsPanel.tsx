import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  List,
  Loader,
  Paper,
  Progress,
  Stack,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, artifactUrl, type IncidentView, type Suspect, type Verdict } from '../../api';
import { QueryError } from '../../components/QueryError';
import { Time } from '../../components/Time';
import { incidentKey, suspectsQuery } from '../../queries';
import { formatCount } from './swimlane-layout';

const SHOWN = 5;

const KIND_WORD: Record<Suspect['change']['kind'], string> = { deploy: 'Deploy', config: 'Config', flag: 'Flag' };

/** `Deploy checkout v2.3.1`, the way responders name a change. */
function changeName(suspect: Suspect): string {
  const { kind, service, version } = suspect.change;
  return `${KIND_WORD[kind]} ${service}${version ? ` ${version}` : ''}`;
}

/** Only http(s) links from change sources become clickable. */
function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function scoreColor(score: number): string {
  return score >= 0.6 ? 'red' : score >= 0.3 ? 'orange' : 'gray';
}

/**
 * Changes made before the incident began, ranked by how likely they are to be involved, each with the reasons for
 * its score; responders confirm or dismiss them.
 */
export function SuspectsPanel({ incident, canDecide }: { incident: IncidentView; canDecide: boolean }) {
  const suspects = useQuery(suspectsQuery(incident.key));
  const [showAll, setShowAll] = useState(false);

  let content;
  if (suspects.isPending) {
    content = (
      <Center py="md">
        <Loader size="sm" aria-label="Loading suspect changes" />
      </Center>
    );
  } else if (suspects.isError) {
    content = (
      <QueryError
        error={suspects.error}
        onRetry={() => void suspects.refetch()}
        title="Could not load suspect changes"
      />
    );
  } else if (suspects.data.items.length === 0) {
    content = (
      <Text size="sm" c="dimmed">
        No deploys, config or flag changes were recorded in the 24 hours before {suspects.data.reference.label} (
        <Time iso={suspects.data.reference.at} />
        ). Changes come from the GitHub and GitLab webhooks, <code>POST /api/v1/changes</code> and{' '}
        <code>debrief change record</code>.
      </Text>
    );
  } else {
    const items = showAll ? suspects.data.items : suspects.data.items.slice(0, SHOWN);
    content = (
      <>
        <Text size="xs" c="dimmed" mb="xs">
          Changes before {suspects.data.reference.label} (<Time iso={suspects.data.reference.at} />
          ), ranked by time, service relation and error onset.
        </Text>
        <ol className="plain-list" aria-label="Suspect changes, most likely first">
          {items.map((s) => (
            <li key={s.change.id}>
              <SuspectItem suspect={s} incidentKey={incident.key} canDecide={canDecide} />
            </li>
          ))}
        </ol>
        {suspects.data.items.length > SHOWN && (
          <Button variant="subtle" size="compact-sm" onClick={() => setShowAll((v) => !v)} aria-expanded={showAll}>
            {showAll ? 'Show fewer' : `Show all ${formatCount(suspects.data.items.length)} suspects`}
          </Button>
        )}
      </>
    );
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="suspects-heading">
      <Title order={2} size="h4" id="suspects-heading" mb="xs">
        Suspect changes
      </Title>
      {content}
    </Paper>
  );
}

function SuspectItem({
  suspect,
  incidentKey: key,
  canDecide,
}: {
  suspect: Suspect;
  incidentKey: string;
  canDecide: boolean;
}) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const [deciding, setDeciding] = useState<Verdict | null>(null);
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (input: { verdict: Verdict; reason: string }) =>
      api.decideSuspect(key, suspect.change.id, input.verdict, input.reason),
    onSuccess: async () => {
      setDeciding(null);
      setReason('');
      // Confirming also adds a timeline event, so refresh everything about the incident.
      await queryClient.invalidateQueries({ queryKey: incidentKey(key) });
    },
  });

  const { change, verdict } = suspect;
  const url = safeUrl(change.url);
  const percent = Math.round(suspect.score * 100);
  const dismissed = verdict?.verdict === 'dismissed';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (deciding) decide.mutate({ verdict: deciding, reason: reason.trim() });
  };

  return (
    <Paper
      component="article"
      aria-labelledby={headingId}
      withBorder
      p="sm"
      mb="xs"
      className={dismissed ? 'suspect-dismissed' : undefined}
      style={verdict?.verdict === 'confirmed' ? { borderLeft: '4px solid var(--mantine-color-red-7)' } : undefined}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
          <Text fw={600} className="break-anywhere" id={headingId}>
            <Text span c="dimmed" fw={500}>
              #{suspect.rank}
            </Text>{' '}
            {url ? (
              <Anchor href={url} target="_blank" rel="noopener noreferrer" inherit>
                {changeName(suspect)}
                <VisuallyHidden> (opens in a new tab)</VisuallyHidden>
              </Anchor>
            ) : (
              changeName(suspect)
            )}
          </Text>
          {verdict && (
            <Badge color={verdict.verdict === 'confirmed' ? 'red' : 'gray'} variant="light" style={{ flex: 'none' }}>
              {verdict.verdict === 'confirmed' ? 'Confirmed' : 'Dismissed'}
            </Badge>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Progress
            value={percent}
            color={scoreColor(suspect.score)}
            size="md"
            style={{ flex: 1 }}
            aria-label={`Suspicion score ${percent} out of 100`}
          />
          <Text size="xs" fw={700} w={28} ta="right" aria-hidden="true">
            {percent}
          </Text>
        </Group>
        <Text size="sm">{suspect.explanation}</Text>
        {suspect.reasons.length > 0 && (
          <List size="xs" spacing={2} c="dimmed" aria-label="Reasons">
            {suspect.reasons.map((r) => (
              <List.Item key={r}>{r}</List.Item>
            ))}
          </List>
        )}
        <Text size="xs" c="dimmed" className="break-anywhere">
          <Time iso={change.at} withSeconds />
          {change.environment ? ` · ${change.environment}` : ''}
          {change.author ? ` · ${change.author}` : ''}
          {change.status ? ` · ${change.status}` : ''}
          {` · ${change.source}`}
          {change.diffArtifactId && (
            <>
              {' · '}
              <Anchor href={artifactUrl(change.diffArtifactId)} target="_blank" rel="noopener" size="xs">
                Diff
              </Anchor>
            </>
          )}
        </Text>
        {verdict && (
          <Text size="xs" className="break-anywhere">
            {verdict.verdict === 'confirmed' ? 'Confirmed' : 'Dismissed'} by {verdict.decidedBy},{' '}
            <Time iso={verdict.decidedAt} />
            {verdict.reason ? `: ${verdict.reason}` : ''}
          </Text>
        )}
        {canDecide &&
          (deciding ? (
            <form
              onSubmit={onSubmit}
              aria-label={`${deciding === 'confirmed' ? 'Confirm' : 'Dismiss'} ${changeName(suspect)}`}
            >
              <Stack gap="xs">
                {decide.error && (
                  <Alert color="red" role="alert" title="Verdict not saved" p="xs">
                    {decide.error.message}
                  </Alert>
                )}
                <Textarea
                  label="Reason (optional)"
                  placeholder={
                    deciding === 'confirmed' ? 'What ties this change to the incident?' : 'What rules this change out?'
                  }
                  autosize
                  minRows={2}
                  maxRows={6}
                  maxLength={2000}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  autoFocus
                />
                <Group gap="xs" justify="flex-end">
                  <Button
                    variant="default"
                    size="xs"
                    onClick={() => {
                      setDeciding(null);
                      decide.reset();
                    }}
                  >
                    Cancel
                  </Button>
                  <Button
                    type="submit"
                    size="xs"
                    color={deciding === 'confirmed' ? 'red' : 'gray'}
                    loading={decide.isPending}
                  >
                    {deciding === 'confirmed' ? 'Confirm suspect' : 'Dismiss suspect'}
                  </Button>
                </Group>
              </Stack>
            </form>
          ) : (
            <Group gap="xs" role="group" aria-label={`Verdict on ${changeName(suspect)}`}>
              <Button size="compact-sm" variant="light" color="red" onClick={() => setDeciding('confirmed')}>
                Confirm
              </Button>
              <Button size="compact-sm" variant="light" color="gray" onClick={() => setDeciding('dismissed')}>
                Dismiss
              </Button>
            </Group>
          ))}
      </Stack>
    </Paper>
  );
}
