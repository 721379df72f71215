import type { KeyObject } from 'node:crypto';

/** The decision values Kraken returns from E1 `state` and E2 `status`. */
export type Decision = 'approved' | 'pending' | 'rejected';

export const DECISIONS: readonly Decision[] = ['approved', 'pending', 'rejected'];

/** The `{fileType}` segment of `GET /public/kyc/{userId}/file/{fileType}`. */
export type FileType = 'idFront' | 'idBack' | 'selfie' | 'proofOfResidence';

export const FILE_TYPES: readonly FileType[] = ['idFront', 'idBack', 'selfie', 'proofOfResidence'];

export function isDecision(value: unknown): value is Decision {
  return typeof value === 'string' && (DECISIONS as readonly string[]).includes(value);
}

export function isFileType(value: unknown): value is FileType {
  return typeof value === 'string' && (FILE_TYPES as readonly string[]).includes(value);
}

/** A Kraken client as Fractal's onboarding would register it. */
export interface EmulatorClient {
  clientId: string;
  /** The client's ES512 verification key: SPKI PEM or KeyObject, P-521 only. */
  publicKey: KeyObject | string;
  /** Where the journey redirects with `?oneTimeToken=&state=`. */
  redirectUrl?: string;
  /** Where decisions are POSTed, signed with `secret` (KRAKEN.md §4.1). */
  webhook?: { url: string; secret: string };
}

/**
 * One document of a user. Give `bytes`, or `sizeBytes` for generated filler
 * that is streamed in chunks and never held whole in memory.
 */
export interface SeedFile {
  contentType: string;
  bytes?: Buffer;
  sizeBytes?: number;
}

export interface SeedUser {
  /** Kraken user id; a fresh UUID v4 when absent. */
  userId?: string;
  /** The Sumsub applicant served verbatim by `/data`. */
  applicant: Record<string, unknown>;
  /**
   * A decision rewrites `applicant.review` when it disagrees; any other string
   * is served raw by `/status` and E1. Absent: derived from the review.
   */
  status?: Decision | string;
  files?: SeedFiles;
}

/** A fault injected into API routes (`/public/kyc/...`), checked before auth. */
export interface FaultRule {
  /** HTTP method to match, any case; all methods when absent. */
  method?: string;
  /** Tested against the path without the query string; all paths when absent. */
  path?: RegExp;
  /** How many requests the rule applies to; until cleared when absent. */
  times?: number;
  /** Answer with this status instead of the real route. */
  status?: number;
  /** Body of the fault answer: JSON, or a string sent as text; Nest's body when absent. */
  body?: unknown;
  /** Headers added to the answer, faulty or not. */
  headers?: Record<string, string>;
  /** Wait this long first, then answer (normally, or with `status`). */
  delayMs?: number;
  /** Never answer; the socket stays open until the client or `stop()` closes it. */
  hang?: boolean;
  /** Destroy the socket without answering. */
  reset?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The bearer token as sent, valid or not. */
  bearer?: string;
  /** Status answered; 0 while pending or when no answer was sent (hang, reset). */
  status: number;
  /** Arrival time on the emulator clock, in milliseconds. */
  at: number;
  /** The caller's `X-Request-Id`, when it sent one. */
  requestId?: string;
}

/** User ids of the people `seedSamplePeople` adds. */
export interface SamplePeople {
  approved: string;
  pending: string;
  rejected: string;
}

/** The documents of one user, by file type. */
export type SeedFiles = Partial<Record<FileType, SeedFile>>;
