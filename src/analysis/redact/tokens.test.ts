/**
 * Vendor-shaped credentials. Test values are assembled from pieces so that this file does not itself look like a
 * leaked credential to secret scanners; all of them are random strings, valid for nothing.
 */
import { describe, expect, it } from 'vitest';
import { findTokens, isPlausibleSlackToken } from './tokens.js';

const j = (...parts: string[]): string => parts.join('');

function found(text: string): [string, string][] {
  return findTokens(text).map((c) => [c.kind, text.slice(c.start, c.end)]);
}

describe('findTokens', () => {
  it.each([
    ['aws-access-key', j('AKIA', '2E0A8F3B244C9986')],
    ['aws-access-key', j('ASIA', 'Q3XH7TZK2B5LW9PD')],
    ['stripe-key', j('sk_', 'live_', '51H8zzAbCdEfGhIjKlMnOpQrSt')],
    ['stripe-key', j('rk_', 'test_', '5TcWfjKmJgpql9hjpRnwRXbT')],
    ['twilio-key', j('SK', 'f3c1a9b7e5d3c1a9b7e5d3c1a9b7e5d3')],
    ['azure-client-secret', j('bP88Q', '~rcBcYjzzOhg1Hnn76Wm3jGgakZiZ.8vMgR')],
    ['slack-token', j('xoxb-', '263594206564-', 'FGqddMF8t08v8N7Oq4i57vs1')],
    ['discord-token', j('MTk4NjIyNDgzNDcxOTI1MjQ4', '.Cl2FMQ.', 'ZnCjm1XVW7vRze4b7Cq4se7kKWs')],
    ['telegram-token', j('110201543', ':AAHdqTcvCH1vGWJxfSe1ofSAs0K5PALDsaw')],
    ['gitlab-token', j('gldt-', 'HwllOuhfw-wu0rlD_yep')],
    ['gitlab-token', j('GR1348941', 'PREfix_helloworld380')],
    ['mailchimp-key', j('343ea45721923ed9', '56e2b38c31db76aa-us30')],
    ['openai-key', j('sk-proj-', 'Xi8tdMjHV6pmbBbwilTe', 'T3BlbkFJ', '3UDnpdEwNNm6wVBpYM0o')],
    ['sendgrid-key', j('SG.', 'ngeVfQFYQlKU0ufo8x5d1A', '.TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr')],
    ['sourcegraph-token', j('sgp_', '0D697F54cb24238EefB29af05Abf1b505E90950F')],
    ['perplexity-key', j('pplx-', 'd7m9i004uJ7RXsix28473aEWzQeGOEQKyJACbXg2GVBLT2eT')],
    ['google-client-secret', j('GOCSPX-', 'Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7b')],
    ['digitalocean-token', j('dop_v1_', '3f1c0a9e8b7d6c5b4a39281716151413121110090807060504030201a0b0c0d0')],
    ['cloudflare-token', j('cfat_', 'aAbBcCdDeEfFgGhHiIjJkKlLmMnNoOpPqQrRsStT', '03fa099b')],
    ['tailscale-key', j('tskey-', 'auth-', 'k3Nq8ZpW2xRt', '-Lm4Vb7Hc9Fd2Gs6Jk8Pq1Wz')],
    ['github-token', j('ghs_', '12345_', 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSJ9.SflKxwRJSMeKKF2QT4fwpMeJf36POk6y')],
  ])('finds a %s', (kind, token) => {
    expect(found(`before ${token} after`)).toEqual([[kind, token]]);
  });

  it('redacts only the key of an Azure connection string and the signature of a signed URL', () => {
    const key = j('lJzRc1YdHaAA2KCNJJ1tkYwF/+mKK6Ygw0NGe170Xu592euJv2wYUtBlV8z+', 'qnlcNQSnIYVTkLWntUO1F8j8rQ==');
    expect(found(`DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${key};EndpointSuffix=core`)).toEqual([
      ['azure-storage-key', key],
    ]);
    const sig = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0';
    expect(found(`https://acme.blob.core.windows.net/c/b?sv=2021-08-06&sig=${sig}`)).toEqual([['url-signature', sig]]);
  });

  it('redacts an Azure tenant id named as one, not any UUID', () => {
    const id = 'dac6fb3d-713c-4555-8a97-4089aa3849be';
    expect(found(`AZURE_TENANT_ID=${id}`)).toEqual([['azure-id', id]]);
    expect(found(`request ${id} failed`)).toEqual([]);
  });

  it('redacts a value in a vendor format whatever its body: a mask, a repeated character, a published example', () => {
    for (const [kind, token] of [
      ['aws-access-key', j('AKIA', 'XXXXXXXXXXXXXXXX')],
      ['aws-access-key', j('AKIA', 'IOSFODNN7', 'EXAMPLE')],
      ['stripe-key', j('sk_', 'live_', 'AAAAAAAAAAAAAAAAAAAAAAAA')],
      ['sourcegraph-token', j('sgp_', '5555555dAAAAA7777777CcccCFaaaaaaaaaaaaaa')],
      ['gitlab-token', j('GR1348941', '12312312312312312312')],
      ['tailscale-key', j('tskey-', 'api-', 'AAAAAAAAAAAA', '-', 'BBBBBBBBBBBBBBBBBBBBBBBB')],
      ['twilio-key', j('SK', 'x'.repeat(32))],
      ['artifactory-token', j('AP6', 'xxxxxxxxxx')],
      ['age-secret-key', j('AGE-SECRET-KEY-1', 'Q'.repeat(58))],
    ]) {
      expect(found(`before ${token} after`), token).toEqual([[kind, token]]);
    }
    const npm = j('npm_', 'xxxxxxxxxxx');
    expect(found(`//registry.npmjs.org/:_authToken=${npm}`)).toEqual([['npm-token', npm]]);
  });

  it("keeps vendor-format values with placeholder syntax no key can contain, and tokens without the format's parts", () => {
    for (const text of [
      '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
      '//registry.npmjs.org/:_authToken=<YOUR_TOKEN>',
      '//registry.npmjs.org/:_authToken=********',
      j('xoxp-', '572370529330-573807301142-572331691188-', '#'.repeat(20)),
      j('xoxb-', 'xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx'),
      j('xoxb-', '12345-abcd234'),
      j('AKC', 'xxxxxxxx'),
      'APACHEKAFKASTREAMS',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });

  it('redacts a vendor-format token written in Markdown emphasis', () => {
    const token = j('AKIA', '2E0A8F3B244C9986');
    expect(found(`***${token}***`)).toEqual([['aws-access-key', token]]);
  });

  it('reads an AWS secret key by its length under a key that names AWS, not a digest or a longer value', () => {
    const key = j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCY', 'EXAMPLEKEY');
    expect(found(`aws_access_key = "${key}"`)).toEqual([['aws-secret-key', key]]);
    expect(found(`AWS_SECRET_ACCESS_KEY: ${key}`)).toEqual([['aws-secret-key', key]]);
    expect(found(`aws_access_key = "${key}a"`)).toEqual([]);
    expect(found(`aws_key_id = "${key}"`)).toEqual([]);
    expect(found('aws_lambda_key: 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39')).toEqual([]);
  });

  it('keeps look-alikes and fillers of shapes ordinary text takes too', () => {
    for (const text of [
      'https://indieweb.org/images/3/35/2018-250-xoxo-indieweb-1.jpg',
      'TODAYINASIAASACKOFRICEFELLOVER',
      'pk_live_j5krY8XTgIcDaHDb3YrsAfCl',
      'msgstr "GSSAPI-VIRHEKAPSELOINTIMERKKIJONO."',
      'sha256 0x4bf92f3577b34da6a3ce929d0e0e47364bf92f3577b34da6a3ce929d0e0e4736',
      `wallet 0x${'0'.repeat(64)}`,
      'AZURE_TENANT_ID=00000000-0000-0000-0000-000000000000',
      'testAP6withinsomeirrelevantstring',
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });

  it('takes a 64-digit hex value after 0x as a private key only when nothing calls it a hash', () => {
    const key = 'c8f12fb8b20008e14b5A5ff4bad15af9b545d98144da8707892dcc2a2014ba58';
    expect(found(`oops 0x${key}!`)).toEqual([['crypto-private-key', key]]);
    expect(found(`tx hash 0x${key}`)).toEqual([]);
  });

  it('checks Slack tokens for the ids real ones carry', () => {
    expect(isPlausibleSlackToken(j('xoxb-', '263594206564-', 'FGqddMF8t08v8N7Oq4i57vs1'))).toBe(true);
    expect(isPlausibleSlackToken('xoxb-abcdef-abcdef')).toBe(false);
  });
});
