import { createPublicKey, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app';
import { authenticationFrom } from '../../src/auth/from-config';
import { loadConfig } from '../../src/config';
import { IdentityIssuer } from '../../src/sandbox/identity-issuer';
import { KrakenEmulator } from '../../src/sandbox/emulator';
import { fixtureText } from '../helpers/fixtures';
import { finishJourney } from '../helpers/journey';
import { LogCapture } from '../helpers/log-capture';

/**
 * The same build, configured as for real Kraken: a client id, a key made by
 * the openssl commands of Fractal's guide (SEC1, then PKCS#8 with literal \n
 * as env files hold it) and an upstream it has never seen.
 */
describe.each([
  ['a SEC1 key from openssl ecparam -genkey -noout', fixtureText('keys', 'sec1-noout.pem')],
  ['a PKCS#8 key on one line with literal \\n', fixtureText('keys', 'pkcs8.pem').trim().split('\n').join('\\n')],
])('live mode with %s', (_name, pem) => {
  const clientId = '55dbf89f-1b2c-4d3e-8f40-123456789abc';
  const emulator = new KrakenEmulator();
  let app: App;
  let url: string;
  let people: { approved: string };
  let token: string;

  beforeAll(async () => {
    const krakenUrl = await emulator.start();
    emulator.registerClient({ clientId, publicKey: createPublicKey(fixtureText('keys', 'public.pem')) });
    people = emulator.seedSamplePeople(clientId);
    const idp = new IdentityIssuer();
    token = await idp.issue('ops-1', ['kyc:admin']);
    const config = loadConfig({
      KRAKEN_BASE_URL: krakenUrl,
      KRAKEN_CLIENT_ID: clientId,
      KRAKEN_PRIVATE_KEY: pem,
      KRAKEN_WEBHOOK_SECRET: 'whsec-test',
      AUTH_PUBLIC_KEY: idp.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      AUTH_ISSUER: idp.issuer,
      AUTH_AUDIENCE: idp.audience,
      LINK_STORE_URL: join(tmpdir(), `links-${randomUUID()}.json`),
      PORT: '0',
    });
    const { authenticator } = await authenticationFrom(config.auth);
    app = await createApp({ config, kraken: config.kraken!, logger: new LogCapture().logger, authenticator });
    url = await app.listen();
  });
  afterAll(async () => {
    await app.stop();
    await emulator.stop();
  });

  async function gql(query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, { url: string } & Record<string, unknown>>; errors?: unknown[] };
  }

  it('answers all four operations as CONTRACT.md says, presenting one bearer', async () => {
    const link = await gql(`{ kycLink(state: "s") { url } }`);
    const oneTimeToken = await finishJourney(link.data!.kycLink.url, 'approved');
    const exchanged = await gql(`mutation($t: String!) { exchangeSession(oneTimeToken: $t) { userId status } }`, {
      t: oneTimeToken,
    });
    const user = await gql(`query($id: ID!) { kycUser(id: $id) { status person { lastName } } }`, { id: people.approved });
    const file = await gql(`query($id: ID!) { kycFile(userId: $id, type: SELFIE) { url } }`, { id: people.approved });
    const download = await fetch(file.data!.kycFile.url);

    expect([link.errors, exchanged.errors, user.errors, file.errors]).toEqual([undefined, undefined, undefined, undefined]);
    expect(exchanged.data!.exchangeSession.status).toBe('APPROVED');
    expect(user.data!.kycUser).toEqual({ status: 'APPROVED', person: { lastName: 'Lindqvist' } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^image\//);
    expect(emulator.bearersSeen().size).toBe(1);
  });
});
