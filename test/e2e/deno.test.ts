/** The installed CLI also runs under Deno 2 (the `deno` npm package), loading the same TS config. */
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliPath } from './support/cli.js';
import { testEnv, testProcessEnv } from './support/env.js';

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
});
