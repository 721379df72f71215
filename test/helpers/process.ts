import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export interface Started {
  child: ChildProcess;
  /** Where a sandbox-mode service writes its state for the webhook CLI. */
  stateFile: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Runs the built service (`dist/main.js`, which `npm test` builds first) with
 * exactly the given environment plus PATH and a state file of its own.
 */
export function startService(env: NodeJS.ProcessEnv): Started {
  const stateFile = join(tmpdir(), `kraken-graphql-${randomUUID()}.json`);
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run npm run build (npm test does)');
  let out = '';
  let err = '';
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      SANDBOX_STATE_FILE: stateFile,
      LINK_STORE_URL: join(tmpdir(), `kraken-graphql-links-${randomUUID()}.json`),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return { child, stateFile, stdout: () => out, stderr: () => err, exited };
}

/** Waits until the output matches, or fails after `timeoutMs`. */
export async function waitForOutput(started: Started, pattern: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(started.stdout());
    if (match) return match;
    if (started.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${pattern} in output:\n${started.stdout()}\n${started.stderr()}`);
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built command-line tool from `dist/` to completion. */
export function runTool(script: string, args: string[]): Promise<CommandResult> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'dist', script), ...args], {
    env: { PATH: process.env.PATH },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The admin token a sandbox-mode service prints in its banner. */
export async function adminTokenOf(started: Started): Promise<string> {
  const [, token] = await waitForOutput(started, /admin \(role kyc:admin[^\n]*\n\s+(\S+)/);
  return token;
}
