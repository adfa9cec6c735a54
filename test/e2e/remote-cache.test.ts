/**
 * Remote layer cache (issue 15) on a fresh engine: a private second dockerd whose images and build
 * cache are pruned between runs, like a new CI runner. A slow RUN writes a random value, then a file
 * is COPY'd. After a change to the file, prune, apply: every platform's published image holds the
 * new file and the RUN's value from the first build, and the RUN did not execute (its output is not
 * in the log) — the cache came from the image multiarch published before, with no configuration.
 * The pushed images carry their inline cache, no unknown/unknown entry, no extra tags. Also
 * `cache: false` rebuilds, and a cache source answering 401 is reported while the build succeeds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { dockerRunPlatform } from './support/docker.js';
import { dockerAt, secondEngine } from './support/engine2.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { isIndex, listTags, platformsOf, skopeoInspectRaw } from './support/registry.js';

const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const;
const SLOW = 'cache15-slow-step-ran';

function project(repo: string, engine: string, cache = '', tags = "['v1']"): string {
  const { registry, authRegistry, baseImage } = testEnv();
  return makeFixture({
    'app/Dockerfile': `FROM ${baseImage}\nRUN echo ${SLOW} && sleep 2 && head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \\n' > /rand\nCOPY file.txt /file.txt\n`,
    'app/file.txt': 'one\n',
    'multiarch.config.ts': `import { defineConfig, gitTags } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true }, auth: { url: '${authRegistry}', insecure: true } },
  builders: { default: { docker: { host: '${engine}' } } },
  images: {
    app: {
      context: './app',
      platforms: ${JSON.stringify(PLATFORMS)},
      tags: ${tags},
      publish: [{ registry: 'local', repository: '${repo}' }],${cache}
    },
  },
});
`,
  });
}

/** A new, empty multiarch cache directory (state, hash cache): what a fresh CI runner has. */
function emptyCacheDir(dirs: string[]): Record<string, string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cache15-state-'));
  dirs.push(dir);
  return { MULTIARCH_CACHE_DIR: dir };
}

const gitIn = (dir: string) => (...args: string[]) =>
  execa('git', args, { cwd: dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });

/** A fresh runner: no images, no build cache on the engine, no local multiarch state. */
async function freshRunner(engine: string, dir: string): Promise<void> {
  const ids = (await dockerAt(engine, ['image', 'ls', '-aq'])).split('\n').filter(Boolean);
  if (ids.length) await dockerAt(engine, ['image', 'rm', '--force', ...new Set(ids)]);
  await dockerAt(engine, ['builder', 'prune', '--all', '--force']);
  rmSync(path.join(dir, '.multiarch'), { recursive: true, force: true });
}

type Events = ReturnType<typeof parseEvents>;
const buildLog = (events: Events) => events.filter((e) => e.type === 'node:output' && String(e.id).startsWith('build:')).map((e) => String(e.line));
const buildResults = (events: Events) =>
  Object.fromEntries(events.filter((e) => e.type === 'node:end' && String(e.id).startsWith('build:')).map((e) => [e.id as string, e.result as Record<string, unknown>]));

async function readBack(ref: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of PLATFORMS) out[p] = (await dockerRunPlatform(ref, p, ['sh', '-c', 'cat /rand; echo; cat /file.txt'])).trim();
  return out;
}

