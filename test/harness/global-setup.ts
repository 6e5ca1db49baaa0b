/**
 * Vitest global setup: provides `pgUrl`, the PostgreSQL cluster the `[postgres]` test lane runs on.
 *
 * - `DEBRIEF_TEST_DATABASE_URL` set: that cluster is used as-is (it must allow CREATE DATABASE).
 * - otherwise, unless `DEBRIEF_TEST_DIALECTS` leaves postgres out, a throwaway PostgreSQL 15 cluster is started on a
 *   random port and removed again afterwards. Failing to start it throws: CI must fail, never skip a lane.
 */
import type { TestProject } from 'vitest/node';
import { testDialects } from './dialect-list.js';
import { clusterUrl, startCluster, stopCluster, stopClusterSync, sweepStaleClusters } from './pg-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Cluster URL for the postgres lane; null when the lane is not selected. */
    pgUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DEBRIEF_TEST_DATABASE_URL?.trim();
  if (external) {
    project.provide('pgUrl', external);
    return () => Promise.resolve();
  }
  if (!testDialects().includes('postgres')) {
    project.provide('pgUrl', null);
    return () => Promise.resolve();
  }

  sweepStaleClusters();
  const cluster = await startCluster({
    purpose: 'the postgres test lane',
    alternatives:
      'set DEBRIEF_TEST_DATABASE_URL to an existing cluster, or run only SQLite with DEBRIEF_TEST_DIALECTS=sqlite',
  });
  // Teardown does not run when the runner dies from a signal; these make sure the server dies with it.
  const onExit = (): void => stopClusterSync(cluster);
  const onSignal = (received: NodeJS.Signals): void => {
    stopClusterSync(cluster);
    process.kill(process.pid, received);
  };
  process.once('exit', onExit);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);

  project.provide('pgUrl', clusterUrl(cluster));

  return async () => {
    process.off('exit', onExit);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    await stopCluster(cluster);
  };
}
