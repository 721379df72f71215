import Keyv from 'keyv';
import { createKeyv } from '@keyv/redis';
import type { Logger } from './logger';

/**
 * The keyv store behind API tokens and cached reads: in memory when `url` is
 * unset, Redis (`redis://…`) when several instances must share it.
 */
export function createCache(url: string | undefined, logger: Logger): Keyv {
  const cache = url
    ? createKeyv(url, { namespace: 'kraken-graphql', throwOnConnectError: false })
    : new Keyv({ namespace: 'kraken-graphql' });
  // A cache failure is a miss and a warning (callers fall back to Kraken).
  cache.on('error', (error: unknown) => logger.warn({ err: error }, 'cache error'));

  return cache;
}
