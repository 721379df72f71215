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
import { metricsPlugin } from './graphql/metrics-plugin';
import { createProtections } from './graphql/protections';
import { rateRefusal } from './graphql/rate-limit';
import { createSchema } from './graphql/schema';
import { createSubscriptionServer } from './graphql/subscriptions';
import { accessLog } from './http/access-log';
import { errorHandler, notFound } from './http/error-handlers';
import type { TokenProvider } from './kraken/token-provider';
import type { Logger } from './logger';
import { Metrics } from './metrics';
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
  readonly metrics: Metrics;
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
  let stopping = false;
  const metrics = new Metrics();
  const set = await createServices({ config, kraken: options.kraken, logger, metrics, publicUrl: () => publicUrl });
  const { services, rateLimits } = set;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const httpServer = createServer(app);
  const schema = await createSchema(services.events);
  const protections = createProtections(config.limits, !config.graphql.introspection);
  const apollo = createApollo({
    schema,
    httpServer,
    logger,
    landingPage: config.graphql.sandbox,
    introspection: config.graphql.introspection,
    landing: options.landing,
    protections,
    plugins: [
      metricsPlugin(metrics),
      createSubscriptionServer({ httpServer, schema, services, authenticator, protections, rateLimits, metrics, logger }),
    ],
  });
  await apollo.start();
  await untilReady(set.ready, logger);

  app.use(accessLog(logger));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = !stopping && (await set.ready().catch(() => false));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', kraken: services.kraken.guard.state });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/files/:token', fileRoute({ fileLinks: services.fileLinks, kraken: services.kraken, logger }));
  // Before any JSON parser: the signature covers the raw bytes.
  app.use(
    webhookRouter({
      secrets: options.kraken.webhookSecrets,
      handler: new DeliveryHandler({ ...services, state: set.state }),
      rateLimits,
      logger,
      onOutcome: (outcome) => metrics.webhooks.inc({ outcome }),
    }),
  );
  app.use(
    '/graphql',
    cors<cors.CorsRequest>({ origin: config.corsOrigins === '*' ? '*' : config.corsOrigins, maxAge: 600 }),
    express.json({ limit: GRAPHQL_BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const caller = await authenticator.fromAuthorization(req.headers.authorization).catch(async (error: unknown) => {
          // Refused credentials count against the address, so guessing tokens is limited too.
          const refused = await rateRefusal(rateLimits, metrics, undefined, req.ip);
          if (refused) throw refused;
          return rejectRequest(error);
        });
        const refused = await rateRefusal(rateLimits, metrics, caller, req.ip);
        if (refused) throw refused;
        return createRequestContext(services, String(req.id), caller);
      },
    }),
  );
  app.use(notFound);
  app.use(errorHandler(logger));

  return {
    services,
    tokens: set.tokens,
    metrics,
    httpServer,
    publicUrl: () => publicUrl,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', (error: NodeJS.ErrnoException) =>
          reject(new Error(`cannot listen on ${config.http.host}:${config.http.port} (${error.code ?? error.message}); check HOST and PORT`)),
        );
        httpServer.listen(config.http.port, config.http.host, () => {
          const { port } = httpServer.address() as AddressInfo;
          if (config.http.port === 0) publicUrl = `http://localhost:${port}`;
          resolve(publicUrl);
        });
      }),
    stop: async () => {
      stopping = true;
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

/** How long start-up waits for Redis connections before serving unready. */
const STORES_WAIT_MS = 5_000;

/**
 * Redis clients refuse commands until connected (no offline queue), so the
 * first requests would fail: wait for the stores first. Past the wait the
 * process serves anyway, with `/readyz` at 503 until they answer.
 */
async function untilReady(ready: () => Promise<boolean>, logger: Logger): Promise<void> {
  const deadline = Date.now() + STORES_WAIT_MS;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) {
      logger.warn({ waitedMs: STORES_WAIT_MS }, 'stores not reachable yet; serving, with /readyz at 503 until they are');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
