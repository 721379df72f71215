import { randomBytes } from 'node:crypto';

export interface OneTimeTokenGrant {
  clientId: string;
  userId: string;
  /** The link's `state` claim, echoed by E1 as `externalState`. */
  externalState?: string;
}

interface StoredGrant extends OneTimeTokenGrant {
  expiresAtMs: number;
}

/**
 * One-time tokens handed to the browser at the end of a journey (KRAKEN.md
 * §3.3, open question 3): 32 random bytes in base64url, single use, bound to
 * the client, short-lived.
 */
export class OneTimeTokenStore {
  private readonly grants = new Map<string, StoredGrant>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  issue(grant: OneTimeTokenGrant): string {
    this.sweep();
    const token = randomBytes(32).toString('base64url');
    this.grants.set(token, { ...grant, expiresAtMs: this.now() + this.ttlSeconds * 1000 });

    return token;
  }

  /**
   * Spends a token. Another client's attempt leaves it in place, so a stranger
   * who guesses or intercepts it cannot burn the owner's exchange.
   */
  redeem(clientId: string, token: string): OneTimeTokenGrant | undefined {
    const grant = this.grants.get(token);
    if (!grant || grant.clientId !== clientId) return undefined;

    this.grants.delete(token);
    if (this.now() >= grant.expiresAtMs) return undefined;

    return { clientId: grant.clientId, userId: grant.userId, externalState: grant.externalState };
  }

  /** Forgets expired tokens so a long-running sandbox does not grow without bound. */
  private sweep(): void {
    const nowMs = this.now();
    for (const [token, grant] of this.grants) {
      if (nowMs >= grant.expiresAtMs) this.grants.delete(token);
    }
  }
}
