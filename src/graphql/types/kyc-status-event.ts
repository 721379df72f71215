import { Field, ID, ObjectType } from 'type-graphql';
import { KycStatus } from './enums';
import { DateTimeScalar } from './scalars';

@ObjectType({ description: 'A status change reported by a verified Kraken webhook.' })
export class KycStatusEvent {
  @Field(() => ID, { description: 'Unique per published change.' })
  eventId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => KycStatus, { description: 'The status Kraken reports now.' })
  status!: KycStatus;

  @Field(() => String, { nullable: true, description: 'Kraken\u2019s note, e.g. a rejection reason.' })
  note?: string;

  @Field(() => DateTimeScalar)
  receivedAt!: Date;
}
