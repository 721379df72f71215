import { fixtureBytes, fixtureText } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { rawRequest, type RawResponse } from '../helpers/raw-http';
import { settle, type Subscriber } from '../helpers/subscriber';

/** The cases of shared/cases/README.md, "Webhook bodies", over real HTTP. */
const CURRENT = 'kraken-test-secret-3f9a';
const OLD = 'kraken-old-secret-11aa';
const USER = '5b0f6a4e-1c2d-4e8f-9a7b-0c1d2e3f4a5b';
const WATCH = `subscription($id: ID) { kycStatusChanged(userId: $id) { eventId userId status note receivedAt } }`;

/** file → [signature with the current secret, with the old one] */
const SIGNATURES = new Map(
  fixtureText('webhooks', 'signatures.tsv')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .map(([file, , current, old]) => [file, { current, old }]),
);

function signatureOf(file: string, secret: 'current' | 'old' = 'current'): string {
  return SIGNATURES.get(file)![secret];
}

let h: Harness;
let watcher: Subscriber;

async function start(secrets = [CURRENT, OLD]): Promise<void> {
  h = await startHarness({ webhookSecrets: secrets });
  watcher = h.subscribe(WATCH, { id: USER });
  await watcher.connected;
  await settle(50);
}

afterEach(async () => {
  await watcher.dispose();
  await h.stop();
});

function deliver(body: Buffer, headers: [string, string | Buffer][]): Promise<RawResponse> {
  return rawRequest(`${h.url}/webhooks/kraken`, 'POST', [['Content-Type', 'application/json'], ...headers], body);
}

function deliverFile(file: string, signature = signatureOf(file), header = 'X-Fractal-Signature'): Promise<RawResponse> {
  return deliver(fixtureBytes('webhooks', file), [[header, signature]]);
}

