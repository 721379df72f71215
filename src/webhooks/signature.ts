import { createHmac, timingSafeEqual } from 'node:crypto';

/** Lowercase or uppercase hex of an HMAC-SHA256, optionally `sha256=`-prefixed. */
const SIGNATURE = /^(?:sha256=)?([0-9a-f]{64})$/i;

/**
 * Checks Kraken's `X-Fractal-Signature` (KRAKEN.md §4.1): hex HMAC-SHA256 of
 * the exact body bytes, keyed with the secret's UTF-8 bytes. Any of several
 * secrets may match during a rotation.
 *
 * Never throws: a missing, short, long, non-hex or multi-byte header is simply
 * false. The shape is checked before decoding because `Buffer.from(x, 'hex')`
 * stops silently at the first bad character, and every secret is compared in
 * constant time so the answer's timing says nothing about which was close.
 */
export function verifySignature(body: Buffer, header: unknown, secrets: readonly string[]): boolean {
  if (typeof header !== 'string') return false;
  const match = SIGNATURE.exec(header);
  if (!match) return false;

  const given = Buffer.from(match[1], 'hex');
  let valid = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    valid = timingSafeEqual(expected, given) || valid;
  }

  return valid;
}

/** The header value Kraken would send for `body`. */
export function signBody(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}
