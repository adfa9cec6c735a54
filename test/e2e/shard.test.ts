/**
 * Sharded CI on the real engine and registry: one `apply --platform P --shard-out DIR` per
 * platform (as a CI matrix job would run on its own runner) stores every image of that platform —
 * a base and an image built on it with `ref()` — in an OCI layout and writes nothing to the
 * registry; `apply --merge` then pushes and writes the indexes, which every platform pulls and
 * runs from. A merge that misses a platform, or whose shards come from different inputs, or that
 * is given an unfinished shard, writes nothing at all; nor does a shard inside a build context.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { imageFixture } from './support/config-fixture.js';
import { docker, dockerRunPlatform, removeImages } from './support/docker.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';
import { isIndex, listTags, platformsOf, skopeoInspectRaw } from './support/registry.js';

const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;

function project(name: string, registry = testEnv().registry): { dir: string; base: string; web: string; baseRepo: string; webRepo: string } {
  const { baseImage } = testEnv();
  const base = `base-${name}-${stamp}`;
  const web = `web-${name}-${stamp}`;
  const baseRepo = `e2e/shard-${name}-base-${stamp}`;
  const webRepo = `e2e/shard-${name}-web-${stamp}`;
  const dir = makeFixture({
    'base/Dockerfile': `FROM ${baseImage}\nCOPY motd /etc/motd\n`,
    'base/motd': 'from the base\n',
    'web/Dockerfile': 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY page.txt /srv/page.txt\n',
    'web/page.txt': 'version 1\n',
    'multiarch.config.ts': `import { defineConfig, ref } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  images: {
    '${base}': {
      context: './base', platforms: ${JSON.stringify(PLATFORMS)}, tags: ['v1'],
      test: { command: ['uname', '-m'], expectOutput: '{uname}' },
      publish: [{ registry: 'local', repository: '${baseRepo}' }],
    },
    '${web}': {
      context: './web', platforms: ${JSON.stringify(PLATFORMS)}, tags: ['v1'],
      args: { BASE_IMAGE: ref('${base}') },
      test: { command: ['cat', '/etc/motd', '/srv/page.txt'] },
      publish: [{ registry: 'local', repository: '${webRepo}' }],
    },
  },
});
`,
  });
  return { dir, base, web, baseRepo, webRepo };
}

const slug = (p: string) => p.replaceAll('/', '-');

async function shard(dir: string, platform: string, prefix = 'shard'): Promise<string> {
  return (await shardRun(dir, platform, prefix)).out;
}

/** A shard run, and which of its builds ran on the engine. */
async function shardRun(dir: string, platform: string, prefix: string): Promise<{ out: string; built: string[]; all: string }> {
  const out = `${prefix}-${slug(platform)}`;
  const run = await multiarch(['apply', '--json', '--platform', platform, '--shard-out', out], { cwd: dir });
  expect(run.exitCode, run.all).toBe(0);
  // Built: sent to the engine (which may find every step in its cache), not found current.
  const built = parseEvents(run.stdout)
    .filter((e) => e.type === 'node:end' && (e.id as string).startsWith('build:') && (e.result as { imageId?: string } | undefined)?.imageId)
    .map((e) => e.id as string);
  return { out, built, all: run.all };
}

type ShardRecordJson = { images: Record<string, Array<{ platform: string; tag?: string; digest: string; published?: { ref: string } }>> };
const readRecord = (dir: string, out: string) => JSON.parse(readFileSync(path.join(dir, out, 'multiarch-shard.json'), 'utf8')) as ShardRecordJson;

