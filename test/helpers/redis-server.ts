import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A real redis-server on a free loopback port, for tests of the Redis
 * implementations. `.ci/run` installs the package; without it the test fails
 * (it does not skip).
 */
export async function startRedis(port?: number): Promise<RedisServer> {
  port ??= await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('error', (error) => reject(new Error(`redis-server could not start (is it installed?): ${error.message}`)));
  });
  const url = `redis://127.0.0.1:${port}`;
  await Promise.race([waitForPong(url), failed]);

  return {
    url,
    port,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPong(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    const ok = await client
      .connect()
      .then(() => client.ping())
      .then((pong) => pong === 'PONG')
      .catch(() => false);
    client.disconnect();
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('redis-server did not answer PING within 10 s');
}
