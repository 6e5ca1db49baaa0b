/** Shapes shared by the redaction detectors and their callers. */

/**
 * One piece of sensitive text. Offsets are JavaScript string indices (UTF-16 code units) into the text given;
 * `end` is exclusive. `line` and `column` are 1-based and point at `start`.
 */
export interface Finding {
  /** What was found: `aws-access-key`, `password`, `email`, `ip-address`, or an organisation's own term kind. */
  kind: string;
  line: number;
  column: number;
  start: number;
  end: number;
  /** The sensitive text itself, `input.slice(start, end)`. */
  text: string;
  /** The detector that found it: `secretlint:<rule id>`, `pattern:<name>`, `term:<kind>`, or `propagated`. */
  rule?: string;
}

/** Terms an organisation wants kept out of shared documents: customer names, internal host names, code names. */
export interface TermDefinition {
  /** Placeholder kind, lowercase letters, digits and dashes: `customer` gives `[REDACTED:customer]`. */
  kind: string;
  /** Literal values, matched as whole words. */
  values?: readonly string[];
  /** A JavaScript regular expression source (no slashes), e.g. `\w+\.corp\.example\.com`. */
  pattern?: string;
  /** Match case exactly (default false: `acme corp` also matches `Acme Corp`). */
  caseSensitive?: boolean;
}

export interface RedactOptions {
  /**
   * Also redact private, loopback, link-local and shared (CGNAT) addresses. Off by default: `10.0.3.7` or
   * `fe80::1` identify nothing outside the network they belong to, and postmortems are full of them.
   */
  redactPrivateIps?: boolean;
  /** Organisation-defined terms, see {@link TermDefinition}. */
  terms?: readonly TermDefinition[];
  /** Exact values that are never redacted, e.g. a public support address. */
  allow?: readonly string[];
  /** Which detector families run (all by default); terms always run when given. */
  detect?: { secrets?: boolean; personal?: boolean };
  /**
   * Also redact every other occurrence of a secret value found once (default true): a password spotted in
   * `password: …` is redacted again where the same text is pasted further down.
   */
  propagate?: boolean;
}

export interface RedactResult {
  redacted: string;
  findings: Finding[];
}

/** A detector's raw result before overlaps are resolved and lines are counted. */
export interface Candidate {
  kind: string;
  start: number;
  end: number;
  rule: string;
  /** Higher wins when candidates overlap: private keys 100, vendor tokens 80, JWTs 70, … personal data 20. */
  priority: number;
}
