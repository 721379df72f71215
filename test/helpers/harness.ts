import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app';
import { Authenticator } from '../../src/auth/authenticator';
import { CallerVerifier } from '../../src/auth/caller-verifier';
import { loadConfig } from '../../src/config';
import { IdentityIssuer, SANDBOX_ADMIN_ROLE } from '../../src/sandbox/identity-issuer';
import { subscribe, type Subscriber } from './subscriber';
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
  /** Signs caller tokens the facade trusts. */
  issuer: IdentityIssuer;
  /** A caller with the admin role, and one with none (subject `user-1`). */
  tokens: { admin: string; user: string };
  /**
   * POST /graphql as the admin unless `headers` names an authorization
   * (an empty one sends none).
   */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** A graphql-ws subscription, as the admin unless another token is given. */
  subscribe(query: string, variables?: Record<string, unknown>, token?: string): Subscriber;
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
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'trace',
    LINK_STORE_URL: join(tmpdir(), `kraken-graphql-links-${randomUUID()}.json`),
    ...options.env,
  });
  const issuer = new IdentityIssuer();
  const tokens = {
    admin: await issuer.issue('admin-1', [SANDBOX_ADMIN_ROLE]),
    user: await issuer.issue('user-1'),
  };
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
    authenticator: Authenticator.verifying(new CallerVerifier(issuer.verifierOptions())),
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
    issuer,
    tokens,
    gql: async (query, variables, headers = {}) => {
      const authorization = 'authorization' in headers ? headers.authorization : `Bearer ${tokens.admin}`;
      const { authorization: _given, ...rest } = headers;
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...rest, ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() } as GraphQLResponse<never>;
    },
    subscribe: (query, variables, token = tokens.admin) =>
      subscribe(url, query, variables, { authorization: `Bearer ${token}` }),
    stop: async () => {
      await app.stop();
      await emulator.stop();
    },
  };
}
