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

  for (const ttl of ['0', '30']) {
    const h = await startHarness({ env: { READ_CACHE_TTL_SECONDS: ttl, LOG_LEVEL: 'fatal' } });
    const query = JSON.stringify({ query: `{ kycUser(id: "${h.people.approved}") { status person { fullName } } }` });
    const result = await load(`${h.url}/graphql`, query);
    print(row(`kycUser status+person, read cache ${ttl === '0' ? 'off' : 'on'}`, summary(result, h.emulator.requests.length, h.app.tokens.signings)));
    await h.stop();
  }

  const h = await startHarness({ env: { LOG_LEVEL: 'fatal' } });
  const linkResult = await load(`${h.url}/graphql`, JSON.stringify({ query: '{ kycLink { url } }' }));
  print(row('kycLink over HTTP', summary(linkResult, h.emulator.requests.length, h.app.tokens.signings)));
  await h.stop();
}

function load(url: string, body: string): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
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
