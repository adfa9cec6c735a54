/**
 * The installed CLI with V8's code cache (bin/compile-cache.cjs): a start with the cache written by
 * the one before runs the same, including the import() of the config's API and of packages outside
 * the bundle (which a script made from cached data cannot do itself on Node 20); a damaged entry
 * is rejected by V8 and written anew; NODE_DISABLE_COMPILE_CACHE turns it off.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath } from './support/cli.js';
import { testEnv, testProcessEnv } from './support/env.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cacheFiles(dir: string): string[] {
  const base = path.join(dir, 'multiarch');
  try {
    return readdirSync(base).flatMap((version) => readdirSync(path.join(base, version)).map((f) => path.join(base, version, f)));
  } catch {
    return [];
  }
}

describe('compile cache', () => {
  it('a warm start plans the same as the cold one, and a damaged entry is replaced', async () => {
    const { root } = testEnv();
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-cc-'));
    dirs.push(cacheDir);
    const plan = () =>
      execa('node', [cliPath(), 'plan', '--config', 'examples/ecr-style/multiarch.config.ts', '--json', '--offline'], {
        cwd: root,
        env: testProcessEnv({ NO_COLOR: '1', NODE_COMPILE_CACHE: cacheDir }),
        reject: false,
      });
    const cold = await plan();
    expect(cold.exitCode, cold.stderr).toBe(0);
    const written = cacheFiles(cacheDir);
    // The entry chunk and the planner's chunks at least, each under its Node version.
    expect(written.some((f) => path.basename(f).startsWith('cli.cjs-'))).toBe(true);
    expect(written.some((f) => path.basename(f).startsWith('create-plan-'))).toBe(true);
    expect(path.basename(path.dirname(written[0]!))).toBe(`${process.version}-${process.arch}`);

    const warm = await plan();
    expect(warm.exitCode, warm.stderr).toBe(0);
    expect(warm.stderr).toBe('');
    expect(JSON.parse(warm.stdout)).toEqual(JSON.parse(cold.stdout));

    const damaged = written.find((f) => path.basename(f).startsWith('create-plan-'))!;
    writeFileSync(damaged, 'not a code cache');
    const again = await plan();
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(cold.stdout));
    expect(readdirSync(path.dirname(damaged)).includes(path.basename(damaged))).toBe(true);
    expect(readFileSync(damaged).length).toBeGreaterThan(1000);
  });

  it('writes nothing with NODE_DISABLE_COMPILE_CACHE', async () => {
    const { root } = testEnv();
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'multiarch-cc-'));
    dirs.push(cacheDir);
    const r = await execa('node', [cliPath(), '--version'], {
      cwd: root,
      env: testProcessEnv({ NODE_COMPILE_CACHE: cacheDir, NODE_DISABLE_COMPILE_CACHE: '1' }),
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(cacheFiles(cacheDir)).toEqual([]);
  });
});
