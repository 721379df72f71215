import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app';
import { Authenticator } from '../../src/auth/authenticator';
import { CallerVerifier } from '../../src/auth/caller-verifier';
import { loadConfig } from '../../src/config';
import { KrakenEmulator } from '../../src/sandbox/emulator';
import { IdentityIssuer } from '../../src/sandbox/identity-issuer';
import { finishJourney } from '../helpers/journey';
import { LogCapture } from '../helpers/log-capture';

describe('a restart between exchange and read', () => {
  it('keeps the link between the caller and their Kraken user', async () => {
    const emulator = new KrakenEmulator();
    const baseUrl = await emulator.start();
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    const clientId = randomUUID();
    emulator.registerClient({ clientId, publicKey });
    const idp = new IdentityIssuer();
    const token = await idp.issue('erin');
    const env = { PORT: '0', LINK_STORE_URL: join(tmpdir(), `links-${randomUUID()}.json`) };
    const boot = async (): Promise<App> => {
      const app = await createApp({
        config: loadConfig(env),
        kraken: { baseUrl, clientId, privateKey, webhookSecrets: ['s'] },
        logger: new LogCapture().logger,
        authenticator: Authenticator.verifying(new CallerVerifier(idp.verifierOptions())),
      });
      await app.listen();
      return app;
    };
    const gql = async (app: App, query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${app.publicUrl()}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: Record<string, { userId?: string; url?: string } | null>; errors?: unknown[] };
    };

    const first = await boot();
    const link = await gql(first, `{ kycLink { url } }`);
    const oneTimeToken = await finishJourney(link.data!.kycLink!.url!, 'approved');
    const session = await gql(first, `mutation($t: String!) { exchangeSession(oneTimeToken: $t) { userId } }`, { t: oneTimeToken });
    const userId = session.data!.exchangeSession!.userId;
    await first.stop();

    const second = await boot();
    const read = await gql(second, `query($id: ID!) { kycUser(id: $id) { id status } myKyc { id } }`, { id: userId });
    await second.stop();
    await emulator.stop();

    expect(read).toEqual({ data: { kycUser: { id: userId, status: 'APPROVED' }, myKyc: { id: userId } } });
  });
});
