import {
  Alert,
  Badge,
  Button,
  Grid,
  Group,
  List,
  NativeSelect,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { minimumRole, roleAtLeast } from '../../../../src/domain/access';
import type { ReviewDecision } from '../../../../src/domain/postmortem/types';
import { api, ApiError, isApiError, type PostmortemDetailView, type PostmortemView, type ReviewInput } from '../../api';
import { PostmortemStatusBadge } from '../../components/Badges';
import { FormError } from '../../components/FormError';
import { Time } from '../../components/Time';
import { meQuery, postmortemKey } from '../../queries';
import { applyPostmortem } from './cache';
import { CommentsPanel } from './CommentsPanel';
import type { BodyDocument } from './useBodyDocument';

const DECISION_LABEL: Record<ReviewDecision, { label: string; color: string }> = {
  approve: { label: 'Approved', color: 'teal' },
  request_changes: { label: 'Changes requested', color: 'orange' },
};

const unsaved = () =>
  new ApiError(
    0,
    'DEBRIEF_ERR_UNSAVED',
    'Your latest text is not saved yet; resolve that first (see the Document tab).',
    [],
  );

/** The review workflow: asking for review, approving or requesting changes, the gates, publishing. */
export function ReviewPanel({
  detail,
  doc,
  editable,
  openBlame,
}: {
  detail: PostmortemDetailView;
  doc: BodyDocument;
  editable: boolean;
  openBlame: number;
}) {
  const { postmortem, permissions, approvals, blockers } = detail;
  const key = postmortem.incident.key;
  const queryClient = useQueryClient();
  const me = useQuery(meQuery);
  const blockersId = useId();

  const apply = (updated: PostmortemView) => applyPostmortem(queryClient, updated);
  /** Saves pending text first, so the action applies to what the writer sees; then the version to send. */
  const currentVersion = async (): Promise<number> => {
    if (!editable) return postmortem.version;
    if (!(await doc.flush())) throw unsaved();
    return doc.version();
  };

  const requestReview = useMutation({
    mutationFn: async () => api.requestReview(key, await currentVersion()),
    onSuccess: apply,
  });
  const publish = useMutation({
    mutationFn: async () => api.publishPostmortem(key, await currentVersion()),
    onSuccess: (result) => apply(result.postmortem),
    onError: () => queryClient.invalidateQueries({ queryKey: postmortemKey(key) }),
  });
  const reopen = useMutation({ mutationFn: () => api.reopenPostmortem(key), onSuccess: apply });

  const canRequest = permissions.edit && (postmortem.status === 'draft' || postmortem.status === 'changes_requested');
  const canReview = permissions.review && (postmortem.status === 'in_review' || postmortem.status === 'approved');
  const published = postmortem.status === 'published';
  // The server's permissions describe the text as it is (frozen once published); reopening needs the publisher's role.
  const canReopen = published && !!me.data && roleAtLeast(me.data.role, minimumRole('postmortem.publish'));
  const publishError = publish.error instanceof ApiError ? publish.error : null;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack gap="md">
          <Paper withBorder p="md" component="section" aria-labelledby="workflow-heading">
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={2} size="h4" id="workflow-heading">
                  Workflow
                </Title>
                <PostmortemStatusBadge status={postmortem.status} />
              </Group>
              <Text size="sm" c="dimmed">
                {postmortem.round === 0 ? 'No review requested yet.' : `Review round ${postmortem.round}`}
                {postmortem.reviewRequestedBy && postmortem.reviewRequestedAt && (
                  <>
                    {', requested by '}
                    {postmortem.reviewRequestedBy} <Time iso={postmortem.reviewRequestedAt} />
                  </>
                )}
                {published && postmortem.publishedBy && postmortem.publishedAt && (
                  <>
                    {'. Published by '}
                    {postmortem.publishedBy} <Time iso={postmortem.publishedAt} />
                  </>
                )}
              </Text>

              {canRequest && (
                <Stack gap={4} align="flex-start">
                  <Button onClick={() => requestReview.mutate()} loading={requestReview.isPending}>
                    Request review
                  </Button>
                  {openBlame > 0 && (
                    <Text size="xs" c="dimmed">
                      {openBlame} blame-language error{openBlame === 1 ? ' is' : 's are'} still open; reviewers will see{' '}
                      {openBlame === 1 ? 'it' : 'them'} too.
                    </Text>
                  )}
                </Stack>
              )}
              {requestReview.error && (
                <Alert color="red" role="alert" title="Review not requested">
                  {requestReview.error.message}
                </Alert>
              )}

              <Approvals approvals={approvals} />

              {!published && (
                <Stack gap="xs">
                  <Title order={3} size="h5">
                    Publishing
                  </Title>
                  {blockers.length === 0 ? (
                    <Text size="sm" c="teal.8">
                      All gates are met: this postmortem can be published.
                    </Text>
                  ) : (
                    <List size="sm" id={blockersId} aria-label="Publishing blocked by">
                      {blockers.map((b) => (
                        <List.Item key={b.gate}>
                          <Text span inherit fw={500}>
                            {b.gate}:
                          </Text>{' '}
                          {b.message}
                        </List.Item>
                      ))}
                    </List>
                  )}
                  {permissions.publish && (
                    <Group>
                      <Button
                        color="green"
                        disabled={blockers.length > 0}
                        aria-describedby={blockers.length > 0 ? blockersId : undefined}
                        onClick={() => publish.mutate()}
                        loading={publish.isPending}
                      >
                        Publish
                      </Button>
                    </Group>
                  )}
                  {publishError && (
                    <Alert color="red" role="alert" title="Not published">
                      {isApiError(publishError, 'DEBRIEF_ERR_PUBLISH_BLOCKED') && publishError.errors.length > 0 ? (
                        <List size="sm">
                          {publishError.errors.map((e) => (
                            <List.Item key={`${e.field}-${e.message}`}>
                              {e.field}: {e.message}
                            </List.Item>
                          ))}
                        </List>
                      ) : (
                        publishError.message
                      )}
                    </Alert>
                  )}
                </Stack>
              )}

              {canReopen && (
                <Stack gap={4} align="flex-start">
                  <Button variant="default" onClick={() => reopen.mutate()} loading={reopen.isPending}>
                    Reopen
                  </Button>
                  <Text size="xs" c="dimmed">
                    Reopening makes the text editable again; the published version stays as it was until the next
                    publication.
                  </Text>
                </Stack>
              )}
              {reopen.error && (
                <Alert color="red" role="alert" title="Not reopened">
                  {reopen.error.message}
                </Alert>
              )}
            </Stack>
          </Paper>

          {canReview && <ReviewForm incidentKey={key} onReviewed={apply} />}
          <ReviewHistory detail={detail} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <CommentsPanel detail={detail} />
      </Grid.Col>
    </Grid>
  );
}

