import { STATUS_CODES } from 'node:http';

/**
 * Error bodies in NestJS's default shape and key order (KRAKEN.md §1.6).
 * Callers run `response.json()` before checking `ok`, so every API error must
 * be JSON; the key order matters to anyone comparing raw text.
 */
export type NestErrorBody =
  | { message: string; statusCode: number }
  | { message: string; error: string; statusCode: number }
  | { statusCode: number; message: string };

/** `UnauthorizedException()`: every failed bearer check. */
export function unauthorized(): NestErrorBody {
  return { message: 'Unauthorized', statusCode: 401 };
}

/** `NotFoundException(message)`: unknown or foreign ids, used tokens, unknown routes. */
export function notFound(message: string): NestErrorBody {
  return { message, error: 'Not Found', statusCode: 404 };
}

/** `BadRequestException(message)`, as `ParseEnumPipe` throws it. */
export function badRequest(message: string): NestErrorBody {
  return { message, error: 'Bad Request', statusCode: 400 };
}

/** What Nest's exception filter sends for anything that is not an HttpException. */
export function internalError(): NestErrorBody {
  return { statusCode: 500, message: 'Internal server error' };
}

/** The body of a built-in exception thrown bare, e.g. `ServiceUnavailableException()`. */
export function bodyForStatus(status: number): NestErrorBody {
  if (status === 500) return internalError();

  return { message: STATUS_CODES[status] ?? 'Error', statusCode: status };
}
