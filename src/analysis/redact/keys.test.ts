import { describe, expect, it } from 'vitest';
import { classifyKey, keyWords } from './keys.js';

describe('keyWords', () => {
  it('splits separators and camelCase', () => {
    expect(keyWords('azureClientSecret')).toEqual(['azure', 'client', 'secret']);
    expect(keyWords('AWS_SECRET_ACCESS_KEY')).toEqual(['aws', 'secret', 'access', 'key']);
    expect(keyWords('--softlayer-api-key')).toEqual(['softlayer', 'api', 'key']);
    expect(keyWords('X-Octopus-ApiKey')).toEqual(['x', 'octopus', 'api', 'key']);
  });
});

describe('classifyKey', () => {
  it.each([
    ['password', 'password', 'password'],
    ['DB_PASSWORD', 'password', 'password'],
    ['db_pass', 'password', 'password'],
    ['cloudant_pw', 'password', 'password'],
    ['my_password_secure', 'password', 'password'],
    ['client_secret', 'token', 'secret'],
    ['secrete', 'token', 'secret'],
    ['AWS_SECRET_ACCESS_KEY', 'token', 'secret'],
    ['private_key', 'token', 'secret'],
    ['GITHUB_TOKEN', 'token', 'token'],
    ['_authToken', 'token', 'token'],
    ['vaultToken', 'token', 'token'],
    ['api_key', 'token', 'api-key'],
    ['IBMCLOUDIAMAPIKEY', 'token', 'api-key'],
    ['x-api-key', 'token', 'api-key'],
    ['AccountKey', 'compound', 'secret'],
    ['cloudant_key', 'compound', 'secret'],
    // PagerDuty's integration key, in Alertmanager's `pagerduty_configs`.
    ['routing_key', 'compound', 'secret'],
    ['key', 'weak', 'secret'],
  ] as const)('%s names a secret (%s, %s)', (key, strength, kind) => {
    expect(classifyKey(key)).toEqual({ strength, kind });
  });

  it.each([
    'password_length',
    'passwordVariable',
    'password_hash',
    'password_reset_url',
    'hashed_secret',
    'LLM_SECRET_NAME',
    'secret_length',
    'UserSecretsId',
    'secrets',
    'access_token_url',
    'TokenFile',
    'csrf-token',
    'authenticity_token',
    'max_tokens',
    'tokenizer',
    'jsonwebtoken',
    'public_key',
    'publicToken',
    'X509_pubkey_st',
    'kms_key_id',
    'foreign_key_id',
    'key_name',
    'keyword',
    'keyboard',
    'sequenceKey',
    'validKeyChars',
    'keyVaultToStoreSecrets',
    'credentialsId',
    'bypass',
    'compass',
    'monkey',
    'hotkey',
    'author',
  ])('%s does not', (key) => {
    expect(classifyKey(key)).toBeNull();
  });
});