function Approvals({ approvals }: { approvals: PostmortemDetailView['approvals'] }) {
  return (
    <Stack gap={4} aria-label="Approvals" role="group">
      <Group gap="xs">
        <Title order={3} size="h5">
          Approvals
        </Title>
        <Badge variant="light" color={approvals.met ? 'teal' : 'gray'} radius="sm">
          {approvals.approvedBy.length} of {approvals.required}
          {approvals.met ? ' · met' : ''}
        </Badge>
      </Group>
      <Text size="sm" className="break-anywhere">
        {approvals.approvedBy.length > 0
          ? `Approved by ${approvals.approvedBy.join(', ')}.`
          : 'Nobody has approved yet.'}
        {approvals.changesRequestedBy.length > 0 && ` Changes requested by ${approvals.changesRequestedBy.join(', ')}.`}
      </Text>
      {approvals.ownerRequired && (
        <Text size="sm" className="break-anywhere" c={approvals.ownerApproved ? 'teal.8' : undefined}>
          {approvals.ownerApproved
            ? 'An owner of an impacted service has approved.'
            : approvals.owners.length > 0
              ? `An owner of an impacted service must approve: ${approvals.owners.join(', ')}.`
              : 'An owner of an impacted service must approve, but the impacted services list no owners.'}
        </Text>
      )}
    </Stack>
  );
}

