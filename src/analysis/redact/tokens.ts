/**
 * Vendor credentials recognisable by their shape alone: a fixed prefix, a length, an alphabet. These complement
 * secretlint's recommended preset, which already covers GitHub, GitLab personal tokens, Slack, npm, OpenAI,
 * Anthropic API keys, SendGrid, Shopify, Vercel and others; the rules below cover what it does not (AWS's less
 * common key prefixes, Stripe, Twilio, Azure, Cloudflare, Tailscale, Discord, Telegram, …).
 *
 * A match in a vendor's format is redacted even when its body is a mask or one repeated character
 * (`sk_live_AAAA…`, `AKIAXXXX…`, AWS's published example key): only placeholder syntax no key can contain
 * (`${…}`, `<…>`, `****`) lets it go. Rules marked `generic` describe shapes ordinary text takes too (a UUID, hex
 * after `0x`, dotted base64); their matches must also pass the placeholder and look-alike tests.
 */
import { classifyKey } from './keys.js';
import type { Candidate } from './types.js';
import { entropy, hasPlaceholderSyntax, isObviousPlaceholder } from './values.js';

export interface TokenRule {
  name: string;
  kind: string;
  /** Global regular expression; when it has a group named `secret`, only that group is redacted. */
  re: RegExp;
  /**
   * A shape ordinary text can take too, with no vendor prefix: its matches must pass the placeholder and look-alike
   * tests (`isObviousPlaceholder`, `minEntropy`) before they are redacted.
   */
  generic?: boolean;
  /** Reject matches whose secret part has fewer bits per character (generic rules only). */
  minEntropy?: number;
  /** Extra validation of the secret part; `key` is the named group of that name, when the rule has one. */
  check?: (secret: string, key: string | undefined) => boolean;
  /** A literal every match contains: rules whose pattern cannot start with one skip texts without it. */
  hint?: string;
}

/** Not preceded by a letter, digit or underscore (every rule using it starts with one). */
const B = String.raw`\b`;
/** Not followed by a token character. */
const E = String.raw`(?![A-Za-z0-9_-])`;

const rule = (
  name: string,
  kind: string,
  source: string,
  { flags = 'g', ...extra }: Partial<Omit<TokenRule, 'name' | 'kind' | 're'>> & { flags?: string } = {},
): TokenRule => ({ name, kind, re: new RegExp(source, flags), ...extra });

