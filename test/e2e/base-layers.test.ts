/**
 * An engine-built image publishes the layers it shares with its base as the base's own blobs, as
 * `docker push` does: mounted from the base's repository within its registry, copied from it into
 * another registry — none gzip'd again here. The engine pulls what was published, checking every
 * layer against the image's diff ids.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { dockerRunPlatform, removeImages } from './support/docker.js';
import { testEnv } from './support/env.js';
import { startFaultProxy, uploadsByDigest, type FaultProxy } from './support/fault-proxy.js';
import { imageFixture } from './support/config-fixture.js';
import { pinPlatform, skopeoInspectRaw, type ImageManifest } from './support/registry.js';

const proxies: FaultProxy[] = [];
const pulled: string[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()));
  await removeImages(...pulled);
});

const dockerfile = (base: string, note: string) => `FROM ${base}\nRUN echo ${note} > /note.txt\n`;

async function baseLayers(): Promise<string[]> {
  const { baseImage } = testEnv();
  const manifest = (await skopeoInspectRaw(await pinPlatform(baseImage, 'linux/amd64'))) as ImageManifest;
  return manifest.layers.map((l) => l.digest);
}

async function publishedLayers(ref: string): Promise<string[]> {
  const manifest = (await skopeoInspectRaw(await pinPlatform(ref, 'linux/amd64'))) as ImageManifest;
  return manifest.layers.map((l) => l.digest);
}

describe("an engine-built image and its base's layers", () => {
  it("mounts the base's blobs within its registry, and the image pulls and runs", async () => {
    const { registry, baseImage } = testEnv();
    const repository = `e2e/base-layers-${Date.now()}`;
    const note = `mounted-${Date.now()}`;
    const dir = imageFixture({ registry, repository, platforms: ['linux/amd64'], context: { Dockerfile: dockerfile(baseImage, note) } });
    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode, run.all).toBe(0);
    const base = await baseLayers();
    const layers = await publishedLayers(`${registry}/${repository}:v1`);
    expect(layers.slice(0, base.length)).toEqual(base);
    expect(layers.length).toBe(base.length + 1);
    const push = parseEvents(run.stdout).find((e) => e.type === 'node:end' && String(e.id).startsWith('push:')) as unknown as { result: { summary: string } };
    expect(push.result.summary).toContain(`${base.length} mounted`);
    const ref = `${registry}/${repository}:v1`;
    pulled.push(await pinPlatform(ref, 'linux/amd64'));
    expect((await dockerRunPlatform(ref, 'linux/amd64', ['cat', '/note.txt'])).trim()).toBe(note);
  });

  it("copies the base's blobs, byte for byte, into a registry that does not hold them", async () => {
    const { registry, baseImage } = testEnv();
    // Another host as far as multiarch can tell: the base's registry is not the target's.
    const proxy = await startFaultProxy({ upstream: registry });
    proxies.push(proxy);
    const repository = `e2e/base-layers-copy-${Date.now()}`;
    const dir = imageFixture({ registry: proxy.host, repository, platforms: ['linux/amd64'], context: { Dockerfile: dockerfile(baseImage, `copied-${Date.now()}`) } });
    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode, run.all).toBe(0);
    const base = await baseLayers();
    const layers = await publishedLayers(`${registry}/${repository}:v1`);
    expect(layers.slice(0, base.length)).toEqual(base);
    const uploads = uploadsByDigest(proxy.log);
    for (const digest of base) expect(uploads.get(digest), digest).toBe(1);
    const ref = `${registry}/${repository}:v1`;
    pulled.push(await pinPlatform(ref, 'linux/amd64'));
    expect((await dockerRunPlatform(ref, 'linux/amd64', ['cat', '/note.txt'])).trim()).toMatch(/^copied-/);
  });
});
