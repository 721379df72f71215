import type { KeyObject } from 'node:crypto';
import type Keyv from 'keyv';
import { keyFingerprint, signEs512 } from './es512';

export interface TokenProviderOptions {
  clientId: string;
  privateKey: KeyObject;
  /** Shared store, so a fleet sharing Redis signs once per token lifetime. */
  cache: Keyv;
  /** `exp - iat` of each token; Kraken accepts at most 600. Default 600. */
  lifetimeSeconds?: number;
  /** A token is replaced this long before it expires. Default 60. */
  refreshMarginSeconds?: number;
  /** Clock in milliseconds; tests freeze it. Default `Date.now`. */
  now?: () => number;
  /** Called after each signing, for metrics. */
  onSign?: () => void;
  /** Called when the shared cache fails; the provider carries on without it. */
  onCacheError?: (error: unknown) => void;
}

interface CachedToken {
  token: string;
  /** JWT `exp`, seconds since the epoch. */
  expiresAt: number;
}

/**
 * Mints the bearer tokens for Kraken's API (KRAKEN.md §2.3): ES512 over
 * `{clientId, api: true}` with `iat` and `exp`. A token is reused until shortly
 * before it expires; concurrent callers share one signing in flight.
 */
export class TokenProvider {
  private readonly cacheKey: string;
  private readonly lifetimeSeconds: number;
  private readonly refreshMarginSeconds: number;
  private readonly now: () => number;
  private local?: CachedToken;
  private inflight?: Promise<CachedToken>;
  private signingCount = 0;

  constructor(private readonly options: TokenProviderOptions) {
    this.lifetimeSeconds = options.lifetimeSeconds ?? 600;
    this.refreshMarginSeconds = options.refreshMarginSeconds ?? 60;
    this.now = options.now ?? Date.now;
    this.cacheKey = `api-token:${options.clientId}:${keyFingerprint(options.privateKey)}`;
  }

  /** How many tokens this instance has signed. */
  get signings(): number {
    return this.signingCount;
  }

  /** A bearer token valid for at least the refresh margin. */
  async token(): Promise<string> {
    if (this.local && this.isFresh(this.local)) return this.local.token;

    this.inflight ??= this.renew().finally(() => {
      this.inflight = undefined;
    });
    this.local = await this.inflight;

    return this.local.token;
  }

  /**
   * Forgets a token Kraken refused, so the next call signs a new one. A newer
   * token that another caller already put in place is kept.
   */
  async invalidate(token: string): Promise<void> {
    if (this.local?.token === token) this.local = undefined;
    try {
      const shared = await this.options.cache.get<CachedToken>(this.cacheKey);
      if (shared?.token === token) await this.options.cache.delete(this.cacheKey);
    } catch (error) {
      this.options.onCacheError?.(error);
    }
  }

  private isFresh(cached: CachedToken): boolean {
    return this.nowSeconds() < cached.expiresAt - this.refreshMarginSeconds;
  }

  private nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  private async renew(): Promise<CachedToken> {
    const shared = await this.readShared();
    if (shared && this.isFresh(shared)) return shared;

    const fresh = await this.sign();
    await this.writeShared(fresh);

    return fresh;
  }

  private async sign(): Promise<CachedToken> {
    const issuedAt = this.nowSeconds();
    const expiresAt = issuedAt + this.lifetimeSeconds;
    const claims = { clientId: this.options.clientId, api: true, iat: issuedAt, exp: expiresAt };
    const token = await signEs512(claims, this.options.privateKey);
    this.signingCount += 1;
    this.options.onSign?.();

    return { token, expiresAt };
  }

  private async readShared(): Promise<CachedToken | undefined> {
    try {
      return await this.options.cache.get<CachedToken>(this.cacheKey);
    } catch (error) {
      this.options.onCacheError?.(error);
      return undefined;
    }
  }

  private async writeShared(token: CachedToken): Promise<void> {
    // keyv TTLs are milliseconds; JWT times are seconds.
    const ttlMs = (token.expiresAt - this.refreshMarginSeconds - this.nowSeconds()) * 1000;
    try {
      await this.options.cache.set(this.cacheKey, token, ttlMs);
    } catch (error) {
      this.options.onCacheError?.(error);
    }
  }
}
