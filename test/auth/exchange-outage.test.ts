import { startHarness, type Harness } from '../helpers/harness';
import { finishJourney } from '../helpers/journey';
import { startRedis, type RedisServer } from '../helpers/redis-server';
import { until } from '../helpers/until';

/**
 * Kraken spends a one-time token when it answers; if the caller's link
 * cannot be recorded then, the person must not have to start the journey
 * again: the answer is retryable and the same token works once the store is back.
 */

let redis: RedisServer;
let h: Harness;

beforeAll(async () => {
  redis = await startRedis();
  h = await startHarness({ env: { LINK_STORE_URL: redis.url } });
});
afterAll(async () => {
  await h.stop();
  await redis.stop();
});

const EXCHANGE = `mutation($t: String!) { exchangeSession(oneTimeToken: $t) { userId status } }`;

it('keeps a one-time token usable when the link store is away at exchange time', async () => {
  const alice = { authorization: `Bearer ${await h.issuer.issue('alice')}` };
  const link = await h.gql<{ kycLink: { url: string } }>(`{ kycLink(state: "o-1") { url } }`, {}, alice);
  const oneTimeToken = await finishJourney(link.body.data!.kycLink.url, 'approved');
  h.emulator.resetRequests();

  await redis.stop();
  const during = await h.gql(EXCHANGE, { t: oneTimeToken }, alice);
  redis = await startRedis(redis.port);
  expect(await until(async () => (await fetch(`${h.url}/readyz`)).status === 200, 100, 100)).toBe(true);
  const after = await h.gql<{ exchangeSession: { userId: string; status: string } }>(EXCHANGE, { t: oneTimeToken }, alice);
  const mine = await h.gql<{ myKyc: { id: string } | null }>(`{ myKyc { id } }`, {}, alice);

  expect(during.body.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
  expect(during.body.errors?.[0]?.message).toMatch(/try the same one-time token again/);
  expect(after.body.errors).toBeUndefined();
  expect(after.body.data!.exchangeSession.status).toBe('APPROVED');
  expect(mine.body.data?.myKyc?.id).toBe(after.body.data!.exchangeSession.userId);
  expect(h.emulator.requests.filter((r) => r.path.includes('/token/'))).toHaveLength(1);
});
