import type Redis from 'ioredis';
import type Keyv from 'keyv';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { FileLinkStore, RedisLinkStore, type LinkStore } from './auth/link-store';
import { JourneyStates } from './auth/journey-state';
import { SessionExchange } from './auth/session-exchange';
import { cacheIsReady, createCache } from './cache';
import type { Config, KrakenCredentials } from './config';
import { StatusEvents } from './events/status-events';
import { FileLinks } from './files/file-links';
import type { Services } from './graphql/context';
import { KrakenClient } from './kraken/client';
import { deriveSecret } from './kraken/derived-secret';
import { KycReader } from './kraken/kyc-reader';
import { UpstreamGuard } from './kraken/upstream-guard';
import { RateLimits } from './http/rate-limits';
import type { Metrics } from './metrics';
import { LinkSigner } from './kraken/link-signer';
import { TokenProvider } from './kraken/token-provider';
import type { Logger } from './logger';
import { createRedis } from './redis';
import { MemoryState, type SharedState } from './state/shared-state';
import { RedisState } from './state/redis-state';

export interface ServiceSet {
  services: Services;
  tokens: TokenProvider;
  state: SharedState;
  cache: Keyv;
  rateLimits: RateLimits;
  /** Every store the process depends on answers; for `/readyz`. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ServiceOptions {
  config: Config;
  kraken: KrakenCredentials;
  logger: Logger;
  metrics: Metrics;
  /** The external base URL, read each time a document link is made. */
  publicUrl: () => string;
}

/**
 * Builds what requests share: the Kraken client over one token provider, the
 * caches, the link store, the event bus. In memory for one process; Redis
 * where CACHE_URL, REDIS_URL or LINK_STORE_URL say so.
 */
export async function createServices(options: ServiceOptions): Promise<ServiceSet> {
  const { config, kraken: credentials, logger, metrics } = options;
  const { upstream } = config;
  const cache = createCache(config.cacheUrl, logger);
  const tokens = new TokenProvider({
    clientId: credentials.clientId,
    privateKey: credentials.privateKey,
    cache,
    onSign: () => metrics.tokenSignings.inc(),
    onCacheError: (error) => logger.warn({ err: error }, 'token cache unavailable; signing locally'),
  });
  const guard = new UpstreamGuard({
    retries: upstream.retries,
    breakerThreshold: upstream.breakerThreshold,
    breakerCooldownMs: upstream.breakerCooldownMs,
    maxConcurrent: upstream.connections,
    onRetry: () => metrics.upstreamRetries.inc(),
    onStateChange: (state) => {
      metrics.circuitState.set(state === 'closed' ? 0 : 1);
      logger.warn({ state }, `circuit to Kraken is ${state}`);
    },
  });
  const kraken = new KrakenClient({
    baseUrl: credentials.baseUrl,
    tokens,
    guard,
    timeoutMs: upstream.timeoutMs,
    connections: upstream.connections,
    fileConnections: upstream.fileConnections,
    logger,
    onCall: ({ endpoint, outcome, durationMs }) => {
      metrics.upstreamCalls.inc({ endpoint, status: String(outcome) });
      metrics.upstreamDuration.observe({ endpoint }, durationMs / 1000);
    },
  });
  const shared = sharedState(config, logger);
  const { state, events } = shared;
  const linkStore = await openLinkStore(config.linkStoreUrl, logger);
  const journeyStates = new JourneyStates(deriveSecret(credentials.privateKey, 'journey-state'));
  const services: Services = {
    kraken,
    events,
    linkStore,
    linkSigner: new LinkSigner(credentials),
    reader: new KycReader({
      client: kraken,
      cache,
      ttlSeconds: config.readCacheTtlSeconds,
      logger,
      onLookup: (kind, hit) => metrics.cacheLookups.inc({ kind, result: hit ? 'hit' : 'miss' }),
    }),
    fileLinks: new FileLinks({
      secret: deriveSecret(credentials.privateKey, 'file-links'),
      publicUrl: options.publicUrl,
      ttlSeconds: config.fileLinkTtlSeconds,
    }),
    journeyStates,
    sessions: new SessionExchange({ kraken, journeyStates, linkStore, state }),
    logger,
  };

  return {
    services,
    tokens,
    state,
    cache,
    rateLimits: new RateLimits({ ...config.limits, redis: shared.redis }),
    ready: async () => (await Promise.all([cacheIsReady(cache), state.ping(), linkStore.ping()])).every(Boolean),
    close: async () => {
      await kraken.close();
      await Promise.all([shared.close(), linkStore.close(), cache.disconnect().catch(() => undefined)]);
    },
  };
}

interface Shared {
  state: SharedState;
  events: StatusEvents;
  /** The connection rate limits share, when REDIS_URL is set. */
  redis?: Redis;
  close(): Promise<void>;
}

/** Webhook de-duplication and the event bus: one process, or every instance through Redis. */
function sharedState(config: Config, logger: Logger): Shared {
  if (!config.redisUrl) {
    const state = new MemoryState();
    return { state, events: new StatusEvents(), close: () => state.close() };
  }

  const publishClient = createRedis(config.redisUrl, logger, 'publish');
  const subscribeClient = createRedis(config.redisUrl, logger, 'subscribe');
  const redis = createRedis(config.redisUrl, logger, 'state');
  const state = new RedisState(redis);

  return {
    state,
    redis,
    events: new StatusEvents(createRedisEventTarget({ publishClient, subscribeClient })),
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
      await state.close();
    },
  };
}

async function openLinkStore(url: string, logger: Logger): Promise<LinkStore> {
  if (/^rediss?:\/\//.test(url)) return new RedisLinkStore(createRedis(url, logger, 'links'));

  try {
    return await FileLinkStore.open(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`LINK_STORE_URL: cannot open ${url} as a link store (${reason})`, { cause: error });
  }
}
