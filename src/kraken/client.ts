import type { Readable } from 'node:stream';
import { errors as undiciErrors, Pool, type Dispatcher } from 'undici';
import { ErrorCode, FacadeError } from '../errors';
import type { Logger } from '../logger';
import { scrub } from '../logger';
import type { TokenProvider } from './token-provider';
import type { WireApplicant, WireFileType, WireSession, WireStatus } from './wire';

/** The four upstream operations, as named in metrics and logs. */
export type Endpoint = 'session' | 'status' | 'data' | 'file';

export interface KrakenClientOptions {
  /** Kraken origin, e.g. `https://kraken.fractal.id`. */
  baseUrl: string;
  tokens: TokenProvider;
  /** Deadline for a JSON call, or for the first byte of a file. */
  timeoutMs: number;
  /** Most sockets kept open to Kraken at once; later calls queue. */
  connections: number;
  logger: Logger;
  /** Called once per upstream response or failure, for metrics. */
  onCall?: (call: UpstreamCall) => void;
}

export interface UpstreamCall {
  endpoint: Endpoint;
  /** HTTP status, or `error` when no answer came back. */
  outcome: number | 'error';
  durationMs: number;
}

export interface UpstreamFile {
  body: Readable;
  contentType: string;
  contentLength?: number;
  /** Drops the bytes: reads a few KB at most, then closes the connection quietly. */
  discard(): Promise<void>;
}

/** Per-call extras: a request id to forward and a signal to give up early. */
export interface CallOptions {
  requestId?: string;
  signal?: AbortSignal;
}

const UNAVAILABLE = 'Kraken is unavailable right now; try again shortly';
const REJECTED = 'Kraken refused this service\u2019s credentials';

/**
 * Typed calls to Kraken's public KYC API (KRAKEN.md §1). Every call carries a
 * bearer from the shared token provider; a 401 drops that token and the call is
 * tried once more with a new one, then fails as UPSTREAM_REJECTED.
 */
