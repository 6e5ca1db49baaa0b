import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api, isApiError } from '../api';
import { meQuery } from '../queries';

const route = getRouteApi('/login');

export function LoginPage() {
  useDocumentTitle('Sign in · Debrief');
  const { redirect } = route.useSearch();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const login = useMutation({
    mutationFn: () => api.login(email.trim(), password),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: meQuery.queryKey });
      await queryClient.fetchQuery(meQuery);
      await navigate({ href: redirect ?? '/incidents', replace: true });
    },
  });

  const [missing, setMissing] = useState(false);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const incomplete = !email.trim() || !password;
    setMissing(incomplete);
    if (!incomplete) login.mutate();
  };

  const error = login.error;
  let message: string | null = missing ? 'Enter your email and password.' : null;
  if (error && !missing) {
    if (isApiError(error, 'DEBRIEF_ERR_UNAUTHENTICATED') || (isApiError(error) && error.status === 401)) {
      message = 'Email or password is not correct.';
    } else if (isApiError(error, 'DEBRIEF_ERR_RATE_LIMITED')) {
      message = 'Too many sign-in attempts. Wait a minute and try again.';
    } else {
      message = error.message;
    }
  }

  return (
    <Center mih="100dvh" p="md" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" radius="md" w="100%" maw={400}>
        <form onSubmit={onSubmit} noValidate>
          <Stack gap="md">
            <div>
              <Title order={1} size="h2">
                Sign in to Debrief
              </Title>
              <Text c="dimmed" size="sm">
                Incidents, timelines and postmortems.
              </Text>
            </div>
            {message && (
              <Alert color="red" role="alert" title="Could not sign in">
                {message}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            <Button type="submit" loading={login.isPending}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
