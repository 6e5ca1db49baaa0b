/**
 * Findings from `POST …/postmortem/check` (or the stored body's findings) as positions in the text they were made
 * for, and the wording the editor and the findings panel share. No CodeMirror here: the panel uses it too, and the
 * editor module is loaded lazily.
 */
import type { LintFindingView, RedactionFindingView } from '../../api';

export interface Range {
  from: number;
  to: number;
}

/** Start offsets of each line of `text` (index 0 is line 1). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Offset of a 1-based line and column, clamped to the text. */
function offsetOf(starts: readonly number[], length: number, line: number, column: number): number {
  const lineStart = starts[Math.min(Math.max(line, 1), starts.length) - 1] ?? 0;
  return Math.min(Math.max(lineStart + column - 1, 0), length);
}

/** Where a blame finding sits: lines and columns are 1-based, `endColumn` is exclusive. */
export function lintRange(starts: readonly number[], length: number, finding: LintFindingView): Range {
  const from = offsetOf(starts, length, finding.line, finding.column);
  const to = offsetOf(starts, length, finding.endLine, finding.endColumn);
  return { from, to: Math.max(from, to) };
}

/** Where a redaction finding sits: string offsets, `end` exclusive. */
export function redactionRange(length: number, finding: RedactionFindingView): Range {
  const from = Math.min(Math.max(finding.start, 0), length);
  return { from, to: Math.min(Math.max(finding.end, from), length) };
}

const REPLACEMENT =
  /^(?:replace (?:it |this )?with|use|write|say|prefer|call the section|call it)\s+["“]([^"”\n]{1,120})["”]/i;

/**
 * The replacement text when a suggestion names one (`Call the section "Contributing factors" …`), else null: most
 * suggestions are advice on how to rewrite, which only the writer can apply.
 *
 * @example
 * replacementOf('Call the section "Contributing factors" and list each factor'); // 'Contributing factors'
 * replacementOf('Describe the system conditions that allowed the action'); // null
 */
export function replacementOf(suggestion: string | null): string | null {
  if (!suggestion) return null;
  return REPLACEMENT.exec(suggestion.trim())?.[1] ?? null;
}

/** The redaction finding's headline, e.g. "Possible aws-access-key". */
export function redactionMessage(finding: RedactionFindingView): string {
  return finding.waiver
    ? `${finding.kind}: kept in the internal version (waived by ${finding.waiver.waivedBy}: ${finding.waiver.reason})`
    : `Possible ${finding.kind}`;
}

/** Shows a sensitive value only partly, so the findings panel does not spread a secret around the screen. */
export function maskValue(text: string): string {
  const compact = text.replace(/\s+/g, ' ');
  if (compact.length <= 8) return `${compact.slice(0, 2)}…`;
  return `${compact.slice(0, 4)}…${compact.slice(-2)}`;
}

/** What the editor's quick fixes and the findings panel ask the page to do. */
export interface FindingActions {
  /** Replaces the finding with a `[REDACTED:kind]` placeholder on the server (saving pending text first). */
  redact: (finding: RedactionFindingView) => void;
  /** Opens the dialog asking why this value may stay in the internal version (absent without the permission). */
  waive?: (finding: RedactionFindingView) => void;
}
