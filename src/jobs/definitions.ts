import { housekeeping } from '../app/jobs.js';
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
  ];
}
