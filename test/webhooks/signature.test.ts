import { signBody, verifySignature } from '../../src/webhooks/signature';
import { fixtureBytes, fixtureText } from '../helpers/fixtures';

const SECRET = 'kraken-test-secret-3f9a';
const body = fixtureBytes('webhooks', 'approved-compact.json');
const right = fixtureText('webhooks', 'signatures.tsv')
  .split('\n')
  .find((line) => line.startsWith('approved-compact.json'))!
  .split('\t')[2];

describe('verifySignature', () => {
  it('accepts the signature given in the cases table', () => {
    expect(signBody(body, SECRET)).toBe(right);
    expect(verifySignature(body, right, [SECRET])).toBe(true);
  });

  it('matches the emulator test vectors of KRAKEN.md 4.3', () => {
    const vector = Buffer.from('{"id":"3f6c2a9e-8b1d-4e57-9a0c-2d7e5b4f1a63","status":"approved","note":""}');

    expect(signBody(vector, 'emulator-webhook-secret-0001')).toBe(
      'dc76569a6aea4250e7aa4f15371fd785de686eba53d2e1536116c224a0ec75ad',
    );
  });

  it.each([
    ['upper-case hex', right.toUpperCase()],
    ['a sha256= prefix', `sha256=${right}`],
  ])('accepts %s', (_name, header) => {
    expect(verifySignature(body, header, [SECRET])).toBe(true);
  });

  it.each([
    ['absent', undefined],
    ['an array', [right]],
    ['abc', 'abc'],
    ['63 hex digits', right.slice(1)],
    ['128 hex digits', right + right],
    ['é × 64', 'é'.repeat(64)],
    ['the right signature plus a trailing space', `${right} `],
    ['the right signature plus a leading space', ` ${right}`],
    ['sha256= alone', 'sha256='],
    ['=', '='],
    ['64 × z', 'z'.repeat(64)],
    ['a SHA-1 digest with sha1=', 'sha1=9e581dd775e5ba87e9839b595d6eb0d784ecfdb6'],
    ['hex with a non-hex tail that Buffer.from would drop', `${right.slice(0, 62)}zz`],
  ])('refuses %s without throwing', (_name, header) => {
    expect(verifySignature(body, header, [SECRET])).toBe(false);
  });

  it('refuses a body changed by one byte', () => {
    expect(verifySignature(Buffer.concat([body, Buffer.from('\n')]), right, [SECRET])).toBe(false);
  });

  it('accepts any of several secrets during a rotation, and none when the list is empty', () => {
    const old = signBody(body, 'kraken-old-secret-11aa');

    expect(verifySignature(body, old, [SECRET, 'kraken-old-secret-11aa'])).toBe(true);
    expect(verifySignature(body, old, [SECRET])).toBe(false);
    expect(verifySignature(body, right, [])).toBe(false);
  });
});
