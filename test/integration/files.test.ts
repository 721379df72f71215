import { startHarness, type Harness } from '../helpers/harness';

const FILE = `query($id: ID!, $type: KycFileType!) { kycFile(userId: $id, type: $type) { userId type url expiresAt } }`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());

async function fileUrl(userId: string, type: string): Promise<string> {
  const { body } = await h.gql<{ kycFile: { url: string } }>(FILE, { id: userId, type });
  return body.data!.kycFile.url;
}

describe('kycFile', () => {
  it('answers a short-lived URL on this facade, bound to user and type', async () => {
    const before = Date.now();
    const { body } = await h.gql<{ kycFile: { url: string; expiresAt: string; type: string } }>(FILE, {
      id: h.people.approved,
      type: 'ID_FRONT',
    });
    const file = body.data!.kycFile;
    const lifetimeMs = Date.parse(file.expiresAt) - before;

    expect(file.type).toBe('ID_FRONT');
    expect(file.url.startsWith(`${h.url}/files/`)).toBe(true);
    expect(lifetimeMs).toBeGreaterThan(250_000);
    expect(lifetimeMs).toBeLessThanOrEqual(301_000);
  });

  it('answers null when the user has no such file', async () => {
    const { body } = await h.gql(FILE, { id: h.people.approved, type: 'ID_BACK' });

    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ kycFile: null });
  });

  it('streams the document with its content type and length', async () => {
    const response = await fetch(await fileUrl(h.people.approved, 'PROOF_OF_RESIDENCE'));
    const bytes = Buffer.from(await response.arrayBuffer());

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
  });

  it('refuses a forged token with 403', async () => {
    const url = await fileUrl(h.people.approved, 'SELFIE');
    const [head, payload] = url.split('/files/')[1].split('.');
    const other = Buffer.from(payload, 'base64url').toString().replace(h.people.approved, h.people.pending);
    const forged = `${h.url}/files/${head}.${Buffer.from(other).toString('base64url')}.${'A'.repeat(43)}`;

    expect((await fetch(forged)).status).toBe(403);
    expect((await fetch(`${h.url}/files/not-a-token`)).status).toBe(403);
  });

  it('answers 404 when the file is gone by the time the link is used', async () => {
    const url = await fileUrl(h.people.pending, 'ID_BACK');
    h.emulator.fail({ path: /\/file\/idBack$/, status: 404, times: 1 });

    expect((await fetch(url)).status).toBe(404);
  });

  it('answers 503 when Kraken fails during a download', async () => {
    const url = await fileUrl(h.people.pending, 'SELFIE');
    h.emulator.fail({ path: /\/file\/selfie$/, status: 502 });
    const response = await fetch(url);
    h.emulator.clearFaults();

    expect(response.status).toBe(503);
    expect(await response.text()).not.toMatch(/Bearer|stack/i);
  });
});

describe('a 12 MiB document (G7)', () => {
  const size = 12 * 1024 * 1024;
  let bigUser: string;

  beforeAll(() => {
    bigUser = h.emulator.addUser(h.clientId, {
      applicant: { info: {} },
      status: 'approved',
      files: { idFront: { contentType: 'image/jpeg', sizeBytes: size } },
    });
  });

  it('gets a kycFile answer under 2 KB', async () => {
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.admin}` },
      body: JSON.stringify({ query: FILE, variables: { id: bigUser, type: 'ID_FRONT' } }),
    });
    const text = await response.text();

    expect(JSON.parse(text).data.kycFile.url).toMatch(/\/files\//);
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
  });

  it('streams with the right type and length without holding the file in memory', async () => {
    const gc = global.gc;
    if (!gc) throw new Error('run jest with node --expose-gc (npm test does)');
    const url = await fileUrl(bigUser, 'ID_FRONT');
    gc();
    const baseline = process.memoryUsage().arrayBuffers;
    const response = await fetch(url);
    const reader = response.body!.getReader();
    let received = (await reader.read()).value?.length ?? 0;
    // Stall the download: with streaming, back-pressure stops every hop and
    // only a few buffers are alive; a server that buffered the file would
    // now hold all 12 MiB.
    await new Promise((resolve) => setTimeout(resolve, 300));
    gc();
    const heldWhileStalled = process.memoryUsage().arrayBuffers - baseline;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
    }

    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Number(response.headers.get('content-length'))).toBe(size);
    expect(received).toBe(size);
    expect(heldWhileStalled).toBeLessThan(size / 4);
  });
});
