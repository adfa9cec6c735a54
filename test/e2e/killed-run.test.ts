/**
 * SIGKILL mid-run, then a rerun (issue 19): the killed run's detached HTTP-check container (found
 * by its owner labels) and its per-run temp folder are removed by the next run that uses the engine
 * — one that only builds, no test container of its own; a live run's are not.
 * Waits for states (a labelled container, a folder), never for time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { multiarch, startMultiarch } from './support/cli.js';
import { docker } from './support/docker.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 300_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const ownedBy = async (pid: number) => (await docker(['ps', '--all', '--quiet', '--filter', `label=dev.multiarch.owner.pid=${pid}`])).split('\n').filter(Boolean);

function project(name: string, test?: string): string {
  const { baseImage } = testEnv();
  return makeFixture({
    'app/Dockerfile': `FROM ${baseImage}\nRUN echo ${name} > /name\nCMD ["sleep", "3600"]\n`,
    'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  images: { app: { context: './app', platforms: ['linux/amd64'], tags: ['v1']${test ? `, test: ${test}` : ''} } },
});
`,
  });
}

describe('a run killed with SIGKILL', () => {
  it('leaves containers and temp folders the next run removes', async () => {
    // An HTTP check that never answers: the run sits with its detached server container up.
    const killedDir = project(`harden19-killed-${Date.now()}`, '{ http: { port: 8080, timeout: 600 } }');
    const child = startMultiarch(['apply'], { cwd: killedDir, timeoutMs: 600_000 });
    const pid = child.pid!;
    const containers = await until(async () => {
      const ids = await ownedBy(pid);
      return ids.length > 0 ? ids : undefined;
    }, 'the HTTP-check container of the run');
    const runDir = path.join(os.tmpdir(), `multiarch-run-${pid}`);
    expect(fs.existsSync(runDir)).toBe(true);
    child.kill('SIGKILL');
    await child;
    expect(await ownedBy(pid)).toEqual(containers);

    // A run that builds and tests nothing: its first use of the engine is enough to sweep.
    const rerun = await multiarch(['apply'], { cwd: project(`harden19-rerun-${Date.now()}`), timeoutMs: 600_000 });
    expect(rerun.exitCode, rerun.all).toBe(0);
    expect(await ownedBy(pid)).toEqual([]);
    expect(fs.existsSync(runDir)).toBe(false);
  }, 900_000);
});
