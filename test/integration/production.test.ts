import { startHarness, type Harness } from '../helpers/harness';

/**
 * NODE_ENV=production as a stranger sees it: no Sandbox page, no schema, no
 * suggestions that spell out field names, no stack or internal detail in any
 * answer. The detail of an unexpected error goes to the log only.
 */

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { NODE_ENV: 'production', KRAKEN_SANDBOX: 'true', READ_CACHE_TTL_SECONDS: '0' } });
});
afterAll(() => h.stop());

describe('production mode', () => {
  it('shows no Sandbox landing page to a browser', async () => {
    const response = await fetch(`${h.url}/graphql`, { headers: { accept: 'text/html' } });
    const text = await response.text();

    expect(response.status).toBe(400);
    expect(text).not.toMatch(/sandbox|apollographql|<html/i);
  });

  it('refuses introspection without naming the server or its settings', async () => {
    const { status, body } = await h.gql(`{ __schema { queryType { name } } }`);

    expect(status).toBe(400);
    expect(body.errors).toEqual([
      expect.objectContaining({ message: 'introspection is disabled on this server', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
  });

  it('does not suggest field names or enum values for a misspelt one', async () => {
    const field = await h.gql(`{ kycUser(id: "${h.people.approved}") { statuss } }`);
    const value = await h.gql(`{ kycFile(userId: "${h.people.approved}", type: ID_FRON) { url } }`);
    const variable = await h.gql(`query($t: KycFileType!) { kycFile(userId: "${h.people.approved}", type: $t) { url } }`, { t: 'selfie' });
    const messages = [field, value, variable].map((r) => r.body.errors?.[0]?.message ?? '');

    expect(messages).toEqual([
      'Cannot query field "statuss" on type "KycUser".',
      expect.stringMatching(/^Value "ID_FRON" does not exist in "KycFileType" enum\.?$/),
      expect.stringMatching(/^Variable "\$t" got invalid value "selfie"; Value "selfie" does not exist in "KycFileType" enum\.?$/),
    ]);
  });

  it('masks an unexpected error behind a fixed message and code, and logs the detail', async () => {
    // A 400 from Kraken means this service built a bad request: a bug, not the caller's fault.
    h.emulator.fail({ path: /\/status$/, status: 400, body: { statusCode: 400, message: 'internal-detail-7f3a at /srv/app.ts:12' } });
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.admin}` },
      body: JSON.stringify({ query: `query($id: ID!) { kycUser(id: $id) { status } }`, variables: { id: h.people.approved } }),
    });
    const text = await response.text();
    h.emulator.clearFaults();

    expect(JSON.parse(text).errors).toEqual([
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
    expect(text).not.toMatch(/stacktrace|internal-detail|\.ts:|Kraken answered/);
    expect(h.logs.text()).toContain('Kraken answered 400 on status');
    const [logged] = h.logs.find(/unexpected error in a GraphQL operation/);
    expect(logged?.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('answers unknown routes and malformed bodies with JSON, never an HTML stack page', async () => {
    const missing = await fetch(`${h.url}/nowhere`);
    const malformed = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });

    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/json/);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).not.toMatch(/<html|at .*\(.*:\d+:\d+\)/);
  });
});
