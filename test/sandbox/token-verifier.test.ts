import type { KeyObject } from 'node:crypto';
import { TokenVerifier, type Verification } from '../../src/sandbox/token-verifier';
import { ManualClock } from '../helpers/clock';
import { apiToken, craftToken, ecdsaSigner, linkToken, newClient } from './support';

/**
 * The refusal reasons name the check that fired, so these tests prove each
 * check works on its own, including those a later check would also catch.
 */
describe('TokenVerifier', () => {
  const clock = new ManualClock();
  const nowSeconds = clock.now() / 1000;
  const client = newClient('client-verifier');
  const keys = new Map<string, KeyObject>([[client.clientId, client.publicKey]]);
  const verifier = new TokenVerifier({
    keyFor: (clientId) => keys.get(clientId),
    now: clock.now,
    maxClockSkewSeconds: 30,
    requireKycClaim: true,
  });
  const claims = { clientId: client.clientId, api: true, iat: nowSeconds, exp: nowSeconds + 600 };

  function reason(verification: Verification): string {
    return verification.ok ? 'accepted' : verification.reason;
  }

  it('refuses a DER signature at the length check, before any library sees it', async () => {
    const token = craftToken({ alg: 'ES512' }, claims, ecdsaSigner(client.privateKey, 'der'));

    expect(reason(await verifier.verifyApiToken(token))).toBe('signature is not 132 raw bytes');
  });

  it('refuses a foreign alg at the pinned signature check', async () => {
    const token = craftToken({ alg: 'none' }, claims, ecdsaSigner(client.privateKey, 'ieee-p1363'));

    const verification = await verifier.verifyApiToken(token);

    expect(reason(verification)).toBe('signature does not verify with ES512');
  });

  it('refuses an unknown client before verifying anything', async () => {
    const token = await apiToken(newClient('x'), nowSeconds);

    expect(reason(await verifier.verifyApiToken(token))).toBe('unknown client');
  });

  it('refuses a link token on the API, and an API token on the journey, by kind', async () => {
    const onApi = await verifier.verifyApiToken(await linkToken(client));
    const onJourney = await verifier.verifyLinkToken(await apiToken(client, nowSeconds));

    expect(reason(onApi)).toBe('api claim is not true');
    expect(reason(onJourney)).toBe('an API token cannot open the journey');
  });

  it('refuses a token whose nbf lies beyond the clock skew', async () => {
    const early = await apiToken(client, nowSeconds, { claims: { nbf: nowSeconds + 31 } });
    const fine = await apiToken(client, nowSeconds, { claims: { nbf: nowSeconds + 30 } });

    expect(reason(await verifier.verifyApiToken(early))).toBe('not yet valid');
    expect(reason(await verifier.verifyApiToken(fine))).toBe('accepted');
  });

  it('returns the verified claims with the clientId', async () => {
    const verification = await verifier.verifyLinkToken(await linkToken(client, { state: 'abc' }));

    expect(verification).toEqual({
      ok: true,
      claims: { clientId: client.clientId, kyc: true, level: 'basic+liveness', state: 'abc' },
    });
  });
});
