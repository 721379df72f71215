import { createHmac } from 'node:crypto';
import { startHarness, type Harness } from '../helpers/harness';
import { startRedis, type RedisServer } from '../helpers/redis-server';
import { until } from '../helpers/until';

/**
 * `/readyz` follows the stores the process depends on: with everything in
 * Redis, it turns 503 while Redis is away and 200 again once it is back,
 * while `/healthz` stays 200 and reads fall through to Kraken.
 */

let redis: RedisServer;
let h: Harness;

beforeAll(async () => {
  redis = await startRedis();
  h = await startHarness({ env: { CACHE_URL: redis.url, REDIS_URL: redis.url, LINK_STORE_URL: redis.url } });
});
afterAll(async () => {
  await h.stop();
  await redis.stop();
});

async function readyz(): Promise<number> {
  return (await fetch(`${h.url}/readyz`)).status;
}

it('is ready while Redis answers, unready while it is away, and ready again once it is back', async () => {
  expect(await readyz()).toBe(200);

  await redis.stop();
  expect(await until(async () => (await readyz()) === 503, 100, 100)).toBe(true);
  expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  const read = await h.gql(`query($id: ID!) { kycUser(id: $id) { status } }`, { id: h.people.approved });
  expect(read.body).toEqual({ data: { kycUser: { status: 'APPROVED' } } });
  // Without its de-duplication store a delivery cannot be taken safely: Kraken is asked to retry.
  const delivery = JSON.stringify({ id: h.people.pending, status: 'approved', note: '' });
  const webhook = await fetch(`${h.url}/webhooks/kraken`, {
    method: 'POST',
    headers: { 'x-fractal-signature': createHmac('sha256', h.webhookSecret).update(delivery).digest('hex') },
    body: delivery,
  });
  expect([webhook.status, await webhook.text()]).toEqual([503, expect.not.stringMatching(/redis|ECONNREFUSED|stack/i)]);

  redis = await startRedis(redis.port);
  expect(await until(async () => (await readyz()) === 200, 100, 100)).toBe(true);
});
