import { Center, Loader } from '@mantine/core';
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { POSTMORTEM_STATUSES } from '../../src/domain/postmortem/types';
import { isApiError } from './api';
import { NotFound, RouteError } from './components/RouteFallbacks';
import { Shell } from './components/Shell';
import { meQuery } from './queries';

export interface RouterContext {
  queryClient: QueryClient;
}

/** Search params of the incident list; list filters are comma-separated, dates are `YYYY-MM-DD`. */
export interface IncidentListSearch {
  status?: string;
  severity?: string;
  type?: string;
  service?: string;
  q?: string;
  from?: string;
  to?: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** Only same-origin paths: never send someone to another site after signing in. */
export function safeRedirect(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : undefined;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => {
    const target = safeRedirect(search.redirect);
    return target ? { redirect: target } : {};
  },
  beforeLoad: async ({ context, search }) => {
    const signedIn = await context.queryClient.ensureQueryData(meQuery).then(
      () => true,
      () => false,
    );
    if (signedIn) throw redirect({ href: search.redirect ?? '/incidents' });
  },
  component: lazyRouteComponent(() => import('./pages/LoginPage'), 'LoginPage'),
});

/** Sends whoever is not signed in to the sign-in page, and back here afterwards. */
async function requireSignIn({ context, location }: { context: RouterContext; location: { href: string } }) {
  try {
    await context.queryClient.ensureQueryData(meQuery);
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      throw redirect({ to: '/login', search: { redirect: location.href } });
    }
    throw error;
  }
}

/** Everything behind sign-in hangs off this pathless route. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: requireSignIn,
  component: Shell,
  errorComponent: RouteError,
});

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/incidents' });
  },
});

export const incidentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'incidents',
  validateSearch: (search: Record<string, unknown>): IncidentListSearch => {
    const out: IncidentListSearch = {};
    for (const name of ['status', 'severity', 'type', 'service', 'q', 'from', 'to'] as const) {
      const value = text(search[name]);
      if (value !== undefined) out[name] = value;
    }
    return out;
  },
  component: lazyRouteComponent(() => import('./pages/IncidentListPage'), 'IncidentListPage'),
});

const declareRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'incidents/new',
  component: lazyRouteComponent(() => import('./pages/DeclareIncidentPage'), 'DeclareIncidentPage'),
});

/** Search params of an incident page: which tab of its main column is open. */
export interface IncidentSearch {
  tab?: 'evidence';
}

const incidentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'incidents/$key',
  validateSearch: (search: Record<string, unknown>): IncidentSearch =>
    search.tab === 'evidence' ? { tab: 'evidence' } : {},
  component: lazyRouteComponent(() => import('./pages/incident/IncidentPage'), 'IncidentPage'),
});

export const POSTMORTEM_TABS = [
  'document',
  'review',
  'quality',
  'redaction',
  'external',
  'history',
  'readership',
] as const;
export type PostmortemTab = (typeof POSTMORTEM_TABS)[number];

/** Search params of a postmortem page: which tab is open (the document when absent). */
export interface PostmortemSearch {
  tab?: Exclude<PostmortemTab, 'document'>;
}

const postmortemRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'incidents/$key/postmortem',
  validateSearch: (search: Record<string, unknown>): PostmortemSearch => {
    const tab = POSTMORTEM_TABS.find((t) => t === search.tab);
    return tab && tab !== 'document' ? { tab } : {};
  },
  component: lazyRouteComponent(() => import('./pages/postmortem/PostmortemPage'), 'PostmortemPage'),
});

/** Search params of the postmortem list: a comma-separated status filter. */
export interface PostmortemListSearch {
  status?: string;
}

const postmortemsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'postmortems',
  validateSearch: (search: Record<string, unknown>): PostmortemListSearch => {
    const status = text(search.status)
      ?.split(',')
      .filter((s) => (POSTMORTEM_STATUSES as readonly string[]).includes(s))
      .join(',');
    return status ? { status } : {};
  },
  component: lazyRouteComponent(() => import('./pages/PostmortemListPage'), 'PostmortemListPage'),
});

const templatesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'postmortems/templates',
  component: lazyRouteComponent(() => import('./pages/TemplatesPage'), 'TemplatesPage'),
});

/** Search params of the share page: the external version when asked for, the internal one otherwise. */
export interface ShareSearch {
  variant?: 'external';
}

/** The published postmortem on its own, without the app's navigation: for reading, linking and printing. */
const shareRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: 'share/$key',
  validateSearch: (search: Record<string, unknown>): ShareSearch =>
    search.variant === 'external' ? { variant: 'external' } : {},
  beforeLoad: requireSignIn,
  errorComponent: RouteError,
  component: lazyRouteComponent(() => import('./pages/SharePage'), 'SharePage'),
});

const servicesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: 'services',
  component: lazyRouteComponent(() => import('./pages/ServicesPage'), 'ServicesPage'),
});

const routeTree = rootRoute.addChildren([
  loginRoute,
  shareRoute,
  appRoute.addChildren([
    indexRoute,
    incidentsRoute,
    declareRoute,
    incidentRoute,
    postmortemRoute,
    postmortemsRoute,
    templatesRoute,
    servicesRoute,
  ]),
]);

export function makeRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    // Data freshness is react-query's job; the router only loads code.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: () => (
      <Center py="xl">
        <Loader aria-label="Loading" />
      </Center>
    ),
    defaultErrorComponent: RouteError,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof makeRouter>;
  }
}
