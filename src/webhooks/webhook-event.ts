import { USER_ID_PATTERN } from '../kraken/ids';

/** A decision as Kraken posts it (KRAKEN.md §4.1): `{id, status, note}`. */
export interface WebhookEvent {
  userId: string;
  /** As sent; values the schema does not know become UNKNOWN later. */
  status: string;
  note?: string;
}

/** Why an authentic body is still not an event; the route answers 400. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

const MAX_STATUS_LENGTH = 64;
const MAX_NOTE_LENGTH = 4_096;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a signed body into an event, or throws InvalidEventError saying what is wrong. */
export function parseWebhookEvent(body: Buffer): WebhookEvent {
  const value = parseJson(body);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEventError('the body must be a JSON object {id, status, note}');
  }

  const { id, status, note } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !USER_ID_PATTERN.test(id)) {
    throw new InvalidEventError('"id" must be a Kraken user id');
  }
  if (typeof status !== 'string' || status === '' || status.length > MAX_STATUS_LENGTH) {
    throw new InvalidEventError('"status" must be a non-empty string');
  }
  if (note !== undefined && note !== null && typeof note !== 'string') {
    throw new InvalidEventError('"note" must be a string when present');
  }

  return { userId: id, status, note: note ? note.slice(0, MAX_NOTE_LENGTH) : undefined };
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw new InvalidEventError('the body is empty');
  try {
    // The declared charset changes nothing: Kraken sends UTF-8 JSON.
    return JSON.parse(utf8.decode(body));
  } catch {
    throw new InvalidEventError('the body is not UTF-8 JSON');
  }
}
