import { registerEnumType } from 'type-graphql';

export enum KycStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  CONTACTED = 'CONTACTED',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(KycStatus, {
  name: 'KycStatus',
  description: 'Where a person stands in KYC. UNKNOWN covers values Kraken adds after this schema.',
  valuesConfig: {
    PENDING: { description: 'Under review, or waiting for the person to fix something.' },
    APPROVED: { description: 'Verified.' },
    REJECTED: { description: 'Refused for good.' },
    CONTACTED: { description: 'Kraken reached out to the person (legacy webhooks only).' },
    UNKNOWN: { description: 'A value this version of the facade does not know yet.' },
  },
});

export enum KycFileType {
  ID_FRONT = 'ID_FRONT',
  ID_BACK = 'ID_BACK',
  SELFIE = 'SELFIE',
  PROOF_OF_RESIDENCE = 'PROOF_OF_RESIDENCE',
}

registerEnumType(KycFileType, {
  name: 'KycFileType',
  description: 'The documents Kraken keeps for a person.',
});
