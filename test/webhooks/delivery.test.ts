import { signBody } from '../../src/webhooks/signature';
import { startHarness, type Harness } from '../helpers/harness';
import { finishJourney } from '../helpers/journey';
import { settle, type Subscriber } from '../helpers/subscriber';

const WATCH = `subscription($id: ID) { kycStatusChanged(userId: $id) { userId status note } }`;

let h: Harness;
const open: Subscriber[] = [];

beforeEach(async () => {
  h = await startHarness({ env: { READ_CACHE_TTL_SECONDS: '60' } });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.dispose()));
  await h.stop();
});

async function watch(userId?: string): Promise<Subscriber> {
  const subscriber = h.subscribe(WATCH, { id: userId });
  open.push(subscriber);
  await subscriber.connected;
  await settle(50);
  return subscriber;
}

function post(userId: string, status: string, note = ''): Promise<Response> {
  const body = JSON.stringify({ id: userId, status, note });
  return fetch(`${h.url}/webhooks/kraken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-fractal-signature': signBody(body, h.webhookSecret) },
    body,
  });
}

describe('webhook delivery', () => {
  it('publishes what Kraken says now, not what a late webhook says', async () => {
    const watcher = await watch(h.people.approved);
    const response = await post(h.people.approved, 'rejected', 'stale');
    const [event] = await watcher.waitFor(1);

    expect(response.status).toBe(204);
    expect(event.kycStatusChanged).toEqual({ userId: h.people.approved, status: 'APPROVED', note: null });
  });

  it('does not move a person backwards when an old delivery arrives after a newer one', async () => {
    const watcher = await watch(h.people.pending);
    await h.emulator.setDecision(h.people.pending, 'approved');
    await watcher.waitFor(1);
    const replay = await post(h.people.pending, 'pending');
    await settle();

    expect(replay.status).toBe(204);
    expect(watcher.events.map((e) => (e.kycStatusChanged as { status: string }).status)).toEqual(['APPROVED']);
  });

  it('publishes the webhook status, and logs the doubt, when Kraken cannot be reached', async () => {
    const watcher = await watch(h.people.pending);
    h.emulator.fail({ path: /\/status$/, status: 503 });
    const response = await post(h.people.pending, 'rejected', 'Document expired');
    const [event] = await watcher.waitFor(1);

    expect(response.status).toBe(204);
    expect(event.kycStatusChanged).toEqual({ userId: h.people.pending, status: 'REJECTED', note: 'Document expired' });
    expect(h.logs.find(/could not confirm/)).toHaveLength(1);
  });

  it('answers within the confirmation deadline when Kraken hangs', async () => {
    h.emulator.fail({ path: /\/status$/, hang: true });
    const response = await post(h.people.pending, 'approved');

    if (response.status !== 204) throw new Error(h.logs.text());
    expect(response.status).toBe(204);
  });

  it('drops the person\u2019s cached reads so the next kycUser shows the new status', async () => {
    const query = `query($id: ID!) { kycUser(id: $id) { status } }`;
    const before = await h.gql(query, { id: h.people.pending });
    await h.emulator.setDecision(h.people.pending, 'approved');
    await settle();
    const after = await h.gql(query, { id: h.people.pending });

    expect(before.body.data).toEqual({ kycUser: { status: 'PENDING' } });
    expect(after.body.data).toEqual({ kycUser: { status: 'APPROVED' } });
  });

  it('tells a subscriber about their person only, and an unfiltered subscriber about everyone', async () => {
    const mine = await watch(h.people.pending);
    const all = await watch();
    await h.emulator.setDecision(h.people.rejected, 'approved');
    await h.emulator.setDecision(h.people.pending, 'rejected', 'Blurry photo');
    await all.waitFor(2);
    await mine.waitFor(1);
    await settle();

    expect(mine.events).toEqual([{ kycStatusChanged: { userId: h.people.pending, status: 'REJECTED', note: 'Blurry photo' } }]);
    expect(all.events.map((e) => (e.kycStatusChanged as { userId: string }).userId).sort()).toEqual(
      [h.people.pending, h.people.rejected].sort(),
    );
  });

  it('publishes once when the same delivery arrives ten times at once', async () => {
    const watcher = await watch(h.people.rejected);
    await h.emulator.setDecision(h.people.rejected, 'approved');
    await watcher.waitFor(1);
    const body = JSON.stringify({ id: h.people.pending, status: 'pending', note: '' });
    const other = await watch(h.people.pending);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        fetch(`${h.url}/webhooks/kraken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-fractal-signature': signBody(body, h.webhookSecret) },
          body,
        }),
      ),
    );
    await other.waitFor(1);
    await settle();

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(204));
    expect(other.events).toHaveLength(1);
  });

  it('refuses a malformed userId argument with BAD_USER_INPUT', async () => {
    const bad = h.subscribe(WATCH, { id: '../x' });
    open.push(bad);
    await settle(300);

    expect(JSON.stringify(bad.errors)).toMatch(/BAD_USER_INPUT/);
  });
});

describe('a whole journey, watched live', () => {
  it('delivers exactly one event when the person finishes in the emulator', async () => {
    const watcher = await watch();
    const { body } = await h.gql<{ kycLink: { url: string } }>(`{ kycLink { url } }`);
    const oneTimeToken = await finishJourney(body.data!.kycLink.url, 'approved');
    const session = await h.gql<{ exchangeSession: { userId: string } }>(
      `mutation($t: String!) { exchangeSession(oneTimeToken: $t) { userId } }`,
      { t: oneTimeToken },
    );
    const [event] = await watcher.waitFor(1);
    await settle(300);

    expect(watcher.events).toHaveLength(1);
    expect(event.kycStatusChanged).toEqual({
      userId: session.body.data!.exchangeSession.userId,
      status: 'APPROVED',
      note: null,
    });
  });
});