const SCORES = [
  { value: '', label: 'No score' },
  { value: '1', label: '1 — missing most of what matters' },
  { value: '2', label: '2 — needs substantial work' },
  { value: '3', label: '3 — adequate' },
  { value: '4', label: '4 — good' },
  { value: '5', label: '5 — exemplary' },
];

function ReviewForm({
  incidentKey,
  onReviewed,
}: {
  incidentKey: string;
  onReviewed: (updated: PostmortemView) => Promise<void>;
}) {
  const [score, setScore] = useState('');
  const [comment, setComment] = useState('');
  const [needsComment, setNeedsComment] = useState(false);
  const review = useMutation({
    mutationFn: (input: ReviewInput) => api.reviewPostmortem(incidentKey, input),
    onSuccess: async (result) => {
      setScore('');
      setComment('');
      await onReviewed(result.postmortem);
    },
  });
  const error = review.error instanceof ApiError ? review.error : null;

  const submit = (decision: ReviewDecision) => (event?: FormEvent) => {
    event?.preventDefault();
    const text = comment.trim();
    // Asking for changes without saying which leaves the writer guessing.
    setNeedsComment(decision === 'request_changes' && !text);
    if (decision === 'request_changes' && !text) return;
    const input: ReviewInput = { decision };
    if (score) input.score = Number(score);
    if (text) input.comment = text;
    review.mutate(input);
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="review-form-heading">
      <form onSubmit={submit('approve')} noValidate aria-label="Review">
        <Stack gap="sm">
          <Title order={2} size="h4" id="review-form-heading">
            Your review
          </Title>
          <FormError error={error} fields={['score', 'comment']} title="Review not recorded" />
          <NativeSelect
            label="Quality score"
            description="How well does it explain what happened and what will change?"
            data={SCORES}
            value={score}
            onChange={(e) => setScore(e.currentTarget.value)}
            error={error?.fieldMessage('score')}
          />
          <Textarea
            label="Comment"
            autosize
            minRows={3}
            value={comment}
            onChange={(e) => setComment(e.currentTarget.value)}
            error={needsComment ? 'Say what should change.' : error?.fieldMessage('comment')}
          />
          <Group gap="xs">
            <Button type="submit" color="teal" loading={review.isPending && review.variables?.decision === 'approve'}>
              Approve
            </Button>
            <Button
              variant="outline"
              color="orange"
              onClick={() => submit('request_changes')()}
              loading={review.isPending && review.variables?.decision === 'request_changes'}
            >
              Request changes
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function ReviewHistory({ detail }: { detail: PostmortemDetailView }) {
  const reviews = [...detail.reviews].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="reviews-heading">
      <Title order={2} size="h4" id="reviews-heading" mb="xs">
        Reviews
      </Title>
      {reviews.length === 0 ? (
        <Text size="sm" c="dimmed">
          No reviews yet.
        </Text>
      ) : (
        <Stack component="ul" gap="sm" className="plain-list" aria-label="Reviews">
          {reviews.map((r) => (
            <li key={r.id}>
              <Stack gap={2}>
                <Group gap="xs">
                  <Badge color={DECISION_LABEL[r.decision].color} variant="light" radius="sm">
                    {DECISION_LABEL[r.decision].label}
                  </Badge>
                  <Text size="sm" fw={500} className="break-anywhere">
                    {r.reviewer}
                  </Text>
                  {r.score !== null && (
                    <Text size="sm" c="dimmed">
                      score {r.score}/5
                    </Text>
                  )}
                </Group>
                <Text size="xs" c="dimmed">
                  Round {r.round}
                  {r.round !== detail.postmortem.round ? ' (earlier round)' : ''} · <Time iso={r.createdAt} />
                </Text>
                {r.comment && (
                  <Text size="sm" className="pre-wrap">
                    {r.comment}
                  </Text>
                )}
              </Stack>
            </li>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
