import { sql } from 'kysely';
import type { AppContext } from './context.js';

export interface OperationalFigures {
  databaseUp: boolean;
  databasePingSeconds: number;
  jobsByStatus: Record<string, number>;
}

/** Figures for /healthz and /metrics. They carry no incident data, so they cannot leak private incidents. */
export async function operationalFigures(ctx: AppContext): Promise<OperationalFigures> {
  const started = process.hrtime.bigint();
  try {
    await sql`select 1`.execute(ctx.database.db);
    const databasePingSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rows = await ctx.database.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const jobsByStatus: Record<string, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of rows) jobsByStatus[r.status] = Number(r.n);
    return { databaseUp: true, databasePingSeconds, jobsByStatus };
  } catch (error) {
    ctx.logger.error({ err: error }, 'database check failed');
    return { databaseUp: false, databasePingSeconds: 0, jobsByStatus: {} };
  }
}
