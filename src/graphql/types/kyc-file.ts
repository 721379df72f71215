import { Field, ID, ObjectType } from 'type-graphql';
import { KycFileType } from './enums';
import { DateTimeScalar } from './scalars';

@ObjectType({ description: 'A short-lived link to download one document from this service.' })
export class KycFile {
  @Field(() => ID)
  userId!: string;

  @Field(() => KycFileType)
  type!: KycFileType;

  @Field(() => String, { description: 'GET it to stream the document; works until `expiresAt`.' })
  url!: string;

  @Field(() => DateTimeScalar)
  expiresAt!: Date;
}
