import { AppShell, Badge, Burger, Button, Container, Drawer, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { minimumRole, roleAtLeast } from '../../../src/domain/access';
import { api } from '../api';
import { meQuery } from '../queries';
import { ButtonLink } from './links';

const NAV = [
  {
    to: '/incidents',
    label: 'Incidents',
    action: 'incident.read',
    isActive: (p: string) => p.startsWith('/incidents') && p !== '/incidents/new' && !p.endsWith('/postmortem'),
  },
  {
    to: '/incidents/new',
    label: 'Declare',
    action: 'incident.create',
    isActive: (p: string) => p === '/incidents/new',
  },
  {
    to: '/postmortems',
    label: 'Postmortems',
    action: 'postmortem.read',
    isActive: (p: string) => p.startsWith('/postmortems') || /^\/incidents\/[^/]+\/postmortem/.test(p),
  },
  { to: '/services', label: 'Services', action: 'service.read', isActive: (p: string) => p.startsWith('/services') },
] as const;

export function Shell() {
  const { data: user } = useQuery(meQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const pathname = useLocation({ select: (l) => l.pathname });
  const [menuOpen, menu] = useDisclosure(false);
  const [signingOut, setSigningOut] = useState(false);

  const signOut = async () => {
    setSigningOut(true);
    try {
      await api.logout();
    } catch {
      // The session may already be gone; signing out locally is still what the user asked for.
    } finally {
      queryClient.clear();
      setSigningOut(false);
      await navigate({ to: '/login' });
    }
  };

  const navLinks = (vertical: boolean) =>
    NAV.filter((item) => roleAtLeast(user?.role ?? 'viewer', minimumRole(item.action))).map((item) => {
      const active = item.isActive(pathname);
      return (
        <ButtonLink
          key={item.to}
          to={item.to}
          variant={active ? 'light' : 'subtle'}
          aria-current={active ? 'page' : undefined}
          justify={vertical ? 'flex-start' : 'center'}
          fullWidth={vertical}
          onClick={menu.close}
        >
          {item.label}
        </ButtonLink>
      );
    });

  const userLabel = user ? (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" className="break-anywhere" aria-label="Signed in as">
        {user.email}
      </Text>
      <Badge variant="outline" size="sm" aria-label={`Role: ${user.role}`}>
        {user.role}
      </Badge>
    </Group>
  ) : null;

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={menuOpen}
              onClick={menu.toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={menuOpen ? 'Close navigation' : 'Open navigation'}
            />
            <UnstyledButton component={Link} to="/incidents" fw={800} fz="lg" c="indigo.8" mr="sm">
              Debrief
            </UnstyledButton>
            <Group component="nav" aria-label="Main" gap={4} visibleFrom="sm" wrap="nowrap">
              {navLinks(false)}
            </Group>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Group visibleFrom="sm">{userLabel}</Group>
            <Button variant="default" size="xs" onClick={() => void signOut()} loading={signingOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>

      <Drawer opened={menuOpen} onClose={menu.close} title="Debrief" size="xs" hiddenFrom="sm">
        <Stack gap="md">
          <Stack component="nav" aria-label="Main" gap={4}>
            {navLinks(true)}
          </Stack>
          {userLabel}
        </Stack>
      </Drawer>

      <AppShell.Main>
        <Container size="xl" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
