import { generateKeyPairSync } from 'node:crypto';
import { KrakenEmulator, type EmulatorOptions } from '../../src/sandbox';
import { newClient } from './support';

describe('Kraken emulator misuse', () => {
  const client = newClient('client-misuse');

  function registered(): KrakenEmulator {
    const emulator = new KrakenEmulator();
    emulator.registerClient({ clientId: client.clientId, publicKey: client.publicKey });

    return emulator;
  }

  it('refuses a P-256 key, since ES512 needs P-521', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

    const register = () => new KrakenEmulator().registerClient({ clientId: 'c', publicKey });

    expect(register).toThrow(/P-521/);
  });

  it('refuses a PEM that is not a key', () => {
    const register = () => new KrakenEmulator().registerClient({ clientId: 'c', publicKey: 'nope' });

    expect(register).toThrow(/publicKey/);
  });

  it('accepts an SPKI PEM string and a private key object (using its public half)', () => {
    const pem = client.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const emulator = new KrakenEmulator();

    const fromPrivate = { clientId: 'private', publicKey: client.privateKey };

    expect(() => emulator.registerClient({ clientId: 'pem', publicKey: pem })).not.toThrow();
    expect(() => emulator.registerClient(fromPrivate)).not.toThrow();
  });

  it('refuses a redirect URL or webhook URL that is not http(s)', () => {
    const emulator = new KrakenEmulator();
    const base = { clientId: 'c', publicKey: client.publicKey };

    const badRedirect = { ...base, redirectUrl: 'javascript:alert(1)' };
    const badWebhook = { ...base, webhook: { url: 'not a url', secret: 's' } };

    expect(() => emulator.registerClient(badRedirect)).toThrow(/redirectUrl/);
    expect(() => emulator.registerClient(badWebhook)).toThrow(/webhook.url/);
  });

  it('refuses a user for an unknown client', () => {
    const add = () => new KrakenEmulator().addUser('nobody', { applicant: {} });

    expect(add).toThrow(/unknown client/);
  });

  it("refuses to reuse another client's user id, but lets the same client replace its user", () => {
    const emulator = registered();
    const other = newClient('client-other');
    emulator.registerClient({ clientId: other.clientId, publicKey: other.publicKey });
    emulator.seedSamplePeople(client.clientId);

    expect(() => emulator.seedSamplePeople(other.clientId)).toThrow(/already belongs/);
    expect(() => emulator.seedSamplePeople(client.clientId)).not.toThrow();
  });

  it('refuses a file with both or neither of bytes and sizeBytes, and unknown file types', () => {
    const emulator = registered();
    const both = { contentType: 'image/png', bytes: Buffer.alloc(1), sizeBytes: 1 };
    const addWith = (files: unknown) => () =>
      emulator.addUser(client.clientId, { applicant: {}, files: files as Record<string, never> });

    expect(addWith({ idFront: both })).toThrow(/exactly one/);
    expect(addWith({ idFront: { contentType: 'x' } })).toThrow(/exactly one/);
    expect(addWith({ passport: both })).toThrow(/unknown file type/);
  });

  it("refuses a one-time token for another client's user", () => {
    const emulator = registered();
    const other = newClient('client-other');
    emulator.registerClient({ clientId: other.clientId, publicKey: other.publicKey });
    const userId = emulator.addUser(client.clientId, { applicant: {} });

    expect(() => emulator.issueOneTimeToken(other.clientId, userId)).toThrow(/does not belong/);
  });

  it('rejects a decision for an unknown user', async () => {
    await expect(registered().setDecision('nobody', 'approved')).rejects.toThrow(/unknown user/);
  });

  it('names the option that is wrong', () => {
    const make = (options: EmulatorOptions) => () => new KrakenEmulator(options);

    expect(make({ oneTimeTokenTtlSeconds: 0 })).toThrow(/oneTimeTokenTtlSeconds/);
    expect(make({ maxClockSkewSeconds: -1 })).toThrow(/maxClockSkewSeconds/);
    expect(make({ port: 70_000 })).toThrow(/port/);
    expect(make({ retryRejection: 'later' as 'pending' })).toThrow(/retryRejection/);
  });

  it('has no url before start, keeps its url when started twice, stops when never started', async () => {
    const emulator = new KrakenEmulator();
    expect(() => emulator.url).toThrow(/start/);
    await expect(new KrakenEmulator().stop()).resolves.toBeUndefined();

    const url = await emulator.start();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await emulator.start()).toBe(url);
      expect(emulator.url).toBe(url);
    } finally {
      await emulator.stop();
    }
  });
});
