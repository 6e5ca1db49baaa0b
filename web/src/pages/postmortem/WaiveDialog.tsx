import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, ApiError, type RedactionFindingView } from '../../api';
import { FormError } from '../../components/FormError';
import { postmortemKey } from '../../queries';
import { maskValue } from './findings';

const MIN_REASON = 3;
const MAX_REASON = 500;

/**
 * Asks why a finding may stay in the internal version, and records the waiver. The external version redacts it
 * regardless; the reason is kept with the waiver and in the audit log.
 */
export function WaiveDialog({
  incidentKey,
  finding,
  onClose,
  onWaived,
}: {
  incidentKey: string;
  finding: RedactionFindingView | null;
  onClose: () => void;
  onWaived?: () => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [tooShort, setTooShort] = useState(false);
  const waive = useMutation({
    mutationFn: (input: { fingerprint: string; reason: string }) =>
      api.waiveRedaction(incidentKey, input.fingerprint, input.reason),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: postmortemKey(incidentKey) });
      onWaived?.();
      close();
    },
  });
  const error = waive.error instanceof ApiError ? waive.error : null;

  const close = () => {
    setReason('');
    setTooShort(false);
    waive.reset();
    onClose();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!finding) return;
    const trimmed = reason.trim();
    setTooShort(trimmed.length < MIN_REASON);
    if (trimmed.length < MIN_REASON) return;
    waive.mutate({ fingerprint: finding.fingerprint, reason: trimmed });
  };

  return (
    <Modal opened={finding !== null} onClose={close} title="Keep this value in the internal version?">
      {finding && (
        <form onSubmit={onSubmit} noValidate aria-label="Waive redaction">
          <Stack gap="sm">
            <Text size="sm">
              Possible {finding.kind} on line {finding.line}: <code>{maskValue(finding.text)}</code>. The external
              version will still redact it.
            </Text>
            <FormError error={error} fields={['reason']} title="Not waived" />
            <Textarea
              label="Reason"
              description="Why this value may stay (e.g. a documented example, already rotated)."
              required
              autosize
              minRows={2}
              maxLength={MAX_REASON}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={tooShort ? `Give a reason of at least ${MIN_REASON} characters.` : error?.fieldMessage('reason')}
              data-autofocus
            />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={waive.isPending}>
                Waive
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
