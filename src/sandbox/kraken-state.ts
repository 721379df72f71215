import { createPublicKey, randomUUID, type KeyObject } from 'node:crypto';
import { applyDecision, decisionFromApplicant, type RetryRejection } from './applicant-review';
import { OneTimeTokenStore } from './one-time-tokens';
import {
  isDecision,
  isFileType,
  type Decision,
  type EmulatorClient,
  type SeedFiles,
  type SeedUser,
} from './types';

export interface RegisteredClient {
  clientId: string;
  publicKey: KeyObject;
  redirectUrl?: string;
  webhook?: { url: string; secret: string };
}

export interface StoredUser {
  userId: string;
  clientId: string;
  applicant: Record<string, unknown>;
  /** A status served as is, overriding the review; cleared by a decision. */
  rawStatus?: string;
  files: SeedFiles;
}

/** What E1 answers. */
export interface Session {
  userId: string;
  state: string;
  externalState?: string;
}

export interface KrakenStateOptions {
  now: () => number;
  retryRejection: RetryRejection;
  oneTimeTokenTtlSeconds: number;
}

/**
 * Everything the emulated Kraken knows, in memory: clients, their users and
 * the one-time tokens in flight. Lookups for the API are scoped to a client
 * (KRAKEN.md §2.4 step 6); the helpers for tests are not.
 */
export class KrakenState {
  private readonly clients = new Map<string, RegisteredClient>();
  private readonly users = new Map<string, StoredUser>();
  private readonly oneTimeTokens: OneTimeTokenStore;

  constructor(private readonly options: KrakenStateOptions) {
    this.oneTimeTokens = new OneTimeTokenStore(options.oneTimeTokenTtlSeconds, options.now);
  }

  /** Registers or replaces a client; a bad key or URL fails here, naming the field. */
  registerClient(client: EmulatorClient): void {
    if (typeof client.clientId !== 'string' || client.clientId === '') {
      throw new Error('registerClient: clientId must be a non-empty string');
    }
    this.clients.set(client.clientId, {
      clientId: client.clientId,
      publicKey: es512PublicKey(client.publicKey),
      redirectUrl: client.redirectUrl && httpUrl('redirectUrl', client.redirectUrl),
      webhook: client.webhook && {
        url: httpUrl('webhook.url', client.webhook.url),
        secret: client.webhook.secret,
      },
    });
  }

  client(clientId: string): RegisteredClient | undefined {
    return this.clients.get(clientId);
  }

  /**
   * Adds a user, or replaces one of the same client. User ids are global, as
   * at Kraken, so another client's id is refused rather than shadowed.
   */
  addUser(clientId: string, seed: SeedUser): StoredUser {
    if (!this.clients.has(clientId)) throw new Error(`addUser: unknown client ${clientId}`);
    const userId = seed.userId ?? randomUUID();
    const existing = this.users.get(userId);
    if (existing && existing.clientId !== clientId) {
      throw new Error(`addUser: user ${userId} already belongs to client ${existing.clientId}`);
    }

    const user: StoredUser = {
      userId,
      clientId,
      applicant: structuredClone(seed.applicant),
      files: checkedFiles(seed.files ?? {}),
    };
    this.applySeedStatus(user, seed.status);
    this.users.set(userId, user);

    return user;
  }

  /** The user if it belongs to the client; another client's user is as good as unknown. */
  user(clientId: string, userId: string): StoredUser | undefined {
    const user = this.users.get(userId);

    return user?.clientId === clientId ? user : undefined;
  }

  /** Any user, for the test-facing helpers; throws for an unknown id. */
  requireUser(userId: string): StoredUser {
    const user = this.users.get(userId);
    if (!user) throw new Error(`unknown user ${userId}`);

    return user;
  }

  /** What E1 `state` and E2 `status` say for the user right now. */
  statusOf(user: StoredUser): string {
    return user.rawStatus ?? decisionFromApplicant(user.applicant, this.options.retryRejection);
  }

  /** Sets the decision and makes the applicant's review agree with it. */
  decide(userId: string, decision: Decision, note?: string): StoredUser {
    const user = this.requireUser(userId);
    applyDecision(user.applicant, decision, { nowMs: this.options.now(), note });
    user.rawStatus = undefined;

    return user;
  }

  /** A raw status such as `under_review`, leaving `/data` untouched. */
  setRawStatus(userId: string, status: string): void {
    this.requireUser(userId).rawStatus = status;
  }

  issueOneTimeToken(clientId: string, userId: string, externalState?: string): string {
    const user = this.requireUser(userId);
    if (user.clientId !== clientId) {
      throw new Error(`issueOneTimeToken: user ${userId} does not belong to client ${clientId}`);
    }

    return this.oneTimeTokens.issue({ clientId, userId, externalState });
  }

  /** E1: spends the token; undefined when unknown, used, expired or another client's. */
  exchange(clientId: string, oneTimeToken: string): Session | undefined {
    const grant = this.oneTimeTokens.redeem(clientId, oneTimeToken);
    const user = grant && this.user(clientId, grant.userId);
    if (!grant || !user) return undefined;

    const session: Session = { userId: user.userId, state: this.statusOf(user) };
    if (grant.externalState !== undefined) session.externalState = grant.externalState;

    return session;
  }

  /** A decision given at seeding wins over a review that says otherwise. */
  private applySeedStatus(user: StoredUser, status: string | undefined): void {
    if (status === undefined) return;
    if (!isDecision(status)) {
      user.rawStatus = status;
      return;
    }
    if (this.statusOf(user) !== status) {
      applyDecision(user.applicant, status, { nowMs: this.options.now() });
    }
  }
}

/** The registered key must be a P-521 public key; a private key gives its public half. */
function es512PublicKey(key: KeyObject | string): KeyObject {
  let publicKey: KeyObject;
  try {
    publicKey = typeof key === 'string' || key.type === 'private' ? createPublicKey(key) : key;
  } catch {
    throw new Error('registerClient: publicKey is not a readable SPKI PEM or key object');
  }
  const curve = publicKey.asymmetricKeyDetails?.namedCurve;
  const isP521 = publicKey.asymmetricKeyType === 'ec' && curve === 'secp521r1';
  if (publicKey.type !== 'public' || !isP521) {
    throw new Error('registerClient: publicKey must be an EC P-521 (secp521r1) key for ES512');
  }

  return publicKey;
}

function httpUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`registerClient: ${field} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`registerClient: ${field} must be http or https`);
  }

  return value;
}

function checkedFiles(files: SeedFiles): SeedFiles {
  for (const [fileType, file] of Object.entries(files)) {
    if (!isFileType(fileType)) throw new Error(`addUser: unknown file type ${fileType}`);
    if (!file) continue;
    const hasBytes = file.bytes !== undefined;
    const hasSize = file.sizeBytes !== undefined;
    if (hasBytes === hasSize) {
      throw new Error(`addUser: files.${fileType} needs exactly one of bytes or sizeBytes`);
    }
    if (hasSize && !(Number.isSafeInteger(file.sizeBytes) && Number(file.sizeBytes) >= 0)) {
      throw new Error(`addUser: files.${fileType}.sizeBytes must be a non-negative integer`);
    }
  }

  return { ...files };
}
