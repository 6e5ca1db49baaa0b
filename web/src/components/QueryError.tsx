import { Alert, Button, Stack, Text } from '@mantine/core';
import { isApiError } from '../api';

/** A failed load, with a retry button when retrying can help. */
export function QueryError({
  error,
  onRetry,
  title = 'Could not load',
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  const retryable = !isApiError(error) || error.status === 0 || error.status >= 500;
  return (
    <Alert color="red" title={title} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{message}</Text>
        {retryable && onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
