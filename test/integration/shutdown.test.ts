import { startHarness } from '../helpers/harness';
import { adminTokenOf, startService, waitForOutput } from '../helpers/process';
import { settle, subscribe } from '../helpers/subscriber';

const WATCH = `subscription { kycStatusChanged { userId status } }`;

describe('graceful shutdown (G8)', () => {
  it('lets a query in flight finish and closes subscriptions with 1001', async () => {
    const h = await startHarness({ env: { READ_CACHE_TTL_SECONDS: '0' } });
    const subscribers = [1, 2, 3].map(() => h.subscribe(WATCH));
    await Promise.all(subscribers.map((s) => s.connected));
    h.emulator.fail({ path: /\/status$/, delayMs: 500 });
    const inFlight = h.gql(`query($id: ID!) { kycUser(id: $id) { status } }`, { id: h.people.approved });
    await settle(100);

    await h.app.stop();
    const closes = await Promise.all(subscribers.map((s) => s.closed));
    const answer = await inFlight;
    await h.emulator.stop();

    expect(answer.body.data).toEqual({ kycUser: { status: 'APPROVED' } });
    expect(closes.map((c) => c.code)).toEqual([1001, 1001, 1001]);
  });

  it('exits 0 on SIGTERM with open subscriptions, closing them with 1001', async () => {
    const service = startService({ PORT: '0', LOG_LEVEL: 'warn' });
    const [, url] = await waitForOutput(service, /GraphQL endpoint\s+(http:\/\/\S+)\/graphql/);
    const authorization = `Bearer ${await adminTokenOf(service)}`;
    const subscribers = [1, 2, 3].map(() => subscribe(url, WATCH, {}, { authorization }));
    await Promise.all(subscribers.map((s) => s.connected));

    service.child.kill('SIGTERM');
    const code = await service.exited;
    const closes = await Promise.all(subscribers.map((s) => s.closed));

    expect(code).toBe(0);
    expect(closes.map((c) => c.code)).toEqual([1001, 1001, 1001]);
  });
});
