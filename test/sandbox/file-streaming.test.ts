import { KrakenEmulator } from '../../src/sandbox';
import { apiToken, bearer, newClient } from './support';

const TWELVE_MIB = 12 * 1024 * 1024;

describe('Kraken emulator file streaming (E4)', () => {
  const emulator = new KrakenEmulator();
  const client = newClient('client-files');
  let userId: string;

  beforeAll(async () => {
    await emulator.start();
    emulator.registerClient({ clientId: client.clientId, publicKey: client.publicKey });
    userId = emulator.addUser(client.clientId, {
      applicant: {},
      files: { selfie: { contentType: 'image/jpeg', sizeBytes: TWELVE_MIB } },
    });
  });

  afterAll(() => emulator.stop());

  async function fetchSelfie(signal?: AbortSignal): Promise<Response> {
    const headers = bearer(await apiToken(client, Date.now() / 1000));

    return fetch(`${emulator.url}/public/kyc/${userId}/file/selfie`, { headers, signal });
  }

  it('streams a generated 12 MiB file in many chunks with an exact Content-Length', async () => {
    const response = await fetchSelfie();
    let totalBytes = 0;
    let chunks = 0;
    let patternHolds = true;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      // Byte n of the filler is n & 0xff, so a lost or repeated chunk shows.
      const lastOffset = totalBytes + chunk.length - 1;
      patternHolds &&= chunk[0] === (totalBytes & 0xff) && chunk.at(-1) === (lastOffset & 0xff);
      totalBytes += chunk.length;
      chunks += 1;
    }

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('content-length')).toBe(String(TWELVE_MIB));
    expect(totalBytes).toBe(TWELVE_MIB);
    expect(chunks).toBeGreaterThan(1);
    expect(patternHolds).toBe(true);
  });

  it('keeps serving after a client hangs up in the middle of a file', async () => {
    const controller = new AbortController();
    const response = await fetchSelfie(controller.signal);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();

    const again = await fetchSelfie();
    expect(again.status).toBe(200);
    expect((await again.arrayBuffer()).byteLength).toBe(TWELVE_MIB);
  });
});
