import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type Keyv from 'keyv';
import { createCache } from './cache';
import type { Config, KrakenCredentials } from './config';
import { deriveFileLinkSecret, FileLinks } from './files/file-links';
import { fileRoute } from './files/file-route';
import { createApollo } from './graphql/apollo';
import { createRequestContext, type Services } from './graphql/context';
import { createSchema } from './graphql/schema';
import { createSubscriptionServer } from './graphql/subscriptions';
import { StatusEvents } from './events/status-events';
import { MemoryState, type SharedState } from './state/shared-state';
import { DeliveryHandler } from './webhooks/delivery-handler';
import { webhookRouter } from './webhooks/webhook-route';
import { requestIdFrom } from './http/request-id';
import { KrakenClient } from './kraken/client';
import { KycReader } from './kraken/kyc-reader';
import { LinkSigner } from './kraken/link-signer';
import { TokenProvider } from './kraken/token-provider';
import type { Logger } from './logger';

export interface AppOptions {
  config: Config;
  /** Real Kraken's, or the sandbox emulator's. */
  kraken: KrakenCredentials;
  logger: Logger;
  /** The operation Apollo Sandbox opens with. */
  exampleDocument?: string;
}

export interface App {
  readonly services: Services;
  readonly tokens: TokenProvider;
  readonly httpServer: Server;
  /** Listens on the configured address; resolves to the base URL. */
  listen(): Promise<string>;
  /** The base URL callers use, e.g. `http://localhost:4000`. */
  publicUrl(): string;
  /** Stops taking work, lets requests in flight finish, then closes. */
  stop(): Promise<void>;
}

/** GraphQL request bodies larger than this are refused with 413. */
const GRAPHQL_BODY_LIMIT = '100kb';

/** Composes the HTTP server, Apollo Server and the routes of CONTRACT.md. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, kraken: credentials, logger } = options;
  let publicUrl = config.http.publicUrl;
  const cache: Keyv = createCache(config.cacheUrl, logger);
  const tokens = new TokenProvider({
    clientId: credentials.clientId,
    privateKey: credentials.privateKey,
    cache,
    onCacheError: (error) => logger.warn({ err: error }, 'token cache unavailable; signing locally'),
  });
  const kraken = new KrakenClient({
    baseUrl: credentials.baseUrl,
    tokens,
    timeoutMs: config.upstream.timeoutMs,
    connections: config.upstream.connections,
    logger,
  });
  const state: SharedState = new MemoryState();
  const services: Services = {
    kraken,
    events: new StatusEvents(),
    links: new LinkSigner(credentials),
    reader: new KycReader({ client: kraken, cache, ttlSeconds: config.readCacheTtlSeconds, logger }),
    fileLinks: new FileLinks({
      secret: deriveFileLinkSecret(credentials.privateKey),
      publicUrl: () => publicUrl,
      ttlSeconds: config.fileLinkTtlSeconds,
    }),
    logger,
  };

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const schema = await createSchema(services.events);
  const apollo = createApollo({
    schema,
    httpServer,
    logger,
    landingPage: config.graphql.sandbox,
    introspection: config.graphql.introspection,
    exampleDocument: options.exampleDocument,
    plugins: [createSubscriptionServer({ httpServer, schema, services, logger })],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ready' });
  });
  app.get('/files/:token', fileRoute({ fileLinks: services.fileLinks, kraken, logger }));
  // Before any JSON parser: the signature covers the raw bytes.
  app.use(
    webhookRouter({
      secrets: credentials.webhookSecrets,
      handler: new DeliveryHandler({ kraken, reader: services.reader, state, events: services.events, logger }),
      logger,
    }),
  );
  app.use(
    '/graphql',
    cors<cors.CorsRequest>(),
    express.json({ limit: GRAPHQL_BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req }) => createRequestContext(services, requestIdFrom(req.headers)),
    }),
  );

  return {
    services,
    tokens,
    httpServer,
    publicUrl: () => publicUrl,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.http.port, config.http.host, () => {
          const { port } = httpServer.address() as AddressInfo;
          if (config.http.port === 0) publicUrl = `http://localhost:${port}`;
          resolve(publicUrl);
        });
      }),
    stop: async () => {
      await apollo.stop();
      await kraken.close();
      await state.close();
      await cache.disconnect().catch(() => undefined);
    },
  };
}
