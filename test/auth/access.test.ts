import { startHarness, type Harness } from '../helpers/harness';
import { finishJourney } from '../helpers/journey';
import { settle, subscribe } from '../helpers/subscriber';

const USER = `query($id: ID!) { kycUser(id: $id) { status person { lastName } } }`;
const FILE = `query($id: ID!) { kycFile(userId: $id, type: SELFIE) { url } }`;
const MINE = `{ myKyc { id status } }`;
const LINK = `{ kycLink { url state } }`;
const EXCHANGE = `mutation($t: String!) { exchangeSession(oneTimeToken: $t) { userId status } }`;

let h: Harness;
let alice: string;
let bob: string;

beforeAll(async () => {
  h = await startHarness();
  alice = await h.issuer.issue('alice');
  bob = await h.issuer.issue('bob');
});
afterAll(() => h.stop());
beforeEach(() => h.emulator.resetRequests());

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const nobody = { authorization: '' };

/** Alice goes through a journey and exchanges its token; returns her Kraken user id. */
async function journeyOf(token: string): Promise<string> {
  const link = await h.gql<{ kycLink: { url: string } }>(LINK, {}, as(token));
  const oneTimeToken = await finishJourney(link.body.data!.kycLink.url, 'approved');
  const session = await h.gql<{ exchangeSession: { userId: string } }>(EXCHANGE, { t: oneTimeToken }, as(token));
  return session.body.data!.exchangeSession.userId;
}

