import { ErrorCode, FacadeError } from '../errors';
import { ANONYMOUS_ADMIN, type Caller } from './caller';
import { CallerTokenError, type CallerVerifier } from './caller-verifier';

/**
 * Turns what a request carries (an `Authorization` header, or the
 * connectionParams of a WebSocket) into a Caller. With authentication
 * switched off (sandbox mode only) everyone is an anonymous admin.
 */
export class Authenticator {
  private constructor(private readonly verifier: CallerVerifier | undefined) {}

  static verifying(verifier: CallerVerifier): Authenticator {
    return new Authenticator(verifier);
  }

  static disabled(): Authenticator {
    return new Authenticator(undefined);
  }

  get enabled(): boolean {
    return this.verifier !== undefined;
  }

  /**
   * The caller of an HTTP request: undefined without credentials (fields that
   * need a caller answer UNAUTHENTICATED), and UNAUTHENTICATED at once for
   * credentials that are present but not valid.
   */
  async fromAuthorization(header: unknown): Promise<Caller | undefined> {
    if (!this.verifier) return ANONYMOUS_ADMIN;
    if (header === undefined || header === '') return undefined;

    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw unauthenticated('send credentials as Authorization: Bearer <token>');
    try {
      return await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof CallerTokenError) throw unauthenticated(error.message);
      throw error;
    }
  }

  /** The caller of a WebSocket: `Authorization` (any case) in connectionParams. */
  fromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): Promise<Caller | undefined> {
    const entry = Object.entries(params ?? {}).find(([key]) => key.toLowerCase() === 'authorization');

    return this.fromAuthorization(entry?.[1] ?? '');
  }
}

function unauthenticated(message: string): FacadeError {
  return new FacadeError(ErrorCode.UNAUTHENTICATED, message);
}
