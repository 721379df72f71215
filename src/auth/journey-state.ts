import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'kg1';

/** Whose journey a one-time token came from, as far as its `externalState` tells. */
export type StateOwner = 'caller' | 'someone-else' | 'unbound';

/**
 * The `state` of every journey link, bound to the caller who asked for it:
 * `kg1.<nonce>.<mac>` when the caller gave none, `kg1.<nonce>.<mac>.<theirs>`
 * when they gave one, where the MAC covers the nonce, the caller's subject
 * and their own state. Kraken echoes the state as `externalState` on
 * exchange, so a one-time token can be traced back to whoever started the
 * journey, whoever else gets hold of it.
 */
export class JourneyStates {
  constructor(private readonly secret: Uint8Array) {}

  issue(subject: string, theirs?: string): string {
    const nonce = randomBytes(12).toString('base64url');
    const bound = `${PREFIX}.${nonce}.${this.mac(nonce, subject, theirs)}`;

    return theirs === undefined ? bound : `${bound}.${theirs}`;
  }

  ownerOf(state: string | undefined, subject: string): StateOwner {
    const parsed = parse(state);
    if (!parsed) return 'unbound';

    const given = Buffer.from(parsed.mac, 'base64url');
    const expected = Buffer.from(this.mac(parsed.nonce, subject, parsed.theirs), 'base64url');
    const same = given.length === expected.length && timingSafeEqual(given, expected);

    return same ? 'caller' : 'someone-else';
  }

  /**
   * The state as the caller gave it: their own part of a bound state, none
   * when the facade made the whole of it, and an unbound state as it is.
   */
  callerState(state: string | undefined): string | undefined {
    const parsed = parse(state);

    return parsed ? parsed.theirs : state;
  }

  private mac(nonce: string, subject: string, theirs: string | undefined): string {
    // Without a caller state the input keeps its first form, so links already
    // handed out still bind; with one, JSON keeps the parts apart.
    const input = theirs === undefined ? `${nonce}.${subject}` : JSON.stringify([nonce, subject, theirs]);

    return createHmac('sha256', this.secret).update(input).digest('base64url').slice(0, 22);
  }
}

function parse(state: string | undefined): { nonce: string; mac: string; theirs?: string } | undefined {
  const match = state === undefined ? null : /^kg1\.([\w-]+)\.([\w-]+)(?:\.([\s\S]*))?$/.exec(state);
  if (!match) return undefined;

  return { nonce: match[1], mac: match[2], theirs: match[3] };
}
