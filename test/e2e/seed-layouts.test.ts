/**
 * The two publishing layouts of the seed produce exactly the seed's refs: Docker Hub style (one
 * repository per arch + the index elsewhere) and ECR style (one repository, arch-prefixed tags).
 */
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { testEnv } from './support/env.js';
import { isIndex, listTags, platformsOf, skopeoInspectRaw } from './support/registry.js';

describe('seed layouts', () => {
  it('Docker Hub style writes vijay2181/web-amd64:v1, vijay2181/web-arm64:v1 and vijay2181/multi-arch:v1', async () => {
    const { registry } = testEnv();
    const plan = await multiarch(['plan', '--config', 'examples/dockerhub-style/multiarch.config.ts', '--json']);
    expect(plan.exitCode, plan.all).toBe(0);
    const refs = (JSON.parse(plan.stdout) as { refs: Array<{ ref: string }> }).refs.map((r) => r.ref).sort();
    expect(refs).toEqual([`${registry}/vijay2181/multi-arch:v1`, `${registry}/vijay2181/web-amd64:v1`, `${registry}/vijay2181/web-arm64:v1`]);

    const run = await multiarch(['apply', '--config', 'examples/dockerhub-style/multiarch.config.ts']);
    expect(run.exitCode, run.all).toBe(0);
    expect(await listTags(`${registry}/vijay2181/web-amd64`)).toEqual(['v1']);
    expect(await listTags(`${registry}/vijay2181/web-arm64`)).toEqual(['v1']);
    expect(await listTags(`${registry}/vijay2181/multi-arch`)).toEqual(['v1']);
    const index = await skopeoInspectRaw(`${registry}/vijay2181/multi-arch:v1`);
    expect(isIndex(index) && platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
    // The index lists exactly the per-arch images, which its own repository holds by digest.
    if (!isIndex(index)) return;
    const amd = await skopeoInspectRaw(`${registry}/vijay2181/web-amd64:v1`);
    const arm = await skopeoInspectRaw(`${registry}/vijay2181/web-arm64:v1`);
    expect(amd).toEqual(await skopeoInspectRaw(`${registry}/vijay2181/multi-arch@${index.manifests[0]!.digest}`));
    expect(arm).toEqual(await skopeoInspectRaw(`${registry}/vijay2181/multi-arch@${index.manifests[1]!.digest}`));
    expect(amd).not.toEqual(arm);
  });

  it('ECR style writes vijay-app:amd64-v1, vijay-app:arm64-v1 and vijay-app:multi-arch-v1', async () => {
    const { registry } = testEnv();
    const run = await multiarch(['apply', '--config', 'examples/ecr-style/multiarch.config.ts']);
    expect(run.exitCode, run.all).toBe(0);
    expect((await listTags(`${registry}/vijay-app`)).sort()).toEqual(['amd64-v1', 'arm64-v1', 'multi-arch-v1']);
    const index = await skopeoInspectRaw(`${registry}/vijay-app:multi-arch-v1`);
    expect(isIndex(index) && platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
  });
});
