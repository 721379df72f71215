import type { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Caller } from './caller';

export interface CallerVerifierOptions {
  /** The identity provider's JWKS (cached; fetched again on an unknown `kid`). */
  jwksUrl?: string;
  /** Or one public key. */
  publicKey?: KeyObject;
  issuer: string;
  audience: string;
  algorithms: string[];
  /** Claim holding the roles: an array or a space-separated string; dots walk into objects. */
  rolesClaim: string;
  adminRole: string;
  clockToleranceSeconds: number;
}

/** Why a bearer token was refused; said to the caller without detail. */
export class CallerTokenError extends Error {
  override readonly name = 'CallerTokenError';
}

/**
 * Checks callers' bearer tokens with jose: signature against the configured
 * key or JWKS with the algorithms pinned (so `none` and an HMAC "signed" with
 * the public key both fail), issuer, audience, `exp` and `nbf` with a small
 * leeway, and a `sub`.
 */
export class CallerVerifier {
  private readonly key: KeyObject | JWTVerifyGetKey;

  constructor(private readonly options: CallerVerifierOptions) {
    if (options.publicKey) this.key = options.publicKey;
    else if (options.jwksUrl) this.key = createRemoteJWKSet(new URL(options.jwksUrl));
    else throw new Error('CallerVerifier needs a JWKS URL or a public key');
  }

  async verify(token: string): Promise<Caller> {
    const checks = {
      issuer: this.options.issuer,
      audience: this.options.audience,
      algorithms: this.options.algorithms,
      clockTolerance: this.options.clockToleranceSeconds,
      requiredClaims: ['sub', 'exp'],
    };
    let payload: JWTPayload;
    try {
      const key = this.key;
      ({ payload } = typeof key === 'function' ? await jwtVerify(token, key, checks) : await jwtVerify(token, key, checks));
    } catch (error) {
      throw new CallerTokenError(reason(error), { cause: error });
    }

    const roles = readRoles(payload, this.options.rolesClaim);

    return {
      subject: payload.sub as string,
      roles,
      admin: roles.includes(this.options.adminRole),
      // When the token stops being accepted here, leeway included.
      expiresAt: payload.exp === undefined ? undefined : payload.exp + this.options.clockToleranceSeconds,
    };
  }
}

function reason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was signed with an unknown key';
  return 'the token is not valid';
}

function readRoles(payload: JWTPayload, claim: string): string[] {
  let value: unknown = payload;
  for (const part of claim.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  if (typeof value === 'string') return value.split(' ').filter((r) => r !== '');
  if (Array.isArray(value)) return value.filter((r): r is string => typeof r === 'string');

  return [];
}
