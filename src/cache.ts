import Keyv from 'keyv';
import { createKeyv } from '@keyv/redis';
import type { Logger } from './logger';

/**
 * How long a cache command may wait for Redis before it counts as a miss.
 * While Redis has been away since start-up, every read waits this long once
 * or twice (@keyv/redis tries to connect per command), so it is kept short.
 */
const REDIS_TIMEOUT_MS = 500;

/**
 * The keyv store behind API tokens and cached reads: in memory when `url` is
 * unset, Redis (`redis://…`) when several instances must share it. While
 * Redis is unreachable commands fail at once (no offline queue), so callers
 * see a miss and fall back to Kraken instead of waiting.
 */
export function createCache(url: string | undefined, logger: Logger): Keyv {
  const cache = url
    ? createKeyv(
        {
          url,
          disableOfflineQueue: true,
          socket: { connectTimeout: REDIS_TIMEOUT_MS, reconnectStrategy: (retries: number) => Math.min(retries * 200, 5_000) },
        },
        { namespace: 'kraken-graphql', throwOnConnectError: false, connectionTimeout: REDIS_TIMEOUT_MS },
      )
    : new Keyv({ namespace: 'kraken-graphql' });
  let warned = false;
  cache.on('error', (error: unknown) => {
    // One line per outage, not one per command.
    if (warned) return;
    warned = true;
    logger.warn({ err: error }, 'cache unavailable; reading through to Kraken until it is back');
    setTimeout(() => (warned = false), 60_000).unref();
  });

  return cache;
}

/**
 * Whether the cache answers (always, in memory); for `/readyz` and start-up.
 * @keyv/redis connects on its first command, so a probe read starts the
 * connection when there is none yet.
 */
export async function cacheIsReady(cache: Keyv): Promise<boolean> {
  const client = (cache.store as { client?: { isReady?: unknown } }).client;
  if (client?.isReady === undefined) return true;
  if (client.isReady !== true) await cache.get('ready-probe').catch(() => undefined);

  return client.isReady === true;
}
