/**
 * The postmortem body while someone writes it: autosave (debounced, on blur and before leaving), optimistic
 * concurrency with the server's `version`, and conflicts kept side by side until the writer chooses. The text lives
 * in refs, not React state, so typing does not re-render the page; only the save state does.
 */
import { type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, bodyConflict, type BodyConflict, type PostmortemDetailView, type PostmortemView } from '../../api';
import type { EditorHandle } from './MarkdownEditor';

/** What the page hands the tabs that read and change the text: the postmortem, the text, the editor, and whether it may be edited. */
export interface DocumentPanelProps {
  detail: PostmortemDetailView;
  doc: BodyDocument;
  editor: RefObject<EditorHandle | null>;
  editable: boolean;
}

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'unsaved' }
  | { kind: 'saving' }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; theirs: BodyConflict };

/** Quiet time after the last keystroke before saving. */
export const AUTOSAVE_DELAY_MS = 1500;

/** Browsers refuse `keepalive` requests above 64 KiB; a last save on close stays under it. */
const KEEPALIVE_LIMIT = 60_000;

export interface BodyDocument {
  state: SaveState;
  /** The writer's current text. */
  text: () => string;
  /** The server version the current text is based on. */
  version: () => number;
  /** Whether text is not saved yet (typed, being saved, or in conflict). */
  dirty: () => boolean;
  /** The editor reported a change. */
  change: (text: string) => void;
  /**
   * Puts a whole new text in the editor as the writer's own edit (an older revision being restored): it is saved
   * like typing, from the version the writer is on.
   */
  replace: (text: string, restoredFrom?: number) => void;
  /** Saves now if needed; resolves true once the current text is saved. */
  flush: () => Promise<boolean>;
  /** Conflict: load the stored text and drop ours (after the writer saw both). */
  keepTheirs: () => void;
  /** Conflict: save ours on top of the stored version. */
  overwriteWithMine: () => Promise<boolean>;
  /**
   * A newer postmortem from the server (a refetch, a redaction): a version bump that left the body alone is taken
   * over, a new body is loaded when nothing is typed, and becomes a conflict when something is.
   */
  sync: (postmortem: PostmortemView) => void;
}

interface Options {
  incidentKey: string;
  initial: { body: string; version: number };
  editor: RefObject<EditorHandle | null>;
  /** A save went through: the postmortem the server answered with. */
  onSaved: (postmortem: PostmortemView) => void;
}

