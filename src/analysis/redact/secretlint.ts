/**
 * secretlint's recommended preset, run on a string, its reports turned into candidates. Four adjustments:
 *
 * - The AWS rule runs with `enableIDScanRule`, so access key ids and account ids are reported too.
 * - Ranges are narrowed to the secret itself: the AWS secret-key rule reports a range that starts at the key name
 *   and is only as long as the value, so it is moved onto the value (the design's "also redact the matched
 *   value"); basic-auth and connection-string reports cover the whole URL, narrowed to its password; the GCP rule
 *   reports the whole JSON document, narrowed to its `private_key`; account ids lose their key name.
 * - `secretlint-disable` comments are not honoured (the filter-comments rule is left out): a comment in a document
 *   must not hide a secret from the publishing gate, which has its own audited waivers.
 * - Reports of Slack "tokens" without the ids real ones carry (`xoxo-indieweb-1` in a file name) are dropped, and
 *   so are placeholders: a vendor-format report (`ghp_…`, `hf_…`, `AKIA…`) only when it holds placeholder syntax no
 *   key can contain (`${…}`, `<…>`, `****`), so `hf_xxxx…` is redacted like the vendor's key it stands for; a
 *   free-form value (a URL's password, the rest of an `_authToken=` line) by the placeholder rules for any
 *   password (`user:password@`, `_authToken=your token`).
 *
 * Organisation terms run through @secretlint/secretlint-rule-pattern in the same pass.
 */
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as patternRule } from '@secretlint/secretlint-rule-pattern';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { isTrivialUrlPassword, PRIORITY, urlCredentials } from './credentials.js';
import { termPatterns, TERM_PRIORITY } from './terms.js';
import { isPlausibleSlackToken, surroundingToken, TOKEN_PRIORITY } from './tokens.js';
import type { Candidate, TermDefinition } from './types.js';
import { hasPlaceholderSyntax, isObviousPlaceholder } from './values.js';

// secretlint's core marks the start and end of every rule on a process-wide profiler that keeps every mark forever
// and measures each new one by scanning all earlier ones: memory grows with every document and time per document
// grows with the number already linted (943 small documents took a minute). Nothing reads those measures here.
secretLintProfiler.mark = () => undefined;

type LintOptions = Parameters<typeof lintSource>[0]['options'];
type RuleConfig = LintOptions['config']['rules'];
type LintMessage = Awaited<ReturnType<typeof lintSource>>['messages'][number];

const RULE_PREFIX = '@secretlint/secretlint-rule-';
const FILTER_COMMENTS = `${RULE_PREFIX}filter-comments`;
const PATTERN_RULE = `${RULE_PREFIX}pattern`;

/** Placeholder kind per rule (the part of the id after `secretlint-rule-`). */
const RULE_KINDS: Record<string, string> = {
  gcp: 'private-key',
  npm: 'npm-token',
  slack: 'slack-token',
  basicauth: 'password',
  openai: 'openai-key',
  anthropic: 'anthropic-key',
  groq: 'groq-key',
  huggingface: 'huggingface-token',
  linear: 'linear-key',
  notion: 'notion-token',
  privatekey: 'private-key',
  sendgrid: 'sendgrid-key',
  shopify: 'shopify-token',
  github: 'github-token',
  gitlab: 'gitlab-token',
  grafana: 'grafana-token',
  '1password': '1password-token',
  'database-connection-string': 'password',
  'hashicorp-vault': 'vault-token',
  vercel: 'vercel-token',
  databricks: 'databricks-token',
  docker: 'docker-token',
  figma: 'figma-token',
};

/**
 * Reports whose value has no vendor format of its own, judged by the placeholder rules for any password: the
 * password of a URL, a token in a URL's user name, whatever follows `_authToken=` on a line.
 */
const FREE_FORM = new Set([
  'basicauth',
  'database-connection-string',
  'npm/Npmrc_authToken',
  'npm/PackageJSON_xOauthToken',
]);

const AWS_KINDS: Record<string, string> = {
  AWSAccessKeyID: 'aws-access-key',
  AWSSecretAccessKey: 'aws-secret-key',
  AWSAccountID: 'aws-account-id',
};

