import { createHmac } from 'node:crypto';
import { startHarness, type Harness } from '../helpers/harness';

/**
 * Queries built to cost Kraken calls or server time: each is refused with a
 * code before any resolver runs, so the emulator sees no request at all.
 */

type Body = { errors?: { message: string; extensions?: { code?: string } }[] };

const code = (body: Body) => body.errors?.[0]?.extensions?.code;

function aliases(count: number, id: string, selection = 'status'): string {
  return `{ ${Array.from({ length: count }, (_, i) => `a${i}: kycUser(id: "${id}") { ${selection} }`).join(' ')} }`;
}

describe('query limits', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { READ_CACHE_TTL_SECONDS: '0' } });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.emulator.resetRequests());

  it('refuses a thousand kycUser aliases before Kraken hears of them', async () => {
    const { status, body } = await h.gql(aliases(1000, h.people.approved));

    expect(status).toBe(400);
    expect(code(body)).toBe('GRAPHQL_PARSE_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/tokens/);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES even when the query is short', async () => {
    const { status, body } = await h.gql(aliases(16, h.people.approved));

    expect(status).toBe(400);
    expect(code(body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/alias/i);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('serves a query within the alias limit, one Kraken call per distinct id', async () => {
    const { body } = await h.gql(aliases(15, h.people.approved));

    expect(body.errors).toBeUndefined();
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH', async () => {
    const deep = `{ __type(name: "KycUser") { fields { type { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } }`;
    const { status, body } = await h.gql(deep);

    expect(status).toBe(400);
    expect(code(body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('refuses a query whose cost is over GRAPHQL_MAX_COST', async () => {
    // Repeated spreads merge into one answer but cost the server each time.
    const fragment = `fragment P on KycUser {
      person { firstName lastName fullName dateOfBirth placeOfBirth country nationality }
      documents { type country number issuedDate validUntil }
      review { answer rejectType levelName comment rejectLabels reviewedAt }
    }`;
    const spreads = Array(10).fill('...P').join(' ');
    const { status, body } = await h.gql(`${aliases(10, h.people.approved, spreads)} ${fragment}`);

    expect(status).toBe(400);
    expect(code(body)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/cost/i);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('answers 413 with a code to a body over the limit, and keeps serving', async () => {
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.admin}` },
      body: JSON.stringify({ query: '{ myKyc { id } }', variables: { pad: 'x'.repeat(200_000) } }),
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: 'the request body is too large', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect((await h.gql(`{ myKyc { id } }`)).status).toBe(200);
  });

  it('answers automatic persisted queries, with any hash, with a code and not an internal error', async () => {
    const post = (payload: Record<string, unknown>) =>
      fetch(`${h.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.admin}` },
        body: JSON.stringify(payload),
      });
    const persistedQuery = { version: 1, sha256Hash: 'ab'.repeat(32) };
    const answers = [await post({ query: '{ myKyc { id } }', extensions: { persistedQuery } }), await post({ extensions: { persistedQuery } })];
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as Body[];

    expect(answers.map((a) => a.status < 500)).toEqual([true, true]);
    expect(bodies.map(code)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_SUPPORTED']);
    expect(h.logs.find(/unexpected error/)).toHaveLength(0);
  });

  it('refuses batched operations, which would multiply every limit', async () => {
    const one = { query: `{ kycUser(id: "${h.people.approved}") { status } }` };
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.admin}` },
      body: JSON.stringify(Array(50).fill(one)),
    });

    expect(response.status).toBe(400);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('answers malformed JSON with 400 and a code, never 500, and does not log the body', async () => {
    const body = '{"query": "mutation { exchangeSession(oneTimeToken: \\"OTT-SECRET-4411\\") { userId } }", "x": "mara@example.org"';
    const response = await fetch(`${h.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await response.text();

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect((JSON.parse(text) as Body).errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(text).not.toMatch(/body-parser|node_modules|OTT-SECRET/);
    expect(h.logs.text()).not.toMatch(/OTT-SECRET-4411|mara@example\.org/);
  });

  it('applies the same limits to operations sent over WebSocket', async () => {
    const subscriber = h.subscribe(aliases(16, h.people.approved));
    await subscriber.connected;
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(JSON.stringify(subscriber.errors)).toMatch(/alias/i);
    expect(subscriber.events).toHaveLength(0);
    expect(h.emulator.requests).toHaveLength(0);
    await subscriber.dispose();
  });
});

describe('rate limits', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_GRAPHQL_PER_MINUTE: '3', RATE_LIMIT_WEBHOOK_PER_MINUTE: '2' } });
  });
  afterAll(() => h.stop());

  it('answers RATE_LIMITED with 429 and Retry-After past a caller’s allowance, and only for that caller', async () => {
    const query = `{ myKyc { id } }`;
    const user = { authorization: `Bearer ${h.tokens.user}` };
    for (let i = 0; i < 3; i += 1) expect((await h.gql(query, {}, user)).status).toBe(200);
    h.emulator.resetRequests();

    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...user },
      body: JSON.stringify({ query: `{ kycUser(id: "${h.people.approved}") { status } }` }),
    });
    const body = (await response.json()) as Body;

    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(code(body)).toBe('RATE_LIMITED');
    expect(h.emulator.requests).toHaveLength(0);
    // Another caller has an allowance of its own.
    expect((await h.gql(query)).status).toBe(200);
    expect(await h.app.metrics.registry.getSingleMetricAsString('kraken_rate_limited_total')).toMatch(/route="graphql"} 1/);
  });

  it('shares one allowance between HTTP and WebSocket, and refuses over either with RATE_LIMITED', async () => {
    const carol = await h.issuer.issue('carol', ['kyc:admin']);
    for (let i = 0; i < 3; i += 1) expect((await h.gql(`{ myKyc { id } }`, {}, { authorization: `Bearer ${carol}` })).status).toBe(200);
    const watcher = h.subscribe(`subscription { kycStatusChanged { status } }`, {}, carol);
    await watcher.connected;
    const deadline = Date.now() + 2_000;
    while (watcher.errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(JSON.stringify(watcher.errors)).toMatch(/"code":"RATE_LIMITED"/);
    await watcher.dispose();
  });

  it('counts refused credentials against the address, so tokens cannot be guessed without limit', async () => {
    const forged = { authorization: 'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' };
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await h.gql(`{ myKyc { id } }`, {}, forged)).status);
    const last = await h.gql(`{ myKyc { id } }`, {}, forged);

    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(last.status).toBe(429);
    expect(code(last.body)).toBe('RATE_LIMITED');
  });

  it('answers 429 to a webhook source that sends too much, before checking anything', async () => {
    const body = JSON.stringify({ id: h.people.approved, status: 'approved', note: '' });
    const signature = createHmac('sha256', h.webhookSecret).update(body).digest('hex');
    const send = () =>
      fetch(`${h.url}/webhooks/kraken`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fractal-signature': signature },
        body,
      });

    const statuses = [(await send()).status, (await send()).status];
    const limited = await send();

    expect(statuses).toEqual([204, 204]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
