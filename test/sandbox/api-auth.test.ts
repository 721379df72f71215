import { verify } from 'node:crypto';
import { KrakenEmulator, SAMPLE_APPROVED_USER_ID } from '../../src/sandbox';
import { ManualClock } from '../helpers/clock';
import {
  apiToken,
  bearer,
  craftToken,
  ecdsaSigner,
  hmacSigner,
  linkToken,
  newClient,
  type TestClient,
} from './support';

const UNAUTHORIZED = '{"message":"Unauthorized","statusCode":401}';

describe('Kraken emulator bearer checks (KRAKEN.md §2.4)', () => {
  const clock = new ManualClock();
  const nowSeconds = () => clock.now() / 1000;
  const emulator = new KrakenEmulator({ now: clock.now });
  const alpha = newClient('client-alpha');
  const beta = newClient('client-beta');
  const signRaw = ecdsaSigner(alpha.privateKey, 'ieee-p1363');
  let betaUserId: string;

  beforeAll(async () => {
    await emulator.start();
    emulator.registerClient({ clientId: alpha.clientId, publicKey: alpha.publicKey });
    emulator.registerClient({ clientId: beta.clientId, publicKey: beta.publicKey });
    emulator.seedSamplePeople(alpha.clientId);
    betaUserId = emulator.addUser(beta.clientId, { applicant: { id: 'b' }, status: 'approved' });
  });

  afterAll(() => emulator.stop());

  function statusWith(headers: Record<string, string>, userId = SAMPLE_APPROVED_USER_ID) {
    return fetch(`${emulator.url}/public/kyc/${userId}/status`, { headers });
  }

  async function expectRefused(headers: Record<string, string>): Promise<void> {
    const response = await statusWith(headers);

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe(UNAUTHORIZED);
  }

  /** `{clientId, api: true, iat, exp}` with the times relative to the frozen clock. */
  function apiClaims(client: TestClient, lifetimeSeconds = 600): Record<string, unknown> {
    const iat = nowSeconds();

    return { clientId: client.clientId, api: true, iat, exp: iat + lifetimeSeconds };
  }

  describe('accepts', () => {
    it('accepts a fresh ES512 API token signed with the registered key', async () => {
      const response = await statusWith(bearer(await apiToken(alpha, nowSeconds())));

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'approved' });
    });

    it('accepts a hand-made token whose header is exactly {"alg":"ES512"}', async () => {
      const token = craftToken({ alg: 'ES512' }, apiClaims(alpha), signRaw);

      expect((await statusWith(bearer(token))).status).toBe(200);
    });

    it('accepts Content-Type: application/json on a GET, as callers send it', async () => {
      const token = await apiToken(alpha, nowSeconds());
      const response = await statusWith({ ...bearer(token), 'Content-Type': 'application/json' });

      expect(response.status).toBe(200);
    });

    it('accepts the bearer scheme in any letter case', async () => {
      const token = await apiToken(alpha, nowSeconds());

      expect((await statusWith({ Authorization: `bearer ${token}` })).status).toBe(200);
    });

    it('accepts a lifetime of exactly 600 s', async () => {
      const token = await apiToken(alpha, nowSeconds(), { exp: nowSeconds() + 600 });

      expect((await statusWith(bearer(token))).status).toBe(200);
    });

    it('accepts a token that expired less than 30 s ago, within the clock skew', async () => {
      const exp = nowSeconds() - 29;
      const token = await apiToken(alpha, nowSeconds(), { iat: exp - 600, exp });

      expect((await statusWith(bearer(token))).status).toBe(200);
    });

    it('accepts an exp 630 s ahead when iat is absent (600 s plus skew)', async () => {
      const claims = { clientId: alpha.clientId, api: true, exp: nowSeconds() + 630 };
      const token = craftToken({ alg: 'ES512', typ: 'JWT' }, claims, signRaw);

      expect((await statusWith(bearer(token))).status).toBe(200);
    });
  });

  describe('refuses with 401', () => {
    it('refuses a request without Authorization', async () => {
      await expectRefused({});
    });

    it('refuses an Authorization scheme other than Bearer', async () => {
      await expectRefused({ Authorization: `Basic ${await apiToken(alpha, nowSeconds())}` });
    });

    it('refuses a token that is not a three-part JWS', async () => {
      const [header, payload] = (await apiToken(alpha, nowSeconds())).split('.');

      await expectRefused(bearer(`${header}.${payload}`));
      await expectRefused(bearer('not-a-jwt'));
    });

    it('refuses a token naming an unknown client', async () => {
      await expectRefused(bearer(await apiToken(newClient('client-unknown'), nowSeconds())));
    });

    it('refuses a token without a clientId claim', async () => {
      const claims = { api: true, iat: nowSeconds(), exp: nowSeconds() + 600 };
      const token = craftToken({ alg: 'ES512' }, claims, signRaw);

      await expectRefused(bearer(token));
    });

    it('refuses a token for a registered client signed with some other key', async () => {
      const impostor = newClient(alpha.clientId);

      await expectRefused(bearer(await apiToken(impostor, nowSeconds())));
    });

    it('refuses alg "none" with an empty signature', async () => {
      await expectRefused(bearer(craftToken({ alg: 'none' }, apiClaims(alpha), () => '')));
    });

    it('refuses alg "none" even when a valid 132-byte ES512 signature is attached', async () => {
      const token = craftToken({ alg: 'none' }, apiClaims(alpha), signRaw);

      await expectRefused(bearer(token));
    });

    it('refuses a header alg other than ES512 even over a valid ES512 signature', async () => {
      const token = craftToken({ alg: 'ES256' }, apiClaims(alpha), signRaw);

      await expectRefused(bearer(token));
    });

    it('refuses HS256 keyed with the client public key PEM (algorithm confusion)', async () => {
      const pem = alpha.publicKey.export({ type: 'spki', format: 'pem' }).toString();

      const token = craftToken({ alg: 'HS256', typ: 'JWT' }, apiClaims(alpha), hmacSigner(pem));

      await expectRefused(bearer(token));
    });

    it('refuses a DER-encoded ECDSA signature although it verifies as DER', async () => {
      const claims = apiClaims(alpha);
      const der = craftToken({ alg: 'ES512', typ: 'JWT' }, claims, ecdsaSigner(alpha.privateKey, 'der'));
      const raw = craftToken({ alg: 'ES512', typ: 'JWT' }, claims, signRaw);

      const [header, payload, signature] = der.split('.');
      const derBytes = Buffer.from(signature, 'base64url');
      const input = Buffer.from(`${header}.${payload}`);
      const key = { key: alpha.publicKey, dsaEncoding: 'der' as const };
      expect(verify('sha512', input, key, derBytes)).toBe(true);
      expect(derBytes.length).toBeGreaterThan(132);
      await expectRefused(bearer(der));
      expect((await statusWith(bearer(raw))).status).toBe(200);
    });

    it('refuses a payload changed after signing', async () => {
      const [header, , signature] = (await apiToken(alpha, nowSeconds())).split('.');
      const forged = Buffer.from(JSON.stringify(apiClaims(beta))).toString('base64url');

      await expectRefused(bearer(`${header}.${forged}.${signature}`));
    });

    it('refuses a link token (kyc: true, no api claim) on the API', async () => {
      await expectRefused(bearer(await linkToken(alpha)));
    });

    it('refuses a link token even when it carries an exp', async () => {
      await expectRefused(bearer(await linkToken(alpha, { exp: nowSeconds() + 300 })));
    });

    it('refuses api: "true" as a string', async () => {
      await expectRefused(bearer(await apiToken(alpha, nowSeconds(), { claims: { api: 'true' } })));
    });

    it('refuses a token without exp', async () => {
      const claims = { clientId: alpha.clientId, api: true, iat: nowSeconds() };
      const token = craftToken({ alg: 'ES512', typ: 'JWT' }, claims, signRaw);

      await expectRefused(bearer(token));
    });

    it('refuses a lifetime of 601 s (exp - iat > 600)', async () => {
      await expectRefused(bearer(await apiToken(alpha, nowSeconds(), { exp: nowSeconds() + 601 })));
    });

    it('refuses a token expired 30 s ago (now >= exp + skew)', async () => {
      const exp = nowSeconds() - 30;
      const token = await apiToken(alpha, nowSeconds(), { iat: exp - 600, exp });

      await expectRefused(bearer(token));
    });

    it('refuses an exp over 630 s ahead even with a 600 s lifetime (iat in the future)', async () => {
      const iat = nowSeconds() + 31;

      await expectRefused(bearer(await apiToken(alpha, nowSeconds(), { iat, exp: iat + 600 })));
    });

    it('refuses a token that becomes expired when the clock moves on', async () => {
      const token = await apiToken(alpha, nowSeconds());
      expect((await statusWith(bearer(token))).status).toBe(200);

      clock.advanceSeconds(630);
      try {
        await expectRefused(bearer(token));
      } finally {
        clock.advanceSeconds(-630);
      }
    });
  });

  describe('scopes users to the calling client', () => {
    it("answers 404, not 401 or 200, for another client's user", async () => {
      const response = await statusWith(bearer(await apiToken(alpha, nowSeconds())), betaUserId);

      expect(response.status).toBe(404);
      expect(await response.text()).toBe(
        '{"message":"User not found","error":"Not Found","statusCode":404}',
      );
    });

    it('serves the same user to its own client', async () => {
      const response = await statusWith(bearer(await apiToken(beta, nowSeconds())), betaUserId);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'approved' });
    });

    it("hides another client's user from /data and /file too", async () => {
      const headers = bearer(await apiToken(beta, nowSeconds()));
      const base = `${emulator.url}/public/kyc/${SAMPLE_APPROVED_USER_ID}`;
      const data = await fetch(`${base}/data`, { headers });
      const file = await fetch(`${base}/file/idFront`, { headers });

      expect([data.status, file.status]).toEqual([404, 404]);
    });
  });
});
