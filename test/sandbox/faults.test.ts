import { KrakenEmulator, SAMPLE_APPROVED_USER_ID } from '../../src/sandbox';
import { apiToken, bearer, linkToken, newClient } from './support';

const STATUS_PATH = `/public/kyc/${SAMPLE_APPROVED_USER_ID}/status`;
const DATA_PATH = `/public/kyc/${SAMPLE_APPROVED_USER_ID}/data`;

describe('Kraken emulator fault injection', () => {
  const client = newClient('client-faults');
  let emulator: KrakenEmulator;

  beforeEach(async () => {
    emulator = new KrakenEmulator();
    await emulator.start();
    emulator.registerClient({ clientId: client.clientId, publicKey: client.publicKey });
    emulator.seedSamplePeople(client.clientId);
  });

  afterEach(() => emulator.stop());

  async function get(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = bearer(await apiToken(client, Date.now() / 1000));

    return fetch(`${emulator.url}${path}`, { headers, ...init });
  }

  it('answers with the injected status and Nest body, then recovers after `times`', async () => {
    emulator.fail({ status: 503, times: 1 });
    const faulty = await get(STATUS_PATH);

    expect(faulty.status).toBe(503);
    expect(await faulty.text()).toBe('{"message":"Service Unavailable","statusCode":503}');
    expect((await get(STATUS_PATH)).status).toBe(200);
  });

  it("uses Nest's unknown-exception body for an injected 500", async () => {
    emulator.fail({ status: 500 });

    const body = await (await get(STATUS_PATH)).text();

    expect(body).toBe('{"statusCode":500,"message":"Internal server error"}');
  });

  it('sends a given JSON body and headers', async () => {
    const body = { description: 'slow down', code: 429 };
    emulator.fail({ status: 429, body, headers: { 'Retry-After': '7' } });
    const response = await get(STATUS_PATH);

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('x-kraken-emulator')).toBe('1');
    expect(await response.json()).toEqual(body);
  });

  it('sends a string body as text', async () => {
    emulator.fail({ status: 502, body: '<html>Bad gateway</html>' });
    const response = await get(STATUS_PATH);

    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('<html>Bad gateway</html>');
  });

  it('counts down `times`, and keeps a rule without `times` until cleared', async () => {
    emulator.fail({ path: /\/data$/, status: 500, times: 2 });
    emulator.fail({ path: /\/status$/, status: 502 });
    const dataStatuses = [];
    const statusStatuses = [];
    for (let i = 0; i < 3; i += 1) {
      dataStatuses.push((await get(DATA_PATH)).status);
      statusStatuses.push((await get(STATUS_PATH)).status);
    }
    emulator.clearFaults();

    expect(dataStatuses).toEqual([500, 500, 200]);
    expect(statusStatuses).toEqual([502, 502, 502]);
    expect((await get(STATUS_PATH)).status).toBe(200);
  });

  it('matches on method and path', async () => {
    emulator.fail({ method: 'post', path: /status/, status: 500 });
    emulator.fail({ method: 'GET', path: /\/file\//, status: 504 });

    expect((await get(STATUS_PATH)).status).toBe(200);
    expect((await get(`/public/kyc/${SAMPLE_APPROVED_USER_ID}/file/idFront`)).status).toBe(504);
  });

  it('applies before authentication', async () => {
    emulator.fail({ status: 503 });

    expect((await fetch(`${emulator.url}${STATUS_PATH}`)).status).toBe(503);
  });

  it('leaves the journey pages alone', async () => {
    emulator.fail({ status: 500 });
    emulator.fail({ reset: true });

    expect((await fetch(`${emulator.url}/kyc?token=${await linkToken(client)}`)).status).toBe(200);
  });

  it('delays by delayMs and then answers normally', async () => {
    emulator.fail({ delayMs: 150, times: 1 });
    const startedMs = Date.now();
    const response = await get(STATUS_PATH);

    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(140);
    expect(await response.json()).toEqual({ status: 'approved' });
  });

  it('delays and then answers with the injected status', async () => {
    emulator.fail({ delayMs: 100, status: 504 });
    const startedMs = Date.now();
    const response = await get(STATUS_PATH);

    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(90);
    expect(response.status).toBe(504);
  });

  it('hangs until the client gives up, recording no status', async () => {
    emulator.fail({ hang: true, times: 1 });
    emulator.resetRequests();

    await expect(get(STATUS_PATH, { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(emulator.requests).toEqual([expect.objectContaining({ path: STATUS_PATH, status: 0 })]);
    expect((await get(STATUS_PATH)).status).toBe(200);
  });

  it('closes hung sockets on stop() instead of waiting for them', async () => {
    emulator.fail({ hang: true });
    const pending = get(STATUS_PATH).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const startedMs = Date.now();
    await emulator.stop();

    expect(Date.now() - startedMs).toBeLessThan(1_000);
    expect(await pending).toBe('failed');
  });

  it('resets the connection without answering, then serves the next request', async () => {
    emulator.fail({ reset: true, times: 1 });

    const error = await get(STATUS_PATH).then(
      () => undefined,
      (reason: unknown) => reason as Error & { cause?: { code?: string } },
    );

    expect(error?.message).toBe('fetch failed');
    expect(error?.cause?.code).toBe('UND_ERR_SOCKET');
    expect((await get(STATUS_PATH)).status).toBe(200);
  });

  it('refuses a rule with times below 1', () => {
    expect(() => emulator.fail({ status: 500, times: 0 })).toThrow(/times/);
  });
});
