import { renderSchema, SCHEMA_FILE } from '../../src/graphql/emit-schema';
import { readFileSync } from 'node:fs';
import { startHarness, type Harness } from '../helpers/harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.emulator.resetRequests());

describe('GraphQL over HTTP', () => {
  it('refuses a text/plain POST as a CSRF risk before any resolver runs (G1)', async () => {
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: `{ kycUser(id: "${h.people.approved}") { status } }` }),
    });
    const text = await response.text();

    expect(response.status).toBe(400);
    expect(text).toMatch(/BAD_REQUEST|CSRF|Content-Type/i);
    expect(h.emulator.requests).toHaveLength(0);
  });

  it('passes BAD_USER_INPUT from a resolver on a non-null field to the client (G3)', async () => {
    const { body } = await h.gql(`{ kycLink(level: "gold") { url } }`);

    expect(body.data).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/level must start with one of/);
    expect(JSON.stringify(body)).not.toMatch(/Cannot return null/);
  });

  it('answers kycLink with a URL on the Kraken host that the journey accepts', async () => {
    const { body } = await h.gql<{ kycLink: { url: string; level: string; state: string } }>(
      `{ kycLink(state: "abc") { url token level state } }`,
    );
    const link = body.data!.kycLink;
    const page = await fetch(link.url);

    expect(link).toMatchObject({ level: 'basic+liveness', state: expect.stringMatching(/^kg1\.[\w-]+\.[\w-]+\.abc$/) });
    expect(link.url.startsWith(`${h.emulator.url}/kyc?token=`)).toBe(true);
    expect(page.status).toBe(200);
  });

  it('serves Apollo Sandbox to a browser at GET /graphql', async () => {
    const response = await fetch(`${h.url}/graphql`, { headers: { accept: 'text/html' } });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/embeddable-sandbox/);
  });

  it('answers liveness at /healthz', async () => {
    const response = await fetch(`${h.url}/healthz`);

    expect(response.status).toBe(200);
  });

  it('refuses a GraphQL body over the size limit with 413', async () => {
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ kycLink { url } }`, padding: 'x'.repeat(200_000) }),
    });

    expect(response.status).toBe(413);
  });
});

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run npm run schema after changing types)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await renderSchema());
  });
});
