import { Field, ID, ObjectType } from 'type-graphql';
import { KycStatus } from './enums';
import { KycUser } from './kyc-user';

@ObjectType({ description: 'The result of a finished journey.' })
export class KycSession {
  @Field(() => ID, { description: 'Kraken\u2019s user id; store it next to your own user.' })
  userId!: string;

  @Field(() => KycStatus, { description: 'The decision when the journey ended.' })
  status!: KycStatus;

  @Field(() => String, { nullable: true, description: 'The `state` given to `kycLink`, echoed by Kraken.' })
  externalState?: string;

  @Field(() => KycUser, { nullable: true, description: 'The person\u2019s record, read on demand.' })
  user?: KycUser;
}
