/**
 * Two texts side by side with their differences marked (@codemirror/merge), both read-only. Loaded lazily: the
 * merge view and CodeMirror stay out of the page's own chunk.
 */
import { markdown } from '@codemirror/lang-markdown';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';

export interface TextDiffProps {
  left: string;
  right: string;
  /** Names of the two sides, read by screen readers as the editors' labels. */
  leftLabel: string;
  rightLabel: string;
}

const theme = EditorView.theme({
  '&': { fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'var(--mantine-font-family-monospace)', lineHeight: '1.5' },
  '.cm-content': { padding: '6px 0' },
});

const side = (doc: string, label: string) => ({
  doc,
  extensions: [
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': label }),
    markdown(),
    theme,
  ],
});

export function TextDiff({ left, right, leftLabel, rightLabel }: TextDiffProps) {
  const parent = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!parent.current) return undefined;
    const view = new MergeView({
      parent: parent.current,
      a: side(left, leftLabel),
      b: side(right, rightLabel),
      collapseUnchanged: { margin: 3, minSize: 6 },
      gutter: true,
    });
    return () => view.destroy();
  }, [left, right, leftLabel, rightLabel]);

  return <div ref={parent} className="text-diff" />;
}
