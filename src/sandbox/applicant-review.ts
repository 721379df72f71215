import type { Decision } from './types';

/** How a RED review that allows resubmission maps to E1/E2 (KRAKEN.md §1.3). */
export type RetryRejection = 'pending' | 'rejected';

type Json = Record<string, unknown>;

const DEFAULT_REJECT_LABELS = ['UNSATISFACTORY_PHOTOS'];
const DEFAULT_REJECTION_NOTE = 'We could not verify your document.';

/**
 * The Sumsub review as Kraken reports it (KRAKEN.md §1.3): only a completed
 * review is final; GREEN approves; RED rejects unless it is a RETRY, which is
 * switchable because the user may still fix it.
 */
export function decisionFromApplicant(
  applicant: Json,
  retryRejection: RetryRejection,
): Decision {
  const review = asRecord(applicant.review);
  if (review.reviewStatus !== 'completed') return 'pending';

  const result = asRecord(review.reviewResult);
  if (result.reviewAnswer === 'GREEN') return 'approved';
  if (result.reviewAnswer !== 'RED') return 'pending';

  return result.reviewRejectType === 'RETRY' ? retryRejection : 'rejected';
}

/**
 * Rewrites `applicant.review` so `/data` agrees with the decision: GREEN, RED
 * `FINAL`, or back in review. Other review fields keep their place and value.
 */
export function applyDecision(
  applicant: Json,
  decision: Decision,
  change: { nowMs: number; note?: string },
): void {
  const previous = asRecord(applicant.review);
  const review: Json = { ...previous };
  delete review.reviewResult;
  delete review.reviewDate;

  if (decision === 'pending') {
    review.reviewStatus = 'pending';
  } else {
    review.reviewDate = sumsubReviewDate(change.nowMs);
    review.reviewStatus = 'completed';
    review.reviewResult =
      decision === 'approved' ? { reviewAnswer: 'GREEN' } : redResult(previous, change.note);
  }
  applicant.review = review;
}

/** The rejection reason a webhook `note` and `moderationComment` carry. */
export function rejectionNote(applicant: Json): string {
  const comment = asRecord(asRecord(applicant.review).reviewResult).moderationComment;

  return typeof comment === 'string' ? comment : DEFAULT_REJECTION_NOTE;
}

/** Sumsub's review timestamps: `YYYY-MM-DD HH:MM:SS+0000`. */
export function sumsubReviewDate(nowMs: number): string {
  return `${sumsubDate(nowMs)}+0000`;
}

/** Sumsub's applicant timestamps: `YYYY-MM-DD HH:MM:SS`, GMT, no zone. */
export function sumsubDate(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 19).replace('T', ' ');
}

export function asRecord(value: unknown): Json {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);

  return isObject ? (value as Json) : {};
}

/** A final rejection; labels and comments of an earlier RED survive a re-rejection. */
function redResult(previous: Json, note: string | undefined): Json {
  const earlier = asRecord(previous.reviewResult);
  const wasRed = earlier.reviewAnswer === 'RED';
  const kept = (field: string): string | undefined => {
    const value = earlier[field];
    return wasRed && typeof value === 'string' ? value : undefined;
  };
  const labels =
    wasRed && Array.isArray(earlier.rejectLabels) ? earlier.rejectLabels : DEFAULT_REJECT_LABELS;

  return {
    reviewAnswer: 'RED',
    reviewRejectType: 'FINAL',
    rejectLabels: [...labels],
    moderationComment: note ?? kept('moderationComment') ?? DEFAULT_REJECTION_NOTE,
    clientComment: kept('clientComment') ?? 'Rejected in the Kraken emulator.',
  };
}
