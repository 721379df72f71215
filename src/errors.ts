import { GraphQLError } from 'graphql';

/**
 * Every error a client can see carries one of these codes in `extensions.code`.
 * Clients and tests branch on the code, never on the message.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  KYC_SESSION_INVALID: 'KYC_SESSION_INVALID',
  UPSTREAM_REJECTED: 'UPSTREAM_REJECTED',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * A failure whose message is safe to show to the caller. Anything else that
 * escapes a resolver is masked as INTERNAL_SERVER_ERROR.
 */
export class FacadeError extends Error {
  override readonly name = 'FacadeError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The one place request failures become GraphQL errors. */
export function toGraphQLError(error: FacadeError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code },
    originalError: error,
  });
}

export function badInput(message: string): FacadeError {
  return new FacadeError(ErrorCode.BAD_USER_INPUT, message);
}
