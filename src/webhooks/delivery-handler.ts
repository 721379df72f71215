import { createHash, randomUUID } from 'node:crypto';
import { FacadeError } from '../errors';
import type { StatusEvents } from '../events/status-events';
import { toKycStatus } from '../graphql/mappers';
import type { KycStatus } from '../graphql/types/enums';
import type { KrakenClient } from '../kraken/client';
import type { KycReader } from '../kraken/kyc-reader';
import type { Logger } from '../logger';
import type { SharedState } from '../state/shared-state';
import type { WebhookEvent } from './webhook-event';

export interface DeliveryHandlerOptions {
  kraken: KrakenClient;
  reader: KycReader;
  state: SharedState;
  events: StatusEvents;
  logger: Logger;
  /** How long the status check may take before the webhook's own status is used. */
  confirmTimeoutMs?: number;
  now?: () => number;
}

/** What became of one authentic delivery. */
export type DeliveryOutcome = 'published' | 'duplicate' | 'unchanged';

/**
 * A repeat of the same bytes within this window is the same delivery (Kraken
 * retries at 20 s, 40 s, 80 s …). Past it, the last-published check below
 * still keeps a replay from publishing twice.
 */
const DELIVERY_WINDOW_MS = 10 * 60_000;
/** How long the last published status per person is remembered. */
const LAST_STATUS_TTL_MS = 30 * 24 * 3_600_000;

/**
 * Turns authentic deliveries into published status changes. Kraken delivers
 * at least once, in any order, with no id or timestamp (KRAKEN.md §4), so:
 * the same bytes twice are one delivery; the person's status is re-read from
 * Kraken and that, not the webhook, is published; and nothing is published
 * when it equals what was published last for that person.
 */
export class DeliveryHandler {
  private readonly confirmTimeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: DeliveryHandlerOptions) {
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? 3_000;
    this.now = options.now ?? Date.now;
  }

  async handle(body: Buffer, event: WebhookEvent, requestId: string): Promise<DeliveryOutcome> {
    const { state } = this.options;
    const deliveryKey = `webhook:delivery:${createHash('sha256').update(body).digest('hex')}`;
    if (!(await state.claim(deliveryKey, DELIVERY_WINDOW_MS))) return 'duplicate';

    try {
      return await this.process(event, requestId);
    } catch (error) {
      // Not answered 2xx, so Kraken retries; let that retry through.
      await state.release(deliveryKey);
      throw error;
    }
  }

  private async process(event: WebhookEvent, requestId: string): Promise<DeliveryOutcome> {
    const logger = this.options.logger.child({ requestId, userId: event.userId });
    await this.options.reader.forget(event.userId);
    const confirmed = await this.currentStatus(event, requestId, logger);
    const status = toKycStatus(confirmed, (value) =>
      logger.warn({ status: value }, 'webhook status this schema does not know; publishing UNKNOWN'),
    );

    const lastKey = `webhook:last:${event.userId}`;
    if ((await this.options.state.get(lastKey)) === status) {
      logger.info({ status }, 'webhook repeats the status last published; not publishing');
      return 'unchanged';
    }
    await this.options.state.set(lastKey, status, LAST_STATUS_TTL_MS);
    this.publish(event, status, confirmed === event.status ? event.note : undefined);
    logger.info({ status }, 'status change published');

    return 'published';
  }

  /** What Kraken says now; the webhook's own status when Kraken cannot say. */
  private async currentStatus(event: WebhookEvent, requestId: string, logger: Logger): Promise<string> {
    try {
      const current = await this.options.kraken.status(event.userId, {
        requestId,
        signal: AbortSignal.timeout(this.confirmTimeoutMs),
      });
      if (current === null) {
        logger.warn('Kraken does not know the user of an authentic webhook; using the webhook status');
        return event.status;
      }
      if (current.status !== event.status) {
        logger.info({ webhook: event.status, kraken: current.status }, 'webhook is out of date; publishing what Kraken says now');
      }
      return current.status;
    } catch (error) {
      if (!(error instanceof FacadeError)) throw error;
      logger.warn({ code: error.code }, 'could not confirm a webhook with Kraken; publishing its own status unconfirmed');
      return event.status;
    }
  }

  private publish(event: WebhookEvent, status: KycStatus, note: string | undefined): void {
    this.options.events.publish({
      eventId: randomUUID(),
      userId: event.userId,
      status,
      note,
      receivedAt: new Date(this.now()).toISOString(),
    });
  }
}
