import type { EventKind } from '../../../src/domain/types';

// Outline paths in the style of Feather icons (MIT); inline so they render without emoji fonts or a network.
const PATHS: Record<EventKind, string[]> = {
  alert: ['M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z', 'M12 9v4', 'M12 17h.01'],
  change: ['M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z', 'M3 12h6', 'M15 12h6'],
  chat: ['M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z'],
  log: ['M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z', 'M14 2v6h6', 'M16 13H8', 'M16 17H8'],
  trace: ['M4 6h8', 'M8 12h8', 'M12 18h8'],
  metric: ['M22 12h-4l-3 9L9 3l-3 9H2'],
  status: ['M4 15s1-1 4-1 5 2 8 2 4-1 4-1V3s-1 1-4 1-5-2-8-2-4 1-4 1z', 'M4 22v-7'],
  note: ['M12 20h9', 'M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z'],
  page: ['M18 8A6 6 0 0 0 6 8c0 7-3 9-3 9h18s-3-2-3-9', 'M13.7 21a2 2 0 0 1-3.4 0'],
};

/** Decorative: the kind's name is always written next to it. */
export function KindIcon({ kind, size = 14 }: { kind: EventKind; size?: number }) {
  const paths = PATHS[kind] ?? ['M12 12h.01'];
  return (
    <svg
      aria-hidden="true"
      focusable="false"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      style={{ display: 'block' }}
    >
      {paths.map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}
