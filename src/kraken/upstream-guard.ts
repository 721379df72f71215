import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  handleType,
  type IPolicy,
  type IRetryBackoffContext,
  retry,
  TaskCancelledError,
  wrap,
} from 'cockatiel';
import { ErrorCode, FacadeError } from '../errors';

/**
 * Kraken failed in a way worth another try: 5xx, 429, a reset connection.
 * `retryAfterMs` carries Kraken's `Retry-After`, when it sent one.
 */
export class UpstreamUnavailableError extends FacadeError {
  /** False for failures another try cannot fix quickly, such as a timeout. */
  readonly retryable: boolean;

  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(ErrorCode.UPSTREAM_UNAVAILABLE, message, options);
    this.retryable = options?.retryable ?? true;
  }
}

export interface UpstreamGuardOptions {
  /** Further tries of an idempotent read after the first. Default 2. */
  retries?: number;
  /** First back-off; doubled each try, with jitter. Default 100. */
  baseDelayMs?: number;
  /** Longest wait between tries; a longer Retry-After fails at once. Default 2 000. */
  maxDelayMs?: number;
  /** Consecutive failures that open the circuit. Default 5. */
  breakerThreshold?: number;
  /** How long the circuit stays open before one probe. Default 10 000. */
  breakerCooldownMs?: number;
  /** Calls to Kraken in flight at once. Default 32. */
  maxConcurrent?: number;
  /** Calls waiting for a slot before more are refused. Default 256. */
  maxQueued?: number;
  onStateChange?: (state: BreakerState) => void;
  onRetry?: () => void;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

const UNAVAILABLE = 'Kraken is unavailable right now; try again shortly';

/**
 * Resilience around every Kraken call, from cockatiel: a cap on calls in
 * flight, a circuit breaker that fails fast while Kraken is down and probes
 * its recovery, and, for idempotent reads only, bounded retries with jittered
 * exponential back-off that honour Retry-After.
 */
export class UpstreamGuard {
  private readonly reads: IPolicy;
  private readonly writes: IPolicy;
  private readonly breaker;

  constructor(options: UpstreamGuardOptions = {}) {
    const maxDelayMs = options.maxDelayMs ?? 2_000;
    const baseDelayMs = options.baseDelayMs ?? 100;
    const retryable = handleType(UpstreamUnavailableError, (e) => e.retryable && (e.retryAfterMs ?? 0) <= maxDelayMs);
    this.breaker = circuitBreaker(handleType(UpstreamUnavailableError), {
      halfOpenAfter: options.breakerCooldownMs ?? 10_000,
      breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
    });
    this.breaker.onStateChange((state) => options.onStateChange?.(stateName(state)));
    const limit = bulkhead(options.maxConcurrent ?? 32, options.maxQueued ?? 256);
    const retries = retry(retryable, {
      maxAttempts: options.retries ?? 2,
      backoff: new DelegateBackoff((context: IRetryBackoffContext<unknown>) =>
        delayFor(context, baseDelayMs, maxDelayMs),
      ),
    });
    retries.onRetry(() => options.onRetry?.());
    this.reads = wrap(retries, this.breaker, limit);
    this.writes = wrap(this.breaker, limit);
  }

  get state(): BreakerState {
    return stateName(this.breaker.state);
  }

  /** Runs an idempotent read: limited, guarded and retried. */
  read<T>(call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.run(this.reads, call, signal);
  }

  /** Runs a call that must not be repeated (it spends a one-time token). */
  once<T>(call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.run(this.writes, call, signal);
  }

  private async run<T>(policy: IPolicy, call: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await policy.execute(({ signal: inner }) => call(inner), signal);
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new UpstreamUnavailableError(UNAVAILABLE, undefined, { cause: error, retryable: false });
      }
      if (error instanceof BulkheadRejectedError || error instanceof TaskCancelledError) {
        throw new UpstreamUnavailableError(UNAVAILABLE, undefined, { cause: error, retryable: false });
      }
      throw error;
    }
  }
}

/** Kraken's Retry-After when it gave one, else exponential back-off with full jitter. */
function delayFor(context: IRetryBackoffContext<unknown>, baseDelayMs: number, maxDelayMs: number): number {
  const failure = 'error' in context.result ? context.result.error : undefined;
  if (failure instanceof UpstreamUnavailableError && failure.retryAfterMs !== undefined) {
    return Math.min(failure.retryAfterMs, maxDelayMs);
  }
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (context.attempt - 1));

  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function stateName(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half-open';
    default:
      return 'open';
  }
}

/** Milliseconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;

  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
