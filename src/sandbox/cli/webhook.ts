import { parseArgs } from 'node:util';
import { readSandboxState } from '../sandbox-state';
import { signWebhookBody } from '../webhook-sender';

/**
 * `npm run webhook -- --user ID --status approved`: sends one webhook to a
 * running facade, signed as Kraken signs it. `--bad-signature` sends a forged
 * one. In sandbox mode the URL and secret come from the state file that
 * `npm start` writes; against anything else pass `--url` and `--secret`.
 */
const USAGE = `usage: npm run webhook -- --user ID --status approved|rejected|pending [--note TEXT]
                          [--bad-signature] [--url URL] [--secret SECRET] [--state FILE]`;

function main(): number {
  const { values } = parseArgs({
    options: {
      user: { type: 'string' },
      status: { type: 'string' },
      note: { type: 'string', default: '' },
      'bad-signature': { type: 'boolean', default: false },
      url: { type: 'string' },
      secret: { type: 'string' },
      state: { type: 'string', default: 'data/sandbox.json' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.user || !values.status) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }

  const sandbox = readSandboxState(values.state);
  const url = values.url ?? sandbox?.facadeUrl;
  const secret = values.secret ?? sandbox?.webhookSecret;
  if (!url || !secret) {
    process.stderr.write(
      `no running sandbox found at ${values.state}: start one with npm start, or pass --url and --secret\n`,
    );
    return 2;
  }

  const body = JSON.stringify({ id: values.user, status: values.status, note: values.note });
  const signature = values['bad-signature'] ? signWebhookBody('forged-secret', body) : signWebhookBody(secret, body);
  send(`${url.replace(/\/+$/, '')}/webhooks/kraken`, body, signature, values['bad-signature']);

  return 0;
}

function send(url: string, body: string, signature: string, forged: boolean): void {
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-fractal-signature': signature },
    body,
  })
    .then(async (response) => {
      const text = await response.text();
      process.stdout.write(`POST ${url} ${forged ? '(forged signature) ' : ''}-> ${response.status} ${text}\n`);
      const expected = forged ? response.status === 401 : response.ok;
      process.exitCode = expected ? 0 : 1;
    })
    .catch((error: unknown) => {
      process.stderr.write(`could not reach ${url}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}

process.exitCode = main();
