import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type PostmortemDetailView } from '../../api';
import { postmortemKey } from '../../queries';
import { applyPostmortem } from './cache';
import type { BodyDocument } from './useBodyDocument';

/**
 * Replaces redaction findings with `[REDACTED:kind]` on the server (all unwaived ones when no fingerprints are
 * given). Pending text is saved first, so the findings the writer sees are the ones the server redacts; the
 * redacted body then comes back into the editor.
 */
export function useRedact(detail: PostmortemDetailView, doc: BodyDocument, editable: boolean) {
  const queryClient = useQueryClient();
  const key = detail.postmortem.incident.key;
  return useMutation({
    mutationFn: async (fingerprints?: string[]) => {
      if (editable && !(await doc.flush())) {
        throw new ApiError(
          0,
          'DEBRIEF_ERR_UNSAVED',
          'Save the text first: it has changes the server does not have.',
          [],
        );
      }
      const version = editable ? doc.version() : detail.postmortem.version;
      return api.applyRedactions(key, version, fingerprints);
    },
    onSuccess: (result) => applyPostmortem(queryClient, result.postmortem),
    onError: () => queryClient.invalidateQueries({ queryKey: postmortemKey(key) }),
  });
}
