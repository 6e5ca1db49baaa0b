import { Button, Group, Text } from '@mantine/core';
import type { SaveState } from './useBodyDocument';

const LABEL: Record<SaveState['kind'], { text: string; color: string }> = {
  saved: { text: 'Saved', color: 'dimmed' },
  unsaved: { text: 'Unsaved', color: 'orange' },
  saving: { text: 'Saving…', color: 'dimmed' },
  error: { text: 'Not saved', color: 'red' },
  conflict: { text: 'Conflict: not saved', color: 'red' },
};

/** Where the writer's text stands; announced politely, so screen readers hear "Saved" without losing their place. */
export function SaveIndicator({ state, onRetry }: { state: SaveState; onRetry: () => void }) {
  const { text, color } = LABEL[state.kind];
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" c={color} role="status" aria-live="polite" data-save-state={state.kind}>
        {text}
        {state.kind === 'error' && <Text span inherit>{`: ${state.message}`}</Text>}
      </Text>
      {state.kind === 'error' && (
        <Button size="compact-xs" variant="light" color="red" onClick={onRetry}>
          Retry
        </Button>
      )}
    </Group>
  );
}
