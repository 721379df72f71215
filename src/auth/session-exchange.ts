import { createHash } from 'node:crypto';
import { ErrorCode, FacadeError } from '../errors';
import type { CallOptions, KrakenClient } from '../kraken/client';
import type { WireSession } from '../kraken/wire';
import type { Logger } from '../logger';
import type { SharedState } from '../state/shared-state';
import type { Caller } from './caller';
import type { JourneyStates } from './journey-state';
import type { LinkStore } from './link-store';

/** How long a session refused to someone else waits for the caller who started it. */
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
 * can see whose journey it was; so a session refused to someone else is held
 * (under a hash of the token) for its rightful caller, and whoever else
 * presents the token cannot spoil that person's journey.
 */
export class SessionExchange {
  constructor(private readonly options: SessionExchangeOptions) {}

  /** `logger` is the request's, so its lines carry the request id. */
  async exchange(oneTimeToken: string, caller: Caller, call: CallOptions, logger: Logger): Promise<ExchangedSession> {
    const heldKey = `exchange:held:${createHash('sha256').update(oneTimeToken).digest('base64url')}`;
    const held = await this.options.state.get(heldKey);
    const session = held ? (JSON.parse(held) as WireSession) : await this.options.kraken.exchange(oneTimeToken, call);
    const externalState = typeof session.externalState === 'string' ? session.externalState : undefined;

    if (this.options.journeyStates.ownerOf(externalState, caller.subject) === 'someone-else') {
      if (!held) await this.options.state.set(heldKey, JSON.stringify(session), HELD_MS);
      logger.warn({ userId: session.userId }, 'one-time token from a journey another caller started; refused');
      throw new FacadeError(ErrorCode.FORBIDDEN, 'this one-time token belongs to a journey another user started');
    }
    if (held) await this.options.state.release(heldKey);
    await this.options.linkStore.link(caller.subject, session.userId);

    return {
      userId: session.userId,
      decision: session.state,
      externalState: this.options.journeyStates.callerState(externalState),
    };
  }
}
