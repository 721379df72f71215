import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '../logger';
import { formatError } from './apollo';
import { createRequestContext, type RequestContext, type Services } from './context';

export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  services: Services;
  logger: Logger;
  /** Ping interval that keeps idle sockets (and proxies) alive. */
  keepAliveMs?: number;
}

/**
 * graphql-ws (`graphql-transport-ws`) on the same port and path as GraphQL
 * over HTTP. Returns the Apollo plugin that closes every socket with 1001 when
 * the server drains.
 */
export function createSubscriptionServer(options: SubscriptionServerOptions): ApolloServerPlugin<RequestContext> {
  const { logger } = options;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql' });
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e, logger));
  const cleanup = useServer<Record<string, unknown>>(
    {
      schema: options.schema,
      // WebSocket messages carry no headers: what a caller sends about itself
      // arrives in connectionParams at connection_init.
      context: () => createRequestContext(options.services, randomUUID()),
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
