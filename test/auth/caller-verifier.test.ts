import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, type JWTPayload } from 'jose';
import { CallerTokenError, CallerVerifier, type CallerVerifierOptions } from '../../src/auth/caller-verifier';

const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'kyc-api';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = () => Math.floor(Date.now() / 1000);

function options(extra: Partial<CallerVerifierOptions> = {}): CallerVerifierOptions {
  return {
    publicKey: rsa.publicKey,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['RS256'],
    rolesClaim: 'roles',
    adminRole: 'kyc:admin',
    clockToleranceSeconds: 30,
    ...extra,
  };
}

function token(claims: JWTPayload = {}, key: KeyObject = rsa.privateKey, kid?: string): Promise<string> {
  return new SignJWT({ ...validClaims(), roles: [], ...claims })
    .setProtectedHeader({ alg: 'RS256', ...(kid && { kid }) })
    .sign(key);
}

/** A token assembled by hand, for headers no library would sign. */
function handMade(header: object, payload: object, sign: (input: string) => string): string {
  const input = [header, payload].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.');
  return `${input}.${sign(input)}`;
}

const validClaims = () => ({ iss: ISSUER, aud: AUDIENCE, sub: 'user-7', exp: now() + 600, iat: now() });

async function refusal(verifier: CallerVerifier, jwt: string): Promise<string> {
  const error = await verifier.verify(jwt).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CallerTokenError);
  return (error as Error).message;
}

describe('CallerVerifier', () => {
  const verifier = new CallerVerifier(options());

  it('reads the subject, roles and expiry of a valid token', async () => {
    const caller = await verifier.verify(await token({ roles: ['kyc:admin', 'other'] }));

    expect(caller).toMatchObject({ subject: 'user-7', roles: ['kyc:admin', 'other'], admin: true });
    expect(caller.expiresAt).toBeGreaterThan(now());
  });

  it('reads roles from a nested claim or a space-separated string', async () => {
    const nested = new CallerVerifier(options({ rolesClaim: 'realm_access.roles' }));
    const scoped = new CallerVerifier(options({ rolesClaim: 'scope' }));

    expect((await nested.verify(await token({ realm_access: { roles: ['kyc:admin'] } }))).admin).toBe(true);
    expect((await scoped.verify(await token({ scope: 'openid kyc:admin' }))).admin).toBe(true);
    expect((await verifier.verify(await token({ roles: 'kyc:admin-not' }))).admin).toBe(false);
  });

  it('refuses an expired token', async () => {
    expect(await refusal(verifier, await token({ exp: now() - 120 }))).toBe('the token has expired');
  });

  it('allows a small clock skew on expiry', async () => {
    await expect(verifier.verify(await token({ exp: now() - 5 }))).resolves.toMatchObject({ subject: 'user-7' });
  });

  it('refuses a token that is not yet valid', async () => {
    expect(await refusal(verifier, await token({ nbf: now() + 300 }))).toMatch(/nbf/);
  });

  it('refuses the wrong issuer and the wrong audience', async () => {
    expect(await refusal(verifier, await token({ iss: 'https://evil.example/' }))).toMatch(/iss/);
    expect(await refusal(verifier, await token({ aud: 'another-api' }))).toMatch(/aud/);
  });

  it('refuses a token without a subject', async () => {
    const noSubject = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime(now() + 60)
      .sign(rsa.privateKey);

    await refusal(verifier, noSubject);
  });

  it('refuses alg none', async () => {
    await refusal(verifier, handMade({ alg: 'none' }, validClaims(), () => ''));
  });

  it('refuses an HS256 token whose secret is the public key', async () => {
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' });
    const forged = handMade({ alg: 'HS256' }, validClaims(), (input) =>
      createHmac('sha256', pem).update(input).digest('base64url'),
    );

    await refusal(verifier, forged);
  });

  it('refuses a token signed by another key', async () => {
    await refusal(verifier, await token({}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey));
  });

  it('refuses an algorithm it was not configured for, even with the right key', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pinned = new CallerVerifier(options({ publicKey: ec.publicKey, algorithms: ['ES384'] }));
    const es256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('x')
      .setExpirationTime(now() + 60)
      .sign(ec.privateKey);

    await refusal(pinned, es256);
  });

  it('refuses garbage', async () => {
    await refusal(verifier, 'not.a.jwt');
    await refusal(verifier, '');
  });
});

describe('CallerVerifier with a JWKS', () => {
  let server: Server;
  let jwks: { keys: Record<string, unknown>[] };
  let fetches = 0;
  let url: string;

  beforeAll(async () => {
    jwks = { keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
    server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('verifies with the key its kid names, fetching the set once', async () => {
    const verifier = new CallerVerifier(options({ publicKey: undefined, jwksUrl: url }));
    fetches = 0;
    await verifier.verify(await token({}, rsa.privateKey, 'k1'));
    await verifier.verify(await token({}, rsa.privateKey, 'k1'));

    expect(fetches).toBe(1);
  });

  it('refuses an unknown key id', async () => {
    const verifier = new CallerVerifier(options({ publicKey: undefined, jwksUrl: url }));
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });

    expect(await refusal(verifier, await token({}, stranger.privateKey, 'k-unknown'))).toBe(
      'the token was signed with an unknown key',
    );
  });
});
