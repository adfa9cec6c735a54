/**
 * The seed's whole job on a real engine and registry: the web server for amd64, arm64 and
 * arm/v7 (two of them under QEMU), each tested, pushed, and published as one tag that every
 * platform pulls its own image from — and that then serves its page on that platform.
 */
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { docker, dockerRunPlatform, removeImages } from './support/docker.js';
import { testEnv } from './support/env.js';
import { isIndex, listTags, pinPlatform, platformsOf, skopeoInspectRaw } from './support/registry.js';

const CONFIG = 'examples/web-server/multiarch.config.ts';
const UNAME = { 'linux/amd64': 'x86_64', 'linux/arm64': 'aarch64', 'linux/arm/v7': 'armv7l' } as const;

describe('examples/web-server: three platforms, one tag', () => {
  it('applies, and each platform pulls its own image that prints its uname and serves the page', async () => {
    const { registry } = testEnv();
    // --force: the registry may hold this example from an earlier run, and the checks must run now.
    const run = await multiarch(['apply', '--config', CONFIG, '--force']);
    expect(run.exitCode, run.all).toBe(0);
    for (const machine of Object.values(UNAME)) expect(run.stdout).toContain(machine);

    const tag = `${registry}/examples/web-server:v1`;
    const index = await skopeoInspectRaw(tag);
    expect(isIndex(index)).toBe(true);
    if (!isIndex(index)) return;
    expect(platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    // One manifest per platform: no attestation (unknown/unknown) entries.
    expect(index.manifests).toHaveLength(3);
    expect(await listTags(`${registry}/examples/web-server`)).toEqual(expect.arrayContaining(['v1', 'v1-linux-amd64', 'v1-linux-arm64', 'v1-linux-arm-v7']));

    for (const [platform, machine] of Object.entries(UNAME)) {
      expect((await dockerRunPlatform(tag, platform, ['uname', '-m'])).trim()).toBe(machine);
      expect((await dockerRunPlatform(tag, platform, ['cat', '/www/built-on.txt'])).trim()).toBe(machine);
    }

    // Serve the page from the arm64 image, as the seed checks in a browser.
    const pinned = await pinPlatform(tag, 'linux/arm64');
    const id = await docker(['run', '-d', '--platform', 'linux/arm64', '-p', '127.0.0.1::80', pinned]);
    try {
      const port = (await docker(['port', id.trim(), '80/tcp'])).split('\n')[0]!.split(':').pop();
      const get = async (path: string) => {
        for (let i = 0; i < 60; i++) {
          try {
            const res = await fetch(`http://127.0.0.1:${port}${path}`);
            if (res.ok) return await res.text();
          } catch {
            // not up yet
          }
          await new Promise((r) => setTimeout(r, 500));
        }
        throw new Error(`GET ${path} never answered`);
      };
      expect(await get('/')).toContain('Hello from a multi-arch image');
      expect((await get('/cgi-bin/arch')).trim()).toBe('aarch64');
    } finally {
      await docker(['rm', '-f', id.trim()]);
      await removeImages(pinned);
    }
  });
});
