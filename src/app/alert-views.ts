/**
 * The alert shapes the API sends (`/api/v1/alerts…`). Types only, so the web app can import them without server
 * code; the stored signal lives with its repository, which the web app must not import, hence the explicit fields.
 */

/** A signal as it leaves the server; the incident key only when the reader may see that incident. */
export interface SignalView {
  id: string;
  source: string;
  fingerprint: string;
  groupKey: string | null;
  service: string | null;
  severity: string | null;
  status: string;
  title: string;
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  lastReceivedAt: string;
  deliveries: number;
  incident: string | null;
  suppressedBy: string | null;
  createdAt: string;
  updatedAt: string;
}
