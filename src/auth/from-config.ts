import type { AuthConfig } from '../config';
import { IdentityIssuer, SANDBOX_ADMIN, SANDBOX_ADMIN_ROLE, SANDBOX_USER } from '../sandbox/identity-issuer';
import { Authenticator } from './authenticator';
import { CallerVerifier } from './caller-verifier';

export interface Authentication {
  authenticator: Authenticator;
  /** Ready tokens when sandbox mode runs its own issuer. */
  sandboxTokens?: { user: string; admin: string };
}

/** The Authenticator the AUTH_* settings describe. */
export async function authenticationFrom(auth: AuthConfig): Promise<Authentication> {
  switch (auth.mode) {
    case 'disabled':
      return { authenticator: Authenticator.disabled() };
    case 'sandbox-issuer': {
      const issuer = new IdentityIssuer();
      const [user, admin] = await Promise.all([
        issuer.issue(SANDBOX_USER),
        issuer.issue(SANDBOX_ADMIN, [SANDBOX_ADMIN_ROLE]),
      ]);
      return {
        authenticator: Authenticator.verifying(new CallerVerifier(issuer.verifierOptions())),
        sandboxTokens: { user, admin },
      };
    }
    case 'verify':
      return { authenticator: Authenticator.verifying(new CallerVerifier(auth)) };
    default: {
      const unknown: never = auth;
      throw new Error(`unknown auth mode ${JSON.stringify(unknown)}`);
    }
  }
}
