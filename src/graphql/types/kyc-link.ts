import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A signed link that opens the Kraken KYC journey.' })
export class KycLink {
  @Field(() => String, { description: 'The journey URL to open in a browser tab or an iframe.' })
  url!: string;

  @Field(() => String, { description: 'The ES512 link token inside `url`, for callers that build their own URL.' })
  token!: string;

  @Field(() => String, { description: 'The level the journey checks, e.g. `basic+liveness`.' })
  level!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Opaque value Kraken echoes back when the journey ends (redirect and iframe message), binding the result to the caller who asked for this link; your own `state`, when given, is its last part.',
  })
  state?: string;
}
