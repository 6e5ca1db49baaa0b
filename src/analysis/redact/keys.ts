/**
 * Does a key (`DB_PASSWORD`, `azureClientSecret`, `--softlayer-api-key`, `token`) name a secret, and how strong is
 * the hint? Keys are split into lowercase words at separators and camelCase humps, then read for a secret word and
 * for words that turn it into something else (`token_url`, `password_length`, `public_key`, `kms_key_id`).
 */

/**
 * - `password`: a password; short values and words are fine (`hunter22`).
 * - `token`: a token, secret or API key; the value should be at least token-sized.
 * - `compound`: a named key (`cloudant_key`, `AccountKey`); the value must be long and not an identifier.
 * - `weak`: only says `key` or `credential`; the value must also look random.
 */
export type KeyStrength = 'password' | 'token' | 'compound' | 'weak';

export interface KeyClass {
  strength: KeyStrength;
  /** Placeholder kind for values under this key. */
  kind: 'password' | 'token' | 'api-key' | 'secret';
}

/** Words after the secret word that describe something about the secret rather than hold it. */
const ROLE_SUFFIXES = new Set([
  'id',
  'ids',
  'url',
  'urls',
  'uri',
  'uris',
  'endpoint',
  'host',
  'name',
  'names',
  'type',
  'types',
  'path',
  'paths',
  'file',
  'files',
  'filename',
  'dir',
  'length',
  'len',
  'size',
  'count',
  'ttl',
  'expiry',
  'expires',
  'expiration',
  'expire',
  'expired',
  'lifetime',
  'format',
  'header',
  'prefix',
  'suffix',
  'version',
  'limit',
  'max',
  'min',
  'timeout',
  'policy',
  'rotation',
  'hint',
  'field',
  'label',
  'env',
  'var',
  'variable',
  'ref',
  'arn',
  'region',
  'hash',
  'hashed',
  'digest',
  'checksum',
  'fingerprint',
  'algorithm',
  'alg',
  'mode',
  'scope',
  'scopes',
  'provider',
  'store',
  'vault',
  'manager',
  'location',
  'source',
  'template',
  'regex',
  'pattern',
  'placeholder',
  'description',
  'desc',
  'enabled',
  'required',
  'exists',
  'changed',
  'reset',
  'strength',
  'rules',
  'chars',
  'charset',
  'alphabet',
  'class',
  'status',
  'state',
  'error',
  'errors',
  'message',
  'msg',
  'input',
  'prompt',
  'selector',
  'pressed',
  'index',
  'usage',
  'method',
  'flow',
  'grant',
  'request',
  'response',
  'generator',
  'validator',
  'validation',
  'level',
  'mapping',
  'map',
  'list',
  'table',
  'column',
  'storage',
  'service',
  'event',
  'handler',
  'owner',
  'created',
  'updated',
  'issued',
  'date',
  'time',
  'since',
  'attempts',
  'retries',
  'lock',
  'locked',
]);

/** Words before the secret word that make it something other than a credential. */
const NEUTRALISING_PREFIXES = new Set([
  'public',
  'pub',
  'publishable',
  'hashed',
  'hash',
  'csrf',
  'xsrf',
  // Rails' name for its CSRF token, printed into every form.
  'authenticity',
  'next',
  'page',
  'pagination',
  'cursor',
  'continuation',
  'sort',
  'partition',
  'primary',
  'foreign',
  'row',
  'cache',
  'idempotency',
  'dedupe',
  'dedup',
  'shard',
  'hot',
  'incident',
  'alert',
  'event',
  'group',
  'trace',
  'correlation',
  'order',
  'search',
  'sequence',
  'schema',
  'bucket',
  'object',
  'max',
  'num',
  'total',
  'forgot',
  'reset',
  'new',
  'old',
  'min',
  'input',
  'output',
  'prompt',
  'completion',
  'unique',
  'composite',
  'range',
  'lookup',
  'map',
  'dict',
  'locale',
  'i18n',
  'translation',
]);

