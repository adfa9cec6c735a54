/**
 * An `oci:` target the user places inside a build context (no .dockerignore): multiarch writes it
 * on every run, yet it is neither an input (the second plan is a no-op) nor sent to the engine (a
 * `COPY . /ctx` leaves it out), and the user's context is left untouched (no ignore file written).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { docker, removeImages } from './support/docker.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

describe('multiarch\'s own directories inside a build context', () => {
  it('an oci: layout target in the context never reaches the engine and never makes the image stale', async () => {
    const { baseImage } = testEnv();
    const stamp = Date.now();
    const dir = makeFixture({
      // RUN makes the engine build it (no direct assembly): the listing is what the engine was sent.
      'Dockerfile': `FROM ${baseImage}\nCOPY . /ctx\nRUN find /ctx | sort > /listing.txt\n`,
      'hello.txt': `ctxout ${stamp}\n`,
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { out: { url: 'oci:./out/oci' } },
  images: {
    app: {
      context: '.',
      platforms: ['linux/amd64'],
      tags: ['ctxout-${stamp}'],
      publish: [{ registry: 'out', repository: 'ctxout/app' }],
    },
  },
});
`,
    });
    const tag = `multiarch/app:ctxout-${stamp}-linux-amd64`;
    try {
      const plan = await multiarch(['plan'], { cwd: dir });
      expect(plan.exitCode, plan.all).toBe(0);
      expect(plan.all).toContain('the engine is not sent them');

      for (const round of [1, 2]) {
        const run = await multiarch(['apply', '--force'], { cwd: dir });
        expect(run.exitCode, `apply ${round}: ${run.all}`).toBe(0);
        expect(existsSync(path.join(dir, 'out/oci/index.json'))).toBe(true);
        const listing = (await docker(['run', '--rm', '--platform', 'linux/amd64', tag, 'cat', '/listing.txt'])).split('\n');
        expect(listing).toContain('/ctx/hello.txt');
        expect(listing).toContain('/ctx/Dockerfile');
        // The second build runs with the first run's layout on disk: still not sent (its parent
        // `out/`, not ours, arrives empty as docker sends it).
        expect(listing.filter((l) => l.startsWith('/ctx/out/'))).toEqual([]);
      }
      // The user's context gets no ignore file of ours.
      expect(existsSync(path.join(dir, '.dockerignore'))).toBe(false);
      expect(existsSync(path.join(dir, 'Dockerfile.dockerignore'))).toBe(false);

      const again = await multiarch(['plan', '--detailed-exitcode'], { cwd: dir });
      expect(again.exitCode, again.all).toBe(0);
    } finally {
      await removeImages(tag);
    }
  });
});
