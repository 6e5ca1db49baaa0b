import { queryOptions } from '@tanstack/react-query';
import { api, type TimelineFilters } from './api';

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
