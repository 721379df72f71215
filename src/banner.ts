import type { Config } from './config';
import type { Sandbox } from './sandbox/start-sandbox';

/** The operation Apollo Sandbox opens with in sandbox mode. */
export const EXAMPLE_DOCUMENT = `# Sandbox mode: the ids below belong to the emulator's invented sample people.
query Example {
  kycLink(level: "basic+liveness", state: "demo") {
    url
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

/** What `npm start` prints in sandbox mode: where things are and one command to paste. */
export function sandboxBanner(url: string, sandbox: Sandbox): string {
  const { approved, pending, rejected } = sandbox.people;
  const query = `{ kycUser(id: \\"${approved}\\") { status person { fullName } } }`;

  return `
kraken-graphql is running in SANDBOX MODE against a built-in Kraken emulator
(ephemeral keys and secrets, invented people; never use it for real data).

  GraphQL endpoint   ${url}/graphql
  Apollo Sandbox     ${url}/graphql   (open it in a browser)
  Kraken emulator    ${sandbox.credentials.baseUrl}

Sample Kraken user ids: approved ${approved}
                        pending  ${pending}
                        rejected ${rejected}

Try it:
  curl -s ${url}/graphql -H 'content-type: application/json' \\
    -d '{"query":"${query}"}'

Run a whole journey: ask kycLink for a url, open it, finish the journey, then
pass the one-time token it shows to the exchangeSession mutation.

`;
}

export function liveBanner(url: string, config: Config): string {
  return `kraken-graphql serving ${url}/graphql against ${config.krakenBaseUrl}\n`;
}
