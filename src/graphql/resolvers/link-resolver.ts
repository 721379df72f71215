import { Args, ArgsType, Authorized, Ctx, Field, Query, Resolver } from 'type-graphql';
import { requireCaller } from '../../auth/access';
import type { RequestContext } from '../context';
import { KycLink } from '../types/kyc-link';

@ArgsType()
class KycLinkArgs {
  @Field(() => String, { defaultValue: 'basic+liveness', description: 'A base level and `+`-joined add-ons.' })
  level!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Your own value, echoed back as `externalState` by exchangeSession. The link carries it bound to the caller (see `KycLink.state`).',
  })
  state?: string;

  @Field(() => String, { nullable: true, description: 'Your own id for the person, kept by Kraken.' })
  externalUserId?: string;
}

@Resolver(() => KycLink)
export class LinkResolver {
  @Authorized()
  @Query(() => KycLink, { description: 'A journey link for the Kraken KYC flow, signed with the client\u2019s ES512 key.' })
  kycLink(@Args(() => KycLinkArgs) args: KycLinkArgs, @Ctx() ctx: RequestContext): Promise<KycLink> {
    // A state bound to the caller lets exchangeSession refuse a one-time token
    // that comes back from somebody else's journey, whether or not they chose a state.
    const state = ctx.services.journeyStates.issue(requireCaller(ctx).subject, args.state ?? undefined);

    return ctx.services.linkSigner.sign({ ...args, state });
  }
}