/** Splits `azureClientSecret`, `AWS_SECRET_ACCESS_KEY`, `--softlayer-api-key` into lowercase words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

type Hit = { index: number; class: KeyClass };

/** Which secret word a single key word is, if any. */
function classifyWord(word: string, previous: string | undefined): KeyClass | null {
  if (/^pub(?:lic)?key$/.test(word)) return null;
  if (/^(?:password|passwd|passphrase|passwort|pwd|pw|pass|passcode|pword)$/.test(word)) {
    return { strength: 'password', kind: 'password' };
  }
  if (/pass(?:word|wd|phrase)/.test(word)) return { strength: 'password', kind: 'password' };
  // `secret`, `clientsecret`, `secretkey`; not `secretlint` or `secretary`.
  if (/^(?:[a-z]*secrete?|secret(?:key|value|token|accesskey|string))$/.test(word)) {
    return { strength: 'token', kind: 'secret' };
  }
  if (
    word === 'token' ||
    /^(?:auth|access|api|bot|refresh|session|id|oauth|user|bearer|security|vault|app|service|secret|admin|deploy|personal|private|client|npm|pypi|registry|ci)token$/.test(
      word,
    )
  ) {
    return { strength: 'token', kind: 'token' };
  }
  if (word.includes('apikey') || (word === 'key' && previous === 'api')) return { strength: 'token', kind: 'api-key' };
  if (word === 'key' && (previous === 'access' || previous === 'private' || previous === 'secret')) {
    return { strength: 'token', kind: 'secret' };
  }
  if (
    word === 'key' ||
    (word.endsWith('key') && word.length > 3 && !/(?:monkey|turkey|hockey|jockey|whiskey)$/.test(word))
  ) {
    return previous === undefined && word === 'key'
      ? { strength: 'weak', kind: 'secret' }
      : { strength: 'compound', kind: 'secret' };
  }
  if (word === 'credential' || word === 'cred' || word === 'creds') return { strength: 'weak', kind: 'secret' };
  return null;
}

/**
 * Classifies a key, or returns null when it does not name a secret.
 *
 * @example
 * classifyKey('DB_PASSWORD'); // { strength: 'password', kind: 'password' }
 * classifyKey('password_length'); // null
 * classifyKey('public_key'); // null
 */
export function classifyKey(key: string): KeyClass | null {
  const words = keyWords(key);
  if (words.length === 0) return null;
  let hit: Hit | null = null;
  for (let i = 0; i < words.length; i++) {
    const found = classifyWord(words[i] as string, words[i - 1]);
    if (!found) continue;
    // The strongest word wins; among equals the last one, which is the one the suffix check reads after.
    if (!hit || rank(found.strength) >= rank(hit.class.strength)) hit = { index: i, class: found };
  }
  if (!hit) return null;
  for (let i = hit.index + 1; i < words.length; i++) {
    if (ROLE_SUFFIXES.has(words[i] as string)) return null;
  }
  for (let i = 0; i < hit.index; i++) {
    if (NEUTRALISING_PREFIXES.has(words[i] as string)) return null;
  }
  const word = words[hit.index] as string;
  if (word.endsWith('s') && /(?:tokens|keys|secrets|passwords|credentials)$/.test(word)) return null;
  // `keyword`, `keyboard`, `keystore`: the classifier saw "key" inside another word.
  if (/^key(?:word|board|store|ring|chain|frame|note|pad|stroke|space|set|pair|id|name|length|size)s?$/.test(word))
    return null;
  if (
    hit.class.strength === 'compound' &&
    words.length === 1 &&
    word !== 'key' &&
    !/(?:api|access|secret|private|auth|account|master|signing|encryption|license|client)key$/.test(word)
  ) {
    // A single word ending in "key" (`hotkey`, `passkey` aside) is rarely a credential name on its own.
    return null;
  }
  return hit.class;
}

function rank(strength: KeyStrength): number {
  return { weak: 0, compound: 1, token: 2, password: 3 }[strength];
}
