import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type RedactionFindingView } from '../../api';
import { Time } from '../../components/Time';
import { postmortemKey } from '../../queries';
import { maskValue } from './findings';
import type { DocumentPanelProps } from './useBodyDocument';
import { useRedact } from './useRedact';
import { WaiveDialog } from './WaiveDialog';

/**
 * Sensitive values in the saved text: redact them (one or all) or, with a reason, keep them in the internal
 * version. The external version redacts every finding either way.
 */
export function RedactionPanel({ detail, doc, editor, editable }: DocumentPanelProps) {
  const key = detail.postmortem.incident.key;
  const queryClient = useQueryClient();
  const redact = useRedact(detail, doc, editable);
  const [waiving, setWaiving] = useState<RedactionFindingView | null>(null);
  const removeWaiver = useMutation({
    mutationFn: (id: string) => api.removeWaiver(key, id),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: postmortemKey(key) });
      editor.current?.recheck();
    },
  });
  const open = detail.redaction.filter((f) => !f.waiver);
  const canWaive = detail.permissions.waive;

  return (
    <Stack gap="md">
      <Paper withBorder p="md" component="section" aria-labelledby="redaction-heading">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} size="h4" id="redaction-heading">
              Sensitive values
            </Title>
            {editable && open.length > 0 && (
              <Button
                color="orange"
                onClick={() => redact.mutate(undefined)}
                loading={redact.isPending && redact.variables === undefined}
              >
                Redact all ({open.length})
              </Button>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            Findings in the saved text. Redacting replaces a value with <code>[REDACTED:kind]</code> and does not send
            the postmortem back to review.
          </Text>
          {redact.error && (
            <Alert color="red" role="alert" title="Not redacted" withCloseButton onClose={() => redact.reset()}>
              {redact.error.message}
            </Alert>
          )}
          {detail.redaction.length === 0 ? (
            <Text size="sm">No secrets or personal data found.</Text>
          ) : (
            <Table.ScrollContainer minWidth={560} type="native">
              <Table verticalSpacing="xs" aria-label="Redaction findings">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Kind</Table.Th>
                    <Table.Th scope="col">Line</Table.Th>
                    <Table.Th scope="col">Value</Table.Th>
                    <Table.Th scope="col">Decision</Table.Th>
                    <Table.Th scope="col">
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {detail.redaction.map((f) => (
                    <Table.Tr key={`${f.fingerprint}-${f.start}`}>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Text size="sm">{f.kind}</Text>
                          <Badge size="xs" variant="light" color="gray">
                            {f.category}
                          </Badge>
                        </Group>
                      </Table.Td>
                      <Table.Td>{f.line}</Table.Td>
                      <Table.Td>
                        <code>{maskValue(f.text)}</code>
                      </Table.Td>
                      <Table.Td className="break-anywhere">
                        {f.waiver ? `Waived by ${f.waiver.waivedBy}: ${f.waiver.reason}` : 'Open'}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          {editable && !f.waiver && (
                            <Button
                              size="compact-xs"
                              variant="light"
                              aria-label={`Redact ${f.kind} on line ${f.line}`}
                              onClick={() => redact.mutate([f.fingerprint])}
                              loading={redact.isPending && redact.variables?.[0] === f.fingerprint}
                            >
                              Redact
                            </Button>
                          )}
                          {canWaive && !f.waiver && (
                            <Button
                              size="compact-xs"
                              variant="subtle"
                              aria-label={`Waive ${f.kind} on line ${f.line}`}
                              onClick={() => setWaiving(f)}
                            >
                              Waive…
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="waivers-heading">
        <Title order={2} size="h4" id="waivers-heading" mb="xs">
          Waivers
        </Title>
        {removeWaiver.error && (
          <Alert color="red" role="alert" title="Waiver not removed" mb="xs">
            {removeWaiver.error.message}
          </Alert>
        )}
        {detail.waivers.length === 0 ? (
          <Text size="sm" c="dimmed">
            No values are kept in the internal version.
          </Text>
        ) : (
          <Stack component="ul" gap="xs" className="plain-list" aria-label="Waivers">
            {detail.waivers.map((w) => (
              <li key={w.id}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={0}>
                    <Text size="sm" className="break-anywhere">
                      <Text span inherit fw={500}>
                        {w.kind}
                      </Text>
                      : {w.reason}
                    </Text>
                    <Text size="xs" c="dimmed" className="break-anywhere">
                      {w.waivedBy} · <Time iso={w.createdAt} />
                    </Text>
                  </Stack>
                  {canWaive && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove waiver for ${w.kind}`}
                      onClick={() => removeWaiver.mutate(w.id)}
                      loading={removeWaiver.isPending && removeWaiver.variables === w.id}
                    >
                      Remove
                    </Button>
                  )}
                </Group>
              </li>
            ))}
          </Stack>
        )}
      </Paper>
      <WaiveDialog
        incidentKey={key}
        finding={waiving}
        onClose={() => setWaiving(null)}
        onWaived={() => editor.current?.recheck()}
      />
    </Stack>
  );
}
