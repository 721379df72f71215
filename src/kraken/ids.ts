import { badInput } from '../errors';

/**
 * Kraken user ids are UUIDs in practice (KRAKEN.md §6 q1); any opaque id of
 * URL-safe characters is accepted, so nothing a caller sends can reshape the
 * upstream path.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** One-time tokens are 43 base64url characters in the only example seen. */
const ONE_TIME_TOKEN = /^[A-Za-z0-9_.~-]{1,512}$/;

export function assertUserId(id: string, argument = 'id'): string {
  if (!USER_ID_PATTERN.test(id)) {
    throw badInput(`${argument} must be a Kraken user id: 1-128 letters, digits, "-" or "_"`);
  }

  return id;
}

export function assertOneTimeToken(token: string): string {
  const trimmed = token.trim();
  if (trimmed === '') throw badInput('oneTimeToken must not be empty');
  // A segment of dots alone would walk the upstream path.
  if (!ONE_TIME_TOKEN.test(trimmed) || /^\.+$/.test(trimmed)) {
    throw badInput('oneTimeToken must be the URL-safe token from the journey redirect or iframe message');
  }

  return trimmed;
}
