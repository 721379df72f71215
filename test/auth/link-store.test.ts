import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { FileLinkStore, RedisLinkStore, type LinkStore } from '../../src/auth/link-store';
import { startRedis, type RedisServer } from '../helpers/redis-server';

let redis: RedisServer;
const clients: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redis.stop();
});

const tempFile = () => join(tmpdir(), `links-${randomUUID()}.json`);

function redisStore(): LinkStore {
  const client = new Redis(redis.url);
  clients.push(client);
  return new RedisLinkStore(client);
}

/** One contract, both implementations. */
describe.each([
  ['FileLinkStore', () => FileLinkStore.open(tempFile())],
  ['RedisLinkStore', async () => redisStore()],
])('%s', (_name, open: () => Promise<LinkStore>) => {
  it('links a caller to Kraken users, oldest first, once each', async () => {
    const store = await open();
    const subject = `s-${randomUUID()}`;
    await store.link(subject, 'u-1');
    await store.link(subject, 'u-2');
    await store.link(subject, 'u-1');

    expect(await store.usersOf(subject)).toEqual(['u-1', 'u-2']);
    expect(await store.isLinked(subject, 'u-2')).toBe(true);
    expect(await store.isLinked(subject, 'u-3')).toBe(false);
    expect(await store.isLinked('someone-else', 'u-1')).toBe(false);
    expect(await store.ping()).toBe(true);
  });

  it('keeps concurrent links', async () => {
    const store = await open();
    const subject = `s-${randomUUID()}`;
    await Promise.all(Array.from({ length: 20 }, (_v, i) => store.link(subject, `u-${i}`)));

    expect((await store.usersOf(subject)).sort()).toEqual(Array.from({ length: 20 }, (_v, i) => `u-${i}`).sort());
  });
});

describe('FileLinkStore on disk', () => {
  it('survives a restart', async () => {
    const path = tempFile();
    const first = await FileLinkStore.open(path);
    await first.link('alice', 'u-1');
    await first.close();
    const second = await FileLinkStore.open(path);

    expect(await second.usersOf('alice')).toEqual(['u-1']);
  });

  it('has every link on disk once link() resolves, even among concurrent ones', async () => {
    const path = tempFile();
    const store = await FileLinkStore.open(path);
    await Promise.all(['a', 'b', 'c'].map((u) => store.link('alice', u)));
    const onDisk = JSON.parse(readFileSync(path, 'utf8')) as { links: Record<string, string[]> };

    expect(onDisk.links.alice.sort()).toEqual(['a', 'b', 'c']);
  });

  it('writes the file readable by its owner only', async () => {
    const path = tempFile();
    await (await FileLinkStore.open(path)).link('alice', 'u-1');

    expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('refuses to start on a file that is not a link store', async () => {
    const path = tempFile();
    writeFileSync(path, '{"something":"else"}');

    await expect(FileLinkStore.open(path)).rejects.toThrow(/not a link store file/);
  });
});
