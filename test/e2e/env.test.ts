/** The hermetic e2e environment itself: base index, emulation, auth registry. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerRunPlatform } from './support/docker.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { isIndex, listTags, parseRef, platformsOf, registryStatus, skopeoInspectRaw } from './support/registry.js';

describe('e2e environment', () => {
  it('the base image is an index of exactly linux/amd64, linux/arm64, linux/arm/v7', async () => {
    const index = await skopeoInspectRaw(testEnv().baseImage);
    expect(isIndex(index)).toBe(true);
    if (!isIndex(index)) return;
    expect(platformsOf(index).sort()).toEqual(['linux/amd64', 'linux/arm/v7', 'linux/arm64']);
  });

  it.each([
    ['linux/amd64', 'x86_64'],
    ['linux/arm64', 'aarch64'],
    ['linux/arm/v7', 'armv7l'],
  ])('runs the base image for %s (uname -m = %s)', async (platform, machine) => {
    expect((await dockerRunPlatform(testEnv().baseImage, platform, ['uname', '-m'])).trim()).toBe(machine);
  });

  it('the auth registry wants credentials and accepts the generated ones', async () => {
    const env = testEnv();
    expect(await registryStatus(env.authRegistry)).toBe(401);
    expect(await registryStatus(env.authRegistry, { creds: { user: env.authUser, password: 'wrong' } })).toBe(401);
    expect(await registryStatus(env.authRegistry, { creds: { user: env.authUser, password: env.authPassword } })).toBe(200);
  });

  it('the plain registry answers without credentials', async () => {
    expect(await registryStatus(testEnv().registry)).toBe(200);
  });

  it('lists the base repository tags over the registry API', async () => {
    const { registry, repository } = parseRef(testEnv().baseImage);
    expect(await listTags(`${registry}/${repository}`)).toContain('latest');
    expect(await listTags(`${registry}/no/such-repo`)).toEqual([]);
  });
});

describe('makeFixture', () => {
  let dir = '';
  it('writes the files, creating folders', () => {
    dir = makeFixture({ 'a.txt': 'hello', 'sub/dir/b.bin': Buffer.from([1, 2, 3]) });
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('hello');
    expect([...readFileSync(path.join(dir, 'sub/dir/b.bin'))]).toEqual([1, 2, 3]);
  });
  it('removed it after the test', () => {
    expect(dir).not.toBe('');
    expect(existsSync(dir)).toBe(process.env.MULTIARCH_E2E_KEEP_FIXTURES === '1');
  });
});
