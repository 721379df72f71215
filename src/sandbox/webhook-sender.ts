import { createHmac } from 'node:crypto';
import type { Logger } from '../logger';

export interface WebhookTarget {
  url: string;
  /** Used as UTF-8 text, never hex- or base64-decoded (KRAKEN.md §4.3, point 6). */
  secret: string;
}

/** Kraken's webhook body (KRAKEN.md §4.1); `note` is `""` when approved. */
export interface WebhookEvent {
  id: string;
  status: 'approved' | 'rejected';
  note: string;
}

/** One POST attempt, kept so tests can see what was sent and how it went. */
export interface WebhookDelivery {
  url: string;
  /** The exact bytes signed and sent, as text. */
  body: string;
  attempt: number;
  /** Emulator clock, milliseconds. */
  at: number;
  /** Receiver's status; absent when the request failed before an answer. */
  status?: number;
  error?: string;
}

export interface WebhookSenderOptions {
  /** Per attempt. Default 10 s, as the legacy delivery policy. */
  timeoutMs: number;
  /** Attempts after the first. Default 0, so tests never wait for a retry. */
  retries: number;
  /** Wait before the first retry, doubled each time up to a day. Legacy policy: 20 s. */
  retryDelayMs: number;
  now: () => number;
  logger: Logger;
}

type Outcome = 'delivered' | 'failed' | 'cancelled';

/** Longest wait between retries in the legacy policy: 86 400 s. */
const MAX_RETRY_DELAY_MS = 86_400_000;

/** `X-Fractal-Signature`: lowercase hex HMAC-SHA256 of the exact body bytes, no prefix. */
export function signWebhookBody(secret: string, body: string | Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

/** The body exactly as Kraken serialises it: compact, in `id, status, note` order. */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({ id: event.id, status: event.status, note: event.note });
}

/**
 * POSTs signed decisions to a client's webhook URL. A 2xx is delivered; a
 * 3xx, other status, timeout or network error is a failure that is logged and,
 * if retries are on, tried again later. Nothing here throws to the caller.
 */
export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly inflight = new Set<AbortController>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Requests aborted by `close()`: their failure is expected and not logged. */
  private readonly cancelled = new WeakSet<AbortController>();

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Resolves after the first attempt; retries continue in the background. */
  async send(target: WebhookTarget, event: WebhookEvent): Promise<void> {
    await this.attempt(target, webhookBody(event), 1);
  }

  /** Aborts requests in flight and drops scheduled retries; later sends still work. */
  close(): void {
    for (const controller of this.inflight) {
      this.cancelled.add(controller);
      controller.abort();
    }
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
  }

  private async attempt(target: WebhookTarget, body: string, attempt: number): Promise<void> {
    const delivery: WebhookDelivery = { url: target.url, body, attempt, at: this.options.now() };
    this.deliveries.push(delivery);
    const outcome = await this.post(target, delivery);
    if (outcome === 'failed' && attempt <= this.options.retries) {
      this.scheduleRetry(target, body, attempt);
    }
  }

  private async post(target: WebhookTarget, delivery: WebhookDelivery): Promise<Outcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    this.inflight.add(controller);
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Fractal-Signature': signWebhookBody(target.secret, delivery.body),
        },
        body: delivery.body,
        // A 3xx counts as a failure under the legacy policy, so it is not followed.
        redirect: 'manual',
        signal: controller.signal,
      });
      delivery.status = response.status;
      await response.body?.cancel();
      if (response.ok) return 'delivered';

      this.warn(delivery, `receiver answered ${response.status}`);
      return 'failed';
    } catch (error) {
      if (this.cancelled.has(controller)) {
        delivery.error = 'cancelled by stop()';
        return 'cancelled';
      }
      delivery.error = controller.signal.aborted
        ? `timed out after ${this.options.timeoutMs} ms`
        : describe(error);
      this.warn(delivery, delivery.error);
      return 'failed';
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
    }
  }

  private scheduleRetry(target: WebhookTarget, body: string, attempt: number): void {
    const delayMs = Math.min(this.options.retryDelayMs * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.attempt(target, body, attempt + 1);
    }, delayMs);
    // A pending retry must not keep a finished test run or CLI alive.
    timer.unref();
    this.retryTimers.add(timer);
  }

  private warn(delivery: WebhookDelivery, problem: string): void {
    this.options.logger.warn(
      { url: delivery.url, attempt: delivery.attempt, problem },
      'kraken emulator: webhook delivery failed',
    );
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;

  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
