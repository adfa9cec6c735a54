/**
 * Builders per platform on two real engines: linux/arm64 is routed (by host) to a second dockerd,
 * linux/amd64 (by docker context) to the main one. A prepare step writes a per-platform file on
 * the host that the Dockerfile COPYs. The builds are shown to run where they were routed (each
 * engine's image list), the index is correct, and each platform's image holds its own file. A
 * failing prepare stops its platform and the index; an unreachable builder fails its nodes with
 * which builder and why, and `plan` says so first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiarch, parseEvents } from './support/cli.js';
import { dockerRunPlatform } from './support/docker.js';
import { dockerAt, imageNames, secondEngine } from './support/engine2.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { isIndex, listTags, platformsOf, skopeoInspectRaw } from './support/registry.js';

const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const context = `multiarch-e2e-${stamp}`;

function project(options: { image: string; repo: string; builders: string; prepare: string; platforms?: string[] }): string {
  const { registry, baseImage } = testEnv();
  return makeFixture({
    'app/Dockerfile': `FROM ${baseImage}\nARG TARGETARCH\nARG TARGETVARIANT\nCOPY dist/\${TARGETARCH}\${TARGETVARIANT}/hello /usr/local/bin/hello\n`,
    'multiarch.config.ts': `import { defineConfig } from 'multiarch';
export default defineConfig({
  registries: { local: { url: '${registry}', insecure: true } },
  builders: ${options.builders},
  images: {
    '${options.image}': {
      context: './app',
      platforms: ${JSON.stringify(options.platforms ?? ['linux/amd64', 'linux/arm64'])},
      tags: ['v1'],
      prepare: ${options.prepare},
      // Built by the engines this test routes to (a RUN-less image is otherwise assembled directly).
      build: { engine: 'docker' },
      test: { command: ['/usr/local/bin/hello'], expectOutput: 'on {uname}' },
      publish: [{ registry: 'local', repository: '${options.repo}' }],
    },
  },
});
`,
  });
}

/** "Cross-compiles" on the host: a per-platform program the Dockerfile COPYs. */
const WRITE_HELLO = `{
        outputs: ['dist/**'],
        run: async ({ $, platform }) => {
          const dir = \`dist/\${platform.arch}\${platform.variant}\`;
          await $\`mkdir -p \${dir}\`;
          await $\`printf '#!/bin/sh\\\\necho "hello from %s on $(uname -m)"\\\\n' \${platform.platform} > \${dir}/hello && chmod +x \${dir}/hello\`;
          await $\`echo prepared \${platform.platform}\`;
        },
      }`;

