import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';

/**
 * Signs claims as a compact JWS with ES512. jose emits the raw R‖S signature
 * (132 bytes for P-521) that Kraken expects, never DER.
 */
export function signEs512(claims: JWTPayload, key: KeyObject): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES512', typ: 'JWT' }).sign(key);
}

/** A short, stable name for a key pair that reveals nothing about the private half. */
export function keyFingerprint(privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });

  return createHash('sha256').update(spki).digest('base64url').slice(0, 16);
}
