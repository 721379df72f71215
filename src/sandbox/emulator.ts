import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import pino from 'pino';
import type { Logger } from '../logger';
import { rejectionNote, type RetryRejection } from './applicant-review';
import { bearerToken, createApiRouter } from './api-router';
import { FaultInjector } from './fault-injector';
import { errorPage } from './journey-page';
import {
  createJourneyRouter,
  isJourneyPath,
  type FinishedJourney,
  type JourneyLink,
} from './journey-router';
import { KrakenState, type StoredUser } from './kraken-state';
import { bodyForStatus, internalError, notFound } from './nest-errors';
import { sampleDocuments } from './sample-documents';
import { journeyApplicant, SAMPLE_PEOPLE, samplePeopleSeeds } from './seed-people';
import { TokenVerifier } from './token-verifier';
import type {
  Decision,
  EmulatorClient,
  FaultRule,
  RecordedRequest,
  SamplePeople,
  SeedUser,
} from './types';
import { WebhookSender, type WebhookDelivery } from './webhook-sender';

export type {
  Decision,
  EmulatorClient,
  FaultRule,
  FileType,
  RecordedRequest,
  SamplePeople,
  SeedFile,
  SeedUser,
} from './types';
export type { WebhookDelivery } from './webhook-sender';

export interface EmulatorOptions {
  /** Listen address. Default `127.0.0.1`. */
  host?: string;
  /** Listen port; 0 picks a free one. Default 0. */
  port?: number;
  /** Link tokens must carry `kyc: true` (KRAKEN.md open question 12). Default true. */
  requireKycClaim?: boolean;
  /** What E1/E2 say for a RED review of type RETRY. Default `pending`. */
  retryRejection?: RetryRejection;
  /** Clock skew allowed around `exp` and `nbf`. Default 30. */
  maxClockSkewSeconds?: number;
  /** Lifetime of one-time tokens. Default 600. */
  oneTimeTokenTtlSeconds?: number;
  /** Per webhook attempt. Default 10 000. */
  webhookTimeoutMs?: number;
  /** Webhook attempts after the first failure. Default 0; the legacy policy retries for days. */
  webhookRetries?: number;
  /** First retry delay, doubling each time, capped at a day. Default 20 000 (legacy policy). */
  webhookRetryDelayMs?: number;
  /** Clock in milliseconds. Default `Date.now`; tests freeze it. */
  now?: () => number;
  /** Default: silent. */
  logger?: Logger;
}

/** Emulator options with every default filled in. */
type Settings = Required<Omit<EmulatorOptions, 'logger'>>;

const DEFAULTS: Settings = {
  host: '127.0.0.1',
  port: 0,
  requireKycClaim: true,
  retryRejection: 'pending',
  maxClockSkewSeconds: 30,
  oneTimeTokenTtlSeconds: 600,
  webhookTimeoutMs: 10_000,
  webhookRetries: 0,
  webhookRetryDelayMs: 20_000,
  now: Date.now,
};

/**
 * An in-memory stand-in for Fractal ID's Kraken (KRAKEN.md): the REST API
 * with its bearer checks, the browser journey, one-time tokens and signed
 * webhooks, on a real HTTP server. Every answer carries `x-kraken-emulator: 1`.
 */
export class KrakenEmulator {
  /** Every request outside the journey pages, in order of arrival. */
  readonly requests: RecordedRequest[] = [];
  /** Most API requests open at the same moment since the last `resetRequests`. */
  peakInFlight = 0;
  private inFlight = 0;
  private readonly settings: Settings;
  private readonly logger: Logger;
  private readonly state: KrakenState;
  private readonly verifier: TokenVerifier;
  private readonly faults = new FaultInjector();
  private readonly webhooks: WebhookSender;
  private server?: Server;
  private baseUrl?: string;

