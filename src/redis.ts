import Redis from 'ioredis';
import type { Logger } from './logger';

/**
 * One ioredis connection. Commands fail at once while Redis is down (no
 * offline queue; callers treat that as a miss or a 503), and reconnection
 * goes on in the background.
 */
export function createRedis(url: string, logger: Logger, role: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
    lazyConnect: false,
  });
  let reported = false;
  redis.on('error', (error: unknown) => {
    if (reported) return;
    reported = true;
    logger.warn({ err: error, role }, 'Redis connection failed; retrying in the background');
  });
  redis.on('ready', () => {
    if (reported) logger.info({ role }, 'Redis connection restored');
    reported = false;
  });

  return redis;
}
