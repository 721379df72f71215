import express, { Router, type Request, type Response } from 'express';
import type { Logger } from '../logger';
import {
  errorPage,
  finishedPage,
  handoffPage,
  journeyPage,
  type HandoffMessage,
} from './journey-page';
import type { TokenClaims, TokenVerifier } from './token-verifier';
import { isDecision, type Decision } from './types';

/** What a verified link token asks for (KRAKEN.md §2.2). */
export interface JourneyLink {
  clientId: string;
  level: string;
  state?: string;
  externalUserId?: string;
}

export interface FinishedJourney {
  userId: string;
  oneTimeToken: string;
}

export interface JourneyRouterDeps {
  verifier: TokenVerifier;
  /** Creates the user, issues the one-time token and sends the webhook. */
  finish: (link: JourneyLink, decision: Decision, note?: string) => FinishedJourney;
  redirectUrlFor: (clientId: string) => string | undefined;
  oneTimeTokenTtlSeconds: number;
  logger: Logger;
}

/** Longest rejection reason kept from the form. */
const MAX_NOTE_LENGTH = 200;

/**
 * The browser side (KRAKEN.md §3): `GET /kyc?token=` shows the journey and
 * `POST /kyc/finish` ends it. The form carries the link token again and it is
 * verified again, so the finish step trusts nothing the page held.
 */
export function createJourneyRouter(deps: JourneyRouterDeps): Router {
  const router = Router();

  router.get('/kyc', async (req, res) => {
    const link = await readLink(deps, res, queryValue(req.query.token));
    if (!link) return;

    sendPage(res, 200, journeyPage({ ...link, provider: queryValue(req.query.provider) }));
  });

  const form = express.urlencoded({ extended: false, limit: '64kb' });
  router.post('/kyc/finish', form, async (req, res) => {
    const fields = formFields(req.body);
    const link = await readLink(deps, res, fields.token);
    if (!link) return;
    const { decision } = fields;
    if (!isDecision(decision)) {
      const detail = 'decision must be approved, pending or rejected';
      sendPage(res, 400, errorPage('Unknown decision', detail));
      return;
    }

    const note = fields.note?.trim().slice(0, MAX_NOTE_LENGTH) || undefined;
    const finished = deps.finish(link, decision, note);
    handOff(deps, req, res, { link, decision, note, finished });
  });

  // Browsers ask for it on every journey page; an empty answer keeps the API log clean.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  return router;
}

/** Paths that belong to the browser journey rather than the API. */
export function isJourneyPath(path: string): boolean {
  return path === '/kyc' || path.startsWith('/kyc/') || path === '/favicon.ico';
}

interface Ending {
  link: JourneyLink;
  decision: Decision;
  note?: string;
  finished: FinishedJourney;
}

/**
 * KRAKEN.md §3.3: inside an iframe, post a message to the parent; otherwise
 * redirect to the client's URL; with no URL, show the token to copy.
 */
function handOff(deps: JourneyRouterDeps, req: Request, res: Response, ending: Ending): void {
  const { link, decision, finished } = ending;
  if (isEmbedded(req)) {
    sendPage(res, 200, handoffPage(handoffMessage(ending)));
    return;
  }

  const redirectUrl = deps.redirectUrlFor(link.clientId);
  if (redirectUrl) {
    const target = new URL(redirectUrl);
    target.searchParams.set('oneTimeToken', finished.oneTimeToken);
    if (link.state !== undefined) target.searchParams.set('state', link.state);
    res.redirect(303, target.toString());
    return;
  }

  const ttlSeconds = deps.oneTimeTokenTtlSeconds;
  const view = { decision, oneTimeToken: finished.oneTimeToken, state: link.state, ttlSeconds };
  sendPage(res, 200, finishedPage(view));
}

function handoffMessage({ link, decision, note, finished }: Ending): HandoffMessage {
  const message: HandoffMessage = { response: decision, oneTimeToken: finished.oneTimeToken };
  if (link.state !== undefined) message.state = link.state;
  // Most receivers test only `error`, so a rejection always carries one.
  if (decision === 'rejected') {
    message.error = { code: 'KYC_REJECTED', message: note ?? 'The identity check was rejected.' };
  }

  return message;
}

/** The form says so when its script saw a parent window; browsers also send Sec-Fetch-Dest. */
function isEmbedded(req: Request): boolean {
  return formFields(req.body).embedded === '1' || req.get('sec-fetch-dest') === 'iframe';
}

/** Verifies the link token and reads its claims; answers with an error page on failure. */
async function readLink(
  deps: JourneyRouterDeps,
  res: Response,
  token: string | undefined,
): Promise<(JourneyLink & { token: string }) | undefined> {
  if (!token) {
    sendPage(res, 400, errorPage('Journey link without token', 'Expected /kyc?token=<link JWT>.'));
    return undefined;
  }
  const verification = await deps.verifier.verifyLinkToken(token);
  if (!verification.ok) {
    deps.logger.debug({ reason: verification.reason }, 'kraken emulator: link token refused');
    const detail = `The link token is not valid: ${verification.reason}.`;
    sendPage(res, 401, errorPage('Journey link refused', detail));
    return undefined;
  }
  const link = linkFromClaims(verification.claims);
  if (!link) {
    const detail = 'The link token needs a level claim.';
    sendPage(res, 400, errorPage('Journey link without level', detail));
    return undefined;
  }

  return { ...link, token };
}

function linkFromClaims(claims: TokenClaims): JourneyLink | undefined {
  if (typeof claims.level !== 'string' || claims.level === '') return undefined;

  return {
    clientId: claims.clientId,
    level: claims.level,
    state: typeof claims.state === 'string' ? claims.state : undefined,
    // Fractal-made links carry `externalUserId: ""`, which means none.
    externalUserId: nonEmptyString(claims.externalUserId),
  };
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function sendPage(res: Response, status: number, html: string): void {
  // Pages carry link and one-time tokens: keep them out of caches and Referer headers.
  res.status(status)
    .type('html')
    .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
    .send(html);
}

function queryValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

interface FormFields {
  token?: string;
  decision?: string;
  note?: string;
  embedded?: string;
}

function formFields(body: unknown): FormFields {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const field = (name: string): string | undefined => {
    const value = record[name];
    return typeof value === 'string' ? value : undefined;
  };

  return {
    token: field('token'),
    decision: field('decision'),
    note: field('note'),
    embedded: field('embedded'),
  };
}
