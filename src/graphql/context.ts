import type { Caller } from '../auth/caller';
import type { JourneyStates } from '../auth/journey-state';
import type { LinkStore } from '../auth/link-store';
import type { SessionExchange } from '../auth/session-exchange';
import type { StatusEvents } from '../events/status-events';
import type { FileLinks } from '../files/file-links';
import type { CallOptions, KrakenClient } from '../kraken/client';
import type { KycReader } from '../kraken/kyc-reader';
import type { LinkSigner } from '../kraken/link-signer';
import type { Logger } from '../logger';
import { createLoaders, type Loaders } from './loaders';

/** What every request shares: built once at start-up. */
export interface Services {
  linkSigner: LinkSigner;
  kraken: KrakenClient;
  reader: KycReader;
  fileLinks: FileLinks;
  events: StatusEvents;
  /** Which Kraken users each caller may read. */
  linkStore: LinkStore;
  journeyStates: JourneyStates;
  /** One-time token exchange, bound to the caller who started the journey. */
  sessions: SessionExchange;
  logger: Logger;
}

/** The typed context of one GraphQL operation. */
export interface RequestContext {
  requestId: string;
  /** Undefined when the request carried no credentials. */
  caller?: Caller;
  logger: Logger;
  services: Services;
  loaders: Loaders;
  /** Forwarded to every upstream call made for this request. */
  call: CallOptions;
}

export function createRequestContext(services: Services, requestId: string, caller?: Caller): RequestContext {
  const call: CallOptions = { requestId };

  return {
    requestId,
    caller,
    logger: services.logger.child({ requestId }),
    services,
    loaders: createLoaders(services, call),
    call,
  };
}
