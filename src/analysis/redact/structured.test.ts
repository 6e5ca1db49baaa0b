/** Values whose key is not written right before them. Test values are random and valid for nothing. */
import { describe, expect, it } from 'vitest';
import { findSensitive } from './redact.js';
import { findBlockValues, findNamedValues } from './structured.js';
import type { Candidate } from './types.js';

const texts = (text: string, candidates: Candidate[]): string[] => candidates.map((c) => text.slice(c.start, c.end));

describe('findNamedValues', () => {
  it('reads Kubernetes and ECS environment lists', () => {
    const manifest = [
      'env:',
      '  - name: LOG_LEVEL',
      '    value: debug',
      '  - name: DB_PASSWORD',
      '    value: Tr0ub4dor&3',
      '  - name: STRIPE_API_KEY',
      '    value: "q8Vd2LmX0pRt7sKz4NbW"',
    ].join('\n');
    expect(texts(manifest, findNamedValues(manifest))).toEqual(['Tr0ub4dor&3', 'q8Vd2LmX0pRt7sKz4NbW']);
    const task =
      '"environment": [{"name": "PORT", "value": "8080"}, {"name": "AUTH_TOKEN", "value": "f3Kq9ZpX2vLm8RtY"}]';
    expect(texts(task, findNamedValues(task))).toEqual(['f3Kq9ZpX2vLm8RtY']);
  });

  it('reads CI variable exports, CloudFormation parameters, SSM parameters and XML attributes', () => {
    for (const [text, value] of [
      ['{"key": "DEPLOY_TOKEN", "value": "glx9Wq2LmZ7pRt4Kv8Nb", "protected": true}', 'glx9Wq2LmZ7pRt4Kv8Nb'],
      ['- ParameterKey: DbPassword\n  ParameterValue: s3cr3t-Pa55', 's3cr3t-Pa55'],
      ['{"Name": "/prod/orders/db/password", "Type": "SecureString", "Value": "n0t-Th3-Dr01ds"}', 'n0t-Th3-Dr01ds'],
      ['<env name="SMTP_PASSWORD" value="h7Gq!x2Lm9"/>', 'h7Gq!x2Lm9'],
    ] as const) {
      expect(texts(text, findNamedValues(text)), text).toEqual([value]);
    }
  });

  it('leaves references, settings about secrets and other items alone', () => {
    for (const text of [
      '- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: orders-db\n      key: password',
      '- name: DB_PASSWORD\n  value: ${DB_PASSWORD}',
      '- name: PASSWORD_MIN_LENGTH\n  value: "12"',
      '- name: TOKEN_TTL\n  value: 3600s',
      '- name: DB_PASSWORD_FILE\n  value: /run/secrets/db',
      '{"name": "API_TOKEN"}, {"name": "REGION", "value": "eu-west-1b"}',
      '- name: API_TOKEN\n- name: REPLICAS\n  value: "3x9Kq2Lm7"',
      'metadata:\n  name: api-token\nspec:\n  value: 8f3Kq9ZpX2vLm8RtY',
    ]) {
      expect(findNamedValues(text), text).toEqual([]);
    }
  });
});

describe('findBlockValues', () => {
  it('reads a value nested under its key', () => {
    const travis =
      'deploy:\n  api_key:\n    secure: cAmf8extX/sPl+sxC/6sWTmaiSGrXQY9C/lLg9c76Qn12MLysxD=\n  on:\n    tags: true';
    expect(texts(travis, findBlockValues(travis))).toEqual(['cAmf8extX/sPl+sxC/6sWTmaiSGrXQY9C/lLg9c76Qn12MLysxD=']);
    const schema = 'admin_password:\n  type: string\n  default: "Winter2024!"';
    expect(texts(schema, findBlockValues(schema))).toEqual(['Winter2024!']);
  });

  it('reads YAML block scalars and continuation lines', () => {
    const block = 'stringData:\n  db_password: |\n    Tr0ub4dor&3\nkind: Secret';
    expect(texts(block, findBlockValues(block))).toEqual(['Tr0ub4dor&3']);
    const ini = '[smtp]\npassword =\n    h7Gq!x2Lm9\nhost = mail.internal';
    expect(texts(ini, findBlockValues(ini))).toEqual(['h7Gq!x2Lm9']);
    const wrapped = 'const config = {\n  apiKey:\n    "q8Vd2LmX0pRt7sKz4NbW",\n};';
    expect(texts(wrapped, findBlockValues(wrapped))).toEqual(['q8Vd2LmX0pRt7sKz4NbW']);
  });

  it('leaves mappings of other settings, lists, code and prose alone', () => {
    for (const text of [
      'password:\n  secretKeyRef:\n    name: db\n    key: password',
      'token:\n  ttl: 3600\n  audience: api',
      'secrets:\n  db: q8Vd2LmX0pRt7sKz4NbW',
      'Password:\n  - must be 12 characters long\n  - rotated every 90 days',
      'const apiKey =\n    process.env.API_KEY;',
      'find(\n  token =>\n    token.type === "Punctuator",\n);',
      'interface Session {\n  token:\n    | string\n    | null;\n}',
      'Token:\n\n    expired at 09:12, rotated at 09:40',
      'password:\nhunter22',
    ]) {
      expect(findBlockValues(text), text).toEqual([]);
    }
  });
});

describe('through findSensitive', () => {
  it('redacts only the value, with the kind the key names', async () => {
    const text = 'containers:\n  - env:\n      - name: DB_PASSWORD\n        value: Tr0ub4dor&3';
    const findings = await findSensitive(text);
    expect(findings.map((f) => [f.kind, f.text])).toEqual([['password', 'Tr0ub4dor&3']]);
  });
});
