import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';

/** Unknown routes answer JSON, like every other route. */
export function notFound(_req: Request, res: Response): void {
  res.status(404).json({ error: 'not_found', message: 'no such route' });
}

/**
 * The last error handler: body-parser's client errors (malformed JSON, an
 * unsupported charset or encoding, a body too large) become a JSON 4xx with
 * a code; anything else a 500. Bodies are never logged or echoed, and
 * Express's default handler (HTML, stack traces, stderr) never runs.
 */
export function errorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const status = (error as { status?: unknown }).status;
    const type = (error as { type?: unknown }).type;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ errors: [{ message: clientMessage(status, type), extensions: { code: 'BAD_REQUEST' } }] });
      return;
    }
    req.log?.error({ err: error }, 'unhandled error in a route');
    if (!req.log) logger.error({ err: error }, 'unhandled error in a route');
    res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };
}

function clientMessage(status: number, type: unknown): string {
  switch (type) {
    case 'entity.parse.failed':
      return 'the request body must be a JSON object';
    case 'entity.too.large':
      return 'the request body is too large';
    case 'charset.unsupported':
      return 'the request body must be UTF-8';
    case 'encoding.unsupported':
      return 'the request body encoding is not supported';
    default:
      return status === 413 ? 'the request body is too large' : 'the request could not be read';
  }
}
