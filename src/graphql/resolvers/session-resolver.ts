import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import { requireCaller } from '../../auth/access';
import { ErrorCode, FacadeError } from '../../errors';
import { assertOneTimeToken } from '../../kraken/ids';
import type { RequestContext } from '../context';
import { loadUser, statusOf } from '../load-user';
import { KycSession } from '../types/kyc-session';
import { KycUser } from '../types/kyc-user';

@Resolver(() => KycSession)
export class SessionResolver {
  @Authorized()
  @Mutation(() => KycSession, {
    description: 'Trades the one-time token from the redirect or iframe message for the Kraken user id.',
  })
  async exchangeSession(
    @Arg('oneTimeToken', () => String) oneTimeToken: string,
    @Ctx() ctx: RequestContext,
  ): Promise<KycSession> {
    const caller = requireCaller(ctx);
    const session = await ctx.services.kraken.exchange(assertOneTimeToken(oneTimeToken), ctx.call);
    const externalState = typeof session.externalState === 'string' ? session.externalState : undefined;
    if (ctx.services.journeyStates.ownerOf(externalState, caller.subject) === 'someone-else') {
      ctx.logger.warn({ userId: session.userId }, 'one-time token from a journey another caller started; refused');
      throw new FacadeError(ErrorCode.FORBIDDEN, 'this one-time token belongs to a journey another user started');
    }
    await ctx.services.linkStore.link(caller.subject, session.userId);

    return { userId: session.userId, status: statusOf(ctx, session.userId, session.state), externalState };
  }

  @FieldResolver(() => KycUser, { nullable: true })
  user(@Root() session: KycSession, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadUser(ctx, session.userId, info);
  }
}
