import { KrakenEmulator, SAMPLE_APPROVED_USER_ID, SAMPLE_PENDING_USER_ID } from '../../src/sandbox';
import { ManualClock } from '../helpers/clock';
import { apiToken, bearer, newClient, type TestClient } from './support';

const SPENT = JSON.stringify({
  message: 'One-time token not found, already used or expired',
  error: 'Not Found',
  statusCode: 404,
});

describe('Kraken emulator one-time tokens (E1)', () => {
  const clock = new ManualClock();
  const emulator = new KrakenEmulator({ now: clock.now, oneTimeTokenTtlSeconds: 600 });
  const owner = newClient('client-owner');
  const stranger = newClient('client-stranger');

  beforeAll(async () => {
    await emulator.start();
    emulator.registerClient({ clientId: owner.clientId, publicKey: owner.publicKey });
    emulator.registerClient({ clientId: stranger.clientId, publicKey: stranger.publicKey });
    emulator.seedSamplePeople(owner.clientId);
  });

  afterAll(() => emulator.stop());

  async function exchange(token: string, client: TestClient = owner): Promise<Response> {
    const headers = bearer(await apiToken(client, clock.now() / 1000));

    return fetch(`${emulator.url}/public/kyc/token/${encodeURIComponent(token)}`, { headers });
  }

  it('trades a token for {userId, state, externalState} in that key order', async () => {
    const externalState = '1747213953123';
    const token = emulator.issueOneTimeToken(owner.clientId, SAMPLE_APPROVED_USER_ID, externalState);
    const response = await exchange(token);

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      `{"userId":"${SAMPLE_APPROVED_USER_ID}","state":"approved","externalState":"1747213953123"}`,
    );
  });

  it('leaves externalState out when none was given', async () => {
    const token = emulator.issueOneTimeToken(owner.clientId, SAMPLE_PENDING_USER_ID);

    const session = await (await exchange(token)).json();

    expect(session).toEqual({ userId: SAMPLE_PENDING_USER_ID, state: 'pending' });
  });

  it('refuses a second use with 404', async () => {
    const token = emulator.issueOneTimeToken(owner.clientId, SAMPLE_APPROVED_USER_ID);
    expect((await exchange(token)).status).toBe(200);

    const second = await exchange(token);
    expect(second.status).toBe(404);
    expect(await second.text()).toBe(SPENT);
  });

  it('still works one second before its 600 s lifetime ends', async () => {
    const token = emulator.issueOneTimeToken(owner.clientId, SAMPLE_APPROVED_USER_ID);
    clock.advanceSeconds(599);

    expect((await exchange(token)).status).toBe(200);
  });

  it('expires after 600 s', async () => {
    const token = emulator.issueOneTimeToken(owner.clientId, SAMPLE_APPROVED_USER_ID);
    clock.advanceSeconds(600);
    const response = await exchange(token);

    expect(response.status).toBe(404);
    expect(await response.text()).toBe(SPENT);
  });

  it('refuses an unknown token with 404', async () => {
    expect((await exchange('MXES5XpDzMRAHyMI3Jx5K3nrxzZjWjEr-Cskq3Jevso')).status).toBe(404);
  });

  it("refuses another client's token without spending it", async () => {
    const token = emulator.issueOneTimeToken(owner.clientId, SAMPLE_APPROVED_USER_ID);

    expect((await exchange(token, stranger)).status).toBe(404);
    expect((await exchange(token, owner)).status).toBe(200);
  });

  it('reports the decision at exchange time, not at issue time', async () => {
    const userId = emulator.addUser(owner.clientId, { applicant: {}, status: 'pending' });
    const token = emulator.issueOneTimeToken(owner.clientId, userId);
    await emulator.setDecision(userId, 'approved');

    expect(await (await exchange(token)).json()).toEqual({ userId, state: 'approved' });
  });

  it('honours a shorter oneTimeTokenTtlSeconds', async () => {
    const brief = new KrakenEmulator({ now: clock.now, oneTimeTokenTtlSeconds: 5 });
    const url = await brief.start();
    try {
      brief.registerClient({ clientId: owner.clientId, publicKey: owner.publicKey });
      const userId = brief.addUser(owner.clientId, { applicant: {} });
      const token = brief.issueOneTimeToken(owner.clientId, userId);
      clock.advanceSeconds(5);
      const headers = bearer(await apiToken(owner, clock.now() / 1000));

      expect((await fetch(`${url}/public/kyc/token/${token}`, { headers })).status).toBe(404);
    } finally {
      await brief.stop();
    }
  });
});
