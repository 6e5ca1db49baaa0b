import '@mantine/core/styles.css';
import './app.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isApiError, setUnauthenticatedHandler } from './api';
import { makeRouter } from './router';

const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // Client errors will not fix themselves; only retry what might be transient.
      retry: (failures, error) => failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
    },
  },
});

const router = makeRouter(queryClient);

setUnauthenticatedHandler(() => {
  const { pathname, href } = router.state.location;
  queryClient.clear();
  if (pathname !== '/login') void router.navigate({ to: '/login', search: { redirect: href } });
});

const container = document.getElementById('root');
if (!container) throw new Error('missing #root element');

createRoot(container).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
