import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { KrakenEmulator, type EmulatorOptions } from '../../src/sandbox/emulator';
import type { SamplePeople } from '../../src/sandbox/types';
import { LogCapture } from './log-capture';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: { code?: string } }[] };
}

export interface Harness {
  app: App;
  emulator: KrakenEmulator;
  /** Base URL of the facade, e.g. http://localhost:PORT */
  url: string;
  clientId: string;
  privateKey: KeyObject;
  webhookSecret: string;
  people: SamplePeople;
  logs: LogCapture;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra environment for loadConfig; sandbox mode on port 0 by default. */
  env?: NodeJS.ProcessEnv;
  emulator?: EmulatorOptions;
  /** Webhook secrets the facade accepts, current first; the emulator signs with the first. */
  webhookSecrets?: string[];
}

/**
 * The facade and the Kraken emulator, each on a loopback port, wired as in
 * sandbox mode but with a captured log and a fresh client per test file.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const logs = new LogCapture();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'trace', ...options.env });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const clientId = randomUUID();
  const webhookSecrets = options.webhookSecrets ?? [randomBytes(16).toString('hex')];
  const webhookSecret = webhookSecrets[0];
  const emulator = new KrakenEmulator(options.emulator);
  const baseUrl = await emulator.start();
  const app = await createApp({
    config,
    kraken: { baseUrl, clientId, privateKey, webhookSecrets },
    logger: logs.logger,
  });
  const url = await app.listen();
  emulator.registerClient({ clientId, publicKey, webhook: { url: `${url}/webhooks/kraken`, secret: webhookSecret } });
  const people = emulator.seedSamplePeople(clientId);

  return {
    app,
    emulator,
    url,
    clientId,
    privateKey,
    webhookSecret,
    people,
    logs,
    gql: async (query, variables, headers) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() } as GraphQLResponse<never>;
    },
    stop: async () => {
      await app.stop();
      await emulator.stop();
    },
  };
}
