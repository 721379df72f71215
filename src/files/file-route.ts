import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { ErrorCode, FacadeError } from '../errors';
import type { KrakenClient } from '../kraken/client';
import type { Logger } from '../logger';
import { FileLinkError, type FileLinks } from './file-links';

export interface FileRouteOptions {
  fileLinks: FileLinks;
  kraken: KrakenClient;
  logger: Logger;
}

/**
 * `GET /files/:token`: checks the download token, then streams the document
 * from Kraken chunk by chunk with its type and length, so memory does not
 * grow with the file.
 */
export function fileRoute(options: FileRouteOptions) {
  return async (req: Request<{ token: string }>, res: Response): Promise<void> => {
    const requestId = String(req.id);
    const logger = options.logger.child({ requestId });
    let grant;
    try {
      grant = await options.fileLinks.verify(req.params.token);
    } catch (error) {
      const problem = error instanceof FileLinkError ? error.problem : 'invalid';
      res.status(403).json({ error: problem, message: `the download link is ${problem === 'expired' ? 'expired' : 'not valid'}; ask kycFile for a new one` });
      return;
    }

    const abort = new AbortController();
    // A client that goes away mid-download stops the upstream read too.
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    try {
      const file = await options.kraken.openFile(grant.userId, grant.type, { requestId, signal: abort.signal });
      if (file === null) {
        res.status(404).json({ error: 'not_found', message: 'no such file for this user' });
        return;
      }

      res.status(200);
      res.set({
        'Content-Type': file.contentType,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
        // A document is data, never a page: nothing in it may run.
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Content-Disposition': `inline; filename="${grant.type}"`,
      });
      if (file.contentLength !== undefined) res.set('Content-Length', String(file.contentLength));
      await pipeline(file.body, res);
    } catch (error) {
      respondWithFailure(res, error, logger);
    }
  };
}

function respondWithFailure(res: Response, error: unknown, logger: Logger): void {
  if (res.headersSent) {
    // The stream broke part-way; the client sees a short body and retries.
    logger.warn({ err: error }, 'document stream ended early');
    res.destroy();
    return;
  }
  if (error instanceof FacadeError && error.code === ErrorCode.UPSTREAM_UNAVAILABLE) {
    res.status(503).set('Retry-After', '5').json({ error: 'upstream_unavailable', message: error.message });
    return;
  }
  if (error instanceof FacadeError && error.code === ErrorCode.UPSTREAM_REJECTED) {
    res.status(502).json({ error: 'upstream_rejected', message: error.message });
    return;
  }
  logger.error({ err: error }, 'document download failed');
  res.status(500).json({ error: 'internal', message: 'Internal server error' });
}
