import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', 'fixtures');

/** Bytes of a test fixture, exactly as stored. */
export function fixtureBytes(...path: string[]): Buffer {
  return readFileSync(join(ROOT, ...path));
}

export function fixtureText(...path: string[]): string {
  return fixtureBytes(...path).toString('utf8');
}

export function fixtureJson<T = Record<string, unknown>>(...path: string[]): T {
  return JSON.parse(fixtureText(...path)) as T;
}