describe('sharded CI: --shard-out per platform, then --merge', () => {
  afterAll(async () => {
    // Every image the shard runs tagged on the engine (their names carry this file's stamp).
    const mine = (await docker(['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `reference=multiarch/*${stamp}*`])).split('\n').filter(Boolean);
    if (mine.length > 0) await removeImages(...mine).catch(() => undefined);
  });

  it('shards write only their layouts; the merge pushes every platform and writes indexes each platform runs from', async () => {
    const { registry } = testEnv();
    const p = project('ok');
    const shards: string[] = [];
    for (const platform of PLATFORMS) {
      const out = await shard(p.dir, platform);
      shards.push(out);
      // Nothing reaches the registry from a shard.
      expect(await listTags(`${registry}/${p.baseRepo}`)).toEqual([]);
      expect(await listTags(`${registry}/${p.webRepo}`)).toEqual([]);
      const record = JSON.parse(readFileSync(path.join(p.dir, out, 'multiarch-shard.json'), 'utf8')) as { platforms: string[]; images: Record<string, Array<{ platform: string; tag: string }>> };
      expect(record.platforms).toEqual([platform]);
      expect(Object.keys(record.images).sort()).toEqual([p.base, p.web].sort());
      expect(record.images[p.web]!.map((e) => [e.platform, e.tag])).toEqual([[platform, slug(platform)]]);
    }

    const merge = await multiarch(['apply', '--json', '--merge', ...shards], { cwd: p.dir });
    expect(merge.exitCode, merge.all).toBe(0);
    const ended = parseEvents(merge.stdout).filter((e) => e.type === 'node:end').map((e) => e.id as string);
    // A merge builds, tests and scans nothing: it publishes what the shards checked.
    expect(ended.filter((id) => !id.startsWith('push:') && !id.startsWith('index:'))).toEqual([]);

    for (const repo of [p.baseRepo, p.webRepo]) {
      expect(await listTags(`${registry}/${repo}`)).toEqual(['v1', 'v1-linux-amd64', 'v1-linux-arm64']);
      const index = await skopeoInspectRaw(`${registry}/${repo}:v1`);
      expect(isIndex(index) && platformsOf(index)).toEqual([...PLATFORMS]);
    }
    for (const [platform, machine] of [['linux/amd64', 'x86_64'], ['linux/arm64', 'aarch64']] as const) {
      expect((await dockerRunPlatform(`${registry}/${p.webRepo}:v1`, platform, ['uname', '-m'])).trim()).toBe(machine);
      // The web image of each platform is built on that platform's base from the same shard.
      expect((await dockerRunPlatform(`${registry}/${p.webRepo}:v1`, platform, ['cat', '/etc/motd', '/srv/page.txt'])).trim()).toBe('from the base\nversion 1');
    }

    // The registry now says what a normal apply would have left: the next plan has nothing to do.
    const plan = await multiarch(['plan', '--detailed-exitcode'], { cwd: p.dir });
    expect(plan.exitCode, plan.all).toBe(0);

    // Merging again writes nothing new.
    const again = await multiarch(['apply', '--json', '--merge', ...shards], { cwd: p.dir });
    expect(again.exitCode, again.all).toBe(0);
    const statuses = parseEvents(again.stdout).filter((e) => e.type === 'node:end').map((e) => e.status);
    expect(new Set(statuses)).toEqual(new Set(['cached']));
  });

  it('a merge with a platform missing, shards of different inputs, or an unfinished shard writes nothing', async () => {
    const { registry } = testEnv();
    const p = project('bad');
    // A shard inside a build context would be sent to every build (and could be COPYed in).
    const inside = await multiarch(['apply', '--platform', 'linux/amd64', '--shard-out', 'web/shard'], { cwd: p.dir });
    expect(inside.exitCode, inside.all).toBe(1);
    expect(inside.stderr).toContain(`--shard-out web/shard is inside the build context of ${p.web}: every build would be sent the shard`);
    expect(inside.stderr).toContain('or exclude it in web/.dockerignore');
    expect(existsSync(path.join(p.dir, 'web/shard'))).toBe(false);

    const amd64 = await shard(p.dir, 'linux/amd64');

    const missing = await multiarch(['apply', '--merge', amd64], { cwd: p.dir });
    expect(missing.exitCode, missing.all).toBe(1);
    expect(missing.stderr).toContain('the shards do not add up to multiarch.config.ts: nothing was pushed');
    expect(missing.stderr).toContain(`${p.web}: no shard holds linux/arm64 — the shards given are shard-linux-amd64 (linux/amd64)`);

    // The arm64 shard is made after a change to the web image's context.
    writeFileSync(path.join(p.dir, 'web/page.txt'), 'version 2\n');
    const arm64 = await shard(p.dir, 'linux/arm64');
    const mismatched = await multiarch(['apply', '--merge', amd64, arm64], { cwd: p.dir });
    expect(mismatched.exitCode, mismatched.all).toBe(1);
    expect(mismatched.stderr).toContain(`${p.web} linux/arm64 (shard-linux-arm64) was built from other context than linux/amd64 (shard-linux-amd64)`);
    // The base is the same in both: only the image whose inputs differ is named.
    expect(mismatched.stderr).not.toContain(`${p.base} linux/arm64 (shard-linux-arm64) was built`);

    // A shard whose run did not finish has no record.
    const unfinished = makeFixture({ 'oci-layout': '{"imageLayoutVersion":"1.0.0"}' });
    const refused = await multiarch(['apply', '--merge', arm64, unfinished], { cwd: p.dir });
    expect(refused.exitCode, refused.all).toBe(1);
    expect(refused.stderr).toContain(`${unfinished} is not a finished shard: it has no multiarch-shard.json`);

    const absent = await multiarch(['apply', '--merge', arm64, 'no-such-shard'], { cwd: p.dir });
    expect(absent.exitCode, absent.all).toBe(1);
    expect(absent.stderr).toContain('no-such-shard does not exist');

    for (const repo of [p.baseRepo, p.webRepo]) expect(await listTags(`${registry}/${repo}`)).toEqual([]);
    expect(existsSync(path.join(p.dir, arm64, 'multiarch-shard.json'))).toBe(true);
  });

  it('a shard needs no credentials for the registries it will publish to; the merge does', async () => {
    const { authRegistry, authUser, authPassword, baseImage } = testEnv();
    const repo = `e2e/shard-auth-${stamp}`;
    const dir = imageFixture({
      registry: authRegistry,
      repository: repo,
      platforms: ['linux/amd64'],
      context: { Dockerfile: `FROM ${baseImage}\nRUN echo sharded > /note\n` },
    });
    const anonymous = mkdtempSync(path.join(os.tmpdir(), 'multiarch-nologin-'));
    const shardRun = await multiarch(['apply', '--platform', 'linux/amd64', '--shard-out', 'shard'], { cwd: dir, env: { DOCKER_CONFIG: anonymous } });
    expect(shardRun.exitCode, shardRun.all).toBe(0);

    const refused = await multiarch(['apply', '--merge', 'shard'], { cwd: dir, env: { DOCKER_CONFIG: anonymous } });
    expect(refused.exitCode, refused.all).toBe(1);
    expect(refused.stdout).toContain(`${authRegistry} requires a login and none is stored for it`);

    const loggedIn = mkdtempSync(path.join(os.tmpdir(), 'multiarch-login-'));
    await docker(['--config', loggedIn, 'login', authRegistry, '--username', authUser, '--password-stdin'], { input: authPassword });
    const merged = await multiarch(['apply', '--merge', 'shard'], { cwd: dir, env: { DOCKER_CONFIG: loggedIn } });
    expect(merged.exitCode, merged.all).toBe(0);
    expect(await listTags(`${authRegistry}/${repo}`, { creds: { user: authUser, password: authPassword } })).toEqual(['v1', 'v1-linux-amd64']);

    // A fork's pull request: the image is published now, but this runner cannot read it, so it
    // builds as before and says why.
    const blind = await multiarch(['apply', '--platform', 'linux/amd64', '--shard-out', 'shard-fork'], { cwd: dir, env: { DOCKER_CONFIG: anonymous } });
    expect(blind.exitCode, blind.all).toBe(0);
    expect(blind.stderr).toContain(`note: cannot read what the publish targets hold (${authRegistry} requires a login and none is stored for it`);
    expect(blind.stderr).toContain('so every platform image is built, as if forced');
    expect(Object.values(readRecord(dir, 'shard-fork').images).flat().map((e) => [e.platform, e.published])).toEqual([['linux/amd64', undefined]]);
  });

  it('shards of an unchanged checkout build nothing and the merge writes nothing; a change rebuilds only its image', async () => {
    const { registry } = testEnv();
    const proxy: FaultProxy = await startFaultProxy({ upstream: registry });
    try {
      const p = project('incr', proxy.host);
      const first = [];
      for (const platform of PLATFORMS) first.push(await shard(p.dir, platform));
      const merge = await multiarch(['apply', '--merge', ...first], { cwd: p.dir });
      expect(merge.exitCode, merge.all).toBe(0);
      const indexBefore = await skopeoInspectRaw(`${registry}/${p.baseRepo}:v1`);

      // Nothing changed: every shard reads the registry (through the proxy) and builds nothing.
      const again: string[] = [];
      for (const platform of PLATFORMS) {
        const run = await shardRun(p.dir, platform, 'again');
        expect(run.built).toEqual([]);
        again.push(run.out);
        const record = readRecord(p.dir, run.out);
        for (const image of [p.base, p.web]) {
          const [entry] = record.images[image]!;
          // Named by its published digest, with no copy in the layout.
          expect(entry!.tag).toBeUndefined();
          expect(entry!.published?.ref).toBe(`${proxy.host}/${image === p.base ? p.baseRepo : p.webRepo}:v1-${slug(platform)}`);
        }
      }
      proxy.log.length = 0;
      const noop = await multiarch(['apply', '--json', '--merge', ...again], { cwd: p.dir });
      expect(noop.exitCode, noop.all).toBe(0);
      expect(new Set(parseEvents(noop.stdout).filter((e) => e.type === 'node:end').map((e) => e.status))).toEqual(new Set(['cached']));
      // Proven at the registry's door: reads only, not one write.
      expect(proxy.log.length).toBeGreaterThan(0);
      expect(proxy.log.filter((x) => x.method !== 'GET' && x.method !== 'HEAD').map((x) => `${x.method} ${x.path}`)).toEqual([]);

      // One image's file changes: only it is built, on each runner; the base's index stays.
      writeFileSync(path.join(p.dir, 'web/page.txt'), 'version 2\n');
      const changed: string[] = [];
      for (const platform of PLATFORMS) {
        const run = await shardRun(p.dir, platform, 'changed');
        expect(run.built, run.all).toEqual([`build:${p.web}@${platform}`]);
        changed.push(run.out);
      }
      proxy.log.length = 0;
      const published = await multiarch(['apply', '--merge', ...changed], { cwd: p.dir });
      expect(published.exitCode, published.all).toBe(0);
      const writes = proxy.log.filter((x) => x.method !== 'GET' && x.method !== 'HEAD').map((x) => x.path);
      expect(writes.some((w) => w.includes(p.webRepo))).toBe(true);
      expect(writes.filter((w) => w.includes(p.baseRepo))).toEqual([]);
      expect(await skopeoInspectRaw(`${registry}/${p.baseRepo}:v1`)).toEqual(indexBefore);
      expect((await dockerRunPlatform(`${registry}/${p.webRepo}:v1`, 'linux/arm64', ['cat', '/etc/motd', '/srv/page.txt'])).trim()).toBe('from the base\nversion 2');
    } finally {
      await proxy.close();
    }
  });
});
