/**
 * The postmortem's markdown editor: CodeMirror 6 in a small React wrapper. It owns the text while it is mounted and
 * reports every change; findings from the server's text check become inline diagnostics with quick fixes. This
 * module pulls in CodeMirror, so it is only ever loaded lazily.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintGutter, linter, lintKeymap } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Annotation, EditorSelection, EditorState, StateEffect, type Text } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap } from '@codemirror/view';
import { type Ref, useEffect, useImperativeHandle, useRef } from 'react';
import type { TextCheckView } from '../../api';
import {
  type FindingActions,
  lineStarts,
  lintRange,
  redactionMessage,
  redactionRange,
  replacementOf,
} from './findings';

export interface EditorHandle {
  /** Replaces the text (someone else's version, a redaction) without reporting it as the writer's change. */
  setText(text: string): void;
  /** Scrolls a 1-based line to the top, puts the cursor at its end and focuses the editor. */
  goToLine(line: number): void;
  /** Selects a range and scrolls it into view. */
  select(from: number, to: number): void;
  /** Replaces `from..to` with `insert` when it still reads `expected`; false when the text moved meanwhile. */
  replace(from: number, to: number, expected: string, insert: string): boolean;
  /** Checks the text again (waivers changed, not the text). */
  recheck(): void;
}

export interface MarkdownEditorProps {
  initialText: string;
  /** Accessible name of the editing area. */
  label: string;
  /** The writer changed the text. */
  onChange(text: string): void;
  /** The text was replaced from elsewhere (`setText`). */
  onExternalChange(text: string): void;
  onBlur(): void;
  /** Runs the server's text check; rejected checks leave the previous diagnostics in place. */
  check(text: string): Promise<TextCheckView>;
  /** Each completed check, with the text it was made for (the findings panel lists them). */
  onChecked(text: string, result: TextCheckView): void;
  actions: FindingActions;
  handleRef: Ref<EditorHandle>;
}

/** Marks transactions that load text from elsewhere, so they are not reported as edits. */
const external = Annotation.define<boolean>();
const recheckEffect = StateEffect.define<null>();

/** Time after the last keystroke before the text is checked. */
const CHECK_DELAY_MS = 700;

const theme = EditorView.theme({
  '&': {
    border: '1px solid var(--mantine-color-default-border)',
    borderRadius: 'var(--mantine-radius-sm)',
    backgroundColor: 'var(--mantine-color-body)',
    fontSize: '14px',
  },
  '&.cm-focused': { outline: '2px solid var(--mantine-primary-color-filled)', outlineOffset: '1px' },
  '.cm-scroller': {
    fontFamily: 'var(--mantine-font-family-monospace)',
    lineHeight: '1.55',
    minHeight: '24rem',
    maxHeight: '75vh',
    overflow: 'auto',
  },
  '.cm-content': { padding: '8px 0' },
  '.cm-line': { padding: '0 10px' },
  '.cm-tooltip-lint': { maxWidth: 'min(32rem, 90vw)' },
});

/** Turns one check of `text` into diagnostics for `doc` (which is `text`, or the check would have been dropped). */
function toDiagnostics(doc: Text, result: TextCheckView, actions: FindingActions): Diagnostic[] {
  const text = doc.toString();
  const starts = lineStarts(text);
  const out: Diagnostic[] = [];
  for (const finding of result.lint) {
    const { from, to } = lintRange(starts, text.length, finding);
    const replacement = replacementOf(finding.suggestion);
    out.push({
      from,
      to,
      severity: finding.severity,
      source: `blameless · ${finding.ruleId}`,
      message: finding.suggestion && !replacement ? `${finding.message}. ${finding.suggestion}` : finding.message,
      actions: replacement
        ? [
            {
              name: `Replace with “${replacement}”`,
              apply: (view, at, end) => view.dispatch({ changes: { from: at, to: end, insert: replacement } }),
            },
          ]
        : [],
    });
  }
  for (const finding of result.redaction) {
    const { from, to } = redactionRange(text.length, finding);
    out.push({
      from,
      to,
      severity: finding.waiver ? 'info' : 'warning',
      source: 'redaction',
      message: redactionMessage(finding),
      actions: finding.waiver
        ? []
        : [
            { name: 'Redact', apply: () => actions.redact(finding) },
            ...(actions.waive ? [{ name: 'Waive…', apply: () => actions.waive?.(finding) }] : []),
          ],
    });
  }
  return out;
}

