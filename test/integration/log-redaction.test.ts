import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from '../helpers/harness';
import { finishJourney } from '../helpers/journey';

/**
 * Every sample person through every operation, with logging at trace, and
 * failures on the way; then the captured log is searched for each personal
 * value the fixtures hold and each secret the run handled.
 */

const PERSONAL_KEYS = new Set([
  'email', 'phone', 'firstName', 'firstNameEn', 'lastName', 'lastNameEn', 'middleName', 'middleNameEn',
  'dob', 'placeOfBirth', 'placeOfBirthEn', 'number', 'street', 'streetEn', 'town', 'townEn',
  'postCode', 'formattedAddress',
]);

/** String values under personal keys anywhere in a fixture, long enough to be telling. */
function personalValues(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => personalValues(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (PERSONAL_KEYS.has(key) && typeof inner === 'string' && inner.length >= 4) found.add(inner);
      else personalValues(inner, found);
    }
  }
  return found;
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'kraken');
const personal = new Set<string>();
for (const name of readdirSync(FIXTURES).filter((n) => n.startsWith('data-'))) {
  personalValues(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')), personal);
}

const EVERYTHING = `query($id: ID!) {
  kycUser(id: $id) {
    id status level raw
    person { firstName lastName fullName dateOfBirth placeOfBirth country nationality }
    documents { type country number issuedDate validUntil }
    review { answer rejectType levelName comment rejectLabels reviewedAt }
  }
}`;
const FILE = `query($id: ID!, $type: KycFileType!) { kycFile(userId: $id, type: $type) { url } }`;
const NOTE = 'Zoë Müller, passport XK4471902, please retake';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { LOG_LEVEL: 'trace', READ_CACHE_TTL_SECONDS: '0' } });
});
afterAll(() => h.stop());

it('holds the sample people the fixtures describe', () => {
  expect(personal.size).toBeGreaterThan(15);
  expect(personal).toContain('mara.lindqvist@example.org');
});

it('writes no personal value or secret to the log, whatever the operation', async () => {
  const secrets = new Set<string>([h.webhookSecret, h.tokens.admin, h.tokens.user]);
  const pem = h.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  secrets.add(pem.split('\n')[1]);
  secrets.add(String(h.privateKey.export({ format: 'jwk' }).d));

  for (const id of Object.values(h.people)) {
    expect((await h.gql(EVERYTHING, { id })).body.errors).toBeUndefined();
    for (const type of ['ID_FRONT', 'ID_BACK', 'SELFIE', 'PROOF_OF_RESIDENCE']) {
      const { body } = await h.gql<{ kycFile: { url: string } | null }>(FILE, { id, type });
      const url = body.data?.kycFile?.url;
      if (!url) continue;
      secrets.add(new URL(url).pathname.split('/').pop()!);
      const download = await fetch(url);
      expect(download.status).toBe(200);
      await download.arrayBuffer();
    }

    // A webhook with a personal note, received by a subscriber.
    const watcher = h.subscribe(`subscription($id: ID) { kycStatusChanged(userId: $id) { status note } }`, { id });
    await watcher.connected;
    await new Promise((resolve) => setTimeout(resolve, 50));
    h.emulator.setStatus(id, 'rejected');
    const delivery = JSON.stringify({ id, status: 'rejected', note: NOTE });
    const signature = createHmac('sha256', h.webhookSecret).update(delivery).digest('hex');
    secrets.add(signature);
    const accepted = await fetch(`${h.url}/webhooks/kraken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fractal-signature': signature },
      body: delivery,
    });
    expect(accepted.status).toBe(204);
    await watcher.waitFor(1);
    await watcher.dispose();

    // Failures on the way: Kraken failing with contact details in its answer, a forged webhook.
    const contact = 'mara.lindqvist@example.org, +46701234567';
    h.emulator.fail({ path: /\/data$/, status: 503, body: { message: `applicant ${contact} not ready` } });
    expect((await h.gql(EVERYTHING, { id })).body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    h.emulator.clearFaults();
    const forged = await fetch(`${h.url}/webhooks/kraken`, {
      method: 'POST',
      headers: { 'x-fractal-signature': 'f'.repeat(64) },
      body: delivery,
    });
    expect(forged.status).toBe(401);
  }

  // A whole journey as the ordinary user, then their own record.
  const user = { authorization: `Bearer ${h.tokens.user}` };
  const link = await h.gql<{ kycLink: { url: string; token: string } }>(
    `{ kycLink(state: "order-7", externalUserId: "customer-7") { url token } }`,
    {},
    user,
  );
  secrets.add(link.body.data!.kycLink.token);
  const oneTimeToken = await finishJourney(link.body.data!.kycLink.url, 'approved');
  secrets.add(oneTimeToken);
  const exchanged = await h.gql(`mutation($t: String!) { exchangeSession(oneTimeToken: $t) { userId } }`, { t: oneTimeToken }, user);
  expect(exchanged.body.errors).toBeUndefined();
  const mine = await h.gql(`{ myKyc { person { fullName } documents { number } } }`, {}, user);
  expect(mine.body.errors).toBeUndefined();
  const spent = await h.gql(`mutation($t: String!) { exchangeSession(oneTimeToken: $t) { userId } }`, { t: oneTimeToken }, user);
  expect(spent.body.errors?.[0]?.extensions?.code).toBe('KYC_SESSION_INVALID');

  for (const bearer of h.emulator.bearersSeen()) secrets.add(bearer);
  const log = h.logs.text();

  expect(h.logs.lines.length).toBeGreaterThan(50);
  const leaked = [...personal, NOTE, 'Zoë', ...secrets].filter((value) => log.includes(value));
  expect(leaked).toEqual([]);
});
