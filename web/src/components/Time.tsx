import { formatLocal } from '../format';

/** A moment in the reader's zone, with the exact UTC time on hover. */
export function Time({ iso, withSeconds = false }: { iso: string | null; withSeconds?: boolean }) {
  if (!iso) return <span aria-label="not set">—</span>;
  return (
    <time dateTime={iso} title={iso}>
      {formatLocal(iso, withSeconds)}
    </time>
  );
}
