/** Credentials found by their surroundings. Test values are assembled from pieces; all are random and valid for nothing. */
import { describe, expect, it } from 'vitest';
import {
  findAssignments,
  findAuthHeaders,
  findCurlUserPasswords,
  findJwts,
  findPrivateKeys,
  findUrlPasswords,
} from './credentials.js';
import type { Candidate } from './types.js';

const j = (...parts: string[]): string => parts.join('');

const texts = (text: string, candidates: Candidate[]): string[] => candidates.map((c) => text.slice(c.start, c.end));
const kinds = (candidates: Candidate[]): string[] => candidates.map((c) => c.kind);

const BODY = [
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
];
const pem = (label: string, body: string[]): string =>
  [j('-----BEGIN ', label, 'PRIVATE KEY-----'), ...body, j('-----END ', label, 'PRIVATE KEY-----')].join('\n');

describe('findPrivateKeys', () => {
  it('redacts the whole block, whatever the key type', () => {
    for (const label of ['', 'RSA ', 'EC ', 'OPENSSH ', 'ENCRYPTED ']) {
      const block = pem(label, BODY);
      const text = `key:\n${block}\nafter`;
      expect(texts(text, findPrivateKeys(text))).toEqual([block]);
    }
  });

  it('reads keys inside JSON strings, with escaped newlines', () => {
    const block = pem('', BODY).replaceAll('\n', '\\n');
    const text = `{"type": "service_account", "private_key": "${block}\\n"}`;
    expect(texts(text, findPrivateKeys(text))).toEqual([block]);
  });

  it('redacts a key cut off before its END line up to where its body stops', () => {
    const text = `${j('-----BEGIN RSA ', 'PRIVATE KEY-----')}\n${BODY[0]}\n${BODY[1]}\n\nThe key was rotated.`;
    expect(texts(text, findPrivateKeys(text))).toEqual([text.slice(0, text.indexOf('\n\nThe'))]);
  });

  it('redacts a full-length body of one repeated character: the block is in the format of a key', () => {
    const text = pem('', ['A'.repeat(64), 'A'.repeat(64)]);
    expect(texts(text, findPrivateKeys(text))).toEqual([text]);
  });

  it('keeps stubs, bodies masked with `*` or in brackets, and public keys', () => {
    for (const body of [
      ['...'],
      ['xxx'],
      ['***'],
      ['anything'],
      ['YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo='],
      ['*'.repeat(64), '*'.repeat(64)],
      ['<paste the private key of the deploy user here, base64 encoded>'],
    ]) {
      const text = pem('', body);
      expect(findPrivateKeys(text), body[0]).toEqual([]);
    }
    const publicKey = `-----BEGIN PUBLIC KEY-----\n${BODY.join('\n')}\n-----END PUBLIC KEY-----`;
    expect(findPrivateKeys(publicKey)).toEqual([]);
    expect(findPrivateKeys('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA8Qw2kq3wX9C4K0v5tq user@laptop')).toEqual(
      [],
    );
  });
});

