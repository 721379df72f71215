import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { GraphQLError } from 'graphql';
import type { Authenticator } from './auth/authenticator';
import type { Config, KrakenCredentials } from './config';
import { FacadeError } from './errors';
import { fileRoute } from './files/file-route';
import { createApollo } from './graphql/apollo';
import { createRequestContext, type Services } from './graphql/context';
import { createSchema } from './graphql/schema';
import { createSubscriptionServer } from './graphql/subscriptions';
import { requestIdFrom } from './http/request-id';
import type { TokenProvider } from './kraken/token-provider';
import type { Logger } from './logger';
import { createServices } from './services';
import { DeliveryHandler } from './webhooks/delivery-handler';
import { webhookRouter } from './webhooks/webhook-route';

export interface AppOptions {
  config: Config;
  /** Real Kraken's, or the sandbox emulator's. */
  kraken: KrakenCredentials;
  logger: Logger;
  /** How callers are identified. */
  authenticator: Authenticator;
  /** What Apollo Sandbox opens with: an operation and request headers. */
  landing?: { document?: string; headers?: Record<string, string> };
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

/** Composes the HTTP server, Apollo Server, WebSockets and the routes of CONTRACT.md. */
export async function createApp(options: AppOptions): Promise<App> {
  const { config, logger, authenticator } = options;
  let publicUrl = config.http.publicUrl;
  const set = await createServices({ config, kraken: options.kraken, logger, publicUrl: () => publicUrl });
  const { services } = set;

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
    landing: options.landing,
    plugins: [createSubscriptionServer({ httpServer, schema, services, authenticator, logger })],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await set.ready().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });
  app.get('/files/:token', fileRoute({ fileLinks: services.fileLinks, kraken: services.kraken, logger }));
  // Before any JSON parser: the signature covers the raw bytes.
  app.use(
    webhookRouter({
      secrets: options.kraken.webhookSecrets,
      handler: new DeliveryHandler({ ...services, state: set.state }),
      logger,
    }),
  );
  app.use(
    '/graphql',
    cors<cors.CorsRequest>(),
    express.json({ limit: GRAPHQL_BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const caller = await authenticator.fromAuthorization(req.headers.authorization).catch(rejectRequest);
        return createRequestContext(services, requestIdFrom(req.headers), caller);
      },
    }),
  );

  return {
    services,
    tokens: set.tokens,
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
      await set.close();
    },
  };
}

/** Credentials that are present but wrong fail the whole request with 401. */
function rejectRequest(error: unknown): never {
  if (!(error instanceof FacadeError)) throw error;
  throw new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: error.code,
      http: { status: 401, headers: new Map([['www-authenticate', 'Bearer error="invalid_token"']]) },
    },
  });
}
