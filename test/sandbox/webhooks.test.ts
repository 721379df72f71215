import { createHmac } from 'node:crypto';
import {
  KrakenEmulator,
  SAMPLE_APPROVED_USER_ID,
  SAMPLE_REJECTED_USER_ID,
  signWebhookBody,
  type EmulatorOptions,
} from '../../src/sandbox';
import { linkToken, newClient, WebhookReceiver } from './support';

/** The test vectors of KRAKEN.md §4.3. */
const SECRET = 'emulator-webhook-secret-0001';
const APPROVED_BODY = `{"id":"${SAMPLE_APPROVED_USER_ID}","status":"approved","note":""}`;
const APPROVED_SIGNATURE = 'dc76569a6aea4250e7aa4f15371fd785de686eba53d2e1536116c224a0ec75ad';
const REJECTED_BODY =
  `{"id":"${SAMPLE_APPROVED_USER_ID}","status":"rejected","note":"Document expired"}`;
const REJECTED_SIGNATURE = 'd7ffbb420054ecffb6953e1aa5bafc603884586dc5fdcef4332b84c743ca5c14';

describe('signWebhookBody', () => {
  it('signs with HMAC-SHA256 over the raw body, matching the published vectors', () => {
    expect(signWebhookBody(SECRET, APPROVED_BODY)).toBe(APPROVED_SIGNATURE);
    expect(signWebhookBody(SECRET, Buffer.from(REJECTED_BODY))).toBe(REJECTED_SIGNATURE);
  });
});

