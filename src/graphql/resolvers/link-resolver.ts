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
    description: 'Echoed back by Kraken when the journey ends. When omitted, the facade issues one bound to the caller.',
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
    // that comes back from somebody else's journey.
    const state = args.state ?? ctx.services.journeyStates.issue(requireCaller(ctx).subject);

    return ctx.services.linkSigner.sign({ ...args, state });
  }
}
