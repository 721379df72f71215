import type Redis from 'ioredis';
import type { SharedState } from './shared-state';

const PREFIX = 'kraken-graphql:state:';

/** SharedState in Redis, so every instance sees the same claims. */
export class RedisState implements SharedState {
  constructor(private readonly redis: Redis) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(PREFIX + key, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  async release(key: string): Promise<void> {
    await this.redis.del(PREFIX + key);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(PREFIX + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(PREFIX + key, value, 'PX', ttlMs);
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping().catch(() => '')) === 'PONG';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
