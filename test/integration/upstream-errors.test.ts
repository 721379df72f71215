import { startHarness, type Harness } from '../helpers/harness';

const STATUS = `query($id: ID!) { kycUser(id: $id) { status } }`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    // Retries on, but no circuit breaker between these cases: each starts from a healthy Kraken.
    env: { READ_CACHE_TTL_SECONDS: '0', KRAKEN_TIMEOUT_MS: '400', KRAKEN_BREAKER_THRESHOLD: '10000' },
  });
});
afterAll(() => h.stop());
beforeEach(() => {
  h.emulator.resetRequests();
  h.emulator.clearFaults();
});

describe('upstream failures', () => {
  it('hides an upstream 500 that names an internal host and a stack, and logs the detail (G2)', async () => {
    const leak = 'connect ECONNREFUSED 10.20.30.40:5432 at Sumsub.fetch (/srv/kraken/src/sumsub.ts:88:13)';
    h.emulator.fail({ path: /\/status$/, status: 500, body: { statusCode: 500, message: leak } });
    const response = await h.gql(STATUS, { id: h.people.approved });
    const text = JSON.stringify(response.body);

    expect(response.body.errors?.[0]).toEqual({
      message: 'Kraken is unavailable right now; try again shortly',
      path: ['kycUser'],
      locations: [{ line: 1, column: 19 }],
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
    for (const secret of ['10.20.30.40', '5432', 'Bearer', 'sumsub.ts', 'stacktrace', h.emulator.url]) {
      expect(text).not.toContain(secret);
    }
    expect(h.logs.text()).toContain('10.20.30.40:5432');
  });

  it('mints a new token and retries once when Kraken answers 401 once (K7)', async () => {
    const signings = h.app.tokens.signings;
    h.emulator.fail({ path: /\/status$/, status: 401, times: 1 });
    const { body } = await h.gql(STATUS, { id: h.people.approved });
    const bearers = h.emulator.requests.map((r) => r.bearer);

    expect(body.data).toEqual({ kycUser: { status: 'APPROVED' } });
    expect(h.emulator.requests.map((r) => r.status)).toEqual([401, 200]);
    expect(bearers[0]).not.toBe(bearers[1]);
    expect(h.app.tokens.signings).toBeGreaterThan(signings);
  });

  it('gives UPSTREAM_REJECTED after two 401s in a row, without looping (K7)', async () => {
    h.emulator.fail({ path: /\/status$/, status: 401 });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_REJECTED');
    expect(h.emulator.requests).toHaveLength(2);
  });

  it('gives UPSTREAM_REJECTED when Kraken forbids the call', async () => {
    h.emulator.fail({ path: /\/status$/, status: 403, times: 1 });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_REJECTED');
  });

  it('gives UPSTREAM_UNAVAILABLE when Kraken does not answer in time', async () => {
    h.emulator.fail({ path: /\/status$/, hang: true });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('gives UPSTREAM_UNAVAILABLE when Kraken drops the connection', async () => {
    h.emulator.fail({ path: /\/status$/, reset: true });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it('gives UPSTREAM_UNAVAILABLE when Kraken answers 200 with something that is not JSON', async () => {
    h.emulator.fail({ path: /\/status$/, status: 200, body: '<html>maintenance</html>' });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('API tokens seen by Kraken', () => {
  it('presents one bearer for 50 concurrent first requests on an empty cache (K8)', async () => {
    const fresh = await startHarness({ env: { READ_CACHE_TTL_SECONDS: '0' } });
    try {
      await Promise.all(Array.from({ length: 50 }, () => fresh.gql(STATUS, { id: fresh.people.approved })));

      expect(fresh.emulator.requests).toHaveLength(50);
      expect(fresh.emulator.bearersSeen().size).toBe(1);
      expect(fresh.app.tokens.signings).toBe(1);
    } finally {
      await fresh.stop();
    }
  });

  it('presents one bearer across 100 reads', async () => {
    for (let i = 0; i < 100; i += 1) {
      const { body } = await h.gql(STATUS, { id: h.people.pending });
      expect(body.data).toEqual({ kycUser: { status: 'PENDING' } });
    }

    expect(h.emulator.requests).toHaveLength(100);
    expect(h.emulator.bearersSeen().size).toBe(1);
  });
});
