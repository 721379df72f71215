import type { Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Protections } from './protections';
import { ErrorCode, FacadeError } from '../errors';
import type { Logger } from '../logger';
import type { RequestContext } from './context';

export interface ApolloOptions {
  schema: GraphQLSchema;
  httpServer: Server;
  logger: Logger;
  /** Serve Apollo Sandbox at `GET /graphql` in a browser. */
  landingPage: boolean;
  introspection: boolean;
  /** What the Sandbox opens with: an operation and request headers. */
  landing?: { document?: string; headers?: Record<string, string> };
  /** Query limits. */
  protections: Protections;
  /** More plugins, e.g. the WebSocket server's shutdown hook. */
  plugins?: ApolloServerPlugin<RequestContext>[];
}

/** Codes whose messages come from GraphQL itself and are safe to show. */
const PASSTHROUGH_CODES: ReadonlySet<unknown> = new Set([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);

export function createApollo(options: ApolloOptions): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    schema: options.schema,
    logger: options.logger,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: options.protections.validationRules,
    parseOptions: { maxTokens: options.protections.maxTokens },
    // main.ts owns SIGTERM: it stops the WebSocket server and Kraken pool too.
    stopOnTerminationSignals: false,
    // Automatic persisted queries are of no use here, and their hash errors arrive uncoded.
    persistedQueries: false,
    formatError: (formatted, error) => formatError(formatted, error, { hideSuggestions: options.protections.hideSuggestions }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }),
      options.landingPage
        ? ApolloServerPluginLandingPageLocalDefault({
            embed: true,
            footer: false,
            document: options.landing?.document,
            headers: options.landing?.headers,
          })
        : ApolloServerPluginLandingPageDisabled(),
      ...(options.protections.plugins as ApolloServerPlugin<RequestContext>[]),
      {
        async requestDidStart() {
          return {
            async didEncounterErrors({ errors, contextValue }) {
              // contextValue is unset when building the context itself failed.
              logUnexpected(errors, (contextValue as RequestContext | undefined)?.logger ?? options.logger);
            },
          };
        },
      },
      ...(options.plugins ?? []),
    ],
  });
}

/** The error a resolver or the context threw, out of GraphQL's wrapping. */
function originalOf(error: unknown): unknown {
  const unwrapped = unwrapResolverError(error);
  // A FacadeError raised while building the context arrives wrapped.
  return unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
}

/** Neither one of our coded errors nor one of GraphQL's request errors: a bug or a library fault. */
function isUnexpected(error: GraphQLError): boolean {
  return !(originalOf(error) instanceof FacadeError) && !PASSTHROUGH_CODES.has(error.extensions?.code);
}

/** Logs the detail of each unexpected error, on the logger of the request (so with its id). */
export function logUnexpected(errors: readonly GraphQLError[], logger: Logger): void {
  for (const error of errors.filter(isUnexpected)) {
    logger.error({ err: originalOf(error), path: error.path }, 'unexpected error in a GraphQL operation');
  }
}

export interface FormatOptions {
  /** Leave out "Did you mean …?" hints, which spell out the schema (production). */
  hideSuggestions: boolean;
}

/**
 * What a client may see of an error: our own coded errors and GraphQL's
 * request errors as they are; anything else as a fixed message (the detail
 * is logged by `logUnexpected`).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, options: FormatOptions): GraphQLFormattedError {
  const original = originalOf(error);
  const where = { path: formatted.path, locations: formatted.locations };
  if (original instanceof FacadeError) {
    return { message: original.message, ...where, extensions: { code: original.code } };
  }

  const code = formatted.extensions?.code;
  if (PASSTHROUGH_CODES.has(code)) {
    return { message: clientMessage(formatted.message, options), ...where, extensions: { code } };
  }

  return {
    message: 'Internal server error',
    ...where,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/**
 * Apollo's introspection refusal names the server and how to configure it,
 * and GraphQL's hints name fields and enum values; strangers need less.
 */
function clientMessage(message: string, options: FormatOptions): string {
  if (message.startsWith('GraphQL introspection is not allowed')) return 'introspection is disabled on this server';
  if (!options.hideSuggestions) return message;

  return message.replace(/\s*(Did you mean [^?]*\?|\[Suggestion hidden\]\??)/g, '');
}