export function MarkdownEditor(props: MarkdownEditorProps) {
  const parent = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // Callbacks change on every render of the page; the editor is built once and reads the latest ones.
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (!parent.current) return undefined;
    const editor = new EditorView({
      parent: parent.current,
      state: EditorState.create({
        doc: latest.current.initialText,
        extensions: [
          history(),
          drawSelection(),
          highlightActiveLine(),
          highlightSelectionMatches(),
          markdown(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          EditorView.lineWrapping,
          // Tab is left to the browser: keyboard users move on to the next control instead of being trapped here.
          keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap]),
          lintGutter(),
          linter(
            async (v) => {
              const text = v.state.doc.toString();
              const result = await latest.current.check(text);
              latest.current.onChecked(text, result);
              return toDiagnostics(v.state.doc, result, latest.current.actions);
            },
            {
              delay: CHECK_DELAY_MS,
              needsRefresh: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(recheckEffect))),
            },
          ),
          EditorView.contentAttributes.of({ 'aria-label': latest.current.label, 'aria-multiline': 'true' }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            const text = update.state.doc.toString();
            if (update.transactions.some((tr) => tr.annotation(external))) latest.current.onExternalChange(text);
            else latest.current.onChange(text);
          }),
          EditorView.domEventHandlers({
            blur: () => {
              latest.current.onBlur();
            },
          }),
          theme,
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useImperativeHandle(
    props.handleRef,
    (): EditorHandle => ({
      setText(text) {
        const editor = view.current;
        if (!editor) return;
        const current = editor.state.doc.toString();
        if (current === text) return;
        // Only the differing middle is replaced, so the cursor and scroll position survive where the texts agree.
        let start = 0;
        const max = Math.min(current.length, text.length);
        while (start < max && current.charCodeAt(start) === text.charCodeAt(start)) start++;
        let end = 0;
        while (
          end < max - start &&
          current.charCodeAt(current.length - 1 - end) === text.charCodeAt(text.length - 1 - end)
        ) {
          end++;
        }
        editor.dispatch({
          changes: { from: start, to: current.length - end, insert: text.slice(start, text.length - end) },
          annotations: external.of(true),
        });
      },
      goToLine(line) {
        const editor = view.current;
        if (!editor) return;
        const target = editor.state.doc.line(Math.min(Math.max(line, 1), editor.state.doc.lines));
        editor.dispatch({
          selection: EditorSelection.cursor(target.to),
          effects: EditorView.scrollIntoView(target.from, { y: 'start', yMargin: 8 }),
        });
        editor.focus();
      },
      select(from, to) {
        const editor = view.current;
        if (!editor) return;
        const length = editor.state.doc.length;
        const range = EditorSelection.range(Math.min(from, length), Math.min(to, length));
        editor.dispatch({ selection: range, effects: EditorView.scrollIntoView(range, { y: 'center' }) });
        editor.focus();
      },
      replace(from, to, expected, insert) {
        const editor = view.current;
        if (!editor || to > editor.state.doc.length || editor.state.doc.sliceString(from, to) !== expected) {
          return false;
        }
        editor.dispatch({ changes: { from, to, insert }, selection: EditorSelection.cursor(from + insert.length) });
        editor.focus();
        return true;
      },
      recheck() {
        view.current?.dispatch({ effects: recheckEffect.of(null) });
      },
    }),
    [],
  );

  return <div ref={parent} className="postmortem-editor" />;
}