export function useBodyDocument({ incidentKey, initial, editor, onSaved }: Options): BodyDocument {
  const [state, setState] = useState<SaveState>({ kind: 'saved' });
  const text = useRef(initial.body);
  /** What the server holds at `version`, as far as we know. */
  const saved = useRef(initial.body);
  const version = useRef(initial.version);
  const conflict = useRef<BodyConflict | null>(null);
  const inflight = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Why the last save failed (other than a conflict); shown until a save succeeds. */
  const failure = useRef<string | null>(null);
  /** A restored revision's text and version: saved as a restore while the text is still exactly that. */
  const restoring = useRef<{ text: string; from: number } | null>(null);
  const latestOnSaved = useRef(onSaved);
  latestOnSaved.current = onSaved;

  const settle = useCallback(() => {
    if (conflict.current) setState({ kind: 'conflict', theirs: conflict.current });
    else if (failure.current) setState({ kind: 'error', message: failure.current });
    else setState(text.current === saved.current ? { kind: 'saved' } : { kind: 'unsaved' });
  }, []);

  const send = useCallback(async (): Promise<boolean> => {
    // Rebasing on a version bump that left the body alone (a review, a comment) is safe; a few are enough.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (conflict.current) return false;
      const sending = text.current;
      if (sending === saved.current) {
        failure.current = null;
        return true;
      }
      setState({ kind: 'saving' });
      try {
        const restoredFrom = restoring.current?.text === sending ? restoring.current.from : undefined;
        const stored = await api.savePostmortemBody(incidentKey, sending, version.current, { restoredFrom });
        restoring.current = null;
        failure.current = null;
        saved.current = sending;
        version.current = stored.version;
        latestOnSaved.current(stored);
        return text.current === saved.current;
      } catch (error) {
        const theirs = bodyConflict(error);
        if (!theirs) {
          failure.current = error instanceof Error ? error.message : 'The text was not saved.';
          return false;
        }
        if (theirs.body === saved.current || theirs.body === sending) {
          // Only the version moved (or our own save landed unanswered): nothing of theirs to lose.
          saved.current = theirs.body;
          version.current = theirs.version;
          continue;
        }
        conflict.current = theirs;
        return false;
      }
    }
    return false;
  }, [incidentKey]);

  const schedule = useRef<() => void>(() => undefined);

  /** One save at a time: a save asked for while one runs waits for it, then saves what is newer. */
  const run = useCallback(async (): Promise<boolean> => {
    clearTimeout(timer.current);
    while (inflight.current) await inflight.current;
    const attempt = send();
    inflight.current = attempt;
    let done: boolean;
    try {
      done = await attempt;
    } finally {
      inflight.current = null;
    }
    // Typing went on while the save ran: the newer text gets its own quiet period.
    if (!conflict.current && !failure.current && text.current !== saved.current) schedule.current();
    settle();
    return done;
  }, [send, settle]);

  schedule.current = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void run(), AUTOSAVE_DELAY_MS);
  };

  const change = useCallback((next: string) => {
    text.current = next;
    if (conflict.current) return;
    // A new edit is a new attempt: the failure stays visible only until the next save says otherwise.
    if (!failure.current) setState(next === saved.current ? { kind: 'saved' } : { kind: 'unsaved' });
    schedule.current();
  }, []);

  const replace = useCallback(
    (next: string, restoredFrom?: number) => {
      restoring.current = restoredFrom === undefined ? null : { text: next, from: restoredFrom };
      // The editor reports this as an outside change (no second save), so the edit is recorded here.
      editor.current?.setText(next);
      change(next);
    },
    [editor, change],
  );

  const load = useCallback(
    (body: string, at: number) => {
      text.current = body;
      saved.current = body;
      version.current = at;
      editor.current?.setText(body);
    },
    [editor],
  );

  const keepTheirs = useCallback(() => {
    const theirs = conflict.current;
    if (!theirs) return;
    conflict.current = null;
    load(theirs.body, theirs.version);
    settle();
  }, [load, settle]);

  const overwriteWithMine = useCallback(async () => {
    const theirs = conflict.current;
    if (!theirs) return true;
    conflict.current = null;
    saved.current = theirs.body;
    version.current = theirs.version;
    return run();
  }, [run]);

  const sync = useCallback(
    (postmortem: PostmortemView) => {
      const { body, version: at, updatedBy, updatedAt } = postmortem;
      if (at <= version.current || inflight.current || conflict.current) return;
      if (body === saved.current) {
        version.current = at;
      } else if (text.current === saved.current) {
        load(body, at);
      } else {
        conflict.current = { body, version: at, updatedBy, updatedAt };
        clearTimeout(timer.current);
      }
      settle();
    },
    [load, settle],
  );
  // Leaving the page with unsaved text: ask the browser to confirm, and try a last save that outlives the page.
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (text.current === saved.current && !inflight.current) return;
      if (!conflict.current && text.current.length <= KEEPALIVE_LIMIT) {
        void api
          .savePostmortemBody(incidentKey, text.current, version.current, { keepalive: true })
          .catch(() => undefined);
      }
      event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [incidentKey]);

  // Leaving for another page of the app: the page's scripts live on, so the save can finish in the background.
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      if (!conflict.current && text.current !== saved.current) {
        void api
          .savePostmortemBody(incidentKey, text.current, version.current, {
            keepalive: text.current.length <= KEEPALIVE_LIMIT,
          })
          .catch(() => undefined);
      }
    },
    [incidentKey],
  );

  return useMemo(
    () => ({
      state,
      text: () => text.current,
      version: () => version.current,
      dirty: () => conflict.current !== null || text.current !== saved.current || inflight.current !== null,
      change,
      replace,
      flush: run,
      keepTheirs,
      overwriteWithMine,
      sync,
    }),
    [state, change, replace, run, keepTheirs, overwriteWithMine, sync],
  );
}
