import type { WireApplicant, WireApplicantInfo, WireFileType, WireIdDoc, WireReview } from '../kraken/wire';
import { KycFileType, KycStatus } from './types/enums';
import type { KycDocument, KycPerson, KycReview, KycUser } from './types/kyc-user';

const STATUSES: Readonly<Record<string, KycStatus>> = {
  approved: KycStatus.APPROVED,
  pending: KycStatus.PENDING,
  rejected: KycStatus.REJECTED,
  contacted: KycStatus.CONTACTED,
};

/**
 * Kraken's decision as a schema value. A value this version does not know
 * becomes UNKNOWN (and `onUnknown` is told), never an error: Kraken may add
 * values at any time.
 */
export function toKycStatus(value: unknown, onUnknown?: (value: string) => void): KycStatus {
  const known = typeof value === 'string' ? STATUSES[value.toLowerCase()] : undefined;
  if (known) return known;

  onUnknown?.(String(value).slice(0, 40));
  return KycStatus.UNKNOWN;
}

const FILE_TYPES: Readonly<Record<KycFileType, WireFileType>> = {
  [KycFileType.ID_FRONT]: 'idFront',
  [KycFileType.ID_BACK]: 'idBack',
  [KycFileType.SELFIE]: 'selfie',
  [KycFileType.PROOF_OF_RESIDENCE]: 'proofOfResidence',
};

export function toWireFileType(type: KycFileType): WireFileType {
  return FILE_TYPES[type];
}

/** The record fields that come from `/data`, mapped; `status` is added by the caller. */
export function fromApplicant(applicant: WireApplicant): Omit<KycUser, 'id' | 'status'> {
  const info = applicant.info ?? {};

  return {
    level: text(applicant.review?.levelName),
    person: toPerson(info),
    documents: (Array.isArray(info.idDocs) ? info.idDocs : []).map(toDocument),
    review: applicant.review ? toReview(applicant.review) : undefined,
    raw: applicant,
  };
}

function toPerson(info: WireApplicantInfo): KycPerson {
  // Names in the document's own script first; the transliteration is a fallback.
  const firstName = text(info.firstName) ?? text(info.firstNameEn);
  const middleName = text(info.middleName) ?? text(info.middleNameEn);
  const lastName = text(info.lastName) ?? text(info.lastNameEn);
  const names = [firstName, middleName, lastName].filter((n): n is string => n !== undefined);

  return {
    firstName,
    lastName,
    fullName: names.length > 0 ? names.join(' ') : undefined,
    dateOfBirth: text(info.dob),
    placeOfBirth: text(info.placeOfBirth) ?? text(info.placeOfBirthEn),
    country: text(info.country),
    nationality: text(info.nationality),
  };
}

function toDocument(doc: WireIdDoc): KycDocument {
  return {
    type: text(doc.idDocType),
    country: text(doc.country),
    number: text(doc.number),
    issuedDate: text(doc.issuedDate),
    validUntil: text(doc.validUntil),
  };
}

function toReview(review: WireReview): KycReview {
  const result = review.reviewResult ?? {};
  const labels = Array.isArray(result.rejectLabels) ? result.rejectLabels.filter(isText) : undefined;

  return {
    answer: text(result.reviewAnswer),
    rejectType: text(result.reviewRejectType),
    levelName: text(review.levelName),
    comment: text(result.moderationComment),
    rejectLabels: labels,
    reviewedAt: parseSumsubDate(review.reviewDate),
  };
}

/**
 * Sumsub writes `YYYY-MM-DD HH:MM:SS+0000` (or no zone, meaning UTC). Anything
 * else is dropped rather than guessed.
 */
export function parseSumsubDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return undefined;

  const zone = match[3] === undefined || match[3] === 'Z' ? 'Z' : `${match[3].slice(0, 3)}:${match[3].slice(-2)}`;
  const date = new Date(`${match[1]}T${match[2]}${zone}`);

  return Number.isNaN(date.getTime()) ? undefined : date;
}

function text(value: unknown): string | undefined {
  return isText(value) ? value : undefined;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
