import { createPubSub, filter, pipe, type PubSubEventTarget, type Repeater, SlidingBuffer } from '@graphql-yoga/subscription';
import type { KycStatus } from '../graphql/types/enums';

/**
 * A status change as it travels between instances: plain JSON, so it survives
 * a Redis hop unchanged (`receivedAt` is an ISO 8601 string).
 */
export interface StatusEventPayload {
  eventId: string;
  userId: string;
  status: KycStatus;
  note?: string;
  receivedAt: string;
}

type Topics = { 'kyc-status-changed': [StatusEventPayload] };

const TOPIC = 'kyc-status-changed';

/** Events a slow subscriber may fall behind by before the oldest are dropped. */
const SUBSCRIBER_BUFFER = 256;

/**
 * The one publish/subscribe seam for status changes: in process by default;
 * give it a distributed event target (Redis) to reach every instance.
 */
export class StatusEvents {
  /** The underlying pub/sub; type-graphql's buildSchema requires one. */
  readonly pubSub;

  constructor(eventTarget?: PubSubEventTarget<Topics>) {
    this.pubSub = createPubSub<Topics>({ eventTarget, repeaterBuffer: new SlidingBuffer(SUBSCRIBER_BUFFER) });
  }

  publish(event: StatusEventPayload): void {
    this.pubSub.publish(TOPIC, event);
  }

  /** Every later event that `accept` lets through, until the iterator is returned. */
  subscribe(
    accept: (event: StatusEventPayload) => boolean | Promise<boolean> = () => true,
  ): Repeater<StatusEventPayload> {
    return pipe(this.pubSub.subscribe(TOPIC), filter(accept)) as Repeater<StatusEventPayload>;
  }
}