describe('without credentials', () => {
  it.each([
    ['kycLink', LINK, {}],
    ['kycUser', USER, { id: '3f6c2a9e-8b1d-4e57-9a0c-2d7e5b4f1a63' }],
    ['kycFile', FILE, { id: '3f6c2a9e-8b1d-4e57-9a0c-2d7e5b4f1a63' }],
    ['myKyc', MINE, {}],
    ['exchangeSession', EXCHANGE, { t: 'abc' }],
  ])('refuses %s with UNAUTHENTICATED and calls nothing upstream', async (_name, query, variables) => {
    const { body } = await h.gql(query, variables, nobody);

    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(Object.values(body.data ?? {}).every((value) => value === null)).toBe(true);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('answers 401 to a request whose bearer token is not valid', async () => {
    const expired = await h.issuer.issue('alice', [], -120);
    const response = await h.gql(LINK, {}, as(expired));

    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.body.errors?.[0]?.message).toBe('the token has expired');
  });

  it('answers 401 to a malformed Authorization header', async () => {
    const response = await h.gql(LINK, {}, { authorization: 'Basic YWxpY2U6c2VjcmV0' });

    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('a signed-in user', () => {
  it('has no record before any journey', async () => {
    const { body } = await h.gql(MINE, {}, as(await h.issuer.issue('newcomer')));

    expect(body).toEqual({ data: { myKyc: null } });
  });

  it('reads exactly their own record after exchanging their journey', async () => {
    const userId = await journeyOf(alice);
    const mine = await h.gql(MINE, {}, as(alice));
    const direct = await h.gql(USER, { id: userId }, as(alice));
    const file = await h.gql(FILE, { id: userId }, as(alice));

    expect(mine.body.data).toEqual({ myKyc: { id: userId, status: 'APPROVED' } });
    expect(direct.body.errors).toBeUndefined();
    expect(file.body.errors).toBeUndefined();
  });

  it('is refused another person\u2019s record, files and events with FORBIDDEN, the same whether they exist or not', async () => {
    const alicesId = await journeyOf(alice);
    h.emulator.resetRequests();
    const answers = [
      await h.gql(USER, { id: alicesId }, as(bob)),
      await h.gql(USER, { id: '00000000-0000-4000-8000-000000000000' }, as(bob)),
      await h.gql(FILE, { id: alicesId }, as(bob)),
    ];

    expect(answers.map((a) => a.body.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(new Set(answers.map((a) => a.body.errors?.[0]?.message)).size).toBe(1);
    expect(JSON.stringify(answers)).not.toContain('Lindqvist');
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('cannot exchange a one-time token from a journey another user started', async () => {
    const link = await h.gql<{ kycLink: { url: string } }>(LINK, {}, as(alice));
    const oneTimeToken = await finishJourney(link.body.data!.kycLink.url, 'approved');
    const stolen = await h.gql(EXCHANGE, { t: oneTimeToken }, as(bob));
    const bobs = await h.gql(MINE, {}, as(bob));

    expect(stolen.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(stolen.body)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
    expect(bobs.body.data).toEqual({ myKyc: null });
  });

  it('may exchange a token from a link with their own state, and gets that state back', async () => {
    const link = await h.gql<{ kycLink: { url: string; state: string } }>(`{ kycLink(state: "mine-1") { url state } }`, {}, as(alice));
    const oneTimeToken = await finishJourney(link.body.data!.kycLink.url, 'pending');
    const session = await h.gql(`mutation($t: String!) { exchangeSession(oneTimeToken: $t) { externalState } }`, { t: oneTimeToken }, as(alice));

    expect(link.body.data!.kycLink.state).toMatch(/^kg1\.[\w-]+\.[\w-]+\.mine-1$/);
    expect(session.body).toEqual({ data: { exchangeSession: { externalState: 'mine-1' } } });
  });

  it('cannot exchange a token from a link with the other user’s own state either', async () => {
    const link = await h.gql<{ kycLink: { url: string } }>(`{ kycLink(state: "order-42") { url } }`, {}, as(alice));
    const oneTimeToken = await finishJourney(link.body.data!.kycLink.url, 'approved');
    const stolen = await h.gql(EXCHANGE, { t: oneTimeToken }, as(bob));

    expect(stolen.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await h.gql(MINE, {}, as(bob))).body.data).toEqual({ myKyc: null });
    expect(h.logs.find(/another caller started/).every((entry) => typeof entry.requestId === 'string')).toBe(true);
  });

  it('cannot spoil another user’s journey by presenting their token first', async () => {
    const link = await h.gql<{ kycLink: { url: string } }>(LINK, {}, as(alice));
    const oneTimeToken = await finishJourney(link.body.data!.kycLink.url, 'approved');
    h.emulator.resetRequests();

    const first = await h.gql(EXCHANGE, { t: oneTimeToken }, as(bob));
    const again = await h.gql(EXCHANGE, { t: oneTimeToken }, as(bob));
    const hers = await h.gql<{ exchangeSession: { userId: string; status: string } }>(EXCHANGE, { t: oneTimeToken }, as(alice));
    const spent = await h.gql(EXCHANGE, { t: oneTimeToken }, as(alice));

    expect([first, again].map((a) => a.body.errors?.[0]?.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(hers.body.errors).toBeUndefined();
    expect(hers.body.data!.exchangeSession.status).toBe('APPROVED');
    expect(spent.body.errors?.[0]?.extensions?.code).toBe('KYC_SESSION_INVALID');
    // Kraken heard of the token from Bob's first try and Alice's last; the held session served the rest.
    expect(h.emulator.requests.filter((r) => r.path.includes('/token/'))).toHaveLength(2);
  });
});

describe('an admin', () => {
  it('reads anyone', async () => {
    const { body } = await h.gql(USER, { id: h.people.rejected }, as(h.tokens.admin));

    expect(body.data).toEqual({ kycUser: { status: 'REJECTED', person: { lastName: 'Lindqvist' } } });
  });
});

describe('subscriptions', () => {
  const WATCH = `subscription($id: ID) { kycStatusChanged(userId: $id) { userId status } }`;

  it('closes a connection without credentials with 4403 before any ack (G9)', async () => {
    const anonymous = subscribe(h.url, WATCH);
    let acked = false;
    void anonymous.connected.then(() => (acked = true));
    const closed = await anonymous.closed;

    expect(closed.code).toBe(4403);
    expect(acked).toBe(false);
  });

  it('closes a connection with an invalid token with 4403', async () => {
    const forged = subscribe(h.url, WATCH, {}, { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' });

    expect((await forged.closed).code).toBe(4403);
  });

  it('refuses a user watching another person with FORBIDDEN', async () => {
    const alicesId = await journeyOf(alice);
    const spy = h.subscribe(WATCH, { id: alicesId }, bob);
    await settle(300);

    expect(JSON.stringify(spy.errors)).toMatch(/FORBIDDEN/);
    await spy.dispose();
  });

  it('streams only the caller\u2019s own people when no userId is given, and everyone to admins', async () => {
    const carol = await h.issuer.issue('carol');
    const carolsId = await journeyOf(carol);
    const mine = h.subscribe(WATCH, {}, carol);
    const everyone = h.subscribe(WATCH, {}, h.tokens.admin);
    await Promise.all([mine.connected, everyone.connected]);
    await settle(100);
    await h.emulator.setDecision(h.people.pending, 'rejected');
    await h.emulator.setDecision(carolsId, 'rejected');
    await everyone.waitFor(2);
    await mine.waitFor(1);
    await settle();

    expect(mine.events).toEqual([{ kycStatusChanged: { userId: carolsId, status: 'REJECTED' } }]);
    await Promise.all([mine.dispose(), everyone.dispose()]);
  });

  it('does not outlive the credentials it started with, allowing the same clock leeway as HTTP', async () => {
    // Expired 28 s ago: still inside the 30 s leeway for about two seconds more.
    const lapsing = await h.issuer.issue('dave', ['kyc:admin'], -28);
    const overHttp = await h.gql(MINE, {}, as(lapsing));
    const watcher = h.subscribe(WATCH, {}, lapsing);
    await watcher.connected;
    await settle(500);
    const openAfterHalfASecond = watcher.closed.then(() => false);

    expect(overHttp.body.errors).toBeUndefined();
    expect(await Promise.race([openAfterHalfASecond, Promise.resolve(true)])).toBe(true);
    expect(await watcher.closed).toEqual({ code: 4403, reason: 'Forbidden: credentials expired' });
  });
});
