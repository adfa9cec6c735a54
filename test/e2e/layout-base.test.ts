/**
 * A `ref()` base published only to an OCI layout, built in the same run: `base` (busybox + COPY)
 * is written to `oci:./out/base` only, `app` is assembled on it from the layout and pushed to the
 * registry for two platforms with no engine reachable. The registry's app image holds the base's
 * layers (uploaded from the layout: the registry never had the base) and its own, and runs; another
 * layout gets them copied; the next plan has nothing to do, and a change to app alone assembles it
 * again on the current base. An engine-built consumer of the same base is a plan error.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { dockerRunPlatform, removeImages } from './support/docker.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { isIndex, pinPlatform, skopeoInspectRaw, type ImageManifest } from './support/registry.js';

const NOWHERE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

function project(registry: string, baseImage: string, stamp: number, appDockerfile: string): string {
  return makeFixture({
    'base/Dockerfile': `FROM ${baseImage}\nCOPY base.txt /base.txt\n`,
    'base/base.txt': `base ${stamp}\n`,
    'app/Dockerfile': appDockerfile,
    'app/app.txt': `app ${stamp}\n`,
    'multiarch.config.ts': `import { defineConfig, ref } from 'multiarch';
export default defineConfig({
  registries: { layout: { url: 'oci:./out/base' }, apps: { url: 'oci:./out/apps' }, local: { url: '${registry}', insecure: true } },
  images: {
    base: { context: './base', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'layout', repository: 'team/base' }] },
    app: {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1'],
      args: { BASE: ref('base') },
      publish: [{ registry: 'local', repository: 'e2e/layout-base-${stamp}' }],
    },
    // The same image into another layout only: the base's layers are copied there.
    copy: { context: './app', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], args: { BASE: ref('base') }, publish: [{ registry: 'apps', repository: 'team/copy' }] },
  },
});
`,
  });
}

describe('a ref() base only in an OCI layout', () => {
  it('is read from the layout by direct assembly; the registry gets its layers and the image runs', async () => {
    const { registry, baseImage } = testEnv();
    const stamp = Date.now();
    const dir = project(registry, baseImage, stamp, 'ARG BASE\nFROM ${BASE}\nCOPY app.txt /app.txt\n');
    const apply = await multiarch(['apply'], { cwd: dir, env: NOWHERE });
    expect(apply.exitCode, apply.all).toBe(0);

    const layout = path.join(realpathSync(dir), 'out/base');
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations: Record<string, string> }> };
    const target = `${registry}/e2e/layout-base-${stamp}:v1`;
    expect(isIndex(await skopeoInspectRaw(target))).toBe(true);
    const pinned: string[] = [];
    const baseLayers: Record<string, string[]> = {};
    for (const [platform, machine] of [['linux/amd64', 'x86_64'], ['linux/arm64', 'aarch64']] as const) {
      const slug = platform.replace('/', '-');
      const baseDigest = index.manifests.find((m) => m.annotations['org.opencontainers.image.ref.name'] === `team/base:v1-${slug}`)!.digest;
      const base = JSON.parse(readFileSync(path.join(layout, 'blobs/sha256', baseDigest.slice(7)), 'utf8')) as ImageManifest;
      baseLayers[platform] = base.layers.map((l) => l.digest);
      const ref = await pinPlatform(target, platform);
      pinned.push(ref);
      const app = (await skopeoInspectRaw(ref)) as ImageManifest;
      // The base's layers (busybox's and its COPY), then app's own COPY.
      expect(app.layers.slice(0, -1).map((l) => l.digest)).toEqual(base.layers.map((l) => l.digest));
      expect(app.layers).toHaveLength(base.layers.length + 1);
      expect((await dockerRunPlatform(ref, platform, ['uname', '-m'])).trim()).toBe(machine);
      expect((await dockerRunPlatform(ref, platform, ['cat', '/base.txt', '/app.txt'])).trim()).toBe(`base ${stamp}\napp ${stamp}`);
    }

    // The base's digest, read back from the layout, is app's input: nothing to do the next time.
    const again = await multiarch(['plan', '--json'], { cwd: dir, env: NOWHERE });
    expect(again.exitCode, again.all).toBe(0);
    const platforms = (JSON.parse(again.stdout) as { changes: { platforms: Array<{ node: string; action: string }> } }).changes.platforms;
    expect(platforms.map((p) => [p.node, p.action]).sort()).toEqual(
      ['app', 'base', 'copy'].flatMap((image) => ['linux/amd64', 'linux/arm64'].map((p) => [`build:${image}@${p}`, 'up-to-date'])),
    );

    // The other layout holds every blob its images name, the base's included.
    const apps = path.join(realpathSync(dir), 'out/apps');
    const blob = (digest: string) => readFileSync(path.join(apps, 'blobs/sha256', digest.slice(7)));
    const named = (JSON.parse(readFileSync(path.join(apps, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations: Record<string, string> }> }).manifests;
    const copyArm = JSON.parse(blob(named.find((m) => m.annotations['org.opencontainers.image.ref.name'] === 'team/copy:v1-linux-arm64')!.digest).toString('utf8')) as ImageManifest;
    expect(copyArm.layers.slice(0, -1).map((l) => l.digest)).toEqual(baseLayers['linux/arm64']);
    for (const layer of copyArm.layers) expect(blob(layer.digest).length).toBe(layer.size);

    // Only app changes: it is assembled again on the current base, read from the layout by digest.
    writeFileSync(path.join(dir, 'app/app.txt'), `app changed ${stamp}\n`);
    const changed = await multiarch(['apply'], { cwd: dir, env: NOWHERE });
    expect(changed.exitCode, changed.all).toBe(0);
    const arm = await pinPlatform(target, 'linux/arm64');
    pinned.push(arm);
    expect((await dockerRunPlatform(arm, 'linux/arm64', ['cat', '/base.txt', '/app.txt'])).trim()).toBe(`base ${stamp}\napp changed ${stamp}`);
    await removeImages(...pinned);
  });

  it('is a plan error for a consumer that needs the engine, naming the image, the arg, the line and the fix', async () => {
    const { registry, baseImage } = testEnv();
    const dir = project(registry, baseImage, Date.now(), 'ARG BASE\nFROM ${BASE}\nRUN echo hi\n');
    const run = await multiarch(['plan'], { cwd: dir, env: NOWHERE });
    expect(run.exitCode).toBe(1);
    expect(run.all).toContain('images.app.args.BASE is ref("base"), which is published only to the OCI layout');
    expect(run.all).toMatch(/Dockerfile:3: RUN runs a command\), and an engine cannot read an OCI layout: publish base to a registry too, or make app buildable without an engine/);
  });
});
