import type { Authenticator } from './auth/authenticator';
import type { Config } from './config';
import type { Sandbox } from './sandbox/start-sandbox';

/** The operation Apollo Sandbox opens with in sandbox mode. */
export const EXAMPLE_DOCUMENT = `# Sandbox mode: the ids below belong to the emulator's invented sample people,
# linked to the signed-in sandbox user (see the Authorization header).
query Example {
  myKyc {
    id
    status
  }
  kycLink(level: "basic+liveness") {
    url
    state
  }
  kycUser(id: "3f6c2a9e-8b1d-4e57-9a0c-2d7e5b4f1a63") {
    status
    level
    person { fullName nationality dateOfBirth }
    documents { type country validUntil }
    review { answer reviewedAt }
  }
  kycFile(userId: "3f6c2a9e-8b1d-4e57-9a0c-2d7e5b4f1a63", type: ID_FRONT) {
    url
    expiresAt
  }
}
`;

export interface SandboxBannerOptions {
  url: string;
  sandbox: Sandbox;
  authenticator: Authenticator;
  tokens?: { user: string; admin: string };
  /** Whether the Apollo Sandbox page is served (off in production unless GRAPHQL_SANDBOX=true). */
  landingPage: boolean;
}

/** What `npm start` prints in sandbox mode: where things are and one command to paste. */
export function sandboxBanner({ url, sandbox, authenticator, tokens, landingPage }: SandboxBannerOptions): string {
  const { approved, pending, rejected } = sandbox.people;
  const query = `{ kycUser(id: \\"${approved}\\") { status person { fullName } } }`;
  const auth = tokens ? ` \\\n    -H "authorization: Bearer $USER_TOKEN"` : '';

  return `
kraken-graphql is running in SANDBOX MODE against a built-in Kraken emulator
(ephemeral keys and secrets, invented people; never use it for real data).

  GraphQL endpoint   ${url}/graphql
  Apollo Sandbox     ${landingPage ? `${url}/graphql   (open it in a browser)` : 'off (NODE_ENV=production; GRAPHQL_SANDBOX=true turns it on)'}
  Kraken emulator    ${sandbox.credentials.baseUrl}

Sample Kraken user ids: approved ${approved}
                        pending  ${pending}
                        rejected ${rejected}
${callers(authenticator, tokens)}
Try it:
${tokens ? `  export USER_TOKEN=${tokens.user}\n` : ''}  curl -s ${url}/graphql -H 'content-type: application/json'${auth} \\
    -d '{"query":"${query}"}'

Run a whole journey: ask kycLink for a url, open it, finish the journey, then
pass the one-time token it shows to the exchangeSession mutation.
Fire a webhook by hand: npm run webhook -- --user ${approved} --status rejected

`;
}

function callers(authenticator: Authenticator, tokens?: { user: string; admin: string }): string {
  if (!authenticator.enabled) {
    return `
!!! AUTHENTICATION IS OFF (AUTH_DISABLED=true): anyone may read every record !!!
`;
  }
  if (!tokens) return '\nCallers are verified with the AUTH_* settings.\n';

  return `
Signed-in callers (tokens from the sandbox identity issuer, valid 12 hours):
  user  (linked to the approved and pending people; Apollo Sandbox uses it)
    ${tokens.user}
  admin (role kyc:admin; may read anyone)
    ${tokens.admin}
`;
}

export function liveBanner(url: string, config: Config): string {
  return `kraken-graphql serving ${url}/graphql against ${config.krakenBaseUrl}\n`;
}
