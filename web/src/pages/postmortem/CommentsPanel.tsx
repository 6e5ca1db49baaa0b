import { Badge, Button, Checkbox, Group, NativeSelect, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { PostmortemComment } from '../../../../src/domain/postmortem/types';
import { api, ApiError, type PostmortemDetailView } from '../../api';
import { FormError } from '../../components/FormError';
import { Time } from '../../components/Time';
import { postmortemKey } from '../../queries';

/** Review comments, each anchored to a section of the document, with resolving. */
export function CommentsPanel({ detail }: { detail: PostmortemDetailView }) {
  const key = detail.postmortem.incident.key;
  const [showResolved, setShowResolved] = useState(false);
  const titles = new Map(detail.sections.map((s) => [s.id, s.title]));
  const order = new Map(detail.sections.map((s, i) => [s.id, i]));
  const visible = detail.comments
    .filter((c) => showResolved || !c.resolvedAt)
    .sort(
      (a, b) =>
        (order.get(a.section) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.section) ?? Number.MAX_SAFE_INTEGER) ||
        a.createdAt.localeCompare(b.createdAt),
    );
  const groups = new Map<string, PostmortemComment[]>();
  for (const c of visible) groups.set(c.section, [...(groups.get(c.section) ?? []), c]);
  const resolvedCount = detail.comments.filter((c) => c.resolvedAt).length;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="comments-heading">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="comments-heading">
            Comments
          </Title>
          {resolvedCount > 0 && (
            <Checkbox
              size="xs"
              label={`Show resolved (${resolvedCount})`}
              checked={showResolved}
              onChange={(e) => setShowResolved(e.currentTarget.checked)}
            />
          )}
        </Group>
        {detail.permissions.comment && <AddCommentForm detail={detail} />}
        {groups.size === 0 ? (
          <Text size="sm" c="dimmed">
            {detail.comments.length === 0 ? 'No comments yet.' : 'Every comment is resolved.'}
          </Text>
        ) : (
          <Stack gap="md">
            {[...groups].map(([section, comments]) => (
              <Stack
                key={section}
                gap="xs"
                component="section"
                aria-label={`Comments on ${titles.get(section) ?? section}`}
              >
                <Text size="sm" fw={600}>
                  {titles.get(section) ?? section}
                  {!titles.has(section) && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      (section no longer in the text)
                    </Text>
                  )}
                </Text>
                <Stack component="ul" gap="xs" className="plain-list">
                  {comments.map((c) => (
                    <CommentItem key={c.id} incidentKey={key} comment={c} canResolve={detail.permissions.comment} />
                  ))}
                </Stack>
              </Stack>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function CommentItem({
  incidentKey,
  comment,
  canResolve,
}: {
  incidentKey: string;
  comment: PostmortemComment;
  canResolve: boolean;
}) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (resolved: boolean) => api.resolveComment(incidentKey, comment.id, resolved),
    onSettled: () => queryClient.invalidateQueries({ queryKey: postmortemKey(incidentKey) }),
  });
  return (
    <li>
      <Paper p="xs" bg={comment.resolvedAt ? 'gray.0' : undefined} withBorder>
        <Stack gap={4}>
          <Group gap="xs" justify="space-between" wrap="nowrap">
            <Text size="xs" c="dimmed" className="break-anywhere">
              {comment.author} · <Time iso={comment.createdAt} />
            </Text>
            {comment.resolvedAt && (
              <Badge size="xs" variant="light" color="gray">
                resolved
              </Badge>
            )}
          </Group>
          <Text size="sm" className="pre-wrap">
            {comment.body}
          </Text>
          {canResolve && (
            <Group gap="xs">
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => toggle.mutate(!comment.resolvedAt)}
                loading={toggle.isPending}
              >
                {comment.resolvedAt ? 'Reopen' : 'Resolve'}
              </Button>
              {toggle.error && (
                <Text size="xs" c="red" role="alert">
                  {toggle.error.message}
                </Text>
              )}
            </Group>
          )}
        </Stack>
      </Paper>
    </li>
  );
}

function AddCommentForm({ detail }: { detail: PostmortemDetailView }) {
  const key = detail.postmortem.incident.key;
  const queryClient = useQueryClient();
  const [section, setSection] = useState(detail.sections[0]?.id ?? '');
  const [body, setBody] = useState('');
  const [empty, setEmpty] = useState(false);
  const add = useMutation({
    mutationFn: (input: { section: string; body: string }) => api.addComment(key, input.section, input.body),
    onSuccess: async () => {
      setBody('');
      await queryClient.invalidateQueries({ queryKey: postmortemKey(key) });
    },
  });
  const error = add.error instanceof ApiError ? add.error : null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const text = body.trim();
    setEmpty(!text);
    if (!text || !section) return;
    add.mutate({ section, body: text });
  };

  if (detail.sections.length === 0) return null;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Add comment">
      <Stack gap="xs">
        <FormError error={error} fields={['section', 'body']} title="Comment not added" />
        <NativeSelect
          label="Section"
          data={detail.sections.map((s) => ({ value: s.id, label: s.title }))}
          value={section}
          onChange={(e) => setSection(e.currentTarget.value)}
          error={error?.fieldMessage('section')}
        />
        <Textarea
          label="Comment"
          autosize
          minRows={2}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={empty ? 'Write a comment first.' : error?.fieldMessage('body')}
        />
        <Group justify="flex-end">
          <Button type="submit" size="xs" loading={add.isPending}>
            Add comment
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
