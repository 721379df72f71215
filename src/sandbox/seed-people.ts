import { randomBytes, randomInt } from 'node:crypto';
import { applyDecision, asRecord, sumsubDate, sumsubReviewDate } from './applicant-review';
import { PROOF_OF_ADDRESS_TYPES, sampleDocuments } from './sample-documents';
import approvedApplicant from './seed/data-approved.json';
import pendingApplicant from './seed/data-pending.json';
import rejectedApplicant from './seed/data-rejected.json';
import type { Decision, SamplePeople, SeedUser } from './types';

type Json = Record<string, unknown>;

/** Mara Lindqvist: approved at `plus+liveness`, passport and utility bill. */
export const SAMPLE_APPROVED_USER_ID = '3f6c2a9e-8b1d-4e57-9a0c-2d7e5b4f1a63';

/** Tomás Ferreira: mid-review at `basic+liveness`, ID card front and back. */
export const SAMPLE_PENDING_USER_ID = '8d2e4f10-3b6a-4c7d-9e21-5a0b7c3d9f42';

/**
 * A finally rejected applicant. The fixture reuses Mara's ids, so this person
 * gets ids of its own to live next to her in one emulator.
 */
export const SAMPLE_REJECTED_USER_ID = 'b7a41d3e-2c95-4f08-8e6b-1d9c0a5f7e24';
export const SAMPLE_REJECTED_APPLICANT_ID = '6650d3a7e4a7f3001d2c9c58';

export const SAMPLE_PEOPLE: Readonly<SamplePeople> = {
  approved: SAMPLE_APPROVED_USER_ID,
  pending: SAMPLE_PENDING_USER_ID,
  rejected: SAMPLE_REJECTED_USER_ID,
};

/** The sample people with their documents, ready for `addUser`. */
export function samplePeopleSeeds(): SeedUser[] {
  const rejected = clone(rejectedApplicant);
  rejected.id = SAMPLE_REJECTED_APPLICANT_ID;
  rejected.externalUserId = SAMPLE_REJECTED_USER_ID;

  return [
    seed(SAMPLE_APPROVED_USER_ID, clone(approvedApplicant)),
    seed(SAMPLE_PENDING_USER_ID, clone(pendingApplicant)),
    seed(SAMPLE_REJECTED_USER_ID, rejected),
  ];
}

export interface JourneyApplicantRequest {
  userId: string;
  decision: Decision;
  /** The link's `level`, which becomes `review.levelName` (KRAKEN.md open question 8). */
  level: string;
  /** The link's `externalUserId` claim; the Kraken user id stands in when empty. */
  externalUserId?: string;
  note?: string;
  nowMs: number;
}

/**
 * A fresh applicant for someone who just finished the emulated journey, made
 * from the fixture that matches the decision, with new ids and dates.
 */
export function journeyApplicant(request: JourneyApplicantRequest): Json {
  const applicant = clone(templateFor(request.decision));
  applicant.id = sumsubId();
  applicant.inspectionId = sumsubId();
  applicant.createdAt = sumsubDate(request.nowMs);
  applicant.externalUserId = request.externalUserId || request.userId;
  applicant.review = {
    ...asRecord(applicant.review),
    reviewId: randomCode(5),
    attemptId: randomCode(5),
    attemptCnt: 1,
    levelName: request.level,
    createDate: sumsubReviewDate(request.nowMs),
  };
  if (!request.level.startsWith('plus')) dropProofOfResidence(applicant);
  applyDecision(applicant, request.decision, { nowMs: request.nowMs, note: request.note });

  return applicant;
}

function seed(userId: string, applicant: Json): SeedUser {
  return { userId, applicant, files: sampleDocuments(applicant) };
}

function templateFor(decision: Decision): Json {
  switch (decision) {
    case 'approved':
      return approvedApplicant;
    case 'pending':
      return pendingApplicant;
    case 'rejected':
      return rejectedApplicant;
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown decision ${String(unreachable)}`);
    }
  }
}

/** Only `plus` levels ask for residency (KRAKEN.md §3.1), so `basic` has no such file. */
function dropProofOfResidence(applicant: Json): void {
  const info = asRecord(applicant.info);
  if (Array.isArray(info.idDocs)) {
    info.idDocs = info.idDocs.filter(
      (doc) => !PROOF_OF_ADDRESS_TYPES.has(String(asRecord(doc).idDocType)),
    );
  }
  const required = asRecord(applicant.requiredIdDocs);
  if (Array.isArray(required.docSets)) {
    required.docSets = required.docSets.filter(
      (set) => asRecord(set).idDocSetType !== 'PROOF_OF_RESIDENCE',
    );
  }
}

function clone(value: object): Json {
  return structuredClone(value) as Json;
}

/** Sumsub ids are 24 lowercase hex characters. */
function sumsubId(): string {
  return randomBytes(12).toString('hex');
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function randomCode(length: number): string {
  return Array.from({ length }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}
