import { KrakenEmulator } from '../../src/sandbox';
import { ManualClock } from '../helpers/clock';
import { apiToken, bearer, linkToken, newClient, type TestClient } from './support';

const REDIRECT_URL = 'https://app.example.test/kyc/done?from=kraken';

describe('Kraken emulator journey (GET /kyc, POST /kyc/finish)', () => {
  const clock = new ManualClock();
  const emulator = new KrakenEmulator({ now: clock.now });
  const redirecting = newClient('client-redirect');
  const plain = newClient('client-no-redirect');

  beforeAll(async () => {
    await emulator.start();
    emulator.registerClient({ ...keys(redirecting), redirectUrl: REDIRECT_URL });
    emulator.registerClient(keys(plain));
  });

  afterAll(() => emulator.stop());

  function keys(client: TestClient) {
    return { clientId: client.clientId, publicKey: client.publicKey };
  }

  function openJourney(token: string): Promise<Response> {
    return fetch(`${emulator.url}/kyc?token=${encodeURIComponent(token)}&provider=sumsub`);
  }

  function finish(
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return fetch(`${emulator.url}/kyc/finish`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
      redirect: 'manual',
    });
  }

  async function exchange(client: TestClient, oneTimeToken: string): Promise<Response> {
    const headers = bearer(await apiToken(client, clock.now() / 1000));

    return fetch(`${emulator.url}/public/kyc/token/${oneTimeToken}`, { headers });
  }

  async function apiGet(client: TestClient, path: string): Promise<Response> {
    const headers = bearer(await apiToken(client, clock.now() / 1000));

    return fetch(`${emulator.url}${path}`, { headers });
  }

  /** The one-time token shown on the "journey finished" page. */
  function shownToken(html: string): string {
    const match = /<code id="one-time-token">([A-Za-z0-9_-]{43})<\/code>/.exec(html);
    if (!match) throw new Error('no one-time token on the page');

    return match[1];
  }

  /** The object the handoff page posts to its parent window. */
  function postedMessage(html: string): Record<string, unknown> {
    const match = /window\.parent\.postMessage\((.*), '\*'\);<\/script>/.exec(html);
    if (!match) throw new Error('no postMessage call on the page');

    return JSON.parse(match[1]) as Record<string, unknown>;
  }

  describe('the journey page', () => {
    it('shows a self-contained page labelled as the emulator, with a finish form', async () => {
      const token = await linkToken(redirecting, { level: 'plus+liveness+idos', state: 's-42' });
      const response = await openJourney(token);
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(html).toContain('<title>Kraken emulator');
      expect(html).toContain('<dd>plus+liveness+idos</dd>');
      expect(html).toContain('<dd>s-42</dd>');
      expect(html).toContain('<form method="post" action="/kyc/finish">');
      expect(html).toContain(`<input type="hidden" name="token" value="${token}">`);
      for (const decision of ['approved', 'pending', 'rejected']) {
        expect(html).toContain(`name="decision" value="${decision}"`);
      }
      expect(html).not.toMatch(/\b(src|href)=/);
    });

    it('escapes what the token carries', async () => {
      const state = '<script>alert("x")</script>&\'';
      const token = await linkToken(plain, { state, externalUserId: '<b>' });
      const html = await (await openJourney(token)).text();

      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
      expect(html).toContain('<dd>&lt;b&gt;</dd>');
      expect(html).not.toContain('<script>alert');
    });

    it('answers 400 with an HTML page when the token is missing', async () => {
      const response = await fetch(`${emulator.url}/kyc?clientId=x&level=basic`);

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('Kraken emulator');
    });

    it('refuses an API token with 401', async () => {
      const response = await openJourney(await apiToken(plain, clock.now() / 1000));

      expect(response.status).toBe(401);
      expect(await response.text()).toContain('Journey link refused');
    });

    it('refuses a link for an unknown client, or signed by another key, with 401', async () => {
      const stranger = await linkToken(newClient('client-unknown'));
      const impostor = await linkToken(newClient(plain.clientId));

      expect((await openJourney(stranger)).status).toBe(401);
      expect((await openJourney(impostor)).status).toBe(401);
    });

    it('refuses a link without kyc: true by default', async () => {
      const response = await openJourney(await linkToken(plain, { kyc: undefined }));

      expect(response.status).toBe(401);
    });

    it('accepts a link without exp, and honours exp when present', async () => {
      const now = clock.now() / 1000;

      expect((await openJourney(await linkToken(plain))).status).toBe(200);
      expect((await openJourney(await linkToken(plain, { exp: now + 3600 }))).status).toBe(200);
      expect((await openJourney(await linkToken(plain, { exp: now - 3600 }))).status).toBe(401);
    });

    it('answers 400 for a verified link without a level', async () => {
      expect((await openJourney(await linkToken(plain, { level: undefined }))).status).toBe(400);
    });

    it('accepts a link without kyc when requireKycClaim is off, still refusing API tokens', async () => {
      const relaxed = new KrakenEmulator({ requireKycClaim: false, now: clock.now });
      const url = await relaxed.start();
      try {
        relaxed.registerClient(keys(plain));
        const withoutKyc = await linkToken(plain, { kyc: undefined });
        const api = await apiToken(plain, clock.now() / 1000);

        expect((await fetch(`${url}/kyc?token=${withoutKyc}`)).status).toBe(200);
        expect((await fetch(`${url}/kyc?token=${api}`)).status).toBe(401);
      } finally {
        await relaxed.stop();
      }
    });
  });

  describe('finishing', () => {
    it('redirects with oneTimeToken and state, and the token exchanges exactly once', async () => {
      const token = await linkToken(redirecting, { level: 'plus+liveness', state: 'st 1&2' });
      const response = await finish({ token, decision: 'approved' });

      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe('https://app.example.test/kyc/done');
      expect(location.searchParams.get('from')).toBe('kraken');
      expect(location.searchParams.get('state')).toBe('st 1&2');
      const oneTimeToken = location.searchParams.get('oneTimeToken') ?? '';

      const first = await exchange(redirecting, oneTimeToken);
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({
        userId: expect.any(String),
        state: 'approved',
        externalState: 'st 1&2',
      });
      expect((await exchange(redirecting, oneTimeToken)).status).toBe(404);
    });

    it('leaves state out of the redirect when the link had none', async () => {
      const response = await finish({ token: await linkToken(redirecting), decision: 'pending' });
      const location = new URL(response.headers.get('location') ?? '');

      expect(location.searchParams.has('oneTimeToken')).toBe(true);
      expect(location.searchParams.has('state')).toBe(false);
    });

    it('creates a fresh user whose data carries the link level and externalUserId', async () => {
      const claims = { level: 'plus+liveness', externalUserId: 'shop-user-7' };
      const token = await linkToken(plain, claims);
      const oneTimeToken = shownToken(await (await finish({ token, decision: 'approved' })).text());
      const { userId } = (await (await exchange(plain, oneTimeToken)).json()) as { userId: string };
      const data = (await (await apiGet(plain, `/public/kyc/${userId}/data`)).json()) as {
        externalUserId: string;
        review: { levelName: string; reviewResult: unknown };
      };

      expect(userId).toMatch(/^[0-9a-f-]{36}$/);
      expect(data.externalUserId).toBe('shop-user-7');
      expect(data.review.levelName).toBe('plus+liveness');
      expect(data.review.reviewResult).toEqual({ reviewAnswer: 'GREEN' });
      expect((await apiGet(plain, `/public/kyc/${userId}/file/proofOfResidence`)).status).toBe(200);
    });

    it('gives a basic-level user no proof of residence', async () => {
      const token = await linkToken(plain, { level: 'basic+liveness' });
      const oneTimeToken = shownToken(await (await finish({ token, decision: 'approved' })).text());
      const { userId } = (await (await exchange(plain, oneTimeToken)).json()) as { userId: string };

      expect((await apiGet(plain, `/public/kyc/${userId}/file/idFront`)).status).toBe(200);
      expect((await apiGet(plain, `/public/kyc/${userId}/file/proofOfResidence`)).status).toBe(404);
    });

    it('shows the token on a "journey finished" page when there is no redirect URL', async () => {
      const token = await linkToken(plain, { state: 'abc' });
      const response = await finish({ token, decision: 'rejected' });
      const html = await response.text();

      expect(response.status).toBe(200);
      expect(html).toContain('Journey finished');
      expect(html).toContain('exchangeSession');
      const session = await (await exchange(plain, shownToken(html))).json();
      expect(session).toMatchObject({ state: 'rejected', externalState: 'abc' });
    });

    it('makes a new user for every finished journey', async () => {
      const token = await linkToken(plain);
      const first = shownToken(await (await finish({ token, decision: 'pending' })).text());
      const second = shownToken(await (await finish({ token, decision: 'pending' })).text());
      const userIdOf = async (ott: string) =>
        ((await (await exchange(plain, ott)).json()) as { userId: string }).userId;
      const ids = await Promise.all([first, second].map(userIdOf));

      expect(ids[0]).not.toBe(ids[1]);
    });

    it('posts {response, oneTimeToken, state} to the parent when embedded, not redirecting', async () => {
      const token = await linkToken(redirecting, { state: 'frame-1' });
      const response = await finish({ token, decision: 'approved', embedded: '1' });
      const message = postedMessage(await response.text());

      expect(response.status).toBe(200);
      expect(message).toEqual({
        response: 'approved',
        oneTimeToken: expect.stringMatching(/^[\w-]{43}$/),
        state: 'frame-1',
      });
      expect((await exchange(redirecting, String(message.oneTimeToken))).status).toBe(200);
    });

    it('adds error {code, message} on rejection, with the reason typed in', async () => {
      const token = await linkToken(plain, { state: 'frame-2' });
      const fields = { token, decision: 'rejected', note: 'Blurry photo', embedded: '1' };
      const response = await finish(fields);

      expect(postedMessage(await response.text())).toEqual({
        response: 'rejected',
        oneTimeToken: expect.any(String),
        state: 'frame-2',
        error: { code: 'KYC_REJECTED', message: 'Blurry photo' },
      });
    });

    it('treats Sec-Fetch-Dest: iframe as embedded', async () => {
      const token = await linkToken(redirecting);
      const response = await finish({ token, decision: 'pending' }, { 'Sec-Fetch-Dest': 'iframe' });

      expect(response.status).toBe(200);
      expect(postedMessage(await response.text())).toMatchObject({ response: 'pending' });
    });

    it('keeps a state with </script> from breaking out of the handoff script', async () => {
      const state = '</script><script>alert(1)</script>\u2028';
      const token = await linkToken(plain, { state });
      const response = await finish({ token, decision: 'approved', embedded: '1' });
      const html = await response.text();

      expect(html).not.toContain('<script>alert(1)');
      expect(postedMessage(html).state).toBe(state);
    });

    it('refuses an unknown decision with 400', async () => {
      const response = await finish({ token: await linkToken(plain), decision: 'maybe' });

      expect(response.status).toBe(400);
    });

    it('verifies the link token again on finish', async () => {
      const [header, , signature] = (await linkToken(plain)).split('.');
      const claims = { clientId: plain.clientId, kyc: true, level: 'plus' };
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
      const forged = `${header}.${payload}.${signature}`;

      expect((await finish({ token: forged, decision: 'approved' })).status).toBe(401);
      expect((await finish({ decision: 'approved' })).status).toBe(400);
    });
  });
});
