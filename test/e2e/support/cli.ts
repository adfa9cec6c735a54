/** Runs the built CLI (`node bin/multiarch.js`) the way a user or CI does, in a real process. */
import path from 'node:path';
import { execa } from 'execa';
import { testEnv, testProcessEnv } from './env.js';

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout + stderr, for "does this appear anywhere" checks. */
  readonly all: string;
}

export interface CliOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  readonly timeoutMs?: number;
}

export function cliPath(): string {
  return path.join(testEnv().root, 'bin/multiarch.js');
}

export function startMultiarch(args: readonly string[], options: CliOptions = {}) {
  return execa('node', [cliPath(), ...args], {
    cwd: options.cwd ?? testEnv().root,
    env: testProcessEnv({ NO_COLOR: '1', ...options.env }),
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 600_000,
  });
}

export async function multiarch(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const r = await startMultiarch(args, options);
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, all: r.all ?? '' };
}

/** The NDJSON events of `apply --json`. */
export function parseEvents(stdout: string): Array<Record<string, unknown> & { type: string }> {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string });
}
