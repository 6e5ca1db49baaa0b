import { markerForLifecycleField } from '../domain/lifecycle.js';
import {
  LIFECYCLE_FIELDS,
  type Incident,
  type LifecycleTimes,
  type Marker,
  type TimelineEvent,
} from '../domain/types.js';
import { newId } from '../store/ids.js';
import type { Tx } from './context.js';

const MARKER_TITLES: Record<Exclude<Marker, 'key_moment'>, string> = {
  impact_start: 'Impact started',
  detected: 'Detected',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

/**
 * Keeps timeline markers in step with the incident's lifecycle times: each set time is marked by exactly one event
 * at that time. `markedBy` names events that already carry a marker (a status change, or an event a responder
 * marked); otherwise a small `status` event is written for the marker.
 */
export async function syncLifecycleMarkers(
  tx: Tx,
  before: LifecycleTimes | null,
  after: Incident,
  actor: string,
  markedBy: Partial<Record<Marker, string>> = {},
): Promise<void> {
  for (const field of LIFECYCLE_FIELDS) {
    const time = after[field];
    const marker = markerForLifecycleField(field);
    const keep = markedBy[marker];
    if (before && before[field] === time && !keep) continue;
    await tx.repos.timeline.clearMarker(after.id, marker, keep);
    const syntheticKey = `lifecycle:${marker}`;
    const synthetic = await tx.repos.timeline.findByDedupeKey(after.id, syntheticKey);
    if (time === null || keep) {
      if (synthetic) await tx.repos.timeline.delete(after.id, synthetic.id);
      continue;
    }
    if (synthetic) {
      await tx.repos.timeline.update({ ...synthetic, at: time, marker });
      continue;
    }
    const event: TimelineEvent = {
      id: newId(),
      incidentId: after.id,
      at: time,
      kind: 'status',
      source: 'debrief',
      title: MARKER_TITLES[marker],
      body: '',
      labels: {},
      dedupeKey: syntheticKey,
      marker,
      pinned: false,
      artifactId: null,
      count: 1,
      actor,
      createdAt: tx.now,
    };
    await tx.repos.timeline.insert(event);
  }
}