export class KrakenClient {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(private readonly options: KrakenClientOptions) {
    const base = new URL(options.baseUrl);
    this.basePath = base.pathname.replace(/\/+$/, '');
    this.pool = new Pool(base.origin, {
      connections: options.connections,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: options.timeoutMs },
    });
  }

  /**
   * Trades a one-time token for the Kraken user id. Never retried on a
   * failure past authentication: the call may have spent the token.
   */
  async exchange(oneTimeToken: string, call: CallOptions = {}): Promise<WireSession> {
    const path = `/public/kyc/token/${encodeURIComponent(oneTimeToken)}`;
    const session = await this.json<WireSession>('session', path, call);
    if (session === null) {
      throw new FacadeError(
        ErrorCode.KYC_SESSION_INVALID,
        'the one-time token is unknown, expired or already used; start a new journey',
      );
    }
    if (typeof session.userId !== 'string' || session.userId === '') {
      throw this.unreadable('session', 'no userId in the answer');
    }

    return session;
  }

  /** The person's current decision, or null when Kraken knows no such user. */
  status(userId: string, call: CallOptions = {}): Promise<WireStatus | null> {
    return this.json<WireStatus>('status', `/public/kyc/${encodeURIComponent(userId)}/status`, call);
  }

  /** The person's Sumsub applicant record, or null when Kraken knows no such user. */
  data(userId: string, call: CallOptions = {}): Promise<WireApplicant | null> {
    return this.json<WireApplicant>('data', `/public/kyc/${encodeURIComponent(userId)}/data`, call);
  }

  /**
   * Opens one document as a stream, or null when there is no such file. The
   * caller must consume or destroy `body`.
   */
  async openFile(userId: string, type: WireFileType, call: CallOptions = {}): Promise<UpstreamFile | null> {
    const path = `/public/kyc/${encodeURIComponent(userId)}/file/${type}`;
    const response = await this.send('file', path, call);
    if (response.statusCode === 404) {
      await response.body.dump();
      return null;
    }
    await this.expectOk('file', response);
    const length = Number(response.headers['content-length']);

    return {
      body: response.body,
      contentType: headerValue(response.headers['content-type']) ?? 'application/octet-stream',
      contentLength: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
      discard: () => response.body.dump({ limit: 16 * 1024 }),
    };
  }

  /** Closes the sockets to Kraken. */
  close(): Promise<void> {
    return this.pool.close();
  }

  private async json<T>(endpoint: Endpoint, path: string, call: CallOptions): Promise<T | null> {
    const response = await this.send(endpoint, path, call);
    if (response.statusCode === 404) {
      await response.body.dump();
      return null;
    }
    await this.expectOk(endpoint, response);

    try {
      return (await response.body.json()) as T;
    } catch (error) {
      throw this.unreadable(endpoint, 'the answer is not JSON', error);
    }
  }

  /** One request, re-sent once with a new bearer when Kraken answers 401. */
  private async send(endpoint: Endpoint, path: string, call: CallOptions): Promise<Dispatcher.ResponseData> {
    const first = await this.attempt(endpoint, path, call);
    if (first.response.statusCode !== 401) return first.response;

    await first.response.body.dump();
    await this.options.tokens.invalidate(first.bearer);
    this.options.logger.warn({ endpoint }, 'Kraken refused the API token; retrying once with a new one');

    return (await this.attempt(endpoint, path, call)).response;
  }

  private async attempt(endpoint: Endpoint, path: string, call: CallOptions) {
    const bearer = await this.options.tokens.token();
    const started = performance.now();
    const report = (outcome: number | 'error') =>
      this.options.onCall?.({ endpoint, outcome, durationMs: performance.now() - started });

    try {
      const response = await this.pool.request({
        method: 'GET',
        path: this.basePath + path,
        headers: {
          authorization: `Bearer ${bearer}`,
          accept: endpoint === 'file' ? '*/*' : 'application/json',
          ...(call.requestId && { 'x-request-id': call.requestId }),
        },
        signal: call.signal,
      });
      report(response.statusCode);

      return { response, bearer };
    } catch (error) {
      report('error');
      throw this.unreachable(endpoint, error);
    }
  }

  private async expectOk(endpoint: Endpoint, response: Dispatcher.ResponseData): Promise<void> {
    const status = response.statusCode;
    if (status >= 200 && status < 300) return;

    const detail = await readDetail(response);
    const log = { endpoint, status, upstream: detail };
    if (status === 401 || status === 403) {
      this.options.logger.error(log, 'Kraken refused the facade credentials: check KRAKEN_CLIENT_ID and KRAKEN_PRIVATE_KEY');
      throw new FacadeError(ErrorCode.UPSTREAM_REJECTED, REJECTED);
    }
    if (status === 429 || status >= 500) {
      this.options.logger.warn(log, 'Kraken answered with a failure');
      throw new FacadeError(ErrorCode.UPSTREAM_UNAVAILABLE, UNAVAILABLE);
    }
    // Any other 4xx means this service built a request Kraken does not accept.
    this.options.logger.error(log, 'Kraken refused a request this service built');
    throw new Error(`Kraken answered ${status} on ${endpoint}`);
  }

  private unreachable(endpoint: Endpoint, error: unknown): FacadeError {
    const timedOut =
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      error instanceof undiciErrors.ConnectTimeoutError;
    this.options.logger.warn({ endpoint, err: error, timedOut }, 'Kraken could not be reached');

    return new FacadeError(ErrorCode.UPSTREAM_UNAVAILABLE, UNAVAILABLE, { cause: error });
  }

  private unreadable(endpoint: Endpoint, problem: string, cause?: unknown): FacadeError {
    this.options.logger.error({ endpoint, err: cause }, `Kraken sent an unreadable answer: ${problem}`);

    return new FacadeError(ErrorCode.UPSTREAM_UNAVAILABLE, UNAVAILABLE, { cause });
  }
}

/** The upstream error, clipped and scrubbed, for the log only. */
async function readDetail(response: Dispatcher.ResponseData): Promise<string> {
  try {
    const text = await response.body.text();
    return scrub(text.slice(0, 500));
  } catch {
    return '';
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
