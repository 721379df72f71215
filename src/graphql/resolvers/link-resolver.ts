import { Args, ArgsType, Ctx, Field, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { KycLink } from '../types/kyc-link';

@ArgsType()
class KycLinkArgs {
  @Field(() => String, { defaultValue: 'basic+liveness', description: 'A base level and `+`-joined add-ons.' })
  level!: string;

  @Field(() => String, { nullable: true, description: 'Echoed back by Kraken when the journey ends.' })
  state?: string;

  @Field(() => String, { nullable: true, description: 'Your own id for the person, kept by Kraken.' })
  externalUserId?: string;
}

@Resolver(() => KycLink)
export class LinkResolver {
  @Query(() => KycLink, { description: 'A journey link for the Kraken KYC flow, signed with the client\u2019s ES512 key.' })
  kycLink(@Args(() => KycLinkArgs) args: KycLinkArgs, @Ctx() ctx: RequestContext): Promise<KycLink> {
    return ctx.services.links.sign(args);
  }
}
