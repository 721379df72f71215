import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator } from '../auth/authenticator';
import type { Caller } from '../auth/caller';
import type { Logger } from '../logger';
import { formatError } from './apollo';
import { createRequestContext, type RequestContext, type Services } from './context';

export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  services: Services;
  authenticator: Authenticator;
  logger: Logger;
  /** Ping interval that keeps idle sockets (and proxies) alive. */
  keepAliveMs?: number;
}

/** What one socket carries beyond graphql-ws's own: who opened it. */
type SocketState = {
  caller?: Caller;
  expiry?: NodeJS.Timeout;
};

/**
 * graphql-ws (`graphql-transport-ws`) on the same port and path as GraphQL
 * over HTTP. WebSocket messages carry no headers, so callers authenticate in
 * connectionParams at `connection_init`; a socket without valid credentials is
 * closed with 4403 before any `connection_ack`, and one whose credentials
 * expire is closed then. Returns the Apollo plugin that closes every socket
 * with 1001 when the server drains.
 */
export function createSubscriptionServer(options: SubscriptionServerOptions): ApolloServerPlugin<RequestContext> {
  const { logger, authenticator } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql' });
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e, logger));
  const cleanup = useServer<Record<string, unknown>, SocketState>(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        const caller = await authenticator.fromConnectionParams(ctx.connectionParams).catch(() => undefined);
        if (!caller) return false;
        ctx.extra.caller = caller;
        ctx.extra.expiry = closeAtExpiry(caller, () => ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden: credentials expired'));
        return true;
      },
      onClose: (ctx) => clearTimeout(ctx.extra.expiry),
      context: (ctx) => createRequestContext(options.services, randomUUID(), ctx.extra.caller),
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) =>
        result.errors ? { ...result, errors: format(result.errors) } : result,
      onError: (_ctx, _id, _payload, errors) => format(errors) as unknown as readonly GraphQLError[],
    },
    wsServer,
    options.keepAliveMs ?? 12_000,
  );

  return {
    async serverWillStart() {
      return {
        async drainServer() {
          await cleanup.dispose();
        },
      };
    },
  };
}

/** Longest timer Node accepts; later expiries are not scheduled. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function closeAtExpiry(caller: Caller, close: () => void): NodeJS.Timeout | undefined {
  if (caller.expiresAt === undefined) return undefined;
  const delayMs = caller.expiresAt * 1000 - Date.now();
  if (delayMs > MAX_TIMER_MS) return undefined;

  const timer = setTimeout(close, Math.max(0, delayMs));
  timer.unref();
  return timer;
}
