import { mkdirSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type Redis from 'ioredis';

/**
 * Which Kraken users each caller went through a journey for. Written by
 * `exchangeSession`, read by every per-person check; it must survive a
 * restart (a one-time token cannot be spent twice to rebuild it).
 */
export interface LinkStore {
  link(subject: string, userId: string): Promise<void>;
  isLinked(subject: string, userId: string): Promise<boolean>;
  /** Kraken user ids linked to `subject`, oldest first. */
  usersOf(subject: string): Promise<string[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

interface LinkFile {
  version: 1;
  links: Record<string, string[]>;
}

/**
 * An embedded store in one JSON file, for a single instance. Every change is
 * on disk (written to a temporary file, flushed, renamed over the old one)
 * before `link` resolves, so a crash never leaves half a file.
 */
export class FileLinkStore implements LinkStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly links: Map<string, string[]>,
  ) {}

  /** Opens (or starts) the file; throws when it exists but cannot be read as links. */
  static async open(path: string): Promise<FileLinkStore> {
    mkdirSync(dirname(path), { recursive: true });
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new FileLinkStore(path, new Map());
      throw error;
    }
    const parsed = JSON.parse(text) as LinkFile;
    if (parsed.version !== 1 || typeof parsed.links !== 'object') throw new Error(`${path} is not a link store file`);

    return new FileLinkStore(path, new Map(Object.entries(parsed.links)));
  }

  async link(subject: string, userId: string): Promise<void> {
    const users = this.links.get(subject) ?? [];
    if (users.includes(userId)) return;
    this.links.set(subject, [...users, userId]);
    // Each write snapshots the map when it runs, so it holds every change
    // made before it; chaining keeps two renames from racing.
    this.writing = this.writing.catch(() => undefined).then(() => this.write());
    await this.writing;
  }

  async isLinked(subject: string, userId: string): Promise<boolean> {
    return this.links.get(subject)?.includes(userId) ?? false;
  }

  async usersOf(subject: string): Promise<string[]> {
    return [...(this.links.get(subject) ?? [])];
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private async write(): Promise<void> {
    const data: LinkFile = { version: 1, links: Object.fromEntries(this.links) };
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.writeFile(`${JSON.stringify(data)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      // A full disk or a lost directory: leave no half-written file behind.
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    }
  }
}

/** Links in Redis, shared by every instance: one sorted set per caller, scored by time. */
export class RedisLinkStore implements LinkStore {
  constructor(private readonly redis: Redis) {}

  async link(subject: string, userId: string): Promise<void> {
    await this.redis.zadd(key(subject), 'NX', Date.now(), userId);
  }

  async isLinked(subject: string, userId: string): Promise<boolean> {
    return (await this.redis.zscore(key(subject), userId)) !== null;
  }

  async usersOf(subject: string): Promise<string[]> {
    return this.redis.zrange(key(subject), 0, -1);
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping().catch(() => '')) === 'PONG';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

function key(subject: string): string {
  return `kraken-graphql:links:${subject}`;
}
