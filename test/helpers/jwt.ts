import { createPublicKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';

/** Verifies an ES512 token as Kraken would and returns its claims. */
export async function verifyEs512(token: string, key: KeyObject, at?: Date): Promise<JWTPayload> {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const { payload } = await jwtVerify(token, publicKey, { algorithms: ['ES512'], currentDate: at });

  return payload;
}

/** Length in bytes of a compact JWS's signature segment. */
export function signatureBytes(token: string): number {
  return Buffer.from(token.split('.')[2], 'base64url').length;
}

export function headerOf(token: string): Record<string, unknown> {
  return decodeProtectedHeader(token) as Record<string, unknown>;
}
