import type Keyv from 'keyv';
import type { Logger } from '../logger';
import type { CallOptions, KrakenClient } from './client';
import type { WireApplicant, WireStatus } from './wire';

export interface KycReaderOptions {
  client: KrakenClient;
  cache: Keyv;
  /** How long a read is reused; 0 turns caching off. */
  ttlSeconds: number;
  logger: Logger;
  /** Called on each cache lookup, for metrics. */
  onLookup?: (kind: ReadKind, hit: boolean) => void;
}

export type ReadKind = 'status' | 'data';

/**
 * Kraken reads with a short-lived cache in front. Only found records are
 * cached; failures and unknown users are asked again next time. A cache that
 * fails is a miss and a warning, never an error for the caller.
 */
export class KycReader {
  constructor(private readonly options: KycReaderOptions) {}

  status(userId: string, call?: CallOptions): Promise<WireStatus | null> {
    return this.read('status', userId, () => this.options.client.status(userId, call));
  }

  data(userId: string, call?: CallOptions): Promise<WireApplicant | null> {
    return this.read('data', userId, () => this.options.client.data(userId, call));
  }

  /** Drops everything cached about a person, e.g. when a webhook says it changed. */
  async forget(userId: string): Promise<void> {
    if (this.options.ttlSeconds === 0) return;
    try {
      await this.options.cache.deleteMany([key('status', userId), key('data', userId)]);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'read cache unavailable; could not drop a user');
    }
  }

  private async read<T>(kind: ReadKind, userId: string, fetch: () => Promise<T | null>): Promise<T | null> {
    if (this.options.ttlSeconds === 0) return fetch();

    const cached = await this.lookup<T>(kind, userId);
    if (cached !== undefined) return cached;

    const value = await fetch();
    if (value !== null) await this.store(kind, userId, value);

    return value;
  }

  private async lookup<T>(kind: ReadKind, userId: string): Promise<T | undefined> {
    try {
      const value = await this.options.cache.get<T>(key(kind, userId));
      this.options.onLookup?.(kind, value !== undefined);
      return value;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'read cache unavailable; reading from Kraken');
      return undefined;
    }
  }

  private async store(kind: ReadKind, userId: string, value: unknown): Promise<void> {
    try {
      // keyv TTLs are milliseconds.
      await this.options.cache.set(key(kind, userId), value, this.options.ttlSeconds * 1000);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'read cache unavailable; not caching');
    }
  }
}

function key(kind: ReadKind, userId: string): string {
  return `read:${kind}:${userId}`;
}
