import { existsSync } from 'node:fs';
import { adminTokenOf, runTool, startService, waitForOutput, type Started } from '../helpers/process';
import { settle, subscribe, type Subscriber } from '../helpers/subscriber';

const USER = '3f6c2a9e-8b1d-4e57-9a0c-2d7e5b4f1a63';

describe('npm run webhook against a running sandbox', () => {
  let service: Started;
  let url: string;
  let watcher: Subscriber;

  beforeAll(async () => {
    service = startService({ PORT: '0', LOG_LEVEL: 'warn' });
    [, url] = await waitForOutput(service, /GraphQL endpoint\s+(http:\/\/\S+)\/graphql/);
    watcher = subscribe(url, `subscription($id: ID) { kycStatusChanged(userId: $id) { userId status note } }`, { id: USER }, {
      authorization: `Bearer ${await adminTokenOf(service)}`,
    });
    await watcher.connected;
  });
  afterAll(async () => {
    await watcher.dispose();
    service.child.kill('SIGTERM');
    await service.exited;
  });

  it('sends a forged webhook that the facade refuses, and nothing is published', async () => {
    const result = await runTool('sandbox/cli/webhook.js', [
      '--user', USER, '--status', 'rejected', '--bad-signature', '--state', service.stateFile,
    ]);
    await settle();

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\(forged signature\) -> 401/);
    expect(watcher.events).toHaveLength(0);
  });

  it('sends a correctly signed webhook that reaches a live subscriber', async () => {
    const result = await runTool('sandbox/cli/webhook.js', [
      '--user', USER, '--status', 'approved', '--state', service.stateFile,
    ]);
    const [event] = await watcher.waitFor(1);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/-> 204/);
    expect(event).toEqual({ kycStatusChanged: { userId: USER, status: 'APPROVED', note: null } });
  });

  it('says how to proceed when no sandbox is running', async () => {
    const result = await runTool('sandbox/cli/webhook.js', ['--user', USER, '--status', 'approved', '--state', '/nonexistent.json']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no running sandbox found.*pass --url and --secret/);
  });

  it('removes its state file on shutdown', async () => {
    expect(existsSync(service.stateFile)).toBe(true);
    service.child.kill('SIGTERM');
    await service.exited;

    expect(existsSync(service.stateFile)).toBe(false);
  });
});
