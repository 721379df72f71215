/** Who is calling, as their identity provider vouches. */
export interface Caller {
  /** The application's user id (`sub`). */
  subject: string;
  roles: string[];
  /** Holds the admin role: may read anyone. */
  admin: boolean;
  /** When the credentials stop being accepted (`exp` plus the clock leeway), seconds since the epoch. */
  expiresAt?: number;
}

/** Everyone, when authentication is switched off in sandbox mode. */
export const ANONYMOUS_ADMIN: Caller = { subject: 'anonymous', roles: [], admin: true };
