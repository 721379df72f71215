import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { personIn, requireCaller } from '../../auth/access';
import { assertUserId } from '../../kraken/ids';
import type { RequestContext } from '../context';
import { loadUser } from '../load-user';
import { KycUser } from '../types/kyc-user';

@Resolver(() => KycUser)
export class UserResolver {
  @Authorized(personIn('id'))
  @Query(() => KycUser, {
    nullable: true,
    description: 'A verified person\u2019s KYC record; null when Kraken knows no such user.',
  })
  kycUser(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<KycUser | null> {
    return loadUser(ctx, assertUserId(id), info);
  }

  @Authorized()
  @Query(() => KycUser, {
    nullable: true,
    description: 'The signed-in caller\u2019s own KYC record; null before their first journey.',
  })
  async myKyc(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<KycUser | null> {
    const users = await ctx.services.linkStore.usersOf(requireCaller(ctx).subject);
    const latest = users.at(-1);

    return latest === undefined ? null : loadUser(ctx, latest, info);
  }
}
