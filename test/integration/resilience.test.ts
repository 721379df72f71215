import { startHarness, type Harness } from '../helpers/harness';
import { finishJourney } from '../helpers/journey';
import { until } from '../helpers/until';

/**
 * Kraken failing in each way the emulator can fail, through the whole
 * facade: which code the client gets, how many calls Kraken saw, and that the
 * facade serves normally once the fault clears. No timing is asserted beyond
 * Retry-After being honoured: a hang proves the deadline by the answer coming
 * back at all.
 */

const STATUS = `query($id: ID!) { kycUser(id: $id) { status } }`;
const STATUS_PATH = /\/status$/;

function code(body: { errors?: { extensions?: { code?: string } }[] }): string | undefined {
  return body.errors?.[0]?.extensions?.code;
}

describe('retries of idempotent reads', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      env: { READ_CACHE_TTL_SECONDS: '0', KRAKEN_TIMEOUT_MS: '300', KRAKEN_BREAKER_THRESHOLD: '10000' },
    });
  });
  afterAll(() => h.stop());
  beforeEach(() => {
    h.emulator.clearFaults();
    h.emulator.resetRequests();
  });

  it('retries a single 500 and answers normally', async () => {
    h.emulator.fail({ path: STATUS_PATH, status: 500, times: 1 });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(body).toEqual({ data: { kycUser: { status: 'APPROVED' } } });
    expect(h.emulator.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  it('retries a dropped connection and answers normally', async () => {
    h.emulator.fail({ path: STATUS_PATH, reset: true, times: 1 });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(body.data).toEqual({ kycUser: { status: 'APPROVED' } });
    expect(h.emulator.requests).toHaveLength(2);
  });

  it('gives up after the configured retries of a lasting 503', async () => {
    h.emulator.fail({ path: STATUS_PATH, status: 503 });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(code(body)).toBe('UPSTREAM_UNAVAILABLE');
    // KRAKEN_RETRIES defaults to 2: one try and two more.
    expect(h.emulator.requests).toHaveLength(3);
  });

  it('waits as long as a 429 Retry-After asks before trying again', async () => {
    h.emulator.fail({ path: STATUS_PATH, status: 429, headers: { 'retry-after': '1' }, times: 1 });
    const { body } = await h.gql(STATUS, { id: h.people.approved });
    const [first, second] = h.emulator.requests;

    expect(body.data).toEqual({ kycUser: { status: 'APPROVED' } });
    expect(h.emulator.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(second.at - first.at).toBeGreaterThanOrEqual(950);
  });

  it('fails at once when Retry-After asks for longer than a request may wait', async () => {
    h.emulator.fail({ path: STATUS_PATH, status: 429, headers: { 'retry-after': '120' } });
    const { status, body } = await h.gql(STATUS, { id: h.people.approved });

    expect(status).toBe(200);
    expect(code(body)).toBe('UPSTREAM_UNAVAILABLE');
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('does not retry a call that hung past its deadline', async () => {
    h.emulator.fail({ path: STATUS_PATH, hang: true });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(code(body)).toBe('UPSTREAM_UNAVAILABLE');
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('serves a slow answer that arrives within the deadline', async () => {
    h.emulator.fail({ path: STATUS_PATH, delayMs: 100 });
    const { body } = await h.gql(STATUS, { id: h.people.approved });

    expect(body).toEqual({ data: { kycUser: { status: 'APPROVED' } } });
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('never repeats the exchange of a one-time token, which would spend it', async () => {
    const link = await h.gql<{ kycLink: { url: string } }>(`{ kycLink { url } }`);
    const oneTimeToken = await finishJourney(link.body.data!.kycLink.url, 'approved');
    h.emulator.resetRequests();
    h.emulator.fail({ path: /\/token\//, status: 503, times: 1 });
    const exchange = `mutation($t: String!) { exchangeSession(oneTimeToken: $t) { status } }`;
    const failed = await h.gql(exchange, { t: oneTimeToken });

    expect(code(failed.body)).toBe('UPSTREAM_UNAVAILABLE');
    expect(h.emulator.requests.filter((r) => r.path.includes('/token/'))).toHaveLength(1);

    // Kraken never saw the token spent, so the person can try again.
    const retried = await h.gql(exchange, { t: oneTimeToken });
    expect(retried.body).toEqual({ data: { exchangeSession: { status: 'APPROVED' } } });
  });

  it('survives a storm of 401s with bounded calls and signings, then recovers', async () => {
    const signingsBefore = h.app.tokens.signings;
    h.emulator.fail({ path: STATUS_PATH, status: 401 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.gql(STATUS, { id: h.people.approved })));

    expect(answers.map((a) => code(a.body))).toEqual(Array(20).fill('UPSTREAM_REJECTED'));
    // Each request tries once and once more with a new token: no loop.
    expect(h.emulator.requests.length).toBeLessThanOrEqual(40);
    expect(h.app.tokens.signings - signingsBefore).toBeLessThanOrEqual(21);

    h.emulator.clearFaults();
    const healthy = await h.gql(STATUS, { id: h.people.approved });
    expect(healthy.body).toEqual({ data: { kycUser: { status: 'APPROVED' } } });
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });

  it('sends the request id of the GraphQL request to Kraken', async () => {
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${h.tokens.admin}`,
        'x-request-id': 'req-resilience-1',
      },
      body: JSON.stringify({ query: STATUS, variables: { id: h.people.pending } }),
    });

    expect(response.headers.get('x-request-id')).toBe('req-resilience-1');
    expect(h.emulator.requests.map((r) => r.requestId)).toEqual(['req-resilience-1']);
    expect(h.logs.entries().some((e) => e.requestId === 'req-resilience-1')).toBe(true);
  });
});

describe('the circuit breaker', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      env: {
        READ_CACHE_TTL_SECONDS: '0',
        KRAKEN_RETRIES: '0',
        KRAKEN_BREAKER_THRESHOLD: '3',
        KRAKEN_BREAKER_COOLDOWN_MS: '300',
      },
    });
  });
  afterAll(() => h.stop());

  const readiness = async () => (await (await fetch(`${h.url}/readyz`)).json()) as { kraken: string };

  it('opens after consecutive failures, fails fast without calling Kraken, and closes once Kraken recovers', async () => {
    h.emulator.fail({ path: STATUS_PATH, status: 502 });
    for (let i = 0; i < 3; i += 1) {
      expect(code((await h.gql(STATUS, { id: h.people.approved })).body)).toBe('UPSTREAM_UNAVAILABLE');
    }
    expect(h.emulator.requests).toHaveLength(3);

    h.emulator.resetRequests();
    const fast = await h.gql(STATUS, { id: h.people.approved });
    expect(code(fast.body)).toBe('UPSTREAM_UNAVAILABLE');
    expect(h.emulator.requests).toHaveLength(0);
    expect((await readiness()).kraken).toBe('open');
    expect(await h.app.metrics.registry.getSingleMetricAsString('kraken_upstream_circuit_open')).toMatch(/ 1$/m);

    h.emulator.clearFaults();
    const recovered = await until(async () => {
      const { body } = await h.gql(STATUS, { id: h.people.approved });
      return body.data?.kycUser !== null && body.errors === undefined;
    });
    expect(recovered).toBe(true);
    expect((await readiness()).kraken).toBe('closed');
    // While open it called Kraken for probes only, never for every request.
    expect(h.emulator.requests.length).toBeLessThanOrEqual(2);
  });

  it('re-opens when the probe after the cool-down fails too', async () => {
    h.emulator.fail({ path: STATUS_PATH, status: 500 });
    for (let i = 0; i < 3; i += 1) await h.gql(STATUS, { id: h.people.approved });
    await new Promise((resolve) => setTimeout(resolve, 350));
    h.emulator.resetRequests();

    const probe = await h.gql(STATUS, { id: h.people.approved });
    const after = await h.gql(STATUS, { id: h.people.approved });

    expect([code(probe.body), code(after.body)]).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
    expect(h.emulator.requests).toHaveLength(1);
    h.emulator.clearFaults();
  });
});

describe('the cap on concurrent Kraken calls', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { READ_CACHE_TTL_SECONDS: '0', KRAKEN_MAX_CONNECTIONS: '2' } });
  });
  afterAll(() => h.stop());

  it('keeps at most KRAKEN_MAX_CONNECTIONS calls open and queues the rest', async () => {
    h.emulator.fail({ path: STATUS_PATH, delayMs: 50 });
    h.emulator.resetRequests();
    const answers = await Promise.all(Array.from({ length: 8 }, () => h.gql(STATUS, { id: h.people.pending })));

    expect(answers.every((a) => a.body.errors === undefined)).toBe(true);
    expect(h.emulator.requests).toHaveLength(8);
    expect(h.emulator.peakInFlight).toBeLessThanOrEqual(2);
  });
});
