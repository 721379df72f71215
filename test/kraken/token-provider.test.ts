import { generateKeyPairSync } from 'node:crypto';
import Keyv from 'keyv';
import { decodeJwt } from 'jose';
import { TokenProvider, type TokenProviderOptions } from '../../src/kraken/token-provider';
import { ManualClock } from '../helpers/clock';
import { headerOf, signatureBytes, verifyEs512 } from '../helpers/jwt';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });

function provider(clock: ManualClock, extra: Partial<TokenProviderOptions> = {}) {
  return new TokenProvider({ clientId: 'client-1', privateKey, cache: new Keyv(), now: clock.now, ...extra });
}

describe('TokenProvider', () => {
  it('mints an ES512 JWT over {clientId, api: true} that lives exactly 600 s', async () => {
    const clock = new ManualClock();
    const token = await provider(clock).token();
    const claims = await verifyEs512(token, privateKey, clock.date());

    expect(headerOf(token)).toEqual({ alg: 'ES512', typ: 'JWT' });
    expect(claims).toEqual({
      clientId: 'client-1',
      api: true,
      iat: clock.now() / 1000,
      exp: clock.now() / 1000 + 600,
    });
  });

  it('reuses one token until shortly before it expires', async () => {
    const clock = new ManualClock();
    const tokens = provider(clock);
    const first = await tokens.token();
    clock.advanceSeconds(530);

    expect(await tokens.token()).toBe(first);
    expect(tokens.signings).toBe(1);
  });

  it('presents a new token for a request at T+590 s (K6)', async () => {
    const clock = new ManualClock();
    const tokens = provider(clock);
    const first = await tokens.token();
    clock.advanceSeconds(590);
    const second = await tokens.token();

    expect(second).not.toBe(first);
    expect(decodeJwt(second).iat).toBe(clock.now() / 1000);
    expect(tokens.signings).toBe(2);
  });

  it('signs once for 50 concurrent first requests on an empty cache (K8)', async () => {
    const tokens = provider(new ManualClock());
    const all = await Promise.all(Array.from({ length: 50 }, () => tokens.token()));

    expect(new Set(all).size).toBe(1);
    expect(tokens.signings).toBe(1);
  });

  it('mints 1,000 tokens whose signatures are 132 raw bytes that verify (K5)', async () => {
    const clock = new ManualClock();
    const tokens = provider(clock);
    const minted: string[] = [];
    for (let i = 0; i < 1000; i += 1) {
      minted.push(await tokens.token());
      clock.advanceSeconds(600);
    }

    expect(new Set(minted).size).toBe(1000);
    for (const token of minted) {
      expect(signatureBytes(token)).toBe(132);
      await expect(verifyEs512(token, privateKey, new Date((decodeJwt(token).iat ?? 0) * 1000))).resolves.toBeTruthy();
    }
  });

  it('signs a new token after the current one is invalidated', async () => {
    const tokens = provider(new ManualClock());
    const first = await tokens.token();
    await tokens.invalidate(first);

    expect(await tokens.token()).not.toBe(first);
    expect(tokens.signings).toBe(2);
  });

  it('keeps a newer token when an old one is invalidated late', async () => {
    const clock = new ManualClock();
    const tokens = provider(clock);
    const old = await tokens.token();
    clock.advanceSeconds(590);
    const current = await tokens.token();
    await tokens.invalidate(old);

    expect(await tokens.token()).toBe(current);
  });

  it('lets instances sharing one cache sign once between them', async () => {
    const clock = new ManualClock();
    const cache = new Keyv();
    const a = provider(clock, { cache });
    const b = provider(clock, { cache });

    expect(await b.token()).toBe(await a.token());
    expect(a.signings + b.signings).toBe(1);
  });

  it('keeps signing when the shared cache fails, and reports the failure', async () => {
    const failing = new Keyv({
      store: {
        get: () => Promise.reject(new Error('cache down')),
        set: () => Promise.reject(new Error('cache down')),
        delete: () => Promise.reject(new Error('cache down')),
        clear: () => Promise.resolve(),
      },
    });
    const errors: unknown[] = [];
    // keyv reports store failures as 'error' events (or throws with
    // throwOnErrors); either way the provider must still hand out a token.
    failing.on('error', (e: unknown) => errors.push(e));
    const tokens = provider(new ManualClock(), { cache: failing, onCacheError: (e) => errors.push(e) });

    await expect(tokens.token()).resolves.toMatch(/^eyJ/);
    expect(errors.length).toBeGreaterThan(0);
  });
});
