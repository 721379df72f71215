import { startHarness, type Harness } from '../helpers/harness';

const STATUS = `query($id: ID!) { kycUser(id: $id) { status } }`;
const PERSON = `query($id: ID!) { kycUser(id: $id) { person { lastName } } }`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { READ_CACHE_TTL_SECONDS: '60' } });
});
afterAll(() => h.stop());
beforeEach(() => h.emulator.resetRequests());

describe('the read cache', () => {
  it('serves a repeated read across requests from the cache', async () => {
    await h.gql(STATUS, { id: h.people.approved });
    await h.gql(STATUS, { id: h.people.approved });
    await h.gql(PERSON, { id: h.people.approved });
    await h.gql(PERSON, { id: h.people.approved });

    expect(h.emulator.requests.map((r) => r.path).sort()).toEqual([
      `/public/kyc/${h.people.approved}/data`,
      `/public/kyc/${h.people.approved}/status`,
    ]);
  });

  it('does not cache unknown users or failures', async () => {
    const unknown = '11111111-1111-4111-8111-111111111111';
    await h.gql(STATUS, { id: unknown });
    await h.gql(STATUS, { id: unknown });
    h.emulator.fail({ path: /\/status$/, status: 503 });
    const failed = await h.gql(STATUS, { id: h.people.pending });
    h.emulator.clearFaults();
    const next = await h.gql(STATUS, { id: h.people.pending });

    expect(failed.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(next.body.data).toEqual({ kycUser: { status: 'PENDING' } });
    expect(h.emulator.requests.filter((r) => r.path.includes(unknown))).toHaveLength(2);
  });

  it('reads Kraken again once a user is forgotten', async () => {
    await h.gql(STATUS, { id: h.people.rejected });
    await h.emulator.setDecision(h.people.rejected, 'approved');
    await h.app.services.reader.forget(h.people.rejected);
    const { body } = await h.gql(STATUS, { id: h.people.rejected });

    expect(body.data).toEqual({ kycUser: { status: 'APPROVED' } });
  });
});