export const TOKEN_RULES: readonly TokenRule[] = [
  rule(
    'aws-access-key',
    'aws-access-key',
    String.raw`(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}(?![A-Za-z0-9])`,
  ),
  rule(
    'aws-secret-key',
    'aws-secret-key',
    String.raw`(?<key>(?<![A-Za-z0-9])aws[\w.-]{0,40})["']?[ \t]*(?::=|=>|=|:)[ \t]*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
    { flags: 'gi', check: (secret, key) => isAwsSecretKey(secret, key) },
  ),
  rule(
    'aws-bedrock-key',
    'aws-bedrock-key',
    String.raw`${B}ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{106,110}={0,2}(?![A-Za-z0-9+/=])`,
  ),
  rule(
    'aws-bedrock-short-key',
    'aws-bedrock-key',
    String.raw`${B}bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%&]*`,
  ),
  rule(
    'github-app-installation-token',
    'github-token',
    String.raw`${B}ghs_\d+_eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+`,
  ),
  rule('stripe-key', 'stripe-key', String.raw`${B}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{24,99}(?![A-Za-z0-9])`),
  rule('twilio-key', 'twilio-key', String.raw`(?<![A-Za-z0-9])(?:AC|SK)[a-z0-9]{32}(?![A-Za-z0-9])`),
  rule(
    'azure-storage-key',
    'azure-storage-key',
    String.raw`(?:AccountKey|SharedAccessKey)\s*=\s*(?<secret>[A-Za-z0-9+/]{40,100}={0,2})`,
  ),
  rule(
    'azure-ad-client-secret',
    'azure-client-secret',
    String.raw`(?<![A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])`,
  ),
  rule(
    'azure-id',
    'azure-id',
    String.raw`\b(?:(?:azure|aad|arm|entra|ad)[_-]?(?:tenant|client|subscription)[_-]?id|tenant[_-]?id)["']?[ \t]*[:=][ \t]*["']?(?<secret>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b`,
    { flags: 'gi', hint: '-', generic: true },
  ),
  rule(
    'url-signature',
    'url-signature',
    String.raw`[?&](?:X-Amz-Signature|X-Goog-Signature|sig)=(?<secret>[A-Za-z0-9%+/=_-]{16,})`,
  ),
  rule('slack-token', 'slack-token', String.raw`${B}(?:xox[abposre]|xapp)-[0-9A-Za-z-]{10,}[0-9A-Za-z]`, {
    check: (secret) => isPlausibleSlackToken(secret),
  }),
  rule('slack-config-token', 'slack-token', String.raw`${B}xoxe\.xox[bp]-\d-[A-Za-z0-9]{20,}`),
  rule(
    'slack-webhook',
    'slack-webhook',
    String.raw`hooks\.slack\.com/(?:services|workflows|triggers)/(?<secret>[A-Za-z0-9+/_-]{20,})`,
  ),
  rule(
    'discord-webhook',
    'discord-webhook',
    String.raw`discord(?:app)?\.com/api/webhooks/(?<secret>\d{15,20}/[A-Za-z0-9_-]{40,})`,
  ),
  rule(
    'discord-token',
    'discord-token',
    String.raw`(?<![A-Za-z0-9_-])[MNOA][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_-])`,
    { generic: true },
  ),
  rule(
    'telegram-bot-token',
    'telegram-token',
    String.raw`(?<![A-Za-z0-9_:])\d{8,10}:AA[A-Za-z0-9_-]{32,33}(?![A-Za-z0-9_-])`,
  ),
  rule(
    'gitlab-token',
    'gitlab-token',
    String.raw`${B}(?:gldt|glft|glsoat|glrt|glcbt|glffct|glimt|glptt|glagent|gloas|glpat)-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])`,
    {
      check: (secret) => gitlabLength(secret),
    },
  ),
  rule('gitlab-runner-registration', 'gitlab-token', String.raw`${B}GR1348941[A-Za-z0-9_-]{20,50}(?![A-Za-z0-9_-])`),
  rule('mailchimp-key', 'mailchimp-key', String.raw`(?<![A-Za-z0-9])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9])`, {
    hint: '-us',
  }),
  rule('mailgun-key', 'mailgun-key', String.raw`${B}key-[0-9a-f]{32}(?![A-Za-z0-9])`),
  rule('pypi-token', 'pypi-token', String.raw`${B}pypi-Ag[EI][A-Za-z0-9_-]{100,}`),
  rule('age-secret-key', 'age-secret-key', String.raw`AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`),
  rule('atlassian-token', 'atlassian-token', String.raw`${B}ATATT3[A-Za-z0-9_=-]{180,}`),
  rule(
    'openai-key',
    'openai-key',
    String.raw`${B}sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}${E}`,
  ),
  rule('sendgrid-key', 'sendgrid-key', String.raw`${B}SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}${E}`),
  rule('anthropic-admin-key', 'anthropic-key', String.raw`${B}sk-ant-admin01-[A-Za-z0-9_-]{93}AA${E}`),
  rule(
    'sourcegraph-token',
    'sourcegraph-token',
    String.raw`${B}sgp_(?:(?:[a-fA-F0-9]{16}|local)_)?[a-fA-F0-9]{40}${E}`,
  ),
  rule('perplexity-key', 'perplexity-key', String.raw`${B}pplx-[A-Za-z0-9]{48}(?![A-Za-z0-9])`),
  rule('intra42-secret', 'intra42-secret', String.raw`${B}s-s4t2(?:ud|af)-[a-f0-9]{64}${E}`),
  rule('clickhouse-secret', 'clickhouse-secret', String.raw`(?<![A-Za-z0-9])4b1d[A-Za-z0-9]{38}(?![A-Za-z0-9])`, {
    generic: true,
    minEntropy: 3,
  }),
  rule('octopus-key', 'octopus-key', String.raw`(?<![A-Za-z0-9])API-[A-Z0-9]{26}(?![A-Za-z0-9])`, {
    generic: true,
    minEntropy: 3,
  }),
  rule('maxmind-key', 'maxmind-key', String.raw`${B}[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk${E}`, { hint: '_mmk' }),
  rule('facebook-token', 'facebook-token', String.raw`${B}EAA[MC][A-Za-z0-9]{90,}`),
  rule(
    'facebook-app-token',
    'facebook-token',
    String.raw`(?<![A-Za-z0-9])\d{15,16}(?:\||%7C)(?<secret>[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_-])`,
    { generic: true, minEntropy: 3, hint: '|' },
  ),
  rule('clojars-token', 'clojars-token', String.raw`${B}CLOJARS_[a-z0-9]{60}(?![a-z0-9])`),
  rule('google-oauth-token', 'google-token', String.raw`${B}ya29\.[A-Za-z0-9_-]{30,}`),
  rule('google-client-secret', 'google-client-secret', String.raw`${B}GOCSPX-[A-Za-z0-9_-]{28}${E}`),
  rule('square-token', 'square-token', String.raw`${B}sq0(?:atp|csp)-[A-Za-z0-9_-]{22,43}${E}`),
  rule('digitalocean-token', 'digitalocean-token', String.raw`${B}do[opr]_v1_[a-f0-9]{64}${E}`),
  rule('doppler-token', 'doppler-token', String.raw`${B}dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}${E}`),
  rule('postman-key', 'postman-key', String.raw`${B}PMAK-[a-f0-9]{24}-[a-f0-9]{34}${E}`),
  rule('newrelic-key', 'newrelic-key', String.raw`${B}NRA[KK]-[A-Z0-9]{27}${E}`),
  rule('cloudflare-token', 'cloudflare-token', String.raw`${B}cf(?:at|ut|k)_[A-Za-z0-9]{40}[a-f0-9]{8}(?![A-Za-z0-9])`),
  rule('cloudflare-origin-ca-key', 'cloudflare-token', String.raw`${B}v1\.0-[a-f0-9]{24}-[a-f0-9]{146}(?![a-f0-9])`),
  rule(
    'tailscale-key',
    'tailscale-key',
    String.raw`(?<![A-Za-z])tskey-[a-z]+-[A-Za-z0-9]{8,}-[A-Za-z0-9]{16,}(?![A-Za-z0-9])`,
  ),
  rule(
    'artifactory-key',
    'artifactory-token',
    String.raw`(?<![A-Za-z0-9])(?:AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})(?![A-Za-z0-9])`,
  ),
  // Older API keys (`AKC…`) and encrypted passwords (`AP` and a hex digit), standing alone as a value; a word in
  // capitals (`APACHEKAFKA…`) is a name.
  rule(
    'artifactory-credential',
    'artifactory-token',
    String.raw`(?<=^|[\s=:"'])(?:AKC[A-Za-z0-9]{10,}|AP[0-9A-F][A-Za-z0-9]{8,})(?![A-Za-z0-9])`,
    { flags: 'gm', check: (secret) => !/^[A-Z]+$/.test(secret) },
  ),
  rule(
    'softlayer-url-key',
    'softlayer-key',
    String.raw`api\.softlayer\.com/soap/v3(?:\.1)?/(?<secret>[A-Za-z0-9]{64})(?![A-Za-z0-9])`,
  ),
  rule('terraform-token', 'terraform-token', String.raw`${B}[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}${E}`, {
    hint: '.atlasv1.',
  }),
  rule(
    'npmrc-auth',
    'npm-token',
    String.raw`//[^\s/]{1,253}/(?:[^\s:/]{1,100}/){0,8}:_(?:authToken|password|auth)\s*=\s*(?<secret>[^\s$]\S*)`,
    { hint: ':_' },
  ),
  rule(
    'secp256k1-private-key',
    'crypto-private-key',
    String.raw`(?<![A-Za-z0-9])0x(?<secret>[0-9a-fA-F]{64})(?![0-9a-fA-F])`,
    { generic: true, minEntropy: 3 },
  ),
];

