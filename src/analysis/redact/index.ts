export type { Finding, RedactOptions, RedactResult, TermDefinition } from './types.js';
export { applyRedactions, categoryOf, findSensitive, PERSONAL_KINDS, redact, type FindingCategory } from './redact.js';
export { InvalidTermsError, parseTerms } from './terms.js';
export { redactBenchmark, type RedactBenchmarkResult } from './benchmark.js';
