/**
 * What multiarch starts, seen from outside: a directory of shims, each of which appends
 * `<name> <args>` to a log and execs the real binary. `env()` puts the directory first on PATH (the
 * real binaries stay reachable after it); `isolatedEnv()` makes it the whole PATH, with `node`
 * beside the shims, so every docker multiarch could find on PATH is a shim and no spawn of one
 * goes unseen.
 */
import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { makeFixture } from './fixtures.js';

export interface SpawnShim {
  /** Shims `name`, exec'ing `real` (default: the first `name` on this process's PATH). */
  add(name: string, real?: string): Promise<void>;
  /** PATH led by the shims. */
  env(): Record<string, string>;
  /** PATH of the shims alone (and node). */
  isolatedEnv(): Record<string, string>;
  /** The logged calls, `docker version …`, in order. */
  calls(): string[];
  clear(): void;
}

export function makeSpawnShim(): SpawnShim {
  const dir = makeFixture({}, { parent: path.join(os.tmpdir(), 'multiarch-lazy-e2e'), prefix: 'shim-' });
  const log = path.join(dir, 'calls.log');
  symlinkSync(process.execPath, path.join(dir, 'node'));
  return {
    async add(name, real) {
      const target = real ?? (await execa('sh', ['-c', `command -v ${name}`])).stdout.trim();
      const file = path.join(dir, name);
      writeFileSync(file, `#!/bin/sh\nprintf '%s %s\\n' ${name} "$*" >> '${log}'\nexec '${target}' "$@"\n`);
      chmodSync(file, 0o755);
    },
    env: () => ({ PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` }),
    isolatedEnv: () => ({ PATH: dir }),
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    clear: () => writeFileSync(log, ''),
  };
}
