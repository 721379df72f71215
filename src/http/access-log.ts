import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';
import { requestIdFrom } from './request-id';

/** Routes polled by machines; logging each poll drowns the rest. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * One access line per request through pino-http, carrying the request id
 * that every other line of the request also carries (and that is echoed in
 * `X-Request-Id`). Only method, path and status are logged: query strings
 * and download tokens never reach the log.
 */
export function accessLog(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdFrom(req.headers);
      res.setHeader('x-request-id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    autoLogging: { ignore: (req) => QUIET.has(pathOf(req.url)) },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: safePath(req.url) }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    quietReqLogger: true,
  });
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

/** The path without its query, and with download tokens masked. */
export function safePath(url: string | undefined): string {
  return pathOf(url).replace(/^\/files\/[^/]+/, '/files/[token]');
}
