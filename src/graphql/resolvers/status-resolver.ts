import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { StatusEventPayload } from '../../events/status-events';
import { assertUserId } from '../../kraken/ids';
import type { RequestContext } from '../context';
import { KycStatusEvent } from '../types/kyc-status-event';

type SubscribeData = SubscribeResolverData<unknown, { userId?: string | null }, RequestContext>;

/** Events for one person, or for everyone when no userId is given. */
function subscribe({ args, context }: SubscribeData): AsyncIterable<StatusEventPayload> {
  const userId = args.userId ? assertUserId(args.userId, 'userId') : undefined;

  return context.services.events.subscribe((event) => userId === undefined || event.userId === userId);
}

@Resolver(() => KycStatusEvent)
export class StatusResolver {
  @Subscription(() => KycStatusEvent, {
    description: 'Status changes pushed as verified webhooks arrive; all users when userId is omitted.',
    subscribe,
  })
  kycStatusChanged(
    @Root() event: StatusEventPayload,
    @Arg('userId', () => ID, { nullable: true }) _userId?: string,
  ): KycStatusEvent {
    return { ...event, receivedAt: new Date(event.receivedAt) };
  }
}
