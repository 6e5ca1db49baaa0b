import type { LifecycleField } from '../../../../src/domain/types';

/** Lifecycle times as charts label them. */
export const LIFECYCLE_LABEL: Record<LifecycleField, string> = {
  impactStartedAt: 'Impact start',
  detectedAt: 'Detected',
  acknowledgedAt: 'Acknowledged',
  mitigatedAt: 'Mitigated',
  resolvedAt: 'Resolved',
};

/** Marker line colours as Mantine palette entries: dark enough for text on white, and the same in every chart. */
export const MARKER_SHADE: Record<LifecycleField, [string, number]> = {
  impactStartedAt: ['red', 8],
  detectedAt: ['orange', 9],
  acknowledgedAt: ['grape', 8],
  mitigatedAt: ['teal', 9],
  resolvedAt: ['green', 9],
};

/** The marker colour as a CSS value, for SVG and HTML drawn by the app itself. */
export function markerCssColor(field: LifecycleField): string {
  const [name, shade] = MARKER_SHADE[field];
  return `var(--mantine-color-${name}-${shade})`;
}
