import { Stack, Text, Title } from '@mantine/core';
import type { ErrorComponentProps } from '@tanstack/react-router';
import { AnchorLink } from './links';
import { QueryError } from './QueryError';

export function NotFound() {
  return (
    <Stack p="xl" gap="sm">
      <Title order={1}>Page not found</Title>
      <Text>There is nothing at this address.</Text>
      <AnchorLink to="/incidents">Go to incidents</AnchorLink>
    </Stack>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <Stack p="md">
      <QueryError error={error} onRetry={reset} title="Something went wrong" />
    </Stack>
  );
}
