import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../../api';
import { postmortemKey } from '../../queries';

/**
 * Records one view of the postmortem per page open (readership). The ref survives React's development double
 * effects, so a page open counts once; a failed record is not worth bothering the reader with.
 */
export function useRecordView(incidentKey: string): void {
  const queryClient = useQueryClient();
  const recorded = useRef<string | null>(null);
  useEffect(() => {
    if (recorded.current === incidentKey) return;
    recorded.current = incidentKey;
    api.recordPostmortemView(incidentKey).then(
      () => queryClient.invalidateQueries({ queryKey: [...postmortemKey(incidentKey), 'readership'] }),
      () => undefined,
    );
  }, [incidentKey, queryClient]);
}
