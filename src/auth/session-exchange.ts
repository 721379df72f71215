import { createHash } from 'node:crypto';
import { ErrorCode, FacadeError } from '../errors';
import type { CallOptions, KrakenClient } from '../kraken/client';
import type { WireSession } from '../kraken/wire';
import type { Logger } from '../logger';
import { MemoryState, type SharedState } from '../state/shared-state';
import type { Caller } from './caller';
import type { JourneyStates } from './journey-state';
import type { LinkStore } from './link-store';

/** How long a session that could not be handed over waits for the caller who started it. */
const HELD_MS = 15 * 60_000;

export interface SessionExchangeOptions {
  kraken: KrakenClient;
  journeyStates: JourneyStates;
  linkStore: LinkStore;
  state: SharedState;
}

/** A traded one-time token: the user id, the decision, and the caller's own state. */
export interface ExchangedSession {
  userId: string;
  decision: WireSession['state'];
  externalState?: string;
}

/**
 * Trades one-time tokens for Kraken user ids, for the caller who started the
 * journey only. Kraken spends the token when it answers, before the facade
 * can see whose journey it was or record the caller's link; so a session
 * that cannot be handed over (someone else presented the token, or the link
 * store is away) is held under a hash of the token for its rightful caller's
 * next try, and the person need not start the journey again. Held sessions
 * live in the shared state, or in this process while that is away.
 */
export class SessionExchange {
  private readonly local = new MemoryState();

  constructor(private readonly options: SessionExchangeOptions) {}

  /** `logger` is the request's, so its lines carry the request id. */
  async exchange(oneTimeToken: string, caller: Caller, call: CallOptions, logger: Logger): Promise<ExchangedSession> {
    const heldKey = `exchange:held:${createHash('sha256').update(oneTimeToken).digest('base64url')}`;
    const held = await this.heldSession(heldKey);
    const session = held ?? (await this.options.kraken.exchange(oneTimeToken, call));
    const externalState = typeof session.externalState === 'string' ? session.externalState : undefined;

    if (this.options.journeyStates.ownerOf(externalState, caller.subject) === 'someone-else') {
      if (!held) await this.hold(heldKey, session);
      logger.warn({ userId: session.userId }, 'one-time token from a journey another caller started; refused');
      throw new FacadeError(ErrorCode.FORBIDDEN, 'this one-time token belongs to a journey another user started');
    }
    try {
      await this.options.linkStore.link(caller.subject, session.userId);
    } catch (error) {
      if (!held) await this.hold(heldKey, session);
      logger.error({ err: error, userId: session.userId }, 'could not record the caller link; the session is held for a retry');
      throw new FacadeError(
        ErrorCode.UPSTREAM_UNAVAILABLE,
        'a store this service depends on is unavailable; try the same one-time token again shortly',
      );
    }
    if (held) await Promise.all([this.options.state.release(heldKey).catch(() => undefined), this.local.release(heldKey)]);

    return {
      userId: session.userId,
      decision: session.state,
      externalState: this.options.journeyStates.callerState(externalState),
    };
  }

  private async heldSession(key: string): Promise<WireSession | undefined> {
    const text = (await this.options.state.get(key).catch(() => undefined)) ?? (await this.local.get(key));

    return text === undefined ? undefined : (JSON.parse(text) as WireSession);
  }

  private async hold(key: string, session: WireSession): Promise<void> {
    const text = JSON.stringify(session);
    await this.options.state.set(key, text, HELD_MS).catch(() => this.local.set(key, text, HELD_MS));
  }
}
