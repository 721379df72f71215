import { startRedis, type RedisServer } from '../helpers/redis-server';
import { until } from '../helpers/until';
import { fixtureBytes, fixtureText } from '../helpers/fixtures';
import { startService, waitForOutput, type Started } from '../helpers/process';

describe('npm start in sandbox mode', () => {
  let service: Started;

  beforeAll(() => {
    service = startService({ PORT: '0', LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    service.child.kill('SIGTERM');
    await service.exited;
  });

  it('prints the GraphQL URL and an example that works as printed', async () => {
    const [, url] = await waitForOutput(service, /GraphQL endpoint\s+(http:\/\/\S+)\/graphql/);
    const [, body] = await waitForOutput(service, /-d '(\{"query":.*\})'/);
    const [, userToken] = await waitForOutput(service, /export USER_TOKEN=(\S+)/);
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${userToken}` },
      body,
    });

    expect(await response.json()).toEqual({
      data: { kycUser: { status: 'APPROVED', person: { fullName: 'Mara Lindqvist' } } },
    });
    expect(service.stdout()).toMatch(/SANDBOX MODE/);
  });

  it('exits 0 on SIGTERM', async () => {
    await waitForOutput(service, /GraphQL endpoint/);
    service.child.kill('SIGTERM');

    expect(await service.exited).toBe(0);
  });
});

describe('start-up with a bad configuration', () => {
  it('refuses production without credentials in one line naming the variable', async () => {
    const service = startService({ NODE_ENV: 'production' });

    expect(await service.exited).toBe(1);
    expect(service.stderr().trim().split('\n')).toEqual([
      'kraken-graphql: configuration error: KRAKEN_CLIENT_ID: required outside sandbox mode (or set KRAKEN_SANDBOX=true)',
    ]);
  });

  it('refuses a garbage key without printing it (K3)', async () => {
    const service = startService({
      KRAKEN_CLIENT_ID: 'c1',
      KRAKEN_WEBHOOK_SECRET: 's',
      KRAKEN_PRIVATE_KEY: 'garbage-SECRET-9f8e7d',
    });

    expect(await service.exited).toBe(1);
    expect(service.stderr()).toMatch(/KRAKEN_PRIVATE_KEY: expected a PEM private key/);
    expect(service.stderr() + service.stdout()).not.toContain('SECRET-9f8e7d');
  });
});

describe('npm start in sandbox mode with KRAKEN_WEBHOOK_SECRET set', () => {
  it('verifies webhooks with those secrets, so recorded deliveries can be replayed', async () => {
    const service = startService({ PORT: '0', LOG_LEVEL: 'warn', KRAKEN_WEBHOOK_SECRET: 'kraken-test-secret-3f9a,kraken-old-secret-11aa' });
    try {
      const [, url] = await waitForOutput(service, /GraphQL endpoint\s+(http:\/\/\S+)\/graphql/);
      const [, current, old] = fixtureText('webhooks', 'signatures.tsv')
        .split('\n')
        .find((line) => line.startsWith('approved-pretty.json\t'))!
        .split('\t')
        .slice(1);
      const post = (signature: string) =>
        fetch(`${url}/webhooks/kraken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-fractal-signature': signature },
          body: fixtureBytes('webhooks', 'approved-pretty.json'),
        });

      expect((await post(current)).status).toBe(204);
      expect((await post(old)).status).toBe(204);
      expect((await post('0'.repeat(64))).status).toBe(401);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });
});

describe('npm start in sandbox mode, unusual surroundings', () => {
  it('says the Sandbox page is off in production', async () => {
    const service = startService({ PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'production', KRAKEN_SANDBOX: 'true' });
    try {
      await waitForOutput(service, /GraphQL endpoint/);

      expect(service.stdout()).toMatch(/Apollo Sandbox\s+off \(NODE_ENV=production; GRAPHQL_SANDBOX=true turns it on\)/);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('links the sample people once a Redis link store that was down at start-up comes up', async () => {
    const reserved = await startRedis();
    await reserved.stop();
    const service = startService({ PORT: '0', LOG_LEVEL: 'warn', LINK_STORE_URL: reserved.url });
    let redis: RedisServer | undefined;
    try {
      const [, url] = await waitForOutput(service, /GraphQL endpoint\s+(http:\/\/\S+)\/graphql/);
      const [, userToken] = await waitForOutput(service, /export USER_TOKEN=(\S+)/);
      redis = await startRedis(reserved.port);
      const read = async () => {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${userToken}` },
          body: JSON.stringify({ query: `{ myKyc { id } }` }),
        });
        return ((await response.json()) as { data?: { myKyc: { id: string } | null } }).data?.myKyc?.id;
      };

      expect(await until(async () => (await read()) !== undefined, 100, 100)).toBe(true);
      expect(await read()).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
      await redis?.stop();
    }
  }, 30_000);
});