describe('remote layer cache on a fresh engine', () => {
  let engine = '';
  const dirs: string[] = [];
  beforeAll(async () => {
    engine = await secondEngine();
  }, 180_000);
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a changed COPY after a prune reuses the published RUN layer for every platform, with no configuration', async () => {
    const { registry } = testEnv();
    const repo = `e2e/cache15-auto-${stamp}`;
    const dir = project(repo, engine);
    dirs.push(dir);
    await freshRunner(engine, dir);
    const first = await multiarch(['apply', '--json'], { cwd: dir });
    expect(first.exitCode, first.all).toBe(0);
    const before = await readBack(`${registry}/${repo}:v1`);
    const firstIndex = await skopeoInspectRaw(`${registry}/${repo}:v1`);
    if (!isIndex(firstIndex)) throw new Error('v1 is not an index');

    writeFileSync(path.join(dir, 'app/file.txt'), 'two\n');
    await freshRunner(engine, dir);
    const plan = await multiarch(['plan', '--json'], { cwd: dir });
    expect(plan.exitCode, plan.all).toBe(0);
    const planned = JSON.parse(plan.stdout) as { images: Array<{ nodes: Array<{ id: string; kind: string; platform: string; cache: { from: Array<{ ref: string; automatic?: boolean }> } }> }> };
    const builds = planned.images.flatMap((i) => i.nodes).filter((n) => n.kind === 'build');
    for (const b of builds) {
      const child = firstIndex.manifests.find((m) => `${m.platform?.os}/${m.platform?.architecture}` === b.platform)!;
      expect(b.cache.from[0]).toEqual({ type: 'registry', ref: `${registry}/${repo}@${child.digest}`, automatic: true });
    }
    const text = await multiarch(['plan'], { cwd: dir });
    expect(text.stdout).toMatch(new RegExp(`cache: from\\s+${registry.replaceAll('.', '\\.')}/${repo}@sha256:[0-9a-f]{12}`));

    const second = await multiarch(['apply', '--json'], { cwd: dir });
    expect(second.exitCode, second.all).toBe(0);
    const events = parseEvents(second.stdout);
    // The slow RUN did not execute: the only line naming it is the step's header, never its output.
    expect(buildLog(events).filter((l) => l.includes(SLOW) && !l.includes('RUN echo'))).toEqual([]);
    for (const result of Object.values(buildResults(events))) expect(result.cacheSteps).toEqual({ total: 2, cached: 1 });
    const after = await readBack(`${registry}/${repo}:v1`);
    for (const p of PLATFORMS) {
      expect(after[p]).toBe(`${before[p]!.split('\n')[0]}\ntwo`);
    }
    // What is pushed still carries its inline cache; no unknown/unknown; no extra tags.
    const index = await skopeoInspectRaw(`${registry}/${repo}:v1`);
    expect(isIndex(index) && platformsOf(index)).toEqual([...PLATFORMS]);
    expect(await listTags(`${registry}/${repo}`)).toEqual(['v1', 'v1-linux-amd64', 'v1-linux-arm64']);
    const manifest = (await skopeoInspectRaw(`${registry}/${repo}:v1-linux-arm64`)) as unknown as { config: { digest: string } };
    const blob = (await (await fetch(`http://${registry}/v2/${repo}/blobs/${manifest.config.digest}`)).json()) as Record<string, unknown>;
    expect(typeof blob['moby.buildkit.cache.v0']).toBe('string');

    // An identical build on a fresh runner (forced) gives the very same platform images.
    await freshRunner(engine, dir);
    const again = await multiarch(['apply', '--force', '--json'], { cwd: dir });
    expect(again.exitCode, again.all).toBe(0);
    const same = await skopeoInspectRaw(`${registry}/${repo}:v1`);
    expect(isIndex(same) && same.manifests.map((m) => m.digest)).toEqual(isIndex(index) && index.manifests.map((m) => m.digest));
  }, 600_000);

  it('cache: false rebuilds the RUN; a cache source answering 401 is reported and the build succeeds', async () => {
    const { authRegistry } = testEnv();
    const repo = `e2e/cache15-off-${stamp}`;
    const dir = project(repo, engine);
    dirs.push(dir);
    await freshRunner(engine, dir);
    const first = await multiarch(['apply', '--json'], { cwd: dir });
    expect(first.exitCode, first.all).toBe(0);

    // cache: false: the plan says so, and the RUN runs again although the image is published.
    const off = project(repo, engine, '\n      cache: false,');
    dirs.push(off);
    writeFileSync(path.join(off, 'app/file.txt'), 'two\n');
    await freshRunner(engine, off);
    const plan = await multiarch(['plan'], { cwd: off });
    expect(plan.stdout).toContain('cache: none (cache: false in the config)');
    const rebuilt = await multiarch(['apply', '--json'], { cwd: off });
    expect(rebuilt.exitCode, rebuilt.all).toBe(0);
    expect(buildLog(parseEvents(rebuilt.stdout)).some((l) => l.includes(SLOW) && !l.includes('RUN echo'))).toBe(true);

    // A dedicated cache ref on a registry that answers 401 (no credentials here): reported, built.
    const denied = project(repo, engine, `\n      cache: { from: [{ registry: 'auth', repository: 'e2e/cache15-denied-${stamp}' }] },`);
    dirs.push(denied);
    writeFileSync(path.join(denied, 'app/file.txt'), 'three\n');
    await freshRunner(engine, denied);
    const emptyConfig = mkdtempSync(path.join(os.tmpdir(), 'cache15-docker-config-'));
    dirs.push(emptyConfig);
    const run = await multiarch(['apply', '--json'], { cwd: denied, env: { DOCKER_CONFIG: emptyConfig } });
    expect(run.exitCode, run.all).toBe(0);
    const results = Object.values(buildResults(parseEvents(run.stdout)));
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(String((r.cacheProblems as string[])[0])).toMatch(new RegExp(`^${authRegistry.replaceAll('.', '\\.')}/e2e/cache15-denied-${stamp}:cache-app-linux-(amd64|arm64): .*401`));
    }
    const text = await multiarch(['apply'], { cwd: denied, env: { DOCKER_CONFIG: emptyConfig } });
    expect(text.exitCode, text.all).toBe(0);
  }, 600_000);

  it('a tag per commit: a fresh runner finds the image published under the previous commit\'s tag', async () => {
    const { registry } = testEnv();
    const repo = `e2e/cache15-moved-${stamp}`;
    const dir = project(repo, engine, '', 'gitTags({ sha: true })');
    dirs.push(dir);
    const git = gitIn(dir);
    await git('init', '-q', '-b', 'main');
    await git('add', '.');
    await git('commit', '-qm', 'first');
    const first = (await git('rev-parse', 'HEAD')).stdout.trim();
    await freshRunner(engine, dir);
    const built = await multiarch(['apply', '--json'], { cwd: dir, env: emptyCacheDir(dirs) });
    expect(built.exitCode, built.all).toBe(0);
    const before = await readBack(`${registry}/${repo}:sha-${first.slice(0, 7)}`);

    writeFileSync(path.join(dir, 'app/file.txt'), 'two\n');
    await git('commit', '-qam', 'second');
    const second = (await git('rev-parse', 'HEAD')).stdout.trim();
    await freshRunner(engine, dir);
    // No local state at all: the previous image is found from git and the registry alone.
    const env = emptyCacheDir(dirs);
    const plan = await multiarch(['plan', '--json'], { cwd: dir, env });
    expect(plan.exitCode, plan.all).toBe(0);
    const planned = JSON.parse(plan.stdout) as { images: Array<{ nodes: Array<{ kind: string; cache: { from: Array<{ ref: string; earlier?: string }> } }> }> };
    const sources = planned.images.flatMap((i) => i.nodes).filter((n) => n.kind === 'build').map((n) => n.cache.from[0]);
    expect(sources).toHaveLength(2);
    for (const source of sources) {
      expect(source?.ref).toMatch(new RegExp(`^${registry.replaceAll('.', '\\.')}/${repo}@sha256:[0-9a-f]{64}$`));
      expect(source?.earlier).toBe(`${registry}/${repo}:sha-${first.slice(0, 7)}, tag of commit ${first.slice(0, 12)} (HEAD~1)`);
    }
    const run = await multiarch(['apply', '--json'], { cwd: dir, env });
    expect(run.exitCode, run.all).toBe(0);
    const events = parseEvents(run.stdout);
    expect(buildLog(events).filter((l) => l.includes(SLOW) && !l.includes('RUN echo'))).toEqual([]);
    for (const result of Object.values(buildResults(events))) expect(result.cacheSteps).toEqual({ total: 2, cached: 1 });
    const after = await readBack(`${registry}/${repo}:sha-${second.slice(0, 7)}`);
    for (const p of PLATFORMS) expect(after[p]).toBe(`${before[p]!.split('\n')[0]}\ntwo`);
  }, 600_000);

  it('a shard on a fresh runner builds a changed image with the cache of its last published platform image', async () => {
    const repo = `e2e/cache15-shard-${stamp}`;
    const dir = project(repo, engine);
    dirs.push(dir);
    await freshRunner(engine, dir);
    const first = await multiarch(['apply', '--json'], { cwd: dir, env: emptyCacheDir(dirs) });
    expect(first.exitCode, first.all).toBe(0);
    writeFileSync(path.join(dir, 'app/file.txt'), 'two\n');
    await freshRunner(engine, dir);
    const out = mkdtempSync(path.join(os.tmpdir(), 'cache15-shard-out-'));
    dirs.push(out);
    const shard = await multiarch(['apply', '--json', '--platform', 'linux/arm64', '--shard-out', out], { cwd: dir, env: emptyCacheDir(dirs) });
    expect(shard.exitCode, shard.all).toBe(0);
    const events = parseEvents(shard.stdout);
    expect(Object.keys(buildResults(events))).toEqual(['build:app@linux/arm64']);
    expect(buildLog(events).filter((l) => l.includes(SLOW) && !l.includes('RUN echo'))).toEqual([]);
    expect(buildResults(events)['build:app@linux/arm64']!.cacheSteps).toEqual({ total: 2, cached: 1 });
  }, 600_000);
});
