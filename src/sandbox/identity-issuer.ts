import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { CallerVerifierOptions } from '../auth/caller-verifier';

/** The subjects sandbox mode signs tokens for. */
export const SANDBOX_USER = 'sandbox-user';
export const SANDBOX_ADMIN = 'sandbox-admin';
export const SANDBOX_ADMIN_ROLE = 'kyc:admin';

/**
 * A stand-in for the application's identity provider in sandbox mode: an
 * ES256 key made up at start-up that signs caller tokens, and the verifier
 * settings that trust exactly it.
 */
export class IdentityIssuer {
  readonly issuer = 'urn:kraken-graphql:sandbox-idp';
  readonly audience = 'kraken-graphql';
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor() {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  }

  /** A caller token for `subject`; lives `lifetimeSeconds` (default 12 hours). */
  issue(subject: string, roles: string[] = [], lifetimeSeconds = 12 * 3_600): Promise<string> {
    return new SignJWT({ roles })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(`${lifetimeSeconds}s`)
      .sign(this.privateKey);
  }

  verifierOptions(): CallerVerifierOptions {
    return {
      publicKey: this.publicKey,
      issuer: this.issuer,
      audience: this.audience,
      algorithms: ['ES256'],
      rolesClaim: 'roles',
      adminRole: SANDBOX_ADMIN_ROLE,
      clockToleranceSeconds: 30,
    };
  }
}