describe('builders per platform on two engines', () => {
  let engine2 = '';

  beforeAll(async () => {
    engine2 = await secondEngine();
    await dockerAt(undefined, ['context', 'create', context, '--docker', 'host=unix:///var/run/docker.sock']);
  });

  afterAll(async () => {
    await dockerAt(undefined, ['context', 'rm', '--force', context]).catch(() => undefined);
    for (const host of [undefined, engine2]) {
      const mine = await imageNames(host, `multiarch/*${stamp}*`).catch(() => []);
      if (mine.length) await dockerAt(host, ['image', 'rm', '--force', ...mine]).catch(() => undefined);
    }
  });

  it('builds, tests and exports each platform on its own engine, then writes one correct index', async () => {
    const { registry } = testEnv();
    const image = `routed-${stamp}`;
    const repo = `e2e/issue7-routed-${stamp}`;
    const builders = `{ 'linux/arm64': { docker: { host: '${engine2}' }, concurrency: 1 }, 'linux/amd64': { docker: { context: '${context}' } } }`;
    const dir = project({ image, repo, builders, prepare: WRITE_HELLO });

    const plan = await multiarch(['plan', '--json'], { cwd: dir });
    expect(plan.exitCode, plan.all).toBe(0);
    const json = JSON.parse(plan.stdout) as { builders: Array<{ name: string; engine: { reachable: boolean; nativePlatform?: string } }> };
    expect(json.builders.map((b) => [b.name, b.engine.reachable, b.engine.nativePlatform])).toEqual([
      ['linux/amd64', true, 'linux/amd64'],
      ['linux/arm64', true, 'linux/amd64'],
    ]);

    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode, run.all).toBe(0);
    const events = parseEvents(run.stdout);
    const logOf = (id: string) => events.filter((e) => e.type === 'node:output' && e.id === id).map((e) => e.line);
    expect(logOf(`prepare:${image}@linux/arm64`)).toContain('prepared linux/arm64');
    const started = (id: string) => events.findIndex((e) => e.type === 'node:start' && e.id === id);
    const ended = (id: string) => events.findIndex((e) => e.type === 'node:end' && e.id === id);
    expect(started(`build:${image}@linux/arm64`)).toBeGreaterThan(ended(`prepare:${image}@linux/arm64`));

    // Each engine holds exactly the platform routed to it.
    expect(await imageNames(engine2, `multiarch/${image}`)).toEqual([`multiarch/${image}:v1-linux-arm64`]);
    expect(await imageNames(undefined, `multiarch/${image}`)).toEqual([`multiarch/${image}:v1-linux-amd64`]);

    const index = await skopeoInspectRaw(`${registry}/${repo}:v1`);
    expect(isIndex(index) && platformsOf(index)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(await listTags(`${registry}/${repo}`)).toEqual(['v1', 'v1-linux-amd64', 'v1-linux-arm64']);
    // Each platform's image carries the file prepared for that platform.
    for (const [platform, machine] of [['linux/amd64', 'x86_64'], ['linux/arm64', 'aarch64']] as const) {
      expect((await dockerRunPlatform(`${registry}/${repo}:v1`, platform, ['/usr/local/bin/hello'])).trim()).toBe(`hello from ${platform} on ${machine}`);
    }
  });

  it('a failing prepare stops its platform and the index; the other platform still goes through', async () => {
    const { registry } = testEnv();
    const image = `failing-${stamp}`;
    const repo = `e2e/issue7-failing-${stamp}`;
    const prepare = `async ({ $, platform }) => {
        await $\`mkdir -p dist/\${platform.arch} && printf '#!/bin/sh\\\\necho "hello on $(uname -m)"\\\\n' > dist/\${platform.arch}/hello && chmod +x dist/\${platform.arch}/hello\`;
        if (platform.arch === 'arm64') await $\`echo 'ld: cannot find -lssl' >&2; exit 1\`;
      }`;
    const dir = project({ image, repo, builders: `{ 'linux/arm64': { docker: { host: '${engine2}' } } }`, prepare });
    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode, run.all).toBe(1);
    const statuses = new Map(parseEvents(run.stdout).filter((e) => e.type === 'node:end').map((e) => [e.id as string, e]));
    const failed = statuses.get(`prepare:${image}@linux/arm64`) as unknown as { status: string; error: { code: string; message: string; details: string[] } };
    expect(failed.status).toBe('failed');
    expect(failed.error.code).toBe('E_PREPARE_FAILED');
    expect(failed.error.message).toMatch(`the prepare step of ${image} failed for linux/arm64`);
    expect(failed.error.details).toContain('ld: cannot find -lssl');
    for (const id of [`build:${image}@linux/arm64`, `push:${image}@linux/arm64->local`, `index:${image}:v1->local`]) {
      expect([id, statuses.get(id)?.status]).toEqual([id, 'skipped']);
    }
    expect(statuses.get(`push:${image}@linux/amd64->local`)?.status).toBe('succeeded');
    expect(await listTags(`${registry}/${repo}`)).toEqual(['v1-linux-amd64']);
    expect(await imageNames(engine2, `multiarch/${image}`)).toEqual([]);
  });

  it('plan names an unreachable builder and why; apply fails its nodes with that, and builds nothing', async () => {
    const image = `down-${stamp}`;
    const repo = `e2e/issue7-down-${stamp}`;
    const host = `unix://${testEnv().root}/.test-env/no-such-engine-${stamp}.sock`;
    const dir = project({ image, repo, builders: `{ 'linux/arm64': { docker: { host: '${host}' } } }`, prepare: WRITE_HELLO, platforms: ['linux/arm64'] });
    const plan = await multiarch(['plan'], { cwd: dir });
    expect(plan.exitCode, plan.all).toBe(0);
    expect(plan.stdout).toContain(`✗ linux/arm64 → ${host}: unreachable — Cannot connect to the Docker daemon at ${host}`);
    expect(plan.stdout).toContain(`its 1 build will fail: ${image} linux/arm64`);

    const run = await multiarch(['apply', '--json'], { cwd: dir });
    expect(run.exitCode, run.all).toBe(1);
    const end = parseEvents(run.stdout).find((e) => e.type === 'node:end' && e.id === `build:${image}@linux/arm64`) as unknown as { status: string; error: { code: string; message: string } };
    expect(end.status).toBe('failed');
    expect(end.error.code).toBe('E_BUILDER_UNREACHABLE');
    expect(end.error.message).toBe(`builder "linux/arm64" (${host}) is unreachable: Cannot connect to the Docker daemon at ${host}. Is the docker daemon running?`);
    expect(await listTags(`${testEnv().registry}/${repo}`)).toEqual([]);
  });
});
