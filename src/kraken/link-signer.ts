import type { KeyObject } from 'node:crypto';
import { badInput } from '../errors';
import { signEs512 } from './es512';
import { validateLevel } from './levels';

export interface LinkSignerOptions {
  /** Kraken host that serves the journey at `/kyc`. */
  baseUrl: string;
  clientId: string;
  privateKey: KeyObject;
}

export interface LinkRequest {
  level: string;
  state?: string | null;
  externalUserId?: string | null;
}

export interface SignedLink {
  url: string;
  token: string;
  level: string;
  state?: string;
}

/** Longest `state` or `externalUserId` accepted; both travel in a URL. */
const MAX_CLAIM_LENGTH = 512;

/**
 * Signs journey links (KRAKEN.md §2.2): ES512 over `{clientId, kyc: true,
 * level, state?, externalUserId?}`, no expiry, as Fractal's guide specifies.
 */
export class LinkSigner {
  constructor(private readonly options: LinkSignerOptions) {}

  async sign(request: LinkRequest): Promise<SignedLink> {
    const level = validateLevel(request.level);
    const state = optionalClaim('state', request.state);
    const externalUserId = optionalClaim('externalUserId', request.externalUserId);
    const claims = {
      clientId: this.options.clientId,
      kyc: true,
      level,
      ...(state !== undefined && { state }),
      ...(externalUserId !== undefined && { externalUserId }),
      iat: Math.floor(Date.now() / 1000),
    };
    const token = await signEs512(claims, this.options.privateKey);
    const url = new URL('/kyc', this.options.baseUrl);
    url.searchParams.set('token', token);

    return { url: url.toString(), token, level, state };
  }
}

function optionalClaim(name: string, value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value.length > MAX_CLAIM_LENGTH) {
    throw badInput(`${name} must be at most ${MAX_CLAIM_LENGTH} characters`);
  }
  // Control characters have no business in a claim that is echoed into URLs.
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw badInput(`${name} must not contain control characters`);
  }

  return value;
}
