import { z } from 'zod';
import { alertBody, alertEvent, alertSchema } from './alertmanager.js';
import { parsePayload } from './common.js';
import type { NormalizedEvent } from './types.js';

const stringMap = z.record(z.string(), z.string());

const grafanaAlertSchema = alertSchema.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
  values: z.record(z.string(), z.number().nullable()).nullish(),
  valueString: z.string().optional(),
});

const grafanaSchema = z.looseObject({
  receiver: z.string(),
  status: z.enum(['firing', 'resolved']),
  orgId: z.number().int(),
  alerts: z.array(grafanaAlertSchema),
  groupLabels: stringMap.default({}),
  commonLabels: stringMap.default({}),
  commonAnnotations: stringMap.default({}),
  externalURL: z.string().optional(),
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
});

/** Grafana 9 sends `valueString`, Grafana 10+ a `values` map too; the map reads better when both are there. */
function valueText(values: Record<string, number | null> | null | undefined, valueString: string | undefined) {
  const entries = Object.entries(values ?? {});
  if (entries.length > 0) return entries.map(([name, value]) => `${name}=${value ?? 'null'}`).join(', ');
  return valueString;
}

/**
 * Parses a Grafana unified-alerting webhook into one `alert` event per alert, like {@link parseAlertmanager}
 * (Grafana's notifier is Alertmanager's), with the query values and dashboard/panel links in the body.
 * Grafana's timestamps carry local offsets (`+02:00`); events are in UTC.
 *
 * The dedupe key is `grafana:<orgId>:<fingerprint>:<startsAt>:<status>`.
 *
 * @throws DebriefError DEBRIEF_ERR_VALIDATION with the JSON path (e.g. `alerts[1].status`) of a malformed field.
 */
export function parseGrafana(raw: unknown): NormalizedEvent[] {
  const payload = parsePayload(grafanaSchema, raw, 'Grafana');
  return payload.alerts.map((alert) =>
    alertEvent('grafana', alert, {
      groupKey: payload.groupKey,
      keyPrefix: `grafana:${payload.orgId}`,
      body: alertBody(alert.annotations, [
        ['value', valueText(alert.values, alert.valueString)],
        ['dashboard', alert.dashboardURL],
        ['panel', alert.panelURL],
        ['source', alert.generatorURL],
      ]),
    }),
  );
}
