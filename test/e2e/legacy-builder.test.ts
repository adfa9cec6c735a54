/**
 * Capability detection: with only the legacy builder (MULTIARCH_BUILDER=legacy), cross-platform
 * builds still produce the right image per platform (it gets --pull and TARGET* args), and the
 * case it cannot do (FROM scratch for a foreign platform) fails clearly instead of shipping the
 * wrong architecture.
 */
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { dockerRunPlatform } from './support/docker.js';
import { testEnv } from './support/env.js';
import { imageFixture } from './support/config-fixture.js';
import { isIndex, platformsOf, skopeoInspectRaw } from './support/registry.js';

function config(repo: string, dockerfile: string): string {
  return imageFixture({
    registry: testEnv().registry,
    repository: repo,
    context: { Dockerfile: dockerfile, 'hello.txt': 'hello\n' },
    image: { test: { command: ['uname', '-m'], expectOutput: '{uname}' } },
  });
}

describe('legacy builder', () => {
  it('builds each platform correctly from a multi-arch base', async () => {
    const { registry, baseImage } = testEnv();
    const repo = `e2e/legacy-${Date.now()}`;
    const dir = config(repo, `FROM ${baseImage}\nARG TARGETARCH\nRUN echo "$TARGETARCH" > /target && uname -m > /built-on\n`);
    const plan = await multiarch(['plan'], { cwd: dir, env: { MULTIARCH_BUILDER: 'legacy' } });
    expect(plan.stdout).toContain('legacy builder');
    const run = await multiarch(['apply'], { cwd: dir, env: { MULTIARCH_BUILDER: 'legacy' } });
    expect(run.exitCode, run.all).toBe(0);
    const index = await skopeoInspectRaw(`${registry}/${repo}:v1`);
    expect(isIndex(index) && platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
    expect((await dockerRunPlatform(`${registry}/${repo}:v1`, 'linux/arm64', ['cat', '/target', '/built-on'])).split('\n')).toEqual(['arm64', 'aarch64']);
    expect((await dockerRunPlatform(`${registry}/${repo}:v1`, 'linux/amd64', ['cat', '/target', '/built-on'])).split('\n')).toEqual(['amd64', 'x86_64']);
  });

  it('refuses FROM scratch for a foreign platform with a hint, and writes no index', async () => {
    const { registry } = testEnv();
    const repo = `e2e/legacy-scratch-${Date.now()}`;
    const dir = config(repo, 'FROM scratch\nCOPY hello.txt /\n');
    const run = await multiarch(['apply'], { cwd: dir, env: { MULTIARCH_BUILDER: 'legacy' } });
    expect(run.exitCode).toBe(1);
    expect(run.all).toMatch(/legacy builder cannot build FROM scratch|does not match the specified platform/);
    await expect(skopeoInspectRaw(`${registry}/${repo}:v1`)).rejects.toThrow();
  });
});
