import { pipeline } from 'node:stream';
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../logger';
import type { KrakenState, StoredUser } from './kraken-state';
import { badRequest, notFound, unauthorized } from './nest-errors';
import { generatedBytes } from './sample-documents';
import type { TokenVerifier } from './token-verifier';
import { isFileType, type SeedFile } from './types';

export interface ApiRouterDeps {
  state: KrakenState;
  verifier: TokenVerifier;
  logger: Logger;
}

const BEARER = /^Bearer +(\S+)\s*$/i;

/** The token of an `Authorization: Bearer …` header, whatever the scheme's case. */
export function bearerToken(header: string | undefined): string | undefined {
  return BEARER.exec(header ?? '')?.[1];
}

/**
 * Kraken's REST API, E1 to E4 (KRAKEN.md §1). Each route checks the bearer
 * first, as Nest's guard would, then its parameters, then the lookup.
 */
export function createApiRouter(deps: ApiRouterDeps): Router {
  const router = Router();

  router.get('/public/kyc/token/:oneTimeToken', async (req, res) => {
    const clientId = await authenticate(deps, req, res);
    if (clientId === undefined) return;

    const session = deps.state.exchange(clientId, req.params.oneTimeToken);
    if (!session) {
      res.status(404).json(notFound('One-time token not found, already used or expired'));
      return;
    }
    res.json(session);
  });

  router.get('/public/kyc/:userId/status', async (req, res) => {
    const user = await authorisedUser(deps, req, res);
    if (user) res.json({ status: deps.state.statusOf(user) });
  });

  router.get('/public/kyc/:userId/data', async (req, res) => {
    const user = await authorisedUser(deps, req, res);
    if (user) res.json(user.applicant);
  });

  router.get('/public/kyc/:userId/file/:fileType', async (req, res) => {
    const clientId = await authenticate(deps, req, res);
    if (clientId === undefined) return;

    // Nest's ParseEnumPipe runs before the handler, so a bad enum wins over an unknown user.
    const { fileType, userId } = req.params;
    if (!isFileType(fileType)) {
      res.status(400).json(badRequest('Validation failed (enum string is expected)'));
      return;
    }
    const user = deps.state.user(clientId, userId);
    const file = user?.files[fileType];
    if (!user || !file) {
      res.status(404).json(notFound(user ? 'File not found' : 'User not found'));
      return;
    }
    sendFile(req, res, file);
  });

  return router;
}

/** Steps 1 to 5 of KRAKEN.md §2.4; answers 401 itself and returns undefined on refusal. */
async function authenticate(
  deps: ApiRouterDeps,
  req: Request,
  res: Response,
): Promise<string | undefined> {
  const token = bearerToken(req.get('authorization'));
  const verification = token
    ? await deps.verifier.verifyApiToken(token)
    : { ok: false as const, reason: 'no bearer token' };
  if (verification.ok) return verification.claims.clientId;

  deps.logger.debug(
    { path: req.path, reason: verification.reason },
    'kraken emulator: bearer refused',
  );
  res.status(401).json(unauthorized());

  return undefined;
}

/** Step 6: the user of `:userId` if it belongs to the caller's client; 404 otherwise. */
async function authorisedUser(
  deps: ApiRouterDeps,
  req: Request<{ userId: string }>,
  res: Response,
): Promise<StoredUser | undefined> {
  const clientId = await authenticate(deps, req, res);
  if (clientId === undefined) return undefined;

  const user = deps.state.user(clientId, req.params.userId);
  if (!user) res.status(404).json(notFound('User not found'));

  return user;
}

/** Streams a document with its type and length; generated files never sit whole in memory. */
function sendFile(req: Request, res: Response, file: SeedFile): void {
  const sizeBytes = file.bytes?.length ?? file.sizeBytes ?? 0;
  res.status(200);
  res.set({ 'Content-Type': file.contentType, 'Content-Length': String(sizeBytes) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  if (file.bytes) {
    res.end(file.bytes);
    return;
  }
  // A client that hangs up mid-file is its own business; pipeline cleans up both ends.
  pipeline(generatedBytes(sizeBytes), res, () => undefined);
}
