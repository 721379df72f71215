import type { KeyObject } from 'node:crypto';
import { compactVerify, decodeJwt } from 'jose';

/** The claims the emulator reads from either token kind (KRAKEN.md §2.2, §2.3). */
export interface TokenClaims {
  clientId: string;
  api?: unknown;
  kyc?: unknown;
  level?: unknown;
  state?: unknown;
  externalUserId?: unknown;
  iat?: unknown;
  exp?: unknown;
  nbf?: unknown;
  [claim: string]: unknown;
}

export type Verification =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: string };

export interface TokenVerifierOptions {
  /** The registered ES512 key of a client, or undefined for an unknown client. */
  keyFor: (clientId: string) => KeyObject | undefined;
  /** Clock in milliseconds. */
  now: () => number;
  maxClockSkewSeconds: number;
  /** Whether link tokens must carry `kyc: true` (KRAKEN.md open question 12). */
  requireKycClaim: boolean;
}

/** Longest lifetime Kraken allows an API token: "max 10min". */
export const MAX_API_TOKEN_LIFETIME_SECONDS = 600;

/** A P-521 signature in JOSE form is R‖S, 2 × 66 bytes, which is 176 base64url characters. */
const ES512_SIGNATURE_CHARS = 176;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The checks of KRAKEN.md §2.4, in its order. Every refusal carries a reason
 * for the debug log; callers answer 401 whatever it is.
 */
export class TokenVerifier {
  constructor(private readonly options: TokenVerifierOptions) {}

  /** A bearer token for `/public/kyc/...`: `api === true`, bounded lifetime. */
  async verifyApiToken(token: string): Promise<Verification> {
    const verified = await this.verifySignature(token);
    if (!verified.ok) return verified;

    const { claims } = verified;
    if (claims.api !== true) return refuse('api claim is not true');

    return this.checkApiTimes(claims);
  }

  /** A journey link token: `kyc === true` unless relaxed, never an API token. */
  async verifyLinkToken(token: string): Promise<Verification> {
    const verified = await this.verifySignature(token);
    if (!verified.ok) return verified;

    const { claims } = verified;
    if (claims.api === true) return refuse('an API token cannot open the journey');
    if (this.options.requireKycClaim && claims.kyc !== true) {
      return refuse('kyc claim is not true');
    }
    // "There is no expiration" for links, but honour exp when a signer sets one.
    if (claims.exp !== undefined) return this.checkNotExpired(claims);

    return verified;
  }

  /** Steps 1 to 3: shape, client lookup, ES512 signature in JOSE form. */
  private async verifySignature(token: string): Promise<Verification> {
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => !BASE64URL.test(part))) {
      return refuse('not a three-part JWS');
    }

    const clientId = unverifiedClientId(token);
    if (clientId === undefined) return refuse('no clientId claim');
    const key = this.options.keyFor(clientId);
    if (!key) return refuse('unknown client');

    // A DER signature (~138 bytes) must fail even where a library would accept it.
    if (parts[2].length !== ES512_SIGNATURE_CHARS) return refuse('signature is not 132 raw bytes');

    let payload: Uint8Array;
    try {
      // The algorithm is pinned: `none`, HS* and every other alg in the header fail here.
      ({ payload } = await compactVerify(token, key, { algorithms: ['ES512'] }));
    } catch {
      return refuse('signature does not verify with ES512');
    }

    return parseClaims(payload, clientId);
  }

  /** Step 5 for API tokens: `exp` required, not past, at most 600 s away. */
  private checkApiTimes(claims: TokenClaims): Verification {
    const { exp, iat } = claims;
    if (!isNumber(exp)) return refuse('exp missing');
    if (iat !== undefined && !isNumber(iat)) return refuse('iat is not a number');

    const nowSeconds = this.nowSeconds();
    const skewSeconds = this.options.maxClockSkewSeconds;
    if (nowSeconds >= exp + skewSeconds) return refuse('expired');
    if (isNumber(iat) && exp - iat > MAX_API_TOKEN_LIFETIME_SECONDS) {
      return refuse('lifetime over 600 s');
    }
    if (exp - nowSeconds > MAX_API_TOKEN_LIFETIME_SECONDS + skewSeconds) {
      return refuse('expires more than 600 s from now');
    }

    return this.checkNotBefore(claims);
  }

  private checkNotExpired(claims: TokenClaims): Verification {
    if (!isNumber(claims.exp)) return refuse('exp is not a number');
    if (this.nowSeconds() >= claims.exp + this.options.maxClockSkewSeconds) {
      return refuse('expired');
    }

    return this.checkNotBefore(claims);
  }

  /** `nbf` is not in Kraken's scheme, but a signer that sets it means it. */
  private checkNotBefore(claims: TokenClaims): Verification {
    const { nbf } = claims;
    if (nbf === undefined) return { ok: true, claims };
    if (!isNumber(nbf)) return refuse('nbf is not a number');
    if (this.nowSeconds() + this.options.maxClockSkewSeconds < nbf) return refuse('not yet valid');

    return { ok: true, claims };
  }

  private nowSeconds(): number {
    return this.options.now() / 1000;
  }
}

function refuse(reason: string): Verification {
  return { ok: false, reason };
}

/** Step 2 reads `clientId` before any trust, only to pick the key. */
function unverifiedClientId(token: string): string | undefined {
  try {
    const { clientId } = decodeJwt(token);
    return typeof clientId === 'string' && clientId !== '' ? clientId : undefined;
  } catch {
    return undefined;
  }
}

/** Claims come from the verified bytes, never from the earlier unverified decode. */
function parseClaims(payload: Uint8Array, clientId: string): Verification {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return refuse('payload is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return refuse('payload is not a JSON object');
  }

  return { ok: true, claims: { ...(parsed as Record<string, unknown>), clientId } };
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
