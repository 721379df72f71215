import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { assertUserId } from '../../kraken/ids';
import type { RequestContext } from '../context';
import { loadUser } from '../load-user';
import { KycUser } from '../types/kyc-user';

@Resolver(() => KycUser)
export class UserResolver {
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
}
