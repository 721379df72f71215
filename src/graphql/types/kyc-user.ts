import { Field, ID, ObjectType } from 'type-graphql';
import { KycStatus } from './enums';
import { DateTimeScalar, JSONObjectScalar } from './scalars';

@ObjectType({ description: 'Who the person is, as read from their documents.' })
export class KycPerson {
  @Field(() => String, { nullable: true, description: 'Given name in the document\u2019s own script.' })
  firstName?: string;

  @Field(() => String, { nullable: true, description: 'Family name in the document\u2019s own script.' })
  lastName?: string;

  @Field(() => String, { nullable: true, description: 'Given, middle and family names joined by spaces.' })
  fullName?: string;

  @Field(() => String, { nullable: true, description: 'Date of birth, `YYYY-MM-DD`.' })
  dateOfBirth?: string;

  @Field(() => String, { nullable: true })
  placeOfBirth?: string;

  @Field(() => String, { nullable: true, description: 'Country of residence, ISO 3166-1 alpha-3.' })
  country?: string;

  @Field(() => String, { nullable: true, description: 'Nationality, ISO 3166-1 alpha-3.' })
  nationality?: string;
}

@ObjectType({ description: 'One identity or address document the person submitted.' })
export class KycDocument {
  @Field(() => String, { nullable: true, description: 'Sumsub document type, e.g. `PASSPORT`, `ID_CARD`, `UTILITY_BILL`.' })
  type?: string;

  @Field(() => String, { nullable: true, description: 'Issuing country, ISO 3166-1 alpha-3.' })
  country?: string;

  @Field(() => String, { nullable: true, description: 'Document number.' })
  number?: string;

  @Field(() => String, { nullable: true, description: '`YYYY-MM-DD`.' })
  issuedDate?: string;

  @Field(() => String, { nullable: true, description: '`YYYY-MM-DD`.' })
  validUntil?: string;
}

@ObjectType({ description: 'The outcome of the identity review.' })
export class KycReview {
  @Field(() => String, { nullable: true, description: '`GREEN` or `RED` once the review is complete.' })
  answer?: string;

  @Field(() => String, { nullable: true, description: '`FINAL` (do not retry) or `RETRY` (the person may resubmit), when RED.' })
  rejectType?: string;

  @Field(() => String, { nullable: true, description: 'The level that was reviewed.' })
  levelName?: string;

  @Field(() => String, { nullable: true, description: 'A note that may be shown to the person.' })
  comment?: string;

  @Field(() => [String], { nullable: true, description: 'Why the review was RED, e.g. `FORGERY`.' })
  rejectLabels?: string[];

  @Field(() => DateTimeScalar, { nullable: true })
  reviewedAt?: Date;
}

@ObjectType({ description: 'A person\u2019s KYC record at Kraken.' })
export class KycUser {
  @Field(() => ID, { description: 'Kraken\u2019s user id.' })
  id!: string;

  @Field(() => KycStatus)
  status!: KycStatus;

  @Field(() => String, { nullable: true, description: 'The level the person went through.' })
  level?: string;

  @Field(() => KycPerson, { nullable: true })
  person?: KycPerson;

  @Field(() => [KycDocument])
  documents!: KycDocument[];

  @Field(() => KycReview, { nullable: true })
  review?: KycReview;

  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'The whole upstream record (a Sumsub applicant), for fields this schema does not model.',
  })
  raw?: Record<string, unknown>;
}
