import { generateKeyPairSync } from 'node:crypto';
import { parsePrivateKey, PrivateKeyError } from '../../src/kraken/private-key';
import { signEs512 } from '../../src/kraken/es512';
import { fixtureText } from '../helpers/fixtures';
import { signatureBytes, verifyEs512 } from '../helpers/jwt';

const pkcs8 = fixtureText('keys', 'pkcs8.pem');

async function expectSignsForKraken(pem: string) {
  const key = parsePrivateKey(pem);
  const token = await signEs512({ clientId: 'c', api: true }, key);
  const claims = await verifyEs512(token, parsePrivateKey(pkcs8));

  expect(claims).toMatchObject({ clientId: 'c', api: true });
  expect(signatureBytes(token)).toBe(132);
}

describe('parsePrivateKey', () => {
  it('accepts a SEC1 key straight from openssl ecparam -genkey -noout (K1)', async () => {
    const key = parsePrivateKey(fixtureText('keys', 'sec1-noout.pem'));

    expect(key.asymmetricKeyDetails?.namedCurve).toBe('secp521r1');
  });

  it('accepts a SEC1 key that openssl wrote with its EC PARAMETERS block', () => {
    const key = parsePrivateKey(fixtureText('keys', 'sec1-with-params.pem'));

    expect(key.asymmetricKeyType).toBe('ec');
  });

  it('signs tokens Kraken accepts from PKCS#8 given as real lines (K2)', async () => {
    await expectSignsForKraken(pkcs8);
  });

  it('signs tokens Kraken accepts from PKCS#8 on one line with literal \\n escapes (K2)', async () => {
    const oneLine = pkcs8.trim().split('\n').join('\\n');

    expect(oneLine).not.toContain('\n');
    await expectSignsForKraken(oneLine);
  });

  it('signs tokens Kraken accepts from PKCS#8 with CRLF line ends (K2)', async () => {
    await expectSignsForKraken(pkcs8.replace(/\n/g, '\r\n'));
  });

  it('signs tokens Kraken accepts from PKCS#8 wrapped in double quotes (K2)', async () => {
    await expectSignsForKraken(`"${pkcs8.trim().split('\n').join('\\n')}"`);
  });

  it('refuses a garbage value without echoing it (K3)', () => {
    const garbage = 'not-a-key-SECRETVALUE-1234';

    expect(() => parsePrivateKey(garbage)).toThrow(PrivateKeyError);
    expect(() => parsePrivateKey(garbage)).toThrow(/BEGIN PRIVATE KEY/);
    expect(() => parsePrivateKey(garbage)).not.toThrow(/SECRETVALUE/);
  });

  it('refuses a PEM whose body is damaged', () => {
    const damaged = pkcs8.replace(/[A-Za-z]{8}/, 'AAAAAAAA!');

    expect(() => parsePrivateKey(damaged)).toThrow(PrivateKeyError);
  });

  it('refuses a P-256 key and says ES512 needs P-521 (K4)', () => {
    expect(() => parsePrivateKey(fixtureText('keys', 'p256-sec1.pem'))).toThrow(/P-521/);
  });

  it('refuses an RSA key and names what it got', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

    expect(() => parsePrivateKey(pem)).toThrow(/P-521.*rsa/);
  });
});
