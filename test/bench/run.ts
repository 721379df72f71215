import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import autocannon from 'autocannon';
import Keyv from 'keyv';
import { LinkSigner } from '../../src/kraken/link-signer';
import { TokenProvider } from '../../src/kraken/token-provider';
import { startHarness } from '../helpers/harness';
import { formatRate, opsPerSecond, row } from './measure';

/**
 * `npm run bench`: figures, not assertions. Unit costs first (signing, the
 * cached token path), then the whole service under autocannon with the Kraken
 * emulator on loopback.
 */
async function main(): Promise<void> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const tokens = new TokenProvider({ clientId: 'bench', privateKey, cache: new Keyv() });
  const links = new LinkSigner({ baseUrl: 'https://kraken.example', clientId: 'bench', privateKey });
  print(row('API token, cached (TokenProvider.token)', formatRate(await opsPerSecond(() => tokens.token()))));
  print(row('journey link, ES512 signing (LinkSigner.sign)', formatRate(await opsPerSecond(() => links.sign({ level: 'basic+liveness' })))));

  // One caller sends everything, so the per-caller rate limit is off (last row: on).
  const unlimited = { LOG_LEVEL: 'fatal', RATE_LIMIT_GRAPHQL_PER_MINUTE: '0' };
  for (const ttl of ['0', '30']) {
    const h = await startHarness({ env: { ...unlimited, READ_CACHE_TTL_SECONDS: ttl } });
    const query = JSON.stringify({ query: `{ kycUser(id: "${h.people.approved}") { status person { fullName } } }` });
    const result = await load(`${h.url}/graphql`, query, h.tokens.admin);
    print(row(`kycUser status+person, read cache ${ttl === '0' ? 'off' : 'on'}`, summary(result, h.emulator.requests.length, h.app.tokens.signings)));
    await h.stop();
  }

  const h = await startHarness({ env: unlimited });
  const linkResult = await load(`${h.url}/graphql`, JSON.stringify({ query: '{ kycLink { url } }' }), h.tokens.user);
  print(row('kycLink over HTTP', summary(linkResult, h.emulator.requests.length, h.app.tokens.signings)));
  const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: kycUser(id: "${h.people.approved}") { status }`).join(' ');
  h.emulator.resetRequests();
  const refused = await load(`${h.url}/graphql`, JSON.stringify({ query: `{ ${aliases} }` }), h.tokens.admin);
  print(row('1,000-alias query, refused (400)', summary(refused, h.emulator.requests.length, h.app.tokens.signings)));
  await h.stop();

  const limited = await startHarness({ env: { LOG_LEVEL: 'fatal', READ_CACHE_TTL_SECONDS: '30', RATE_LIMIT_GRAPHQL_PER_MINUTE: '1000000' } });
  const status = JSON.stringify({ query: `{ kycUser(id: "${limited.people.approved}") { status } }` });
  const result = await load(`${limited.url}/graphql`, status, limited.tokens.admin);
  print(row('kycUser status, cached, rate limit on', summary(result, limited.emulator.requests.length, limited.app.tokens.signings)));
  await limited.stop();
}

function load(url: string, body: string, token: string): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
    connections: 20,
    duration: 5,
  });
}

function summary(result: autocannon.Result, upstreamCalls: number, signings: number): string {
  const failures = result.errors + result.non2xx;
  return (
    `${Math.round(result.requests.average).toLocaleString('en-US')} req/s, p50 ${result.latency.p50} ms, ` +
    `p99 ${result.latency.p99} ms, ${failures} failed, ${upstreamCalls} Kraken calls, ${signings} signings`
  );
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
