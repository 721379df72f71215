import { startHarness, type Harness } from '../helpers/harness';
import { finishJourney } from '../helpers/journey';

const LINK = `query($state: String) { kycLink(level: "basic+liveness", state: $state) { url } }`;
const EXCHANGE = `mutation($t: String!) {
  exchangeSession(oneTimeToken: $t) { userId status externalState user { id status level person { lastName } } }
}`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

async function linkUrl(state?: string): Promise<string> {
  const { body } = await h.gql<{ kycLink: { url: string } }>(LINK, { state });
  return body.data!.kycLink.url;
}

describe('a whole journey', () => {
  it('trades the one-time token for the new user id, status, state and record', async () => {
    const oneTimeToken = await finishJourney(await linkUrl('order-42'), 'approved');
    const { body } = await h.gql<{ exchangeSession: Record<string, unknown> }>(EXCHANGE, { t: oneTimeToken });
    const session = body.data!.exchangeSession;

    expect(body.errors).toBeUndefined();
    expect(session).toMatchObject({
      status: 'APPROVED',
      externalState: 'order-42',
      user: { status: 'APPROVED', level: 'basic+liveness' },
    });
    expect(session.userId).toMatch(/^[0-9a-f-]{36}$/);
    expect((session.user as { id: string }).id).toBe(session.userId);
  });

  it('reports a pending journey, with no externalState when the link had no state of the caller’s', async () => {
    const oneTimeToken = await finishJourney(await linkUrl(), 'pending');
    const { body } = await h.gql<{ exchangeSession: Record<string, unknown> }>(
      `mutation($t: String!) { exchangeSession(oneTimeToken: $t) { status externalState } }`,
      { t: oneTimeToken },
    );

    expect(body.data?.exchangeSession).toEqual({ status: 'PENDING', externalState: null });
  });

  it('refuses a one-time token the second time with KYC_SESSION_INVALID, and calls Kraken once for it', async () => {
    const oneTimeToken = await finishJourney(await linkUrl(), 'rejected');
    await h.gql(EXCHANGE, { t: oneTimeToken });
    h.emulator.resetRequests();
    const again = await h.gql(EXCHANGE, { t: oneTimeToken });

    expect(again.body.errors?.[0]?.extensions?.code).toBe('KYC_SESSION_INVALID');
    expect(again.body.errors?.[0]?.message).toMatch(/start a new journey/);
    expect(h.emulator.requests.filter((r) => r.path.includes('/token/'))).toHaveLength(1);
  });

  it('refuses an unknown one-time token with KYC_SESSION_INVALID', async () => {
    const { body } = await h.gql(EXCHANGE, { t: 'MXES5XpDzMRAHyMI3Jx5K3nrxzZjWjEr-Cskq3Jevso' });

    expect(body.errors?.[0]?.extensions?.code).toBe('KYC_SESSION_INVALID');
  });

  it.each([[''], ['   '], ['../status'], ['..'], ['a b']])('refuses the malformed one-time token %j with BAD_USER_INPUT', async (t) => {
    h.emulator.resetRequests();
    const { body } = await h.gql(EXCHANGE, { t });

    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('does not retry the exchange after Kraken fails: the token may be spent', async () => {
    const oneTimeToken = await finishJourney(await linkUrl(), 'approved');
    h.emulator.resetRequests();
    h.emulator.fail({ path: /\/token\//, status: 502, times: 1 });
    const { body } = await h.gql(EXCHANGE, { t: oneTimeToken });

    expect(body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    // Only exchange calls count: the journey's webhook makes a /status call of its own.
    expect(h.emulator.requests.filter((r) => r.path.includes('/token/'))).toHaveLength(1);
  });
});