describe('webhook cases', () => {
  beforeEach(() => start());

  it('accepts a pretty-printed body by its raw bytes and publishes one APPROVED event (W1)', async () => {
    const response = await deliverFile('approved-pretty.json');
    const [event] = await watcher.waitFor(1);
    await settle();

    expect(response.status).toBe(204);
    expect(watcher.events).toHaveLength(1);
    expect(event.kycStatusChanged).toMatchObject({ userId: USER, status: 'APPROVED', note: null });
  });

  it('reads JSON escapes into real letters in the note (W2)', async () => {
    const response = await deliverFile('rejected-escaped.json');
    const [event] = await watcher.waitFor(1);

    expect(response.status).toBe(204);
    expect(event.kycStatusChanged).toMatchObject({
      status: 'REJECTED',
      note: 'Document for Zoë Müller unreadable / retake',
    });
  });

  it('takes UTF-8 notes as sent', async () => {
    const response = await deliverFile('rejected-utf8.json');
    const [event] = await watcher.waitFor(1);

    expect(response.status).toBe(204);
    expect((event.kycStatusChanged as { note: string }).note).toBe('Document for Zoë Müller unreadable / retake');
  });

  it('refuses a body changed after signing (W3)', async () => {
    const body = Buffer.concat([fixtureBytes('webhooks', 'approved-compact.json'), Buffer.from('\n')]);
    const response = await deliver(body, [['X-Fractal-Signature', signatureOf('approved-compact.json')]]);
    await settle();

    expect(response.status).toBe(401);
    expect(watcher.events).toHaveLength(0);
  });

  it('refuses every malformed signature with the same 401, then still accepts a good one (W4, W7)', async () => {
    const right = signatureOf('approved-compact.json');
    const bad: [string, string | Buffer][][] = [
      [],
      [['X-Fractal-Signature', 'abc']],
      [['X-Fractal-Signature', right.slice(1)]],
      [['X-Fractal-Signature', right + right]],
      [['X-Fractal-Signature', 'é'.repeat(64)]],
      [['X-Fractal-Signature', Buffer.from('é'.repeat(64), 'latin1')]],
      [['X-Fractal-Signature', 'sha256=']],
      [['X-Fractal-Signature', '=']],
      [['X-Fractal-Signature', 'z'.repeat(64)]],
      [['X-Fractal-Signature', 'sha1=9e581dd775e5ba87e9839b595d6eb0d784ecfdb6']],
      [['X-Fractal-Signature', right], ['X-Fractal-Signature', right]],
    ];
    const answers = [];
    for (const headers of bad) answers.push(await deliver(fixtureBytes('webhooks', 'approved-compact.json'), headers));
    const good = await deliverFile('approved-compact.json');
    await watcher.waitFor(1);

    expect(answers.map((a) => a.status)).toEqual(bad.map(() => 401));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(good.status).toBe(204);
    expect(watcher.events).toHaveLength(1);
  });

  it('answers a signature with trailing whitespace as HTTP defines it: the space is not part of the value (W4)', async () => {
    // RFC 9110 §5.5: whitespace around a field value is not part of it, and
    // Node's parser strips it before any handler runs, so this request is
    // byte-for-byte the authentic one. verifySignature itself refuses a
    // trailing space (see signature.test.ts).
    const response = await deliverFile('approved-compact.json', `${signatureOf('approved-compact.json')} `);

    expect(response.status).toBe(204);
  });

  it.each(['X-Fractal-Signature', 'x-fractal-signature', 'X-FRACTAL-SIGNATURE'])(
    'reads the header written %s (W5)',
    async (header) => {
      const response = await deliverFile('approved-compact.json', signatureOf('approved-compact.json'), header);

      expect(response.status).toBe(204);
    },
  );

  it('accepts upper-case hex (W6)', async () => {
    const response = await deliverFile('approved-compact.json', signatureOf('approved-compact.json').toUpperCase());

    expect(response.status).toBe(204);
  });

  it('accepts a sha256= prefix (W6)', async () => {
    const response = await deliverFile('approved-compact.json', `sha256=${signatureOf('approved-compact.json')}`);

    expect(response.status).toBe(204);
  });

  it('accepts a body signed with the previous secret during a rotation (W8)', async () => {
    const response = await deliverFile('approved-compact.json', signatureOf('approved-compact.json', 'old'));

    expect(response.status).toBe(204);
    await watcher.waitFor(1);
  });

  it('publishes the same signed delivery once, answering 204 both times (W9)', async () => {
    const first = await deliverFile('approved-compact.json');
    const second = await deliverFile('approved-compact.json');
    await watcher.waitFor(1);
    await settle();

    expect([first.status, second.status]).toEqual([204, 204]);
    expect(watcher.events).toHaveLength(1);
  });

  it('refuses an authentic empty body with 400 (W10)', async () => {
    const response = await deliverFile('empty.json');
    await settle();

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_event' });
    expect(watcher.events).toHaveLength(0);
  });

  it('refuses an authentic body that is not JSON with 400 (W11)', async () => {
    const response = await deliverFile('not-json.txt');
    await settle();

    expect(response.status).toBe(400);
    expect(watcher.events).toHaveLength(0);
  });

  it('publishes an unknown status as UNKNOWN with a warning, not an error (W12)', async () => {
    const response = await deliverFile('unknown-status.json');
    const [event] = await watcher.waitFor(1);

    expect(response.status).toBe(204);
    expect((event.kycStatusChanged as { status: string }).status).toBe('UNKNOWN');
    expect(h.logs.find(/does not know/).some((e) => e.status === 'under_review')).toBe(true);
  });

  it('ignores the declared content type and charset', async () => {
    const body = fixtureBytes('webhooks', 'approved-compact.json');
    const response = await rawRequest(`${h.url}/webhooks/kraken`, 'POST', [
      ['Content-Type', 'text/plain; charset=iso-8859-1'],
      ['X-Fractal-Signature', signatureOf('approved-compact.json')],
    ], body);

    expect(response.status).toBe(204);
  });

  it('refuses a body over 1 MiB with 413 and publishes nothing', async () => {
    const body = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const response = await deliver(body, [['X-Fractal-Signature', 'a'.repeat(64)]]);
    await settle();

    expect(response.status).toBe(413);
    expect(watcher.events).toHaveLength(0);
  });

  it('keeps GraphQL JSON parsing working next to the raw webhook route', async () => {
    const { body } = await h.gql(`{ kycLink { level } }`);

    expect(body.data).toEqual({ kycLink: { level: 'basic+liveness' } });
  });
});

describe('after the old secret is removed', () => {
  beforeEach(() => start([CURRENT]));

  it('refuses a body signed with it (W8)', async () => {
    const response = await deliverFile('approved-compact.json', signatureOf('approved-compact.json', 'old'));

    expect(response.status).toBe(401);
  });
});
