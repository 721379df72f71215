import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What a running sandbox tells local tools (the webhook CLI): where the
 * facade listens and the webhook secret it made up. Written owner-only and
 * removed on shutdown; it holds only throw-away sandbox values.
 */
export interface SandboxState {
  facadeUrl: string;
  emulatorUrl: string;
  webhookSecret: string;
  pid: number;
}

export function writeSandboxState(path: string, state: SandboxState): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function readSandboxState(path: string): SandboxState | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SandboxState;
  } catch {
    return undefined;
  }
}

export function removeSandboxState(path: string): void {
  rmSync(path, { force: true });
}
