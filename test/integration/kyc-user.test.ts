import { startHarness, type Harness } from '../helpers/harness';

const USER_STATUS = `query($id: ID!) { kycUser(id: $id) { id status } }`;
const USER_PERSON = `query($id: ID!) { kycUser(id: $id) { id person { fullName dateOfBirth } documents { type number } } }`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { READ_CACHE_TTL_SECONDS: '0' } });
});
afterAll(() => h.stop());
beforeEach(() => {
  h.emulator.resetRequests();
  h.emulator.clearFaults();
});

function upstreamPaths(): string[] {
  return h.emulator.requests.map((r) => r.path);
}

describe('kycUser', () => {
  it('answers status alone with one /status call and no /data call', async () => {
    const { body } = await h.gql(USER_STATUS, { id: h.people.approved });

    expect(body.data).toEqual({ kycUser: { id: h.people.approved, status: 'APPROVED' } });
    expect(upstreamPaths()).toEqual([`/public/kyc/${h.people.approved}/status`]);
  });

  it('answers personal fields with one /data call and no /status call', async () => {
    const { body } = await h.gql(USER_PERSON, { id: h.people.approved });

    expect(body.data?.kycUser).toMatchObject({
      person: { fullName: 'Mara Lindqvist', dateOfBirth: '1991-07-23' },
      documents: [{ type: 'PASSPORT', number: 'XK4471902' }, { type: 'UTILITY_BILL', number: null }],
    });
    expect(upstreamPaths()).toEqual([`/public/kyc/${h.people.approved}/data`]);
  });

  it('maps the whole record and keeps the upstream document in raw', async () => {
    const { body } = await h.gql(
      `query($id: ID!) { kycUser(id: $id) { status level review { answer rejectType rejectLabels comment reviewedAt } raw } }`,
      { id: h.people.rejected },
    );
    const user = body.data?.kycUser as Record<string, unknown>;

    expect(user).toMatchObject({
      status: 'REJECTED',
      level: 'plus+liveness',
      review: { answer: 'RED', rejectType: 'FINAL', rejectLabels: ['FORGERY'] },
    });
    expect((user.raw as Record<string, unknown>).info).toBeDefined();
  });

  it('follows fragments when deciding which calls to make', async () => {
    const { body } = await h.gql(
      `query($id: ID!) { kycUser(id: $id) { ...Who } } fragment Who on KycUser { ... on KycUser { person { firstName } } }`,
      { id: h.people.pending },
    );

    expect(body.data).toEqual({ kycUser: { person: { firstName: 'Tomás' } } });
    expect(upstreamPaths()).toEqual([`/public/kyc/${h.people.pending}/data`]);
  });

  it('makes one call per distinct id however many aliases ask for it', async () => {
    const { body } = await h.gql(
      `query($a: ID!, $b: ID!) {
        a1: kycUser(id: $a) { status person { firstName } }
        a2: kycUser(id: $a) { status }
        a3: kycUser(id: $a) { person { lastName } }
        b1: kycUser(id: $b) { status }
      }`,
      { a: h.people.approved, b: h.people.pending },
    );

    expect(body.errors).toBeUndefined();
    expect(upstreamPaths().sort()).toEqual(
      [
        `/public/kyc/${h.people.approved}/data`,
        `/public/kyc/${h.people.approved}/status`,
        `/public/kyc/${h.people.pending}/status`,
      ].sort(),
    );
  });

  it('answers null for a user Kraken does not know, next to users it knows (G4)', async () => {
    const { body } = await h.gql(
      `query($u1: ID!, $u2: ID!, $u3: ID!) {
        u1: kycUser(id: $u1) { status person { lastName } }
        u2: kycUser(id: $u2) { status person { lastName } }
        u3: kycUser(id: $u3) { status person { lastName } }
      }`,
      { u1: h.people.approved, u2: '00000000-0000-4000-8000-000000000000', u3: h.people.pending },
    );

    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      u1: { status: 'APPROVED', person: { lastName: 'Lindqvist' } },
      u2: null,
      u3: { status: 'PENDING', person: { lastName: 'Ferreira' } },
    });
  });

  it('fails only the path of a user whose reads fail, and reads it again next request (G5)', async () => {
    const u2 = h.people.rejected;
    h.emulator.fail({ path: new RegExp(`/public/kyc/${u2}/`), status: 503 });
    const query = `query($u1: ID!, $u2: ID!, $u3: ID!) {
      u1: kycUser(id: $u1) { status person { lastName } }
      u2: kycUser(id: $u2) { status person { lastName } }
      u3: kycUser(id: $u3) { status }
    }`;
    const variables = { u1: h.people.approved, u2, u3: h.people.pending };
    const first = await h.gql(query, variables);

    expect(first.body.data).toMatchObject({ u1: { status: 'APPROVED' }, u2: null, u3: { status: 'PENDING' } });
    expect(first.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['u2'], 'UPSTREAM_UNAVAILABLE']]);

    h.emulator.clearFaults();
    const second = await h.gql(query, variables);

    expect(second.body.errors).toBeUndefined();
    expect(second.body.data?.u2).toEqual({ status: 'REJECTED', person: { lastName: 'Lindqvist' } });
  });

  it('answers UNKNOWN with a warning for a status Kraken adds later (G6)', async () => {
    h.emulator.setStatus(h.people.pending, 'under_review');
    try {
      const { body } = await h.gql(USER_STATUS, { id: h.people.pending });

      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({ kycUser: { id: h.people.pending, status: 'UNKNOWN' } });
      expect(h.logs.find(/does not know/).some((e) => e.status === 'under_review')).toBe(true);
    } finally {
      h.emulator.setStatus(h.people.pending, 'pending');
    }
  });

  it('refuses an id of the wrong shape before calling Kraken', async () => {
    const { body } = await h.gql(USER_STATUS, { id: '../../admin' });

    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.emulator.requests).toHaveLength(0);
  });
});
