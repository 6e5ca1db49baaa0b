import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { PostmortemStatus } from '../../src/domain/postmortem/types';
import { api, type AlertStatus, type TimelineFilters } from './api';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: ({ signal }) => api.me(signal),
  staleTime: 5 * 60_000,
  retry: false,
});

export const servicesQuery = queryOptions({
  queryKey: ['services'],
  queryFn: ({ signal }) => api.services(signal),
  staleTime: 60_000,
});

export const teamsQuery = queryOptions({
  queryKey: ['teams'],
  queryFn: ({ signal }) => api.teams(signal),
  staleTime: 60_000,
});

/** Everything about one incident lives under `['incident', key]`, so one invalidation refreshes it all. */
export const incidentKey = (key: string) => ['incident', key] as const;

export const incidentQuery = (key: string) =>
  queryOptions({
    queryKey: [...incidentKey(key), 'detail'],
    queryFn: ({ signal }) => api.getIncident(key, signal),
  });

export const timelineQuery = (key: string, filters: TimelineFilters) =>
  queryOptions({
    queryKey: [...incidentKey(key), 'timeline', filters],
    queryFn: ({ signal }) => api.timeline(key, filters, signal),
  });

export const suspectsQuery = (key: string) =>
  queryOptions({
    queryKey: [...incidentKey(key), 'suspects'],
    queryFn: ({ signal }) => api.suspects(key, signal),
  });

export const metricsQuery = (key: string) =>
  queryOptions({
    queryKey: [...incidentKey(key), 'metrics'],
    queryFn: ({ signal }) => api.metrics(key, signal),
  });

export const evidenceQuery = (key: string) =>
  queryOptions({
    queryKey: [...incidentKey(key), 'evidence'],
    queryFn: ({ signal }) => api.evidence(key, signal),
  });

export const logsQuery = (key: string) =>
  queryOptions({
    queryKey: [...incidentKey(key), 'logs'],
    queryFn: ({ signal }) => api.logs(key, signal),
  });

/** Stored analyses never change (content-addressed), so they are fetched once. */
export const logSnapshotQuery = (artifactId: string) =>
  queryOptions({
    queryKey: ['artifact', artifactId, 'log-evidence'],
    queryFn: ({ signal }) => api.logSnapshot(artifactId, signal),
    staleTime: Infinity,
  });

export const alertsQuery = (key: string, status: AlertStatus[]) =>
  infiniteQueryOptions({
    queryKey: [...incidentKey(key), 'alerts', status],
    queryFn: ({ signal, pageParam }) => api.alerts(key, status, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** The postmortem and what hangs off it live under the incident, so refreshing the incident refreshes them too. */
export const postmortemKey = (key: string) => [...incidentKey(key), 'postmortem'] as const;

export const postmortemQuery = (key: string) =>
  queryOptions({
    queryKey: [...postmortemKey(key), 'detail'],
    queryFn: ({ signal }) => api.getPostmortem(key, signal),
  });

export const postmortemVersionsQuery = (key: string) =>
  queryOptions({
    queryKey: [...postmortemKey(key), 'versions'],
    queryFn: ({ signal }) => api.postmortemVersions(key, signal),
  });

/** The revision history, newest first; refetched with the postmortem after every save. */
export const postmortemRevisionsQuery = (key: string) =>
  queryOptions({
    queryKey: [...postmortemKey(key), 'revisions'],
    queryFn: ({ signal }) => api.postmortemRevisions(key, signal),
  });

/** A revision's text never changes under its version (a folded save moves the revision to a newer version). */
export const postmortemRevisionQuery = (key: string, version: number) =>
  queryOptions({
    queryKey: [...postmortemKey(key), 'revisions', version],
    queryFn: ({ signal }) => api.postmortemRevision(key, version, signal),
    staleTime: Infinity,
  });

export const readershipQuery = (key: string) =>
  queryOptions({
    queryKey: [...postmortemKey(key), 'readership'],
    queryFn: ({ signal }) => api.readership(key, signal),
  });

export const postmortemListQuery = (status: PostmortemStatus[]) =>
  infiniteQueryOptions({
    queryKey: ['postmortems', status],
    queryFn: ({ signal, pageParam }) => api.listPostmortems(status, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const templatesQuery = queryOptions({
  queryKey: ['postmortem-templates'],
  queryFn: ({ signal }) => api.templates(signal),
  staleTime: 60_000,
});