/** The preset's rules one by one, so the AWS rule can take its option and filter-comments can stay out. */
function presetConfig(): RuleConfig {
  return recommendedRules
    .filter((rule) => rule.meta.id !== FILTER_COMMENTS)
    .map((rule) => ({
      id: rule.meta.id,
      rule,
      options: rule.meta.id === `${RULE_PREFIX}aws` ? { enableIDScanRule: true } : {},
    }));
}

const PRESET = presetConfig();

function dataValue(message: LintMessage, key: string): string | undefined {
  const data = message.data as Record<string, unknown> | undefined;
  const value = data?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** The range secretlint should have reported, or null when the report is not one to keep. */
function narrow(text: string, message: LintMessage, shortId: string): [number, number] | null {
  const [start, end] = message.range;
  if (shortId === 'aws' && message.messageId === 'AWSSecretAccessKey') {
    const key = dataValue(message, 'KEY');
    if (!key) return [start, end];
    const at = text.indexOf(key, start);
    return at === -1 || at > start + 200 ? [start, end] : [at, at + key.length];
  }
  if (shortId === 'aws' && message.messageId === 'AWSAccountID') {
    const digits = /\d{4}-?\d{4}-?\d{4}/.exec(text.slice(start, end));
    return digits ? [start + digits.index, start + digits.index + digits[0].length] : [start, end];
  }
  if (shortId === 'basicauth' || shortId === 'database-connection-string') {
    const credential = urlCredentials(text.slice(start, end))[0];
    if (!credential) return [start, end];
    return isTrivialUrlPassword(credential) ? null : [start + credential.start, start + credential.end];
  }
  if (shortId === 'slack' && !isPlausibleSlackToken(text.slice(start, end))) return null;
  if (shortId === 'gcp') {
    const key = /"private_key"\s*:\s*"((?:\\.|[^"\\])*)"/.exec(text.slice(start, end));
    return key?.[1]
      ? [start + key.index + key[0].length - key[1].length - 1, start + key.index + key[0].length - 1]
      : null;
  }
  return [start, end];
}

/**
 * Runs secretlint over `text` (and the organisation's terms, when given) and returns its findings as candidates.
 * `secrets: false` runs only the terms.
 */
export async function findWithSecretlint(
  text: string,
  options: { secrets: boolean; terms: readonly TermDefinition[] },
): Promise<Candidate[]> {
  const rules: RuleConfig = options.secrets ? [...PRESET] : [];
  const patterns = termPatterns(options.terms);
  if (patterns.length > 0) rules.push({ id: PATTERN_RULE, rule: patternRule, options: { patterns } });
  if (rules.length === 0 || text.length === 0) return [];
  // The GCP rule reads service-account JSON only when told the content is JSON.
  const ext = /^\s*\{/.test(text) ? '.json' : '.txt';
  const result = await lintSource({
    // No file path: secretlint's GCP rule would read a PKCS#12 file from disk by that path.
    source: { content: text, filePath: '', ext, contentType: 'text' },
    options: { config: { rules }, noPhysicFilePath: true },
  });
  const found: Candidate[] = [];
  for (const message of result.messages) {
    if (message.ruleId === PATTERN_RULE) {
      const kind = dataValue(message, 'PATTERN_NAME');
      if (kind)
        found.push({
          kind,
          start: message.range[0],
          end: message.range[1],
          rule: `term:${kind}`,
          priority: TERM_PRIORITY,
        });
      continue;
    }
    const shortId = message.ruleId.startsWith(RULE_PREFIX) ? message.ruleId.slice(RULE_PREFIX.length) : message.ruleId;
    const range = narrow(text, message, shortId);
    if (!range || range[1] <= range[0]) continue;
    const secret = text.slice(range[0], range[1]);
    const freeForm = FREE_FORM.has(shortId) || FREE_FORM.has(`${shortId}/${message.messageId ?? ''}`);
    const isPlaceholder = freeForm ? isObviousPlaceholder : hasPlaceholderSyntax;
    if (isPlaceholder(secret) || isPlaceholder(surroundingToken(text, range[0], range[1]))) continue;
    const kind =
      shortId === 'aws' ? (AWS_KINDS[message.messageId] ?? 'aws-key') : (RULE_KINDS[shortId] ?? `${shortId}-token`);
    const priority =
      kind === 'private-key' ? PRIORITY.privateKey : kind === 'password' ? PRIORITY.urlPassword : TOKEN_PRIORITY;
    found.push({ kind, start: range[0], end: range[1], rule: `secretlint:${message.ruleId}`, priority });
  }
  return found;
}
