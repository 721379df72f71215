import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { KrakenCredentials } from '../config';
import type { Logger } from '../logger';
import { KrakenEmulator, type SamplePeople } from './emulator';
import { removeSandboxState, writeSandboxState } from './sandbox-state';

export interface Sandbox {
  credentials: KrakenCredentials;
  emulator: KrakenEmulator;
  people: SamplePeople;
  /**
   * Points the emulator's webhooks at the facade once it listens, and writes
   * the state file local tools read.
   */
  connect(facadeUrl: string): void;
  stop(): Promise<void>;
}

/**
 * Sandbox mode: an ephemeral ES512 key pair, client id and webhook secret (or
 * KRAKEN_WEBHOOK_SECRET's, when set), and
 * a Kraken emulator on loopback that knows them, seeded with sample people.
 * Nothing here is fit for real people's data.
 */
export async function startSandbox(logger: Logger, stateFile: string, secrets?: string[]): Promise<Sandbox> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const clientId = randomUUID();
  // The emulator signs with the first; the facade accepts them all, as during a rotation.
  const webhookSecrets = secrets ?? [randomBytes(32).toString('hex')];
  const webhookSecret = webhookSecrets[0];
  const emulator = new KrakenEmulator({ logger: logger.child({ component: 'kraken-emulator' }) });
  const baseUrl = await emulator.start();
  emulator.registerClient({ clientId, publicKey });
  const people = emulator.seedSamplePeople(clientId);

  return {
    credentials: { baseUrl, clientId, privateKey, webhookSecrets },
    emulator,
    people,
    connect: (facadeUrl) => {
      emulator.registerClient({
        clientId,
        publicKey,
        webhook: { url: `${facadeUrl}/webhooks/kraken`, secret: webhookSecret },
      });
      writeSandboxState(stateFile, { facadeUrl, emulatorUrl: baseUrl, webhookSecret, pid: process.pid });
    },
    stop: async () => {
      removeSandboxState(stateFile);
      await emulator.stop();
    },
  };
}
