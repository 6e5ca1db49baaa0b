/** The shapes the blameless-language linter takes and returns. */

/** Stable rule ids: they appear in JSON and SARIF output and in configuration files, so they never change. */
export const RULE_IDS = [
  'human-error',
  'counterfactual',
  'hindsight',
  'judgmental',
  'person-as-cause',
  'team-blame',
  'root-cause',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

export const SEVERITIES = ['error', 'warning', 'info'] as const;

export type Severity = (typeof SEVERITIES)[number];

/**
 * One piece of blame language. Lines and columns are 1-based and count UTF-16 code units of the text given to
 * `lintPostmortem`; `endColumn` is exclusive (the column just after the last character), as in SARIF.
 */
export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The flagged text exactly as it appears in the document. */
  text: string;
  /** How to rewrite it. */
  suggestion: string;
}

export interface RuleSetting {
  /** Default true. */
  enabled?: boolean;
  /** Overrides the rule's default severity. */
  severity?: Severity;
}

export interface LintOptions {
  rules?: Partial<Record<RuleId, RuleSetting>>;
  /**
   * Words or phrases never flagged, matched case-insensitively on word boundaries: a product called "Simply", a
   * team literally named "Root Cause". Text matching an entry is invisible to every rule.
   */
  allow?: string[];
}