/**
 * Slack bot, user and workspace tokens carry the team and user ids, long numbers; `xoxb-abcdef-abcdef` or
 * `xoxo-indieweb-1` (a file name) do not. Refresh (`xoxe-`) and app (`xapp-`) tokens have their own layout.
 */
export function isPlausibleSlackToken(token: string): boolean {
  if (/^(?:xoxe|xapp)-/.test(token)) return token.length >= 40;
  return /\d{8,}/.test(token) && token.length >= 24;
}

/** The whole run of token characters around a match, to judge `xoxp-1234…-####` by its masked tail too. */
export function surroundingToken(text: string, start: number, end: number): string {
  const limit = 200;
  let from = start;
  let to = end;
  while (from > 0 && start - from < limit && /[\w#*•.-]/.test(text[from - 1] ?? '')) from--;
  while (to < text.length && to - end < limit && /[\w#*•.-]/.test(text[to] ?? '')) to++;
  return text.slice(from, to);
}

/**
 * AWS's secret access key: 40 characters of base64 under a key that names AWS and a secret (`aws_secret_access_key`,
 * `AWS_ACCESS_KEY`), not a role of one (`aws_key_id`) and not a hex digest, which is what a commit SHA looks like.
 */
function isAwsSecretKey(secret: string, key: string | undefined): boolean {
  if (key === undefined || /^[0-9a-f]{40}$/.test(secret)) return false;
  const keyClass = classifyKey(key);
  return keyClass !== null && keyClass.kind !== 'password';
}

/** Lengths GitLab gives each token type after its prefix. */
function gitlabLength(token: string): boolean {
  const dash = token.indexOf('-');
  const prefix = token.slice(0, dash);
  const body = token.slice(dash + 1);
  switch (prefix) {
    case 'glimt':
      return body.length === 25;
    case 'glptt':
      return body.length === 40;
    case 'gloas':
      return body.length === 64;
    case 'glagent':
      return body.length >= 50 && body.length <= 1024;
    default:
      return body.length >= 20 && body.length <= 50;
  }
}

/** A hex run is a private key only when the text around it does not call it a hash, address or transaction. */
const HASH_CONTEXT = /(?:hash|digest|sha|tx|txn|transaction|block|commit|address|addr|checksum)[^\n]{0,24}$/i;

export const TOKEN_PRIORITY = 80;

/** Runs every rule over `text`. */
export function findTokens(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const rule of TOKEN_RULES) {
    if (rule.hint !== undefined && !text.includes(rule.hint)) continue;
    rule.re.lastIndex = 0;
    for (const match of text.matchAll(rule.re)) {
      const whole = match[0];
      const secret = match.groups?.['secret'] ?? whole;
      const offset = match.groups?.['secret'] !== undefined ? whole.lastIndexOf(secret) : 0;
      const start = match.index + offset;
      const isPlaceholder = rule.generic ? isObviousPlaceholder : hasPlaceholderSyntax;
      if (isPlaceholder(secret) || isPlaceholder(surroundingToken(text, match.index, match.index + whole.length))) {
        continue;
      }
      if (rule.minEntropy !== undefined && entropy(secret) < rule.minEntropy) continue;
      if (rule.check && !rule.check(secret, match.groups?.['key'])) continue;
      if (
        rule.name === 'secp256k1-private-key' &&
        HASH_CONTEXT.test(text.slice(Math.max(0, match.index - 40), match.index))
      ) {
        continue;
      }
      found.push({
        kind: rule.kind,
        start,
        end: start + secret.length,
        rule: `pattern:${rule.name}`,
        priority: TOKEN_PRIORITY,
      });
    }
  }
  return found;
}
