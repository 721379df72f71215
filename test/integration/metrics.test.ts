import { createHmac } from 'node:crypto';
import { startHarness, type Harness } from '../helpers/harness';

/** `/metrics` as Prometheus scrapes it, after real traffic. */

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

async function scrape(): Promise<string> {
  const response = await fetch(`${h.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one series, or undefined when it is absent. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('counts operations, upstream calls, signings, cache lookups, webhooks and open subscriptions', async () => {
    const query = `query Lookup($id: ID!) { kycUser(id: $id) { status } }`;
    await h.gql(query, { id: h.people.approved });
    await h.gql(query, { id: h.people.approved });
    await h.gql(query, { id: h.people.approved }, { authorization: '' });

    const watcher = h.subscribe(`subscription { kycStatusChanged { status } }`);
    await watcher.connected;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during = await scrape();

    const body = JSON.stringify({ id: h.people.pending, status: 'pending', note: '' });
    const signature = createHmac('sha256', h.webhookSecret).update(body).digest('hex');
    await fetch(`${h.url}/webhooks/kraken`, { method: 'POST', headers: { 'x-fractal-signature': signature }, body });
    await fetch(`${h.url}/webhooks/kraken`, { method: 'POST', headers: { 'x-fractal-signature': '00' }, body });
    await watcher.waitFor(1);
    await watcher.dispose();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await scrape();

    expect(value(after, 'kraken_graphql_operations_total{operation="Lookup",outcome="ok"}')).toBe(2);
    expect(value(after, 'kraken_graphql_operations_total{operation="Lookup",outcome="UNAUTHENTICATED"}')).toBe(1);
    expect(value(after, 'kraken_graphql_operation_duration_seconds_count{operation="Lookup"}')).toBe(3);
    // The second read came from the cache: one /status call in all.
    expect(value(after, 'kraken_upstream_requests_total{endpoint="status",status="200"}')).toBe(2);
    expect(value(after, 'kraken_cache_lookups_total{kind="status",result="hit"}')).toBeGreaterThanOrEqual(1);
    expect(value(after, 'kraken_upstream_request_duration_seconds_count{endpoint="status"}')).toBe(2);
    expect(value(after, 'kraken_api_token_signings_total')).toBe(h.app.tokens.signings);
    expect(value(after, 'kraken_webhooks_total{outcome="published"}')).toBe(1);
    expect(value(after, 'kraken_webhooks_total{outcome="bad_signature"}')).toBe(1);
    expect(value(during, 'kraken_graphql_subscriptions_open')).toBe(1);
    expect(value(after, 'kraken_graphql_subscriptions_open')).toBe(0);
    expect(value(after, 'kraken_upstream_circuit_open')).toBe(0);
    expect(after).toContain('process_resident_memory_bytes');
  });

  it('labels operation names a client made up as other, so the series stay bounded', async () => {
    await h.gql(`query Weird_Name_ä { myKyc { id } }`.replace('ä', ''), {});
    await h.gql(`query ${'x'.repeat(100)} { myKyc { id } }`);
    const text = await scrape();

    expect(text).toContain('operation="Weird_Name_"');
    expect(text).not.toContain('x'.repeat(100));
    expect(value(text, 'kraken_graphql_operations_total{operation="other",outcome="ok"}')).toBe(1);
  });
});
