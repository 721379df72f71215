/**
 * Upstream JSON shapes as Kraken sends them (KRAKEN.md §1). Everything is
 * optional past what the facade reads: `/data` is a Sumsub applicant object
 * passed through verbatim, and Kraken may add fields at any time.
 */

/** The decision values Kraken documents; others may appear later. */
export type WireDecision = 'approved' | 'pending' | 'rejected' | (string & {});

/** `GET /public/kyc/token/{oneTimeToken}` */
export interface WireSession {
  userId: string;
  state: WireDecision;
  externalState?: string;
}

/** `GET /public/kyc/{userId}/status` */
export interface WireStatus {
  status: WireDecision;
}

export interface WireIdDoc {
  idDocType?: string;
  country?: string;
  number?: string;
  issuedDate?: string;
  validUntil?: string;
  [field: string]: unknown;
}

export interface WireApplicantInfo {
  firstName?: string;
  firstNameEn?: string;
  lastName?: string;
  lastNameEn?: string;
  middleName?: string;
  middleNameEn?: string;
  dob?: string;
  placeOfBirth?: string;
  placeOfBirthEn?: string;
  country?: string;
  nationality?: string;
  idDocs?: WireIdDoc[];
  [field: string]: unknown;
}

export interface WireReview {
  levelName?: string;
  reviewStatus?: string;
  reviewDate?: string;
  createDate?: string;
  reviewResult?: {
    reviewAnswer?: string;
    reviewRejectType?: string;
    rejectLabels?: string[];
    moderationComment?: string;
    clientComment?: string;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** `GET /public/kyc/{userId}/data`: a Sumsub applicant. */
export interface WireApplicant {
  id?: string;
  externalUserId?: string;
  info?: WireApplicantInfo;
  review?: WireReview;
  [field: string]: unknown;
}

/** The path segment of `GET /public/kyc/{userId}/file/{fileType}`. */
export const WIRE_FILE_TYPES = ['idFront', 'idBack', 'selfie', 'proofOfResidence'] as const;
export type WireFileType = (typeof WIRE_FILE_TYPES)[number];
