import type { QueryClient } from '@tanstack/react-query';
import type { PostmortemDetailView, PostmortemView } from '../../api';
import { postmortemKey, postmortemQuery } from '../../queries';

/**
 * After a write that returned the postmortem: show its new state at once, then refetch what the server derives
 * from it (findings, quality, blockers, approvals) and the lists it appears in.
 */
export async function applyPostmortem(queryClient: QueryClient, view: PostmortemView): Promise<void> {
  const key = view.incident.key;
  queryClient.setQueryData(postmortemQuery(key).queryKey, (old: PostmortemDetailView | undefined) =>
    old && old.postmortem.version <= view.version ? { ...old, postmortem: view } : old,
  );
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: postmortemKey(key) }),
    queryClient.invalidateQueries({ queryKey: ['postmortems'] }),
  ]);
}
