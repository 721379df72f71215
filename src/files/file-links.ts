import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { WIRE_FILE_TYPES, type WireFileType } from '../kraken/wire';

export interface FileLinksOptions {
  /** 32 bytes shared by every instance, so any of them can check a link. */
  secret: Uint8Array;
  /** External base URL of this service, without a trailing slash; read per link. */
  publicUrl: () => string;
  /** How long a link works; at most 300. */
  ttlSeconds: number;
  now?: () => number;
}

export interface FileLink {
  url: string;
  expiresAt: Date;
}

export interface FileGrant {
  userId: string;
  type: WireFileType;
}

/** Why a download token was refused; the route answers 403 for both. */
export type FileLinkProblem = 'expired' | 'invalid';

export class FileLinkError extends Error {
  override readonly name = 'FileLinkError';

  constructor(readonly problem: FileLinkProblem) {
    super(problem === 'expired' ? 'the download link has expired' : 'the download link is not valid');
  }
}

const AUDIENCE = 'kraken-graphql/files';

/**
 * Download links for `/files/:token`: an HS256 token bound to one user and one
 * file type that expires within five minutes, so documents never travel
 * inside GraphQL responses and a leaked link soon stops working.
 */
export class FileLinks {
  private readonly now: () => number;

  constructor(private readonly options: FileLinksOptions) {
    this.now = options.now ?? Date.now;
  }

  async create(grant: FileGrant): Promise<FileLink> {
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAt = issuedAt + this.options.ttlSeconds;
    const token = await new SignJWT({ ft: grant.type })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(grant.userId)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.options.secret);

    return { url: `${this.options.publicUrl()}/files/${token}`, expiresAt: new Date(expiresAt * 1000) };
  }

  /** The grant a token carries; throws FileLinkError when expired or forged. */
  async verify(token: string): Promise<FileGrant> {
    try {
      const { payload } = await jwtVerify(token, this.options.secret, {
        algorithms: ['HS256'],
        audience: AUDIENCE,
        currentDate: new Date(this.now()),
        requiredClaims: ['exp', 'sub'],
      });
      const type = payload.ft;
      if (typeof payload.sub !== 'string' || !isWireFileType(type)) throw new FileLinkError('invalid');

      return { userId: payload.sub, type };
    } catch (error) {
      if (error instanceof FileLinkError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new FileLinkError('expired');
      throw new FileLinkError('invalid');
    }
  }
}

function isWireFileType(value: unknown): value is WireFileType {
  return typeof value === 'string' && (WIRE_FILE_TYPES as readonly string[]).includes(value);
}
