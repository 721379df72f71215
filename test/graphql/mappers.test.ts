import { fromApplicant, parseSumsubDate, toKycStatus } from '../../src/graphql/mappers';
import { KycStatus } from '../../src/graphql/types/enums';
import type { WireApplicant } from '../../src/kraken/wire';
import { fixtureJson } from '../helpers/fixtures';

const approved = fixtureJson<WireApplicant>('kraken', 'data-approved.json');
const rejected = fixtureJson<WireApplicant>('kraken', 'data-rejected.json');
const pending = fixtureJson<WireApplicant>('kraken', 'data-pending.json');

describe('fromApplicant', () => {
  it('maps an approved applicant to person, documents and review', () => {
    const user = fromApplicant(approved);

    expect(user.level).toBe('plus+liveness');
    expect(user.person).toEqual({
      firstName: 'Mara',
      lastName: 'Lindqvist',
      fullName: 'Mara Lindqvist',
      dateOfBirth: '1991-07-23',
      placeOfBirth: 'Uppsala',
      country: 'SWE',
      nationality: 'SWE',
    });
    expect(user.documents).toEqual([
      { type: 'PASSPORT', country: 'SWE', number: 'XK4471902', issuedDate: '2021-03-02', validUntil: '2031-03-01' },
      { type: 'UTILITY_BILL', country: 'SWE', number: undefined, issuedDate: '2025-04-28', validUntil: undefined },
    ]);
    expect(user.review).toEqual({
      answer: 'GREEN',
      rejectType: undefined,
      levelName: 'plus+liveness',
      comment: undefined,
      rejectLabels: undefined,
      reviewedAt: new Date('2025-05-14T09:14:58Z'),
    });
  });

  it('maps a RED review with its labels and the comment meant for the person, not the internal one', () => {
    const review = fromApplicant(rejected).review;

    expect(review).toMatchObject({
      answer: 'RED',
      rejectType: 'FINAL',
      rejectLabels: ['FORGERY'],
      comment: 'We could not verify your document.',
      reviewedAt: new Date('2025-05-15T11:02:41Z'),
    });
  });

  it('keeps non-ASCII names as written and a review without a result', () => {
    const user = fromApplicant(pending);

    expect(user.person?.firstName).toBe('Tomás');
    expect(user.person?.fullName).toBe('Tomás Ferreira');
    expect(user.review).toMatchObject({ answer: undefined, levelName: 'basic+liveness', reviewedAt: undefined });
    expect(user.documents).toHaveLength(1);
  });

  it('keeps the whole upstream record in raw, fields it does not model included', () => {
    const withExtra = { ...approved, futureField: { nested: [1, 2] } };

    expect(fromApplicant(withExtra).raw).toEqual(withExtra);
  });

  it('does not break on an applicant with nothing it knows', () => {
    const user = fromApplicant({ surprise: true, info: { idDocs: 'not-an-array' } } as unknown as WireApplicant);

    expect(user.documents).toEqual([]);
    expect(user.person?.fullName).toBeUndefined();
    expect(user.review).toBeUndefined();
  });
});

describe('toKycStatus', () => {
  it.each([
    ['approved', KycStatus.APPROVED],
    ['pending', KycStatus.PENDING],
    ['rejected', KycStatus.REJECTED],
    ['contacted', KycStatus.CONTACTED],
    ['APPROVED', KycStatus.APPROVED],
  ])('maps %s to %s', (value, expected) => {
    expect(toKycStatus(value)).toBe(expected);
  });

  it('answers UNKNOWN for a value Kraken adds later and reports it (G6)', () => {
    const seen: string[] = [];

    expect(toKycStatus('under_review', (v) => seen.push(v))).toBe(KycStatus.UNKNOWN);
    expect(seen).toEqual(['under_review']);
  });
});

describe('parseSumsubDate', () => {
  it('reads Sumsub date-times with and without a zone', () => {
    expect(parseSumsubDate('2025-05-14 09:14:58+0000')).toEqual(new Date('2025-05-14T09:14:58Z'));
    expect(parseSumsubDate('2025-05-14 09:14:58')).toEqual(new Date('2025-05-14T09:14:58Z'));
    expect(parseSumsubDate('2025-05-14 11:14:58+0200')).toEqual(new Date('2025-05-14T09:14:58Z'));
  });

  it('drops what it cannot read', () => {
    expect(parseSumsubDate('yesterday')).toBeUndefined();
    expect(parseSumsubDate(42)).toBeUndefined();
    expect(parseSumsubDate('2025-13-45 99:99:99')).toBeUndefined();
  });
});
