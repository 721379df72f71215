import {
  KrakenEmulator,
  SAMPLE_APPROVED_USER_ID,
  SAMPLE_PENDING_USER_ID,
  SAMPLE_REJECTED_USER_ID,
} from '../../src/sandbox';
import { ManualClock } from '../helpers/clock';
import { fixtureJson, fixtureText } from '../helpers/fixtures';
import { apiToken, bearer, linkToken, newClient } from './support';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('Kraken emulator API routes E1-E4', () => {
  const clock = new ManualClock();
  const emulator = new KrakenEmulator({ now: clock.now });
  const client = newClient('client-routes');

  beforeAll(async () => {
    await emulator.start();
    emulator.registerClient({ clientId: client.clientId, publicKey: client.publicKey });
    emulator.seedSamplePeople(client.clientId);
  });

  afterAll(() => emulator.stop());

  async function get(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await apiToken(client, clock.now() / 1000);

    const headers = { ...bearer(token), ...init.headers };

    return fetch(`${emulator.url}${path}`, { ...init, headers });
  }

  async function statusOf(userId: string): Promise<unknown> {
    return (await get(`/public/kyc/${userId}/status`)).json();
  }

  async function reviewOf(userId: string): Promise<Record<string, unknown>> {
    return (await dataOf(userId)).review as Record<string, unknown>;
  }

  async function dataOf(userId: string): Promise<Record<string, unknown>> {
    return (await (await get(`/public/kyc/${userId}/data`)).json()) as Record<string, unknown>;
  }

  describe('E2 status and E3 data', () => {
    it('reports approved, pending and rejected for the three sample people', async () => {
      expect(await statusOf(SAMPLE_APPROVED_USER_ID)).toEqual({ status: 'approved' });
      expect(await statusOf(SAMPLE_PENDING_USER_ID)).toEqual({ status: 'pending' });
      expect(await statusOf(SAMPLE_REJECTED_USER_ID)).toEqual({ status: 'rejected' });
    });

    it('serves the approved applicant verbatim, key order included', async () => {
      const response = await get(`/public/kyc/${SAMPLE_APPROVED_USER_ID}/data`);
      const fixture = fixtureJson('kraken', 'data-approved.json');

      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.text()).toBe(JSON.stringify(fixture));
    });

    it('serves the pending applicant with its non-ASCII names intact', async () => {
      const data = await dataOf(SAMPLE_PENDING_USER_ID);

      expect(data).toEqual(JSON.parse(fixtureText('kraken', 'data-pending.json')));
      expect(data.info).toMatchObject({ firstName: 'Tomás' });
    });

    it('gives the rejected person its own ids but the fixture review', async () => {
      const data = await dataOf(SAMPLE_REJECTED_USER_ID);
      const fixture = fixtureJson('kraken', 'data-rejected.json');

      expect(data.externalUserId).toBe(SAMPLE_REJECTED_USER_ID);
      expect(data.id).toMatch(/^[0-9a-f]{24}$/);
      expect(data.id).not.toBe(fixture.id);
      expect(data.review).toEqual(fixture.review);
    });

    it('answers 404 in Nest shape for an unknown user', async () => {
      const response = await get('/public/kyc/00000000-0000-4000-8000-000000000000/data');

      expect(response.status).toBe(404);
      expect(await response.text()).toBe(
        '{"message":"User not found","error":"Not Found","statusCode":404}',
      );
    });
  });

  describe('decisions set by a test', () => {
    let userId: string;

    beforeEach(() => {
      userId = emulator.addUser(client.clientId, {
        applicant: fixtureJson('kraken', 'data-pending.json'),
      });
    });

    it('derives pending from a review that is not completed', async () => {
      expect(await statusOf(userId)).toEqual({ status: 'pending' });
    });

    it('turns the review GREEN and completed when approved', async () => {
      await emulator.setDecision(userId, 'approved');

      expect(await statusOf(userId)).toEqual({ status: 'approved' });
      expect(await reviewOf(userId)).toMatchObject({
        reviewStatus: 'completed',
        reviewResult: { reviewAnswer: 'GREEN' },
        reviewDate: '2026-12-03 12:00:00+0000',
        levelName: 'basic+liveness',
      });
    });

    it('turns the review RED and FINAL when rejected, the note as moderation comment', async () => {
      await emulator.setDecision(userId, 'rejected', 'Document expired');

      expect(await statusOf(userId)).toEqual({ status: 'rejected' });
      expect(await reviewOf(userId)).toMatchObject({
        reviewStatus: 'completed',
        reviewResult: {
          reviewAnswer: 'RED',
          reviewRejectType: 'FINAL',
          moderationComment: 'Document expired',
        },
      });
    });

    it('drops the result and review date when put back to pending', async () => {
      await emulator.setDecision(userId, 'approved');
      await emulator.setDecision(userId, 'pending');
      const review = await reviewOf(userId);

      expect(await statusOf(userId)).toEqual({ status: 'pending' });
      expect(review.reviewStatus).toBe('pending');
      expect(review).not.toHaveProperty('reviewResult');
      expect(review).not.toHaveProperty('reviewDate');
    });

    it('serves a raw status such as under_review from /status and E1, not /data', async () => {
      const reviewBefore = await reviewOf(userId);
      emulator.setStatus(userId, 'under_review');
      const token = emulator.issueOneTimeToken(client.clientId, userId);

      expect(await statusOf(userId)).toEqual({ status: 'under_review' });
      const session = await (await get(`/public/kyc/token/${token}`)).json();
      expect(session).toEqual({ userId, state: 'under_review' });
      expect(await reviewOf(userId)).toEqual(reviewBefore);
    });

    it('lets a later decision replace a raw status', async () => {
      emulator.setStatus(userId, 'under_review');
      await emulator.setDecision(userId, 'approved');

      expect(await statusOf(userId)).toEqual({ status: 'approved' });
    });
  });

  describe('seeding', () => {
    it('rewrites the review when a seeded decision contradicts it', async () => {
      const userId = emulator.addUser(client.clientId, {
        applicant: fixtureJson('kraken', 'data-pending.json'),
        status: 'rejected',
      });

      expect(await statusOf(userId)).toEqual({ status: 'rejected' });
      expect(await reviewOf(userId)).toMatchObject({ reviewResult: { reviewAnswer: 'RED' } });
    });

    it('gives generated users a UUID v4', () => {
      const userId = emulator.addUser(client.clientId, { applicant: {} });

      expect(userId).toMatch(UUID_V4);
    });

    it('maps RED with RETRY to pending by default and to rejected when configured', async () => {
      const applicant = {
        review: {
          reviewStatus: 'completed',
          reviewResult: { reviewAnswer: 'RED', reviewRejectType: 'RETRY' },
        },
      };
      const strict = new KrakenEmulator({ retryRejection: 'rejected' });
      await strict.start();
      try {
        strict.registerClient({ clientId: client.clientId, publicKey: client.publicKey });
        const strictId = strict.addUser(client.clientId, { applicant });
        const lenientId = emulator.addUser(client.clientId, { applicant });
        const token = await apiToken(client, Date.now() / 1000);
        const strictStatus = await fetch(`${strict.url}/public/kyc/${strictId}/status`, {
          headers: bearer(token),
        });

        expect(await statusOf(lenientId)).toEqual({ status: 'pending' });
        expect(await strictStatus.json()).toEqual({ status: 'rejected' });
      } finally {
        await strict.stop();
      }
    });
  });

  describe('E4 files', () => {
    it('serves the passport front as a PNG with type and length', async () => {
      const response = await get(`/public/kyc/${SAMPLE_APPROVED_USER_ID}/file/idFront`);
      const bytes = Buffer.from(await response.arrayBuffer());

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
      expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    });

    it('serves the proof of residence as a PDF', async () => {
      const response = await get(`/public/kyc/${SAMPLE_APPROVED_USER_ID}/file/proofOfResidence`);
      const text = Buffer.from(await response.arrayBuffer()).toString('latin1');

      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(text.startsWith('%PDF-')).toBe(true);
    });

    it('has no back side for a passport, and a back side for an ID card', async () => {
      const passportBack = await get(`/public/kyc/${SAMPLE_APPROVED_USER_ID}/file/idBack`);
      const cardBack = await get(`/public/kyc/${SAMPLE_PENDING_USER_ID}/file/idBack`);

      expect(passportBack.status).toBe(404);
      expect(await passportBack.text()).toBe(
        '{"message":"File not found","error":"Not Found","statusCode":404}',
      );
      expect(cardBack.status).toBe(200);
    });

    it('refuses an unknown file type with 400, before looking up the user', async () => {
      for (const userId of [SAMPLE_APPROVED_USER_ID, 'nobody']) {
        const response = await get(`/public/kyc/${userId}/file/passport`);

        expect(response.status).toBe(400);
        expect(await response.text()).toBe(
          '{"message":"Validation failed (enum string is expected)","error":"Bad Request","statusCode":400}',
        );
      }
    });

    it('still checks the bearer before the file type', async () => {
      const path = `/public/kyc/${SAMPLE_APPROVED_USER_ID}/file/passport`;
      const response = await fetch(`${emulator.url}${path}`);

      expect(response.status).toBe(401);
    });
  });

  describe('unknown routes and labelling', () => {
    it('answers an unknown route with Nest\'s "Cannot GET" body', async () => {
      const response = await fetch(`${emulator.url}/x`);

      expect(response.status).toBe(404);
      expect(await response.text()).toBe(
        '{"message":"Cannot GET /x","error":"Not Found","statusCode":404}',
      );
    });

    it('names the method and the query string as Nest does', async () => {
      const statusUrl = `${emulator.url}/public/kyc/${SAMPLE_APPROVED_USER_ID}/status`;
      const post = await fetch(statusUrl, { method: 'POST' });
      const query = await fetch(`${emulator.url}/nowhere?a=1`);

      const message = async (response: Response) =>
        ((await response.json()) as { message: string }).message;

      expect(await message(post)).toBe(`Cannot POST /public/kyc/${SAMPLE_APPROVED_USER_ID}/status`);
      expect(await message(query)).toBe('Cannot GET /nowhere?a=1');
    });

    it('labels every answer with x-kraken-emulator: 1, errors and journey pages too', async () => {
      const link = await linkToken(client);
      const responses = await Promise.all([
        get(`/public/kyc/${SAMPLE_APPROVED_USER_ID}/status`),
        fetch(`${emulator.url}/public/kyc/${SAMPLE_APPROVED_USER_ID}/status`),
        fetch(`${emulator.url}/x`),
        fetch(`${emulator.url}/kyc?token=${link}`),
      ]);

      const labels = responses.map((response) => response.headers.get('x-kraken-emulator'));
      expect(labels).toEqual(['1', '1', '1', '1']);
    });
  });

  describe('request log', () => {
    it('records API requests in order, with bearer and status, and no journey pages', async () => {
      emulator.resetRequests();
      const token = await apiToken(client, clock.now() / 1000);
      const base = `${emulator.url}/public/kyc/${SAMPLE_APPROVED_USER_ID}`;
      await fetch(`${base}/status?x=1`, { headers: bearer(token) });
      await fetch(`${base}/data`);
      await fetch(`${emulator.url}/kyc?token=${await linkToken(client)}`);

      expect(emulator.requests).toEqual([
        {
          method: 'GET',
          path: `/public/kyc/${SAMPLE_APPROVED_USER_ID}/status`,
          bearer: token,
          status: 200,
          at: clock.now(),
        },
        {
          method: 'GET',
          path: `/public/kyc/${SAMPLE_APPROVED_USER_ID}/data`,
          status: 401,
          at: clock.now(),
        },
      ]);
      expect(emulator.bearersSeen()).toEqual(new Set([token]));
    });

    it('forgets everything on resetRequests', async () => {
      await get(`/public/kyc/${SAMPLE_APPROVED_USER_ID}/status`);
      emulator.resetRequests();

      expect(emulator.requests).toEqual([]);
      expect(emulator.bearersSeen().size).toBe(0);
    });
  });
});
