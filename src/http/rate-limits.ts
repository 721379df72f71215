import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimitsOptions {
  /** GraphQL operations per caller per minute; 0 = no limit. */
  graphqlPerMinute: number;
  /** Webhook deliveries per source address per minute; 0 = no limit. */
  webhookPerMinute: number;
  /** Shared counters across instances; in memory when absent. */
  redis?: Redis;
}

export type RateLimitedRoute = 'graphql' | 'webhook';

/**
 * Fixed-window limits from rate-limiter-flexible: per caller on GraphQL (HTTP
 * and WebSocket alike), per source address on the webhook route. With Redis
 * the counters are shared by every instance; if Redis fails, an in-memory
 * limiter takes over rather than letting everything through or nothing.
 */
export class RateLimits {
  private readonly limiters: Partial<Record<RateLimitedRoute, RateLimiterAbstract>>;

  constructor(options: RateLimitsOptions) {
    this.limiters = {
      graphql: limiter('graphql', options.graphqlPerMinute, options.redis),
      webhook: limiter('webhook', options.webhookPerMinute, options.redis),
    };
  }

  /** Takes one unit for `key`; resolves to the seconds to wait when over the limit. */
  async take(route: RateLimitedRoute, key: string): Promise<number | undefined> {
    const limiter = this.limiters[route];
    if (!limiter) return undefined;
    try {
      await limiter.consume(key);
      return undefined;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  }
}

function limiter(route: RateLimitedRoute, perMinute: number, redis?: Redis): RateLimiterAbstract | undefined {
  if (perMinute === 0) return undefined;
  const options = { keyPrefix: `kraken-graphql:rate:${route}`, points: perMinute, duration: 60 };
  if (!redis) return new RateLimiterMemory(options);

  return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
}
