/**
 * The blameless-language linter: blame, hindsight and single-root-cause language in markdown postmortems, with
 * rule ids, positions and rewrite suggestions, and SARIF / text renderings of the findings.
 */
export { lintPostmortem, parseLintOptions, LintConfigError } from './lint.js';
export { toSarif, formatText, type SarifLog } from './format.js';
export { lintBenchmark, benchmarkDocument, type LintBenchmark } from './bench.js';
export { RULES, type RuleMeta } from './rules.js';
export { RULE_IDS, SEVERITIES } from './types.js';
export type { Finding, LintOptions, RuleId, RuleSetting, Severity } from './types.js';
