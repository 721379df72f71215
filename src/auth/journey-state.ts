import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'kg1';

/** Whose journey a one-time token came from, as far as its `externalState` tells. */
export type StateOwner = 'caller' | 'someone-else' | 'unbound';

/**
 * `state` values the facade issues when a caller asks for a link without one:
 * `kg1.<nonce>.<mac>`, where the MAC binds the nonce to the caller's subject.
 * Kraken echoes the state as `externalState` on exchange, so a one-time token
 * can be traced back to whoever started the journey.
 */
export class JourneyStates {
  constructor(private readonly secret: Uint8Array) {}

  issue(subject: string): string {
    const nonce = randomBytes(12).toString('base64url');

    return `${PREFIX}.${nonce}.${this.mac(nonce, subject)}`;
  }

  ownerOf(state: string | undefined, subject: string): StateOwner {
    const parts = state?.split('.') ?? [];
    if (parts.length !== 3 || parts[0] !== PREFIX) return 'unbound';

    const given = Buffer.from(parts[2], 'base64url');
    const expected = Buffer.from(this.mac(parts[1], subject), 'base64url');
    const same = given.length === expected.length && timingSafeEqual(given, expected);

    return same ? 'caller' : 'someone-else';
  }

  private mac(nonce: string, subject: string): string {
    return createHmac('sha256', this.secret).update(`${nonce}.${subject}`).digest('base64url').slice(0, 22);
  }
}
