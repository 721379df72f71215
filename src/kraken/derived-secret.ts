import { createHmac, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * A 32-byte secret for one purpose, derived from the Kraken client key with
 * HKDF-SHA256: every instance that holds the key agrees on it without one
 * more setting, and purposes never share a key.
 */
export function deriveSecret(privateKey: KeyObject, purpose: string): Uint8Array {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const salt = createHmac('sha256', 'kraken-graphql').update(purpose).digest();

  return new Uint8Array(hkdfSync('sha256', der, salt, `kraken-graphql ${purpose} v1`, 32));
}
