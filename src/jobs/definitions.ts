import { housekeeping } from '../app/jobs.js';
import { pruneTelemetry, TELEMETRY_PRUNE_JOB } from '../app/telemetry.js';
import { evidenceCaptureJob } from './evidence-capture.js';
import type { JobDefinition } from './runner.js';

/** The jobs every `debrief serve` runs. New capabilities add their definitions here. */
export function standardJobs(): JobDefinition[] {
  return [
    {
      kind: 'housekeeping',
      everyMs: 60 * 60 * 1000,
      run: async (_payload, ctx) => {
        const removed = await housekeeping(ctx);
        ctx.logger.info(removed, 'housekeeping done');
      },
    },
    evidenceCaptureJob(),
    {
      kind: TELEMETRY_PRUNE_JOB,
      everyMs: 60 * 1000,
      run: async (_payload, ctx) => {
        const pruned = await pruneTelemetry(ctx);
        if (pruned.expired + pruned.overCap > 0) ctx.logger.info(pruned, 'telemetry buffer pruned');
      },
    },
  ];
}
