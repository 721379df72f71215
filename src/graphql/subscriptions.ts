import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type ExecutionResult,
  getOperationAST,
  GraphQLError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { CloseCode, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator } from '../auth/authenticator';
import type { Caller } from '../auth/caller';
import type { RateLimits } from '../http/rate-limits';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { rateRefusal } from './rate-limit';
import { formatError, logUnexpected } from './apollo';
import { createRequestContext, type RequestContext, type Services } from './context';
import type { Protections } from './protections';

export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  services: Services;
  authenticator: Authenticator;
  protections: Protections;
  rateLimits: RateLimits;
  metrics: Metrics;
  logger: Logger;
  /** Ping interval that keeps idle sockets (and proxies) alive. */
  keepAliveMs?: number;
}

/** What one socket carries beyond graphql-ws's own: who opened it. */
type SocketState = {
  caller?: Caller;
  expiry?: NodeJS.Timeout;
  /** Ids of the subscriptions open on this socket, for the gauge. */
  open?: Set<string>;
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
  // Upgrades are routed by hand rather than with `{ server, path }`: that form
  // also forwards the HTTP server's own errors (a failed listen) to
  // graphql-ws, which prints them to stderr around our one-line message.
  const wsServer = new WebSocketServer({ noServer: true });
  options.httpServer.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/graphql') {
      socket.destroy();
      return;
    }
    wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
  });
  const hideSuggestions = options.protections.hideSuggestions;
  const format = (errors: readonly GraphQLError[], requestLogger: Logger) => {
    logUnexpected(errors, requestLogger);
    return errors.map((e) => formatError(e.toJSON(), e, { hideSuggestions }));
  };
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
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiry);
        // graphql-ws may still call onComplete for these after onClose: clear
        // the set so each subscription is counted down once.
        options.metrics.subscriptions.dec(ctx.extra.open?.size ?? 0);
        ctx.extra.open?.clear();
      },
      // The same limits as over HTTP: a socket is not a way around them.
      onSubscribe: async (ctx, id, payload) => {
        const admitted = await admit(options, ctx.extra.caller, ctx.extra.request.socket.remoteAddress, payload);
        if (Array.isArray(admitted)) return admitted;
        if (getOperationAST(admitted, payload.operationName)?.operation === 'subscription') {
          (ctx.extra.open ??= new Set()).add(id);
          options.metrics.subscriptions.inc();
        }
        return {
          schema: options.schema,
          document: admitted,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: createRequestContext(options.services, randomUUID(), ctx.extra.caller),
        };
      },
      onComplete: (ctx, id) => {
        if (ctx.extra.open?.delete(id)) options.metrics.subscriptions.dec();
      },
      onNext: (_ctx, _id, _payload, args, result: ExecutionResult) =>
        result.errors ? { ...result, errors: format(result.errors, (args.contextValue as RequestContext).logger) } : result,
      onError: (_ctx, id, _payload, errors) => format(errors, logger.child({ operationId: id })) as unknown as readonly GraphQLError[],
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

/**
 * The parsed document when the operation may run, or the errors that refuse
 * it: over the caller's rate, too many tokens, or failing validation and the
 * query limits.
 */
async function admit(
  options: SubscriptionServerOptions,
  caller: Caller | undefined,
  address: string | undefined,
  payload: SubscribePayload,
): Promise<DocumentNode | GraphQLError[]> {
  const refused = await rateRefusal(options.rateLimits, options.metrics, caller, address);
  if (refused) return [refused];
  let document: DocumentNode;
  try {
    document = parse(payload.query, { maxTokens: options.protections.maxTokens });
  } catch (error) {
    const message = error instanceof Error ? error.message : 'the query could not be parsed';
    return [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
  }
  const errors = validate(options.schema, document, [...specifiedRules, ...options.protections.validationRules]);
  if (errors.length > 0) {
    return errors.map((e) => new GraphQLError(e.message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  }

  return document;
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
