import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { RateLimits } from '../http/rate-limits';
import type { Logger } from '../logger';
import type { DeliveryHandler, DeliveryOutcome } from './delivery-handler';
import { verifySignature } from './signature';
import { InvalidEventError, parseWebhookEvent } from './webhook-event';

export interface WebhookRouteOptions {
  /** Current secret first; older ones while a rotation is under way. */
  secrets: readonly string[];
  handler: DeliveryHandler;
  rateLimits: RateLimits;
  logger: Logger;
  /** Called once per delivery with its outcome, for metrics. */
  onOutcome?: (outcome: WebhookOutcome) => void;
}

export type WebhookOutcome =
  | DeliveryOutcome
  | 'bad_signature'
  | 'invalid_event'
  | 'too_large'
  | 'rate_limited'
  | 'failed';

/** Bodies above this are refused with 413 before being read whole. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

const UNAUTHORIZED = { error: 'invalid_signature', message: 'missing or wrong X-Fractal-Signature' };

/**
 * `POST /webhooks/kraken`. The body is taken as raw bytes whatever its
 * declared type or charset (the signature covers exactly those bytes), so
 * this router must be mounted before any JSON parser.
 */
export function webhookRouter(options: WebhookRouteOptions): Router {
  const router = Router();
  const raw = express.raw({ type: () => true, limit: MAX_WEBHOOK_BODY_BYTES, inflate: false });

  // Counted per source before the body is read, so a flood costs little.
  const limit = async (req: Request, res: Response, next: NextFunction) => {
    const retryAfter = await options.rateLimits.take('webhook', req.ip ?? 'unknown');
    if (retryAfter === undefined) return next();
    options.onOutcome?.('rate_limited');
    res.status(429).set('Retry-After', String(retryAfter)).json({ error: 'rate_limited', message: 'too many webhook deliveries' });
  };

  router.post('/webhooks/kraken', limit, raw, async (req: Request, res: Response) => {
    const requestId = String(req.id);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const outcome = await answer(options, body, req.headers['x-fractal-signature'], requestId, res);
    options.onOutcome?.(outcome);
  });
  router.use('/webhooks/kraken', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (status === 413) {
      options.onOutcome?.('too_large');
      res.status(413).json({ error: 'too_large', message: `webhook bodies are limited to ${MAX_WEBHOOK_BODY_BYTES} bytes` });
      return;
    }
    if (status !== undefined && status >= 400 && status < 500) {
      res.status(status).json({ error: 'bad_request', message: 'the webhook body could not be read' });
      return;
    }
    next(error);
  });

  return router;
}

async function answer(
  options: WebhookRouteOptions,
  body: Buffer,
  signature: unknown,
  requestId: string,
  res: Response,
): Promise<WebhookOutcome> {
  const logger = options.logger.child({ requestId });
  if (!verifySignature(body, signature, options.secrets)) {
    logger.warn({ bytes: body.length }, 'webhook refused: missing or wrong signature');
    res.status(401).json(UNAUTHORIZED);
    return 'bad_signature';
  }

  let event;
  try {
    event = parseWebhookEvent(body);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    logger.warn({ reason: error.message }, 'webhook refused: signed but not a valid event');
    res.status(400).json({ error: 'invalid_event', message: error.message });
    return 'invalid_event';
  }

  try {
    const outcome = await options.handler.handle(body, event, requestId);
    res.status(204).end();
    return outcome;
  } catch (error) {
    // Most often a store (Redis) that is away: 503 says "try again", and Kraken retries any non-2xx.
    logger.error({ err: error }, 'webhook could not be processed; Kraken will retry');
    res.status(503).json({ error: 'unavailable', message: 'the webhook could not be processed; retry later' });
    return 'failed';
  }
}
