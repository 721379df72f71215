import DataLoader from 'dataloader';
import type { CallOptions, KrakenClient } from '../kraken/client';
import type { KycReader } from '../kraken/kyc-reader';
import type { WireApplicant, WireFileType, WireStatus } from '../kraken/wire';

/**
 * Per-request loaders: within one GraphQL request each distinct id costs one
 * upstream call per kind, however many aliases ask for it. Kraken has no batch
 * endpoint, so a batch is a set of parallel single calls.
 */
export interface Loaders {
  status: DataLoader<string, WireStatus | null>;
  data: DataLoader<string, WireApplicant | null>;
  /** Key: `${userId}/${fileType}`. */
  fileExists: DataLoader<string, boolean>;
}

export interface LoaderSources {
  reader: KycReader;
  kraken: KrakenClient;
}

export function createLoaders(sources: LoaderSources, call: CallOptions): Loaders {
  return {
    status: new DataLoader((ids) => settle(ids, (id) => sources.reader.status(id, call))),
    data: new DataLoader((ids) => settle(ids, (id) => sources.reader.data(id, call))),
    fileExists: new DataLoader((keys) => settle(keys, (key) => fileExists(sources.kraken, key, call))),
  };
}

export function fileKey(userId: string, type: WireFileType): string {
  return `${userId}/${type}`;
}

/** One result or Error per key, so one failing id fails only its own paths. */
function settle<T>(keys: readonly string[], load: (key: string) => Promise<T>): Promise<(T | Error)[]> {
  return Promise.all(
    keys.map((key) => load(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))),
  );
}

/** Kraken has no HEAD: open the file, read its status, and drop the bytes. */
async function fileExists(kraken: KrakenClient, key: string, call: CallOptions): Promise<boolean> {
  const [userId, type] = key.split('/') as [string, WireFileType];
  const file = await kraken.openFile(userId, type, call);
  await file?.discard();

  return file !== null;
}