describe('Kraken emulator webhooks (KRAKEN.md §4.1)', () => {
  const client = newClient('client-hooks');
  let emulator: KrakenEmulator;
  let receiver: WebhookReceiver;

  async function setUp(answer?: (index: number) => number | 'hang', options: EmulatorOptions = {}) {
    receiver = new WebhookReceiver(answer);
    const url = await receiver.start();
    emulator = new KrakenEmulator(options);
    await emulator.start();
    emulator.registerClient({
      clientId: client.clientId,
      publicKey: client.publicKey,
      webhook: { url, secret: SECRET },
    });
    emulator.seedSamplePeople(client.clientId);
  }

  afterEach(async () => {
    await emulator.stop();
    await receiver.stop();
  });

  it('posts an approval as compact JSON with a lowercase hex X-Fractal-Signature', async () => {
    await setUp();
    await emulator.setDecision(SAMPLE_APPROVED_USER_ID, 'approved');
    const [delivery] = await receiver.waitFor(1);

    expect(delivery.body.toString('utf8')).toBe(APPROVED_BODY);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['x-fractal-signature']).toBe(APPROVED_SIGNATURE);
  });

  it('posts a rejection with the reason as note', async () => {
    await setUp();
    await emulator.setDecision(SAMPLE_APPROVED_USER_ID, 'rejected', 'Document expired');
    const [delivery] = await receiver.waitFor(1);

    expect(delivery.body.toString('utf8')).toBe(REJECTED_BODY);
    expect(delivery.headers['x-fractal-signature']).toBe(REJECTED_SIGNATURE);
  });

  it("uses the review's moderation comment as note when no reason is given", async () => {
    await setUp();
    await emulator.setDecision(SAMPLE_REJECTED_USER_ID, 'rejected');
    const [delivery] = await receiver.waitFor(1);

    expect(JSON.parse(delivery.body.toString('utf8'))).toEqual({
      id: SAMPLE_REJECTED_USER_ID,
      status: 'rejected',
      note: 'We could not verify your document.',
    });
  });

  it('sends nothing for pending', async () => {
    await setUp();
    await emulator.setDecision(SAMPLE_APPROVED_USER_ID, 'pending');
    await emulator.setDecision(SAMPLE_REJECTED_USER_ID, 'approved');
    const received = await receiver.waitFor(1);

    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].body.toString('utf8')).id).toBe(SAMPLE_REJECTED_USER_ID);
    expect(emulator.webhookDeliveries).toHaveLength(1);
  });

  it('sends nothing for a client without a webhook', async () => {
    await setUp();
    const quiet = newClient('client-quiet');
    emulator.registerClient({ clientId: quiet.clientId, publicKey: quiet.publicKey });
    const userId = emulator.addUser(quiet.clientId, { applicant: {} });
    await emulator.setDecision(userId, 'approved');

    expect(emulator.webhookDeliveries).toHaveLength(0);
  });

  it('announces a journey finished as approved, with the new user id, but not a pending one', async () => {
    await setUp();
    const form = async (decision: string) =>
      fetch(`${emulator.url}/kyc/finish`, {
        method: 'POST',
        body: new URLSearchParams({ token: await linkToken(client), decision }),
      });
    await form('pending');
    await form('approved');
    const received = await receiver.waitFor(1);
    const body = JSON.parse(received[0].body.toString('utf8')) as { id: string };
    const expected = createHmac('sha256', SECRET).update(received[0].body).digest('hex');

    expect(body).toEqual({ id: expect.any(String), status: 'approved', note: '' });
    expect(body.id).not.toBe(SAMPLE_APPROVED_USER_ID);
    expect(received[0].headers['x-fractal-signature']).toBe(expected);
    expect(emulator.webhookDeliveries).toHaveLength(1);
  });

  it('records a failing receiver and carries on without throwing', async () => {
    await setUp(() => 500);
    const decided = emulator.setDecision(SAMPLE_APPROVED_USER_ID, 'approved');

    await expect(decided).resolves.toBeUndefined();
    expect(emulator.webhookDeliveries).toEqual([
      expect.objectContaining({ status: 500, attempt: 1 }),
    ]);
  });

  it('counts a redirect as a failure and does not follow it', async () => {
    await setUp(() => 302);
    await emulator.setDecision(SAMPLE_APPROVED_USER_ID, 'approved');

    expect(receiver.received).toHaveLength(1);
    expect(emulator.webhookDeliveries[0].status).toBe(302);
  });

  it('gives up on a receiver that does not answer within webhookTimeoutMs', async () => {
    await setUp(() => 'hang', { webhookTimeoutMs: 200 });
    const startedMs = Date.now();
    await emulator.setDecision(SAMPLE_APPROVED_USER_ID, 'approved');

    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(190);
    expect(emulator.webhookDeliveries[0].error).toBe('timed out after 200 ms');
  });

  it('records an unreachable receiver as an error', async () => {
    await setUp();
    // Nothing listens on port 1, so the connection is refused.
    emulator.registerClient({
      clientId: client.clientId,
      publicKey: client.publicKey,
      webhook: { url: 'http://127.0.0.1:1/webhooks/kraken', secret: SECRET },
    });
    await emulator.setDecision(SAMPLE_APPROVED_USER_ID, 'approved');

    expect(emulator.webhookDeliveries[0].error).toMatch(/fetch failed/);
  });

  it('retries a failed delivery with doubling delays when retries are switched on', async () => {
    await setUp((index) => (index < 2 ? 503 : 204), { webhookRetries: 3, webhookRetryDelayMs: 20 });
    await emulator.setDecision(SAMPLE_APPROVED_USER_ID, 'approved');
    const received = await receiver.waitFor(3);

    expect(received.map((delivery) => delivery.body.toString('utf8'))).toEqual([
      APPROVED_BODY,
      APPROVED_BODY,
      APPROVED_BODY,
    ]);
    const deliveries = emulator.webhookDeliveries;
    expect(deliveries.map((delivery) => delivery.attempt)).toEqual([1, 2, 3]);
    expect(deliveries[1].at - deliveries[0].at).toBeGreaterThanOrEqual(19);
    expect(deliveries[2].at - deliveries[1].at).toBeGreaterThanOrEqual(39);
  });
});
