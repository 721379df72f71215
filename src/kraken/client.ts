import type { Readable } from 'node:stream';
import { errors as undiciErrors, Pool, type Dispatcher } from 'undici';
import { ErrorCode, FacadeError } from '../errors';
import type { Logger } from '../logger';
import { scrub } from '../logger';
import type { TokenProvider } from './token-provider';
import { parseRetryAfter, UpstreamGuard, UpstreamUnavailableError } from './upstream-guard';
import type { WireApplicant, WireFileType, WireSession, WireStatus } from './wire';

/** The four upstream operations, as named in metrics and logs. */
export type Endpoint = 'session' | 'status' | 'data' | 'file';

export interface KrakenClientOptions {
  /** Kraken origin, e.g. `https://kraken.fractal.id`. */
  baseUrl: string;
  tokens: TokenProvider;
  /** Deadline for an answer's headers, time waiting for a socket included. */
  timeoutMs: number;
  /** Most sockets for JSON calls; later calls queue (within the deadline). */
  connections: number;
  /** Most sockets for document downloads, kept apart so slow downloads cannot starve JSON calls. */
  fileConnections?: number;
  logger: Logger;
  /** Retries, circuit breaker and concurrency cap; a default guard when absent. */
  guard?: UpstreamGuard;
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
  private readonly filePool: Pool;
  private readonly basePath: string;
  readonly guard: UpstreamGuard;

  constructor(private readonly options: KrakenClientOptions) {
    this.guard = options.guard ?? new UpstreamGuard({ maxConcurrent: options.connections });
    const base = new URL(options.baseUrl);
    this.basePath = base.pathname.replace(/\/+$/, '');
    const pool = (connections: number) =>
      new Pool(base.origin, {
        connections,
        headersTimeout: options.timeoutMs,
        // Between two chunks, not for the whole body: documents may be large.
        bodyTimeout: options.timeoutMs,
        connect: { timeout: options.timeoutMs },
      });
    this.pool = pool(options.connections);
    this.filePool = pool(options.fileConnections ?? 8);
  }

  /**
   * Trades a one-time token for the Kraken user id. Never retried on a
   * failure past authentication: the call may have spent the token.
   */
  async exchange(oneTimeToken: string, call: CallOptions = {}): Promise<WireSession> {
    const path = `/public/kyc/token/${encodeURIComponent(oneTimeToken)}`;
    const session = await this.guard.once((signal) => this.json<WireSession>('session', path, call, signal), call.signal);
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
    const path = `/public/kyc/${encodeURIComponent(userId)}/status`;
    return this.guard.read((signal) => this.json<WireStatus>('status', path, call, signal), call.signal);
  }

  /** The person's Sumsub applicant record, or null when Kraken knows no such user. */
  data(userId: string, call: CallOptions = {}): Promise<WireApplicant | null> {
    const path = `/public/kyc/${encodeURIComponent(userId)}/data`;
    return this.guard.read((signal) => this.json<WireApplicant>('data', path, call, signal), call.signal);
  }

  /**
   * Opens one document as a stream, or null when there is no such file. The
   * caller must consume or destroy `body`.
   */
  openFile(userId: string, type: WireFileType, call: CallOptions = {}): Promise<UpstreamFile | null> {
    const path = `/public/kyc/${encodeURIComponent(userId)}/file/${type}`;
    // Only opening is retried; once bytes flow to the client, a break is final.
    return this.guard.read((signal) => this.open(path, call, signal), call.signal);
  }

  private async open(path: string, call: CallOptions, signal: AbortSignal): Promise<UpstreamFile | null> {
    const response = await this.send('file', path, call, signal);
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
  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.filePool.close()]);
  }

  private async json<T>(endpoint: Endpoint, path: string, call: CallOptions, signal: AbortSignal): Promise<T | null> {
    const response = await this.send(endpoint, path, call, signal);
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
  private async send(
    endpoint: Endpoint,
    path: string,
    call: CallOptions,
    signal: AbortSignal,
  ): Promise<Dispatcher.ResponseData> {
    const first = await this.attempt(endpoint, path, call, signal);
    if (first.response.statusCode !== 401) return first.response;

    await first.response.body.dump();
    await this.options.tokens.invalidate(first.bearer);
    this.options.logger.warn({ endpoint }, 'Kraken refused the API token; retrying once with a new one');

    return (await this.attempt(endpoint, path, call, signal)).response;
  }

  private async attempt(endpoint: Endpoint, path: string, call: CallOptions, signal: AbortSignal) {
    const bearer = await this.options.tokens.token();
    const started = performance.now();
    const report = (outcome: number | 'error') => {
      const durationMs = performance.now() - started;
      this.options.logger.debug({ endpoint, outcome, durationMs: Math.round(durationMs), requestId: call.requestId }, 'Kraken call');
      this.options.onCall?.({ endpoint, outcome, durationMs });
    };
    // The deadline runs from now, so time spent queued for a socket counts;
    // it ends when the headers arrive (a document may then stream for long).
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DOMException('deadline exceeded', 'TimeoutError')), this.options.timeoutMs);
    const pool = endpoint === 'file' ? this.filePool : this.pool;

    try {
      const response = await pool.request({
        method: 'GET',
        path: this.basePath + path,
        headers: {
          authorization: `Bearer ${bearer}`,
          accept: endpoint === 'file' ? '*/*' : 'application/json',
          ...(call.requestId && { 'x-request-id': call.requestId }),
        },
        signal: AbortSignal.any([signal, deadline.signal]),
      });
      report(response.statusCode);

      return { response, bearer };
    } catch (error) {
      report('error');
      throw this.unreachable(endpoint, error, deadline.signal.aborted);
    } finally {
      clearTimeout(timer);
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
      throw new UpstreamUnavailableError(UNAVAILABLE, parseRetryAfter(response.headers['retry-after']));
    }
    // Any other 4xx means this service built a request Kraken does not accept.
    this.options.logger.error(log, 'Kraken refused a request this service built');
    throw new Error(`Kraken answered ${status} on ${endpoint}`);
  }

  /**
   * A connection that failed or timed out. A timeout is not retried: another
   * try would double the wait; a refused or reset connection is.
   */
  private unreachable(endpoint: Endpoint, error: unknown, pastDeadline: boolean): FacadeError {
    // Our own deadline aborts with a DOMException, which is not an Error on Node 20.
    const timedOut =
      pastDeadline ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError ||
      error instanceof undiciErrors.ConnectTimeoutError;
    this.options.logger.warn({ endpoint, err: error, timedOut }, 'Kraken could not be reached');

    return new UpstreamUnavailableError(UNAVAILABLE, undefined, { cause: error, retryable: !timedOut });
  }

  private unreadable(endpoint: Endpoint, problem: string, cause?: unknown): FacadeError {
    this.options.logger.error({ endpoint, err: cause }, `Kraken sent an unreadable answer: ${problem}`);

    return new UpstreamUnavailableError(UNAVAILABLE, undefined, { cause, retryable: false });
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
