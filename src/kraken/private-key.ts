import { createPrivateKey, type KeyObject } from 'node:crypto';

/** The curve behind ES512 (RFC 7518 §3.4); Fractal's guide calls it "EC512". */
const ES512_CURVE = 'secp521r1';

/**
 * Why a PEM value was refused. The message names the problem, never the value:
 * it ends up in a start-up line and must not leak the key.
 */
export class PrivateKeyError extends Error {
  override readonly name = 'PrivateKeyError';
}

/**
 * Undoes what environment files and secret stores do to a PEM: surrounding
 * quotes, literal `\n` escapes (a known idOS pitfall) and CRLF line ends.
 */
export function normalisePem(value: string): string {
  let pem = value.trim();
  const quote = pem[0];
  if ((quote === '"' || quote === "'") && pem.endsWith(quote) && pem.length > 1) {
    pem = pem.slice(1, -1).trim();
  }

  return pem.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n');
}

/**
 * Parses the client's ES512 signing key: PKCS#8 (`BEGIN PRIVATE KEY`) or SEC1
 * (`BEGIN EC PRIVATE KEY`, what `openssl ecparam -genkey` writes), and refuses
 * anything that is not a P-521 key, so a wrong key fails at start-up rather
 * than on the first request.
 */
export function parsePrivateKey(value: string): KeyObject {
  const pem = normalisePem(value);
  if (!/-----BEGIN (EC )?PRIVATE KEY-----/.test(pem)) {
    throw new PrivateKeyError(
      'expected a PEM private key (BEGIN PRIVATE KEY or BEGIN EC PRIVATE KEY)',
    );
  }

  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new PrivateKeyError(
      'the PEM could not be read as a PKCS#8 or SEC1 private key',
    );
  }

  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== ES512_CURVE) {
    const found = key.asymmetricKeyType === 'ec' ? `EC curve ${curve}` : key.asymmetricKeyType;
    throw new PrivateKeyError(`ES512 needs a P-521 (secp521r1) key, got ${found}`);
  }

  return key;
}
