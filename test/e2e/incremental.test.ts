/**
 * Incremental apply against the real registry, through a recording proxy (fault-proxy.ts with no
 * faults): a second apply builds
 * nothing and writes nothing; a file the .dockerignore excludes changes nothing; a changed file
 * rebuilds only its image and what is built on it (ref()); a base image republished upstream is
 * named as the reason; deleting the local cache changes no decision; a stale saved plan is refused.
 */
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { republishPlatform, copyImageIndex } from './support/base-image.js';
import { multiarch, parseEvents, type CliRun } from './support/cli.js';
import { resolveCacheDir } from '../../src/facts/cache-dir.js';
import { testEnv, testProcessEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { startFaultProxy, type FaultProxy } from './support/fault-proxy.js';

interface ChangesJson {
  platforms: Array<{ image: string; platform: string; action: string; reasons: string[] }>;
  indexes: Array<{ image: string; action: string; children: Array<{ platform: string; change: string }> }>;
  summary: { build: number; push: number; indexCreate: number; indexUpdate: number; unchanged: number };
}

let proxy: FaultProxy;
let dir: string;
let bases: string;
const stamp = Date.now();

beforeAll(async () => {
  const { registry, baseImage } = testEnv();
  // Issue #3's proxy, without faults: it records every request that reaches the registry.
  proxy = await startFaultProxy({ upstream: registry });
  bases = `${registry}/e2e/incremental-busybox-${stamp}:latest`;
  await copyImageIndex(baseImage, bases);
  dir = makeFixture({
    'base/Dockerfile': 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY marker /marker\n',
    'base/marker': 'base v1\n',
    'app/Dockerfile': 'ARG BASE\nFROM ${BASE}\nCOPY . /app/\n',
    'app/.dockerignore': 'notes/\n*.md\n!KEEP.md\n',
    'app/hello.txt': 'hello\n',
    'app/KEEP.md': 'kept\n',
    'app/README.md': 'ignored\n',
    'app/notes/todo.txt': 'ignored\n',
    'multiarch.config.ts': `import { defineConfig, ref } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${proxy.host}', insecure: true } },
  images: {
    base: {
      context: './base',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { BASE_IMAGE: '${bases}' },
      tags: ['v1'],
      test: { command: ['cat', '/marker'], expectOutput: 'base v1' },
      publish: [{ registry: 'local', repository: 'e2e/incremental-base-${stamp}' }],
    },
    app: {
      context: './app',
      platforms: ['linux/amd64', 'linux/arm64'],
      args: { BASE: ref('base') },
      tags: ['v1'],
      publish: [{ registry: 'local', repository: 'e2e/incremental-app-${stamp}' }],
    },
  },
});
`,
  });
});

afterAll(async () => {
  await proxy?.close();
});

const run = (args: string[]) => multiarch(args, { cwd: dir });
/** Requests that change the registry. */
const writes = () => proxy.log.filter((r) => !['GET', 'HEAD'].includes(r.method));

async function changes(args: string[] = []): Promise<ChangesJson> {
  const r = await run(['plan', '--json', ...args]);
  expect(r.exitCode, r.all).toBe(0);
  return (JSON.parse(r.stdout) as { changes: ChangesJson }).changes;
}

const actions = (c: ChangesJson) => Object.fromEntries(c.platforms.map((p) => [`${p.image} ${p.platform}`, p.action]));

/** Whether the builder ran for a node: a build that ran prints its log (even when BuildKit serves it from cache). */
function ran(r: CliRun, id: string): boolean {
  return parseEvents(r.stdout).some((e) => e.type === 'node:output' && e.id === id);
}

function statuses(r: CliRun): Record<string, string> {
  return Object.fromEntries(parseEvents(r.stdout).filter((e) => e.type === 'node:end').map((e) => [e.id as string, e.status as string]));
}

describe('incremental apply', () => {
  it('applies, then applies again without building or writing anything', async () => {
    const first = await run(['apply', '--json']);
    expect(first.exitCode, first.all).toBe(0);
    const builds = ['build:base@linux/amd64', 'build:base@linux/arm64', 'build:app@linux/amd64', 'build:app@linux/arm64'];
    expect(builds.map((id) => ran(first, id))).toEqual([true, true, true, true]);

    proxy.log.splice(0);
    const second = await run(['apply', '--json']);
    expect(second.exitCode, second.all).toBe(0);
    expect(new Set(Object.values(statuses(second)))).toEqual(new Set(['cached']));
    // No builder invocation: not one line of build output.
    expect(parseEvents(second.stdout).filter((e) => e.type === 'node:output')).toEqual([]);
    // Reads only (HEADs of tags), never a write, never a blob.
    expect(writes()).toEqual([]);
    expect(proxy.log.filter((r) => r.path.includes('/blobs/'))).toEqual([]);
    expect(proxy.log.length).toBeGreaterThan(0);

    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.exitCode, plan.all).toBe(0);
    expect(plan.stdout).toContain('Plan: 0 to build, 0 to push, 0 indexes to update, 12 unchanged.');
  });

  it('ignores files the .dockerignore excludes', async () => {
    appendFileSync(path.join(dir, 'app/notes/todo.txt'), 'more\n');
    appendFileSync(path.join(dir, 'app/README.md'), 'more\n');
    writeFileSync(path.join(dir, 'app/notes/new.txt'), 'new\n');
    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.exitCode, plan.all).toBe(0);
    expect(new Set(Object.values(actions(await changes())))).toEqual(new Set(['up-to-date']));
  });

  it('rebuilds only the image whose context changed, naming the file', async () => {
    appendFileSync(path.join(dir, 'app/KEEP.md'), 'changed\n');
    const plan = await run(['plan', '--detailed-exitcode']);
    expect(plan.exitCode, plan.all).toBe(2);
    expect(plan.stdout).toMatch(/~ linux\/arm64\s+rebuild\n\s+files: modified KEEP\.md/);
    const c = await changes();
    expect(actions(c)).toEqual({ 'base linux/amd64': 'up-to-date', 'base linux/arm64': 'up-to-date', 'app linux/amd64': 'rebuild', 'app linux/arm64': 'rebuild' });
    expect(c.summary).toEqual({ build: 2, push: 2, indexCreate: 0, indexUpdate: 1, unchanged: 7, hasChanges: true });
  });

  it('refuses a stale saved plan without writing, and applies a fresh one exactly', async () => {
    const out = path.join(dir, 'plan.json');
    expect((await run(['plan', '--out', out])).exitCode).toBe(0);
    appendFileSync(path.join(dir, 'app/hello.txt'), 'changed after the plan\n');
    proxy.log.splice(0);
    const stale = await run(['apply', out]);
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr).toContain('plan.json is stale');
    expect(stale.stderr).toMatch(/build:app@linux\/amd64: inputs sha256:\w+ → sha256:\w+/);
    expect(writes()).toEqual([]);

    expect((await run(['plan', '--out', out])).exitCode).toBe(0);
    const applied = await run(['apply', out, '--json']);
    expect(applied.exitCode, applied.all).toBe(0);
    const s = statuses(applied);
    expect([s['build:base@linux/amd64'], s['build:base@linux/arm64'], s['push:base@linux/amd64->local']]).toEqual(['cached', 'cached', 'cached']);
    expect([ran(applied, 'build:app@linux/amd64'), ran(applied, 'build:app@linux/arm64'), ran(applied, 'build:base@linux/amd64')]).toEqual([true, true, false]);
    expect(s['index:app:v1->local']).toBe('succeeded');
    expect(s['index:base:v1->local']).toBe('cached');
  });

  it('makes the same decisions after the local cache is deleted', async () => {
    const before = await changes();
    rmSync(resolveCacheDir({ dir }, { cwd: dir, env: testProcessEnv() }), { recursive: true, force: true });
    const after = await changes();
    expect(after).toEqual(before);
    expect(new Set(Object.values(actions(after)))).toEqual(new Set(['up-to-date']));
  });

  it('rebuilds what is built on a base image republished upstream, naming it', async () => {
    await republishPlatform(bases, 'linux/arm64', `v2-${stamp}`);
    const c = await changes();
    expect(actions(c)).toEqual({ 'base linux/amd64': 'up-to-date', 'base linux/arm64': 'rebuild', 'app linux/amd64': 'up-to-date', 'app linux/arm64': 'rebuild' });
    const base = c.platforms.find((p) => p.image === 'base' && p.platform === 'linux/arm64')!;
    expect(base.reasons).toEqual([expect.stringMatching(new RegExp(`^base image ${bases.replace(/[.]/g, '\\.')} \\(linux/arm64\\) changed: sha256:\\w{12} → sha256:\\w{12}$`))]);
    expect(c.platforms.find((p) => p.image === 'app' && p.platform === 'linux/arm64')!.reasons).toContain('built on base, which is rebuilt');
    // Offline, from what this machine last saw: the same decisions.
    const offline = await run(['plan', '--offline', '--json']);
    expect(offline.exitCode, offline.all).toBe(0);
    const o = (JSON.parse(offline.stdout) as { changes: ChangesJson & { state: string } }).changes;
    expect(o.state).toBe('local');
    expect(actions(o)).toEqual(actions(c));
    // base and app rebuilt in one apply: app's label records the digest base was just pushed as,
    // so the next plan finds everything current.
    const applied = await run(['apply', '--json']);
    expect(applied.exitCode, applied.all).toBe(0);
    expect([ran(applied, 'build:base@linux/arm64'), ran(applied, 'build:app@linux/arm64'), ran(applied, 'build:app@linux/amd64')]).toEqual([true, true, false]);
    expect(new Set(Object.values(actions(await changes())))).toEqual(new Set(['up-to-date']));
  });

  it('--since plans only images whose inputs changed since a git ref, and what is built on them', async () => {
    const git = (...args: string[]) => execa('git', args, { cwd: dir, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    await git('init', '-q');
    await git('add', '-A');
    await git('commit', '-qm', 'fixture');
    appendFileSync(path.join(dir, 'app/README.md'), 'ignored, so nothing to plan\n');
    const none = await run(['plan', '--since', 'HEAD', '--json']);
    expect((JSON.parse(none.stdout) as { images: unknown[] }).images).toEqual([]);
    writeFileSync(path.join(dir, 'app/new.txt'), 'untracked, but in the context\n');
    const some = JSON.parse((await run(['plan', '--since', 'HEAD', '--json'])).stdout) as { images: Array<{ name: string }>; notes: Array<{ image: string; message: string }> };
    expect(some.images.map((i) => i.name)).toEqual(['base', 'app']);
    expect(some.notes).toContainEqual({ image: 'app', message: 'selected by --since HEAD: new.txt changed' });
    expect(some.notes).toContainEqual({ image: 'base', message: 'included because a selected image is built on it (ref)' });
    const bad = await run(['plan', '--since', 'no-such-ref']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('--since no-such-ref');
  });

  it('--force rebuilds an image and what is built on it', async () => {
    const c = await changes(['--force', 'app']);
    expect(actions(c)['app linux/amd64']).toBe('rebuild');
    expect(actions(c)['base linux/amd64']).toBe('up-to-date');
    expect(c.platforms.find((p) => p.image === 'app' && p.platform === 'linux/amd64')!.reasons).toEqual(['forced (--force)']);
  });
});

describe('plan without the registries', () => {
  it('fails naming the registry it cannot reach, unless --offline', async () => {
    const { baseImage } = testEnv();
    const offline = makeFixture({
      'app/Dockerfile': `FROM ${baseImage}\n`,
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { far: { url: '127.0.0.1:9', insecure: true } },
  images: { app: { context: './app', platforms: ['linux/amd64'], tags: ['v1'], publish: [{ registry: 'far', repository: 'e2e/unreachable' }] } },
});
`,
    });
    const online = await multiarch(['plan'], { cwd: offline });
    expect(online.exitCode).toBe(1);
    expect(online.stderr).toContain('cannot read registry state to plan: cannot reach 127.0.0.1:9');
    expect(online.stderr).toContain('multiarch plan --offline');
    const local = await multiarch(['plan', '--offline', '--detailed-exitcode'], { cwd: offline });
    expect(local.exitCode, local.all).toBe(2);
    expect(local.stdout).toContain('offline — registries not read');
  });
});
