import { Arg, Authorized, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import { assertMayRead, requireCaller } from '../../auth/access';
import type { StatusEventPayload } from '../../events/status-events';
import { assertUserId } from '../../kraken/ids';
import type { RequestContext } from '../context';
import { KycStatusEvent } from '../types/kyc-status-event';

type SubscribeData = SubscribeResolverData<unknown, { userId?: string | null }, RequestContext>;

/**
 * One person's events, checked once at subscribe time; or, without a userId,
 * the events of every person the caller is linked to (all for admins),
 * checked per event so people linked later are included.
 */
async function subscribe({ args, context }: SubscribeData): Promise<AsyncIterable<StatusEventPayload>> {
  const caller = requireCaller(context);
  const { events, linkStore } = context.services;
  if (args.userId) {
    const userId = assertUserId(args.userId, 'userId');
    await assertMayRead(context, caller, userId);
    return events.subscribe((event) => event.userId === userId);
  }
  if (caller.admin) return events.subscribe();

  return events.subscribe((event) => linkStore.isLinked(caller.subject, event.userId));
}

@Resolver(() => KycStatusEvent)
export class StatusResolver {
  @Authorized()
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
