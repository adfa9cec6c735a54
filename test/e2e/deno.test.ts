/** The installed CLI also runs under Deno 2 (the `deno` npm package), loading the same TS config. */
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliPath } from './support/cli.js';
import { testEnv, testProcessEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';

describe('Deno', () => {
  it('runs `multiarch plan` on an example', async () => {
    const { root, registry } = testEnv();
    const deno = path.join(root, 'node_modules/.bin/deno');
    const r = await execa(deno, ['run', '-A', cliPath(), 'plan', '--config', 'examples/ecr-style/multiarch.config.ts', '--json'], {
      cwd: root,
      env: testProcessEnv({ NO_COLOR: '1' }),
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { refs: Array<{ ref: string }> };
    expect(plan.refs.map((x) => x.ref).sort()).toEqual([
      `${registry}/vijay-app:amd64-v1`,
      `${registry}/vijay-app:arm64-v1`,
      `${registry}/vijay-app:multi-arch-v1`,
    ]);
    const text = await execa(deno, ['run', '-A', cliPath(), 'plan', '--config', 'examples/ecr-style/multiarch.config.ts'], {
      cwd: root,
      env: testProcessEnv({ NO_COLOR: '1' }),
      reject: false,
    });
    expect(text.exitCode, text.stderr).toBe(0);
    // What is current depends on the shared registry: any incremental closing line will do.
    expect(text.stdout).toMatch(/^Plan: \d+ to build, \d+ to push, .*\d+ unchanged\.$/m);
  });

  it("loads a config that imports 'npm:multiarch' and a helper module, and points errors into the helper", async () => {
    const { root, registry } = testEnv();
    const deno = path.join(root, 'node_modules/.bin/deno');
    const config = [
      "import { defineConfig } from 'npm:multiarch';",
      "import { platforms } from './platforms.ts';",
      '',
      'export default defineConfig({',
      `  registries: { local: { url: '${registry}', insecure: true } },`,
      "  images: { web: { context: './web', platforms, tags: ['v1'], publish: [{ registry: 'local', repository: 'e2e/deno-npm' }] } },",
      '});',
      '',
    ].join('\n');
    const run = (dir: string) =>
      execa(deno, ['run', '-A', cliPath(), 'plan', '--json'], { cwd: dir, env: testProcessEnv({ NO_COLOR: '1' }), reject: false });
    // Outside the repository: nothing there resolves 'multiarch' but the CLI's own alias.
    const good = makeFixture(
      { 'multiarch.config.ts': config, 'platforms.ts': "export const platforms = ['linux/amd64', 'linux/arm64'];\n", 'web/Dockerfile': 'FROM scratch\n' },
      { parent: os.tmpdir(), prefix: 'multiarch-deno-' },
    );
    const ok = await run(good);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const plan = JSON.parse(ok.stdout) as { refs: Array<{ ref: string; kind: string }> };
    expect(plan.refs.filter((r) => r.kind === 'index').map((r) => r.ref)).toEqual([`${registry}/e2e/deno-npm:v1`]);

    const bad = makeFixture(
      { 'multiarch.config.ts': config, 'platforms.ts': "export const platforms = [\n  'linux/amd64',\n  'linux/arm65',\n];\n", 'web/Dockerfile': 'FROM scratch\n' },
      { parent: os.tmpdir(), prefix: 'multiarch-deno-' },
    );
    const failed = await execa(deno, ['run', '-A', cliPath(), 'plan'], { cwd: bad, env: testProcessEnv({ NO_COLOR: '1' }), reject: false });
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('platforms.ts:3:3 images.web.platforms[1]: "linux/arm65" is not a platform — did you mean "linux/arm64"?');
    expect(failed.stderr).toContain("    > 3 |   'linux/arm65',");
  });
});
