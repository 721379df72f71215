import type { KrakenClient, CallOptions } from '../kraken/client';
import type { KycReader } from '../kraken/kyc-reader';
import type { LinkSigner } from '../kraken/link-signer';
import type { StatusEvents } from '../events/status-events';
import type { FileLinks } from '../files/file-links';
import type { Logger } from '../logger';
import { createLoaders, type Loaders } from './loaders';

/** What every request shares: built once at start-up. */
export interface Services {
  links: LinkSigner;
  kraken: KrakenClient;
  reader: KycReader;
  fileLinks: FileLinks;
  events: StatusEvents;
  logger: Logger;
}

/** The typed context of one GraphQL operation. */
export interface RequestContext {
  requestId: string;
  logger: Logger;
  services: Services;
  loaders: Loaders;
  /** Forwarded to every upstream call made for this request. */
  call: CallOptions;
}

export function createRequestContext(services: Services, requestId: string): RequestContext {
  const call: CallOptions = { requestId };

  return {
    requestId,
    logger: services.logger.child({ requestId }),
    services,
    loaders: createLoaders(services, call),
    call,
  };
}
