import { GraphQLError } from 'graphql';
import type { Caller } from '../auth/caller';
import { ErrorCode, FacadeError } from '../errors';
import type { RateLimits } from '../http/rate-limits';
import type { Metrics } from '../metrics';

/**
 * Takes one unit of the GraphQL rate limit for an operation, over HTTP or
 * WebSocket alike: counted per caller, or per address before sign-in (and
 * for refused credentials). Resolves to the error that refuses it, if any:
 * RATE_LIMITED, with 429 and Retry-After when it travels over HTTP.
 */
export async function rateRefusal(
  rateLimits: RateLimits,
  metrics: Metrics,
  caller: Caller | undefined,
  address: string | undefined,
): Promise<GraphQLError | undefined> {
  const key = caller ? `caller:${caller.subject}` : `ip:${address ?? 'unknown'}`;
  const retryAfter = await rateLimits.take('graphql', key);
  if (retryAfter === undefined) return undefined;

  metrics.rateLimited.inc({ route: 'graphql' });
  const error = new FacadeError(ErrorCode.RATE_LIMITED, `too many requests; retry in ${retryAfter} s`);
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: error.code,
      retryAfter,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) },
    },
  });
}