describe('findJwts', () => {
  const jwt = j(
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
    '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ',
    '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  );

  it('finds tokens whose header and payload decode to JSON', () => {
    expect(texts(`Authorization: Bearer ${jwt}`, findJwts(`Authorization: Bearer ${jwt}`))).toEqual([jwt]);
    const unsigned = jwt.slice(0, jwt.lastIndexOf('.'));
    expect(texts(unsigned, findJwts(unsigned))).toEqual([unsigned]);
  });

  it('keeps look-alikes that do not decode', () => {
    for (const text of [
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
      'eyJAAAA.eyJBBB',
      'eyJhbasdGciOiJIUzI1NiIasdsInR5cCI6IkpXVCasdJasd9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig',
    ]) {
      expect(findJwts(text), text).toEqual([]);
    }
  });
});

describe('findUrlPasswords', () => {
  it.each([
    ['postgres://app:s3cr3tP4ss@db.internal:5432/prod', 's3cr3tP4ss'],
    ['mongodb+srv://appuser:myR3alP@ssw0rd@cluster0.mongodb.net/db', 'myR3alP@ssw0rd'],
    ['redis://:Zx9kLm2QwErT@cache:6379/0', 'Zx9kLm2QwErT'],
    ['jdbc:mysql://admin:str0ngP4ss@db.company.com:3306/app', 'str0ngP4ss'],
    ['https://deploy:cafe1234beef@git.example.com/org/repo.git', 'cafe1234beef'],
    ['ftps://backup:B4ckupK3y987@files.example.com/', 'B4ckupK3y987'],
  ])('redacts the password of %s', (url, password) => {
    expect(texts(url, findUrlPasswords(url))).toEqual([password]);
    expect(kinds(findUrlPasswords(url))).toEqual(['password']);
  });

  it.each([
    'https://username:password@example.com/api',
    'postgres://postgres:postgres@localhost:5432/app',
    'https://${USER}:${PASSWORD}@api.example.com',
    'mysql://$(DB_USER):$(DB_PASS)@$(DB_HOST)/db',
    'https://user:abc@api.example.com',
    'https://testuser:xxxx@demo.example.com',
    'https://YOUR_USERNAME:YOUR_PASSWORD@api.example.com',
    'https://example.com/a:b@c',
    'mongodb://localhost:27017/database',
  ])('keeps %s', (url) => {
    expect(findUrlPasswords(url)).toEqual([]);
  });
});

describe('findAuthHeaders', () => {
  it('redacts the credential of an Authorization header and bare bearer tokens', () => {
    const token = 'abcDEF123ghiJKL456mnoPQR789';
    for (const text of [
      `Authorization: Bearer ${token}`,
      `curl -H 'Authorization: Token ${token}' https://api`,
      `-H "Authorization:${token}"`,
      `Proxy-Authorization: Basic ${token}`,
      `token was sent as Bearer ${token}.`,
    ]) {
      expect(
        texts(text, findAuthHeaders(text)).every((t) => t === token),
        text,
      ).toBe(true);
      expect(findAuthHeaders(text).length, text).toBeGreaterThan(0);
    }
  });

  it('keeps variables, placeholders and elisions', () => {
    for (const text of [
      'Authorization: Bearer $API_KEY',
      'Authorization: Bearer $(gcloud auth print-access-token)',
      'Authorization: Bearer <Openverse API token>',
      'Authorization: Bearer XXXXXXXXXXXX',
      'Authorization: Token **********',
      'Authorization: Basic ...',
      'Authorization: basic {base64(email:password)}',
      'Authorization: Bearer ${{ secrets.TOKEN }}',
    ]) {
      expect(findAuthHeaders(text), text).toEqual([]);
    }
  });
});

describe('findCurlUserPasswords', () => {
  it.each([
    ['curl --cacert ca.crt -u elastic:P@ssw0rd$1 https://localhost:9200', 'P@ssw0rd$1'],
    ["curl -s --user 'api:d2LkV78zLx!t' https://api.mailgun.net", 'd2LkV78zLx!t'],
    ["curl --user kevin:'pRf7vG2h1L8nQkW9' -X PATCH", 'pRf7vG2h1L8nQkW9'],
    ['curl -u ":d2LkV78zLx!t" https://localhost:9200', 'd2LkV78zLx!t'],
    ['curl -u "d2LkV78zLx9t:" https://api.example.com', 'd2LkV78zLx9t'],
  ])('redacts the password in %s', (text, secret) => {
    expect(texts(text, findCurlUserPasswords(text))).toEqual([secret]);
  });

  it.each([
    "curl -i -u 'test:test'",
    'curl -u username:token',
    'curl -sL --user "$1:$2" "$3"',
    'curl -u "${username}:${password}"',
    'curl --user "xxx:yyy"',
    'curl -u <user:password> https://test.com/endpoint',
    'curl --user neo4j:[PASSWORD] http://[IP]:7474/db/data/',
    'curl -u ":" https://localhost:9200',
    'sort -u file.txt',
  ])('keeps %s', (text) => {
    expect(findCurlUserPasswords(text)).toEqual([]);
  });
});

describe('findAssignments', () => {
  it.each([
    ['password = "value with quotes and spaces"', 'value with quotes and spaces', 'password'],
    ['DB_PASSWORD=Tr0ub4dor&3', 'Tr0ub4dor&3', 'password'],
    ['  password: hunter22', 'hunter22', 'password'],
    ['"client_secret": "8Q~aZxk3pL2mV9qR4tY7uW1sE6dF0gH5jK"', '8Q~aZxk3pL2mV9qR4tY7uW1sE6dF0gH5jK', 'secret'],
    ["api_key := 'm{{h}o)p${e]nob(ody[finds>-_$#thisone}}'", 'm{{h}o)p${e]nob(ody[finds>-_$#thisone}}', 'api-key'],
    ['GITHUB_TOKEN=f6CGV4aMM9zedoh3OUNbSakBymo7yplB', 'f6CGV4aMM9zedoh3OUNbSakBymo7yplB', 'token'],
    ['aws_secret_access_key: value with quotes and spaces', 'value with quotes and spaces', 'secret'],
    ['password => "Zx9!kLm2Qw"', 'Zx9!kLm2Qw', 'password'],
    ['secret[] = "Zx9!kLm2Qw";', 'Zx9!kLm2Qw', 'secret'],
    ['password = @"Zx9!kLm2Qw";', 'Zx9!kLm2Qw', 'password'],
    ['if (db_pass != "Zx9!kLm2Qw") {', 'Zx9!kLm2Qw', 'password'],
    ['if ("Zx9!kLm2Qw" === private_key) {', 'Zx9!kLm2Qw', 'secret'],
    ['std::string secret("Zx9!kLm2Qw");', 'Zx9!kLm2Qw', 'secret'],
    ['password "Zx9!kLm2Qw";', 'Zx9!kLm2Qw', 'password'],
    ['--softlayer-api-key "abcd1234abcd1234abcd1234abcd1234"', 'abcd1234abcd1234abcd1234abcd1234', 'api-key'],
    ['docker login --password=Zx9kLm2QwErT', 'Zx9kLm2QwErT', 'password'],
    ['AccountKey=lJzRc1YdHaAA2KCNJJ1tkYwF+mKK6Ygw', 'lJzRc1YdHaAA2KCNJJ1tkYwF+mKK6Ygw', 'secret'],
    ['key="ToCynx5Se4e2PtoZxEhW7lUJcOX15c54"', 'ToCynx5Se4e2PtoZxEhW7lUJcOX15c54', 'secret'],
    ['X-API-Key: c4ed6c21-9dd5-4a05-8e3f-c56d1151cce8', 'c4ed6c21-9dd5-4a05-8e3f-c56d1151cce8', 'api-key'],
    [
      'low_entropy_binary_secret: !!binary MjNjcnh1IDJieXJpdXYyeXJpaTJidnl1MnI4OXkyb3UwMg==',
      'MjNjcnh1IDJieXJpdXYyeXJpaTJidnl1MnI4OXkyb3UwMg==',
      'secret',
    ],
    [
      'MailchimpSDK.initialize(token: 3012a5754bbd716926f99c028f7ea428-us18)',
      '3012a5754bbd716926f99c028f7ea428-us18',
      'token',
    ],
    ['  - routing_key: 3f2a9c7e1b4d4e8f9a0b1c2d3e4f5a6b', '3f2a9c7e1b4d4e8f9a0b1c2d3e4f5a6b', 'secret'],
  ])('redacts the value of %s', (text, secret, kind) => {
    const candidates = findAssignments(text);
    expect(texts(text, candidates)).toEqual([secret]);
    expect(kinds(candidates)).toEqual([kind]);
  });

  it.each([
    'password: ""',
    'token: null',
    'api_key: changeme',
    'password = ${DB_PASSWORD}',
    'password: ${{ secrets.DB_PASSWORD }}',
    'passwordVariable: "PASSWORD"',
    'iam_api_key="%s" % IBM_IAM_API_KEY_ENV',
    'CLOUD_APIKEY: "insert_key_here"',
    'password = "somefakekey"',
    'password: real_key',
    'SUMO_ACCESS_KEY=`etcdctl get /sumologic_secret`',
    'password_file: /run/secrets/db_password',
    'token_url = "https://oauth2.example.com/token"',
    'secret_length = X25519.secret_length',
    'max_tokens: 4096',
    'public_key = "9Cnzj4p4WGeKLs1Pt8QuKUpRKfFLfRYC9AIKjbJTWit"',
    'credentialsId: "ff083f76-7804-4ef1-80e4-fe975bb9141b"',
    "headers={'Authorization': 'token ' + os.environ['CONFIGPROXY_AUTH_TOKEN']}",
    'volume "default-token-ftskg" : mkdir /var/lib/kubelet/pods/e8d31d4e',
    'The token expired yesterday. Password: reset for everyone.',
    'We rotated the API key; the secret: rotation is now weekly.',
    '"groupKey": "{}/{severity=\\"critical\\"}:{alertname=\\"High\\"}"',
    'const keyStr = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"',
    'mongodb://user:password@db.example.com:27017/mydb',
    // A message broker's routing keys name queues.
    'channel.publish(exchange, routingKey: "notifications.email.send")',
    'routing_key: orders.*.created',
  ])('keeps %s', (text) => {
    expect(findAssignments(text)).toEqual([]);
  });
});
