import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config';

export type { Logger };

/**
 * Keys whose values are personal data or secrets, wherever they appear in a
 * log object (top level or nested up to two levels). Redaction works at every
 * level, including trace.
 */
const SENSITIVE_KEYS = [
  'authorization', 'cookie', 'token', 'oneTimeToken', 'bearer', 'privateKey',
  'secret', 'secrets', 'webhookSecrets', 'signature', 'x-fractal-signature',
  'email', 'phone', 'firstName', 'lastName', 'fullName', 'middleName',
  'firstNameEn', 'lastNameEn', 'dob', 'dateOfBirth', 'placeOfBirth', 'number',
  'address', 'addresses', 'person', 'raw', 'body', 'info', 'fixedInfo', 'idDocs',
];

const REDACT_PATHS = SENSITIVE_KEYS.flatMap((key) => {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const dot = k.startsWith('[') ? '' : '.';
  return [k, `*${dot}${k}`, `*.*${dot}${k}`];
});

export interface LoggerOptions {
  level: LogLevel;
  /** JSON lines when true; readable colour output for a terminal otherwise. */
  json: boolean;
  /** Where lines go; stdout when absent. Tests capture logs through this. */
  destination?: DestinationStream;
}

/** The one structured logger of the service: object first, message second. */
export function createLogger(options: LoggerOptions): Logger {
  const stream =
    options.destination ??
    (options.json ? pino.destination(1) : pretty({ colorize: process.stdout.isTTY, sync: true }));

  return pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
    },
    stream,
  );
}

/**
 * Errors from libraries can carry request headers or bodies in their own
 * properties; only the name, code, message and stack leave the process, and
 * the message has bearer tokens and JWTs masked. Anything error-like is read
 * by duck typing: errors from another realm (Jest, vm) or DOMExceptions from
 * aborted requests are not always `instanceof Error`, and handing them to the
 * redactor whole makes their getters throw.
 */
function serializeError(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const field = (key: string): unknown => {
    try {
      return (value as Record<string, unknown>)[key];
    } catch {
      return undefined;
    }
  };
  const message = field('message');
  const stack = field('stack');
  const code = field('code');
  const cause = field('cause');

  return {
    type: String(field('name') ?? 'Error'),
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? scrub(message) : undefined,
    stack: typeof stack === 'string' ? scrub(stack) : undefined,
    cause: cause !== undefined && depth < 3 ? serializeError(cause, depth + 1) : undefined,
  };
}

const JWT_LIKE = /\beyJ[\w-]*\.[\w-]*\.[\w-]*/g;
const BEARER = /\bBearer\s+\S+/gi;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
const PHONE = /\+\d[\d ()-]{6,}\d/g;

/**
 * Masks what may sit inside free text such as an error message or an
 * upstream error body: credentials, e-mail addresses and phone numbers.
 * Names in free text cannot be told apart from other words; keys that hold
 * them are redacted by path instead.
 */
export function scrub(text: string): string {
  return text
    .replace(BEARER, 'Bearer [redacted]')
    .replace(JWT_LIKE, '[jwt redacted]')
    .replace(EMAIL, '[email redacted]')
    .replace(PHONE, '[phone redacted]');
}
