import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import { requireCaller } from '../../auth/access';
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
    const session = await ctx.services.sessions.exchange(assertOneTimeToken(oneTimeToken), requireCaller(ctx), ctx.call, ctx.logger);

    return { userId: session.userId, status: statusOf(ctx, session.userId, session.decision), externalState: session.externalState };
  }

  @FieldResolver(() => KycUser, { nullable: true })
  user(@Root() session: KycSession, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadUser(ctx, session.userId, info);
  }
}
