import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { fixtureText } from './helpers/fixtures';

const pem = fixtureText('keys', 'pkcs8.pem');
const live = {
  KRAKEN_CLIENT_ID: '55dbf89f-0000-4000-8000-000000000001',
  KRAKEN_PRIVATE_KEY: pem,
  KRAKEN_WEBHOOK_SECRET: 'current-secret, previous-secret',
  AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json',
  AUTH_ISSUER: 'https://idp.example.com/',
  AUTH_AUDIENCE: 'kyc-api',
};

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts in sandbox mode on loopback when no Kraken credentials are set', () => {
    const config = loadConfig({});

    expect(config.mode).toBe('sandbox');
    expect(config.kraken).toBeUndefined();
    expect(config.http).toEqual({ port: 4000, host: '127.0.0.1', publicUrl: 'http://localhost:4000' });
    expect(config.graphql).toEqual({ sandbox: true, introspection: true });
  });

  it('runs live when a client id is set, with secrets split at commas', () => {
    const config = loadConfig(live);

    expect(config.mode).toBe('live');
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.kraken?.clientId).toBe(live.KRAKEN_CLIENT_ID);
    expect(config.kraken?.webhookSecrets).toEqual(['current-secret', 'previous-secret']);
    expect(config.kraken?.baseUrl).toBe('https://kraken.fractal.id');
  });

  it('refuses production without Kraken credentials, naming the variable', () => {
    expect(configError({ NODE_ENV: 'production' }).variable).toBe('KRAKEN_CLIENT_ID');
  });

  it('refuses KRAKEN_SANDBOX=false without credentials', () => {
    expect(configError({ KRAKEN_SANDBOX: 'false' }).variable).toBe('KRAKEN_CLIENT_ID');
  });

  it('turns the Sandbox page and introspection off in production unless asked', () => {
    expect(loadConfig({ ...live, NODE_ENV: 'production' }).graphql).toEqual({ sandbox: false, introspection: false });
    expect(
      loadConfig({ ...live, NODE_ENV: 'production', GRAPHQL_SANDBOX: 'true', GRAPHQL_INTROSPECTION: 'true' }).graphql,
    ).toEqual({ sandbox: true, introspection: true });
  });

  it('reads the limits and the shutdown grace period, with defaults', () => {
    const defaults = loadConfig({});
    expect(defaults.limits).toEqual({
      maxDepth: 8, maxAliases: 15, maxCost: 2_000, maxTokens: 1_000, graphqlPerMinute: 600, webhookPerMinute: 1_200,
    });
    expect(defaults.upstream).toMatchObject({ retries: 2, breakerThreshold: 5, breakerCooldownMs: 10_000 });
    expect(defaults.shutdownGraceMs).toBe(10_000);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '25', GRAPHQL_MAX_ALIASES: '40' })).toMatchObject({
      shutdownGraceMs: 25_000,
      limits: { maxAliases: 40 },
    });
    expect(configError({ SHUTDOWN_GRACE_SECONDS: '0' }).message).toBe('SHUTDOWN_GRACE_SECONDS: must be at least 1');
    expect(configError({ KRAKEN_RETRIES: '9' }).message).toBe('KRAKEN_RETRIES: must be at most 5');
    expect(configError({ CORS_ORIGINS: 'app.example.com' }).variable).toBe('CORS_ORIGINS');
  });

  it('keeps KRAKEN_WEBHOOK_SECRET in sandbox mode, so recorded deliveries can be replayed', () => {
    expect(loadConfig({ KRAKEN_WEBHOOK_SECRET: 'kraken-test-secret-3f9a, kraken-old-secret-11aa' }).sandboxWebhookSecrets).toEqual([
      'kraken-test-secret-3f9a',
      'kraken-old-secret-11aa',
    ]);
    expect(loadConfig({}).sandboxWebhookSecrets).toBeUndefined();
    expect(loadConfig(live).sandboxWebhookSecrets).toBeUndefined();
  });

  it('says what each malformed value should look like', () => {
    expect(configError({ KRAKEN_BASE_URL: 'kraken.fractal.id' }).message).toBe('KRAKEN_BASE_URL: expected an http:// or https:// URL');
    expect(configError({ CACHE_URL: 'http://cache:6379' }).message).toBe('CACHE_URL: expected a redis:// or rediss:// URL');
    expect(configError({ TRUST_PROXY: 'maybe' }).message).toBe('TRUST_PROXY: expected true, false or the number of proxies in front');
    expect(configError({ AUTH_ADMIN_ROLE: ' ' }).message).toBe('AUTH_ADMIN_ROLE: must not be empty');
    expect(configError({ AUTH_ADMIN_ROLE: 'kyc admin' }).message).toBe('AUTH_ADMIN_ROLE: expected one role name, without spaces');
    expect(configError({ HOST: 'not_a_host!!' }).message).toBe('HOST: expected an IP address or a host name to listen on');
    expect(['0.0.0.0', '::', '::1', 'localhost', 'kyc-api.internal'].map((HOST) => loadConfig({ HOST }).http.host)).toEqual([
      '0.0.0.0', '::', '::1', 'localhost', 'kyc-api.internal',
    ]);
    expect(configError({ LINK_STORE_URL: 'http://links' }).message).toBe('LINK_STORE_URL: expected a file path or a redis:// or rediss:// URL');
    expect(loadConfig({ LINK_STORE_URL: '/var/lib/kyc/links.json' }).linkStoreUrl).toBe('/var/lib/kyc/links.json');
  });

  it('names a malformed setting in one line', () => {
    expect(configError({ PORT: 'eighty' }).message).toMatch(/^PORT: /);
    expect(configError({ LOG_LEVEL: 'loud' }).message).toBe('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace');
    expect(configError({ KRAKEN_BASE_URL: 'ftp://x' }).variable).toBe('KRAKEN_BASE_URL');
    expect(configError({ KRAKEN_SANDBOX: 'yes' }).variable).toBe('KRAKEN_SANDBOX');
  });

  it('refuses a missing webhook secret outside sandbox mode', () => {
    expect(configError({ ...live, KRAKEN_WEBHOOK_SECRET: ' , ' }).variable).toBe('KRAKEN_WEBHOOK_SECRET');
  });

  it('refuses a garbage key without echoing it (K3)', () => {
    const error = configError({ ...live, KRAKEN_PRIVATE_KEY: 'hunter2-TOPSECRET' });

    expect(error.variable).toBe('KRAKEN_PRIVATE_KEY');
    expect(error.message).not.toContain('TOPSECRET');
  });

  it('refuses a P-256 key at start-up (K4)', () => {
    expect(configError({ ...live, KRAKEN_PRIVATE_KEY: fixtureText('keys', 'p256-sec1.pem') }).message).toMatch(
      /KRAKEN_PRIVATE_KEY: ES512 needs a P-521/,
    );
  });

  it('reads the key from KRAKEN_PRIVATE_KEY_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kraken-key-'));
    const path = join(dir, 'key.pem');
    writeFileSync(path, fixtureText('keys', 'sec1-noout.pem'));
    const config = loadConfig({ ...live, KRAKEN_PRIVATE_KEY: undefined, KRAKEN_PRIVATE_KEY_FILE: path });

    expect(config.kraken?.privateKey.asymmetricKeyDetails?.namedCurve).toBe('secp521r1');
  });

  it('names the key file when it cannot be read', () => {
    const error = configError({ ...live, KRAKEN_PRIVATE_KEY: undefined, KRAKEN_PRIVATE_KEY_FILE: '/nonexistent/key.pem' });

    expect(error.message).toBe('KRAKEN_PRIVATE_KEY_FILE: cannot read the file (ENOENT)');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ KRAKEN_CLIENT_ID: '', PORT: '' }).mode).toBe('sandbox');
  });

  it('verifies callers against the JWKS with RS256 and ES256 unless told otherwise', () => {
    expect(loadConfig(live).auth).toEqual({
      mode: 'verify',
      jwksUrl: live.AUTH_JWKS_URL,
      publicKey: undefined,
      issuer: 'https://idp.example.com/',
      audience: 'kyc-api',
      algorithms: ['RS256', 'ES256'],
      rolesClaim: 'roles',
      adminRole: 'kyc:admin',
      clockToleranceSeconds: 30,
    });
  });

  it('derives the one algorithm a PEM public key allows', () => {
    const env = { ...live, AUTH_JWKS_URL: undefined, AUTH_PUBLIC_KEY: fixtureText('keys', 'public.pem') };
    const auth = loadConfig(env).auth;

    expect(auth.mode === 'verify' && auth.algorithms).toEqual(['ES512']);
  });

  it('refuses to run outside sandbox mode without caller authentication', () => {
    const { AUTH_JWKS_URL: _jwks, ...withoutAuth } = live;

    expect(configError(withoutAuth).variable).toBe('AUTH_JWKS_URL');
  });

  it('needs an issuer and an audience with a JWKS', () => {
    expect(configError({ ...live, AUTH_ISSUER: undefined }).variable).toBe('AUTH_ISSUER');
    expect(configError({ ...live, AUTH_AUDIENCE: undefined }).variable).toBe('AUTH_AUDIENCE');
  });

  it('refuses HMAC and none as caller token algorithms', () => {
    expect(configError({ ...live, AUTH_ALGORITHMS: 'HS256' }).variable).toBe('AUTH_ALGORITHMS');
    expect(configError({ ...live, AUTH_ALGORITHMS: 'RS256,none' }).variable).toBe('AUTH_ALGORITHMS');
  });

  it('refuses AUTH_DISABLED outside sandbox mode', () => {
    expect(configError({ ...live, AUTH_DISABLED: 'true' }).message).toBe('AUTH_DISABLED: may be true only in sandbox mode');
    expect(loadConfig({ AUTH_DISABLED: 'true' }).auth).toEqual({ mode: 'disabled' });
  });

  it('runs its own issuer in sandbox mode when no AUTH_* is set', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'sandbox-issuer' });
  });

  it('refuses a public key that is not PEM, without echoing it', () => {
    const error = configError({ ...live, AUTH_JWKS_URL: undefined, AUTH_PUBLIC_KEY: 'nonsense-SECRETISH' });

    expect(error.variable).toBe('AUTH_PUBLIC_KEY');
    expect(error.message).not.toContain('SECRETISH');
  });
});