  constructor(options: EmulatorOptions = {}) {
    this.settings = checkedSettings(options);
    const { now } = this.settings;
    // Every log line names the emulator in its message, so no binding is added.
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.state = new KrakenState({
      now,
      retryRejection: this.settings.retryRejection,
      oneTimeTokenTtlSeconds: this.settings.oneTimeTokenTtlSeconds,
    });
    this.verifier = new TokenVerifier({
      keyFor: (clientId) => this.state.client(clientId)?.publicKey,
      now,
      maxClockSkewSeconds: this.settings.maxClockSkewSeconds,
      requireKycClaim: this.settings.requireKycClaim,
    });
    this.webhooks = new WebhookSender({
      timeoutMs: this.settings.webhookTimeoutMs,
      retries: this.settings.webhookRetries,
      retryDelayMs: this.settings.webhookRetryDelayMs,
      now,
      logger: this.logger,
    });
  }

  /** Listens and resolves to the base URL, e.g. `http://127.0.0.1:PORT`. */
  async start(): Promise<string> {
    if (this.baseUrl) return this.baseUrl;

    const server = createServer(this.createApp());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.settings.port, this.settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    this.server = server;
    this.baseUrl = `http://${urlHost(this.settings.host)}:${port}`;
    this.logger.info({ url: this.baseUrl }, 'kraken emulator listening');

    return this.baseUrl;
  }

  /** Closes the server and every socket, hung ones included; aborts webhook sends. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;

    this.server = undefined;
    this.baseUrl = undefined;
    this.faults.close();
    this.webhooks.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    this.logger.info('kraken emulator stopped');
  }

  /** The base URL; throws before `start()`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('KrakenEmulator: url is not known before start()');

    return this.baseUrl;
  }

  /** Registers (or replaces) a client; throws unless the key is P-521. */
  registerClient(client: EmulatorClient): void {
    this.state.registerClient(client);
  }

  /** Adds a user to a registered client and returns its id (a UUID v4 unless given). */
  addUser(clientId: string, user: SeedUser): string {
    return this.state.addUser(clientId, user).userId;
  }

  /** Adds the fixture people with their documents; see `SAMPLE_PEOPLE`. */
  seedSamplePeople(clientId: string): SamplePeople {
    for (const seed of samplePeopleSeeds()) this.state.addUser(clientId, seed);

    return { ...SAMPLE_PEOPLE };
  }

  /** A one-time token as if the user had just finished a journey. */
  issueOneTimeToken(clientId: string, userId: string, externalState?: string): string {
    return this.state.issueOneTimeToken(clientId, userId, externalState);
  }

  /**
   * Changes `/status` and the `/data` review; for approved or rejected, sends
   * the webhook if the client has one and resolves after that first attempt.
   * `note` is the rejection reason.
   */
  async setDecision(userId: string, decision: Decision, note?: string): Promise<void> {
    const user = this.state.decide(userId, decision, note || undefined);
    this.logger.info({ userId, decision }, 'kraken emulator: decision set');
    await this.notify(user, decision);
  }

  /** A raw status for `/status` and E1, e.g. `under_review`; `/data` is left alone. */
  setStatus(userId: string, status: string): void {
    this.state.setRawStatus(userId, status);
  }

  /** Injects a fault into the API routes; see `FaultRule`. */
  fail(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Every bearer token sent to the API, valid or not. */
  bearersSeen(): Set<string> {
    const bearers = this.requests.map((request) => request.bearer);

    return new Set(bearers.filter((bearer): bearer is string => bearer !== undefined));
  }

  resetRequests(): void {
    this.requests.length = 0;
    this.peakInFlight = this.inFlight;
  }

  /** Every webhook attempt so far, in order. */
  get webhookDeliveries(): readonly WebhookDelivery[] {
    return this.webhooks.deliveries;
  }

  private createApp(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.use((req, res, next) => this.label(req, res, next));
    app.use(this.faults.middleware(isApiPath));
    app.use(createApiRouter({ state: this.state, verifier: this.verifier, logger: this.logger }));
    app.use(
      createJourneyRouter({
        verifier: this.verifier,
        finish: (link, decision, note) => this.finishJourney(link, decision, note),
        redirectUrlFor: (clientId) => this.state.client(clientId)?.redirectUrl,
        oneTimeTokenTtlSeconds: this.settings.oneTimeTokenTtlSeconds,
        logger: this.logger,
      }),
    );
    app.use((req, res) => {
      res.status(404).json(notFound(`Cannot ${req.method} ${req.originalUrl}`));
    });
    app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
      this.answerError(error, req, res);
    });

