/**
 * The `evidence.capture` job: snapshots an incident's Prometheus queries when it is declared and when it is resolved.
 * Queued by the use cases in the same transaction as the declaration or resolution (see `app/incidents.ts`).
 */
import { z } from 'zod';
import type { Logger } from '../app/context.js';
import { EVIDENCE_CAPTURE_JOB } from '../app/incidents.js';
import { captureMetricEvidence, describeFailures } from '../app/metrics-capture.js';
import { refreshPostmortemCharts } from '../app/postmortem-draft.js';
import { DebriefError } from '../domain/errors.js';
import type { Principal } from '../domain/types.js';
import type { JobDefinition } from './runner.js';

/** Who captures: may see private incidents, and is named `system:evidence` on the timeline and in the audit log. */
export const EVIDENCE_PRINCIPAL: Principal = { kind: 'system', name: 'evidence', role: 'admin' };

const payloadSchema = z.object({ incidentId: z.string().min(1), phase: z.enum(['declare', 'resolve']) });

function debug(logger: Logger, obj: object, msg: string): void {
  (logger as Logger & { debug?: Logger['info'] }).debug?.(obj, msg);
}

/**
 * Runs the capture; when Prometheus fails for any query the job throws, so the runner retries it with backoff. The
 * snapshots that did succeed are kept, and a retry captures only the missing ones.
 */
export function evidenceCaptureJob(): JobDefinition {
  return {
    kind: EVIDENCE_CAPTURE_JOB,
    run: async (raw, ctx) => {
      const payload = payloadSchema.parse(raw);
      if (!ctx.settings.prometheus.url) {
        debug(ctx.logger, payload, 'evidence capture: Prometheus is not configured; no metrics to capture');
        return;
      }
      const report = await captureMetricEvidence(ctx, EVIDENCE_PRINCIPAL, {
        incident: { id: payload.incidentId },
        phase: payload.phase,
      }).catch((error: unknown) => {
        if (error instanceof DebriefError && error.code === 'DEBRIEF_ERR_NOT_FOUND') return null;
        throw error;
      });
      if (!report) {
        ctx.logger.info(payload, 'evidence capture: the incident no longer exists; nothing to capture');
        return;
      }
      const summary = {
        incident: report.incidentKey,
        phase: payload.phase,
        planned: report.planned,
        captured: report.captured.length,
        alreadyCaptured: report.alreadyCaptured,
        failed: report.failures.length,
      };
      // Charts captured after the draft was composed join its chart block while nobody has started reviewing it.
      if (report.captured.length > 0) await refreshPostmortemCharts(ctx, EVIDENCE_PRINCIPAL, payload.incidentId);
      if (report.failures.length > 0) {
        throw new Error(
          `Prometheus capture for ${report.incidentKey} (${payload.phase}) failed for ${report.failures.length} of ` +
            `${report.planned} queries: ${describeFailures(report.failures)}`,
        );
      }
      if (report.planned === 0) debug(ctx.logger, summary, 'evidence capture: no queries for these services');
      else ctx.logger.info(summary, 'evidence captured');
    },
  };
}
