import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, type JWTPayload } from 'jose';

/** A Kraken client's key pair and id, as a test registers it. */
export interface TestClient {
  clientId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newClient(clientId: string): TestClient {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-521' });

  return { clientId, privateKey, publicKey };
}

/** An API bearer token as the facade mints it: ES512 over `{clientId, api: true}`, 600 s. */
export function apiToken(
  client: TestClient,
  nowSeconds: number,
  extra: { claims?: JWTPayload; iat?: number; exp?: number } = {},
): Promise<string> {
  return new SignJWT({ clientId: client.clientId, api: true, ...extra.claims })
    .setProtectedHeader({ alg: 'ES512', typ: 'JWT' })
    .setIssuedAt(extra.iat ?? nowSeconds)
    .setExpirationTime(extra.exp ?? nowSeconds + 600)
    .sign(client.privateKey);
}

/** A journey link token: `{clientId, kyc: true, level}` plus whatever the test adds. */
export function linkToken(client: TestClient, claims: JWTPayload = {}): Promise<string> {
  return new SignJWT({ clientId: client.clientId, kyc: true, level: 'basic+liveness', ...claims })
    .setProtectedHeader({ alg: 'ES512' })
    .sign(client.privateKey);
}

function segment(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * A compact JWS built by hand, for tokens no library would make: the given
 * header, payload and a signature made by `signer` over the signing input.
 */
export function craftToken(
  header: object,
  payload: object,
  signer: (signingInput: string) => Buffer | string,
): string {
  const signingInput = `${segment(header)}.${segment(payload)}`;
  const signature = signer(signingInput);
  const encoded = typeof signature === 'string' ? signature : signature.toString('base64url');

  return `${signingInput}.${encoded}`;
}

/** ECDSA P-521 / SHA-512 in JOSE (R‖S, 132 bytes) or DER form. */
export function ecdsaSigner(key: KeyObject, encoding: 'ieee-p1363' | 'der') {
  return (input: string): Buffer =>
    sign('sha512', Buffer.from(input), { key, dsaEncoding: encoding });
}

export function hmacSigner(secret: string) {
  return (input: string): Buffer => createHmac('sha256', secret).update(input).digest();
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A local receiver for webhooks. `answer` picks each response's status; it
 * may return `hang` to keep the request open.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly server: Server;
  private waiters: Array<() => void> = [];

  constructor(private readonly answer: (index: number) => number | 'hang' = () => 204) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const index = this.received.length;
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        const waiters = this.waiters;
        this.waiters = [];
        waiters.forEach((wake) => wake());
        const status = this.answer(index);
        if (status !== 'hang') res.writeHead(status).end();
      });
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');

    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks/kraken`;
  }

  /** Resolves once `count` requests have arrived. */
  async waitFor(count: number): Promise<ReceivedWebhook[]> {
    while (this.received.length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }

    return this.received;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