    return app;
  }

  /** Marks every answer as the emulator's and records API requests. */
  private label(req: Request, res: Response, next: NextFunction): void {
    res.set('x-kraken-emulator', '1');
    if (!isJourneyPath(req.path)) {
      const entry: RecordedRequest = {
        method: req.method,
        path: req.path,
        bearer: bearerToken(req.get('authorization')),
        status: 0,
        at: this.settings.now(),
        requestId: req.get('x-request-id'),
      };
      this.requests.push(entry);
      this.inFlight += 1;
      this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
      // 'close' comes once per answer, also for a hang or reset ended by the client.
      res.on('close', () => {
        this.inFlight -= 1;
      });
    }
    next();
  }

  /** Body-parser refusals keep their 4xx; anything else is Nest's opaque 500. */
  private answerError(error: unknown, req: Request, res: Response): void {
    const status = clientErrorStatus(error) ?? 500;
    if (status === 500) {
      this.logger.error({ err: error, path: req.path }, 'kraken emulator: route failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (isJourneyPath(req.path)) {
      const page = errorPage('Journey request failed', `Status ${status}.`);
      res.status(status).type('html').send(page);
      return;
    }
    res.status(status).json(status === 500 ? internalError() : bodyForStatus(status));
  }

  /** The end of a journey: a new user from a seed applicant, a token, a webhook. */
  private finishJourney(link: JourneyLink, decision: Decision, note?: string): FinishedJourney {
    const userId = randomUUID();
    const applicant = journeyApplicant({
      userId,
      decision,
      level: link.level,
      externalUserId: link.externalUserId,
      note,
      nowMs: this.settings.now(),
    });
    const user = this.state.addUser(link.clientId, {
      userId,
      applicant,
      files: sampleDocuments(applicant),
    });
    const oneTimeToken = this.state.issueOneTimeToken(link.clientId, userId, link.state);
    const { clientId } = link;
    this.logger.info({ clientId, userId, decision }, 'kraken emulator: journey finished');
    // The browser does not wait for the client's webhook endpoint, as at Kraken.
    void this.notify(user, decision);

    return { userId, oneTimeToken };
  }

  /** Only final decisions are announced (KRAKEN.md open questions 14 and 17). */
  private async notify(user: StoredUser, decision: Decision): Promise<void> {
    const webhook = this.state.client(user.clientId)?.webhook;
    if (!webhook || decision === 'pending') return;

    const note = decision === 'rejected' ? rejectionNote(user.applicant) : '';
    await this.webhooks.send(webhook, { id: user.userId, status: decision, note });
  }
}

/** Faults apply to Kraken's REST routes only, never to the journey pages. */
function isApiPath(path: string): boolean {
  return path === '/public/kyc' || path.startsWith('/public/kyc/');
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The 4xx status a library error carries (body-parser sets `status`), if any. */
function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;

  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function checkedSettings(options: EmulatorOptions): Settings {
  const { logger: _logger, ...given } = options;
  const settings: Settings = { ...DEFAULTS, ...withoutUndefined(given) };
  const nonNegative = (name: keyof Settings, value: number) => {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new Error(`KrakenEmulator: ${name} must be a non-negative number, got ${value}`);
    }
  };
  nonNegative('maxClockSkewSeconds', settings.maxClockSkewSeconds);
  nonNegative('webhookTimeoutMs', settings.webhookTimeoutMs);
  nonNegative('webhookRetryDelayMs', settings.webhookRetryDelayMs);
  if (!(settings.oneTimeTokenTtlSeconds > 0)) {
    throw new Error('KrakenEmulator: oneTimeTokenTtlSeconds must be positive');
  }
  if (!Number.isInteger(settings.webhookRetries) || settings.webhookRetries < 0) {
    throw new Error('KrakenEmulator: webhookRetries must be a non-negative integer');
  }
  if (!Number.isInteger(settings.port) || settings.port < 0 || settings.port > 65_535) {
    throw new Error('KrakenEmulator: port must be an integer from 0 to 65535');
  }
  if (settings.retryRejection !== 'pending' && settings.retryRejection !== 'rejected') {
    throw new Error("KrakenEmulator: retryRejection must be 'pending' or 'rejected'");
  }

  return settings;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
