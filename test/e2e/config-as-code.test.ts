/**
 * Config as code, through the installed CLI: `init` on a small monorepo, `add platform` and
 * `add image` editing what it wrote, `graph`, then a real `apply` of the result to the test
 * registry; and `import bake` of a bake file whose plan lists bake's builds and tags.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { isIndex, platformsOf, skopeoInspectRaw } from './support/registry.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

describe('init → add → graph → apply', () => {
  it('writes a config for the Dockerfiles found, edits it, and applies it', async () => {
    const { registry, baseImage } = testEnv();
    const namespace = `e2e/init-${Date.now()}`;
    const dockerfile = `FROM ${baseImage}\nCOPY hello.txt /hello.txt\n`;
    const dir = makeFixture({
      'services/web/Dockerfile': dockerfile,
      'services/web/hello.txt': 'web\n',
      'tools/Dockerfile': dockerfile,
      'tools/hello.txt': 'tools\n',
      'node_modules/dep/Dockerfile': 'FROM nothing\n',
    });

    const init = await multiarch(['init', '--yes', '--registry', `${registry}/${namespace}`, '--platform', 'linux/amd64', '--tag', 'v1'], { cwd: dir });
    expect(init.exitCode, init.all).toBe(0);
    expect(init.stderr).toContain('Found 2 Dockerfiles:');
    expect(init.stdout).toContain(`Wrote multiarch.config.ts: 2 images for linux/amd64 → ${registry}/${namespace}.`);
    const again = await multiarch(['init', '--yes'], { cwd: dir });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('multiarch.config.ts already exists; nothing was written');

    const platform = await multiarch(['add', 'platform', 'linux/arm64', '--image', 'web'], { cwd: dir });
    expect(platform.exitCode, platform.all).toBe(0);
    const image = await multiarch(['add', 'image', 'web-copy', '--context', 'services/web', '--publish', `local/${namespace}/web-copy`], { cwd: dir });
    expect(image.exitCode, image.all).toBe(0);
    const config = readFileSync(path.join(dir, 'multiarch.config.ts'), 'utf8');
    expect(config).toContain("platforms: ['linux/amd64', 'linux/arm64'],");
    expect(config).toContain("    'web-copy': {\n      context: './services/web',");
    expect(config).toContain('// Each image: its build context'); // init's comments survive the edits

    const graph = await multiarch(['graph', '--format', 'dot'], { cwd: dir });
    expect(graph.exitCode, graph.all).toBe(0);
    expect(graph.stdout).toContain(`"index:web:v1->local" [label="web:v1 index → local\\n${registry}/${namespace}/web:v1"`);

    const apply = await multiarch(['apply'], { cwd: dir });
    expect(apply.exitCode, apply.all).toBe(0);
    const web = await skopeoInspectRaw(`${registry}/${namespace}/web:v1`);
    expect(isIndex(web) && platformsOf(web).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    const copy = await skopeoInspectRaw(`${registry}/${namespace}/web-copy:v1`);
    // add image takes the first image's platforms (web's, arm64 included by then).
    expect(isIndex(copy) && platformsOf(copy).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(isIndex(await skopeoInspectRaw(`${registry}/${namespace}/tools:v1`))).toBe(true);
  });
});

describe('import bake', () => {
  it('translates an HCL bake file with the installed CLI; its plan lists bake’s builds and tags', async () => {
    const dir = makeFixture({
      'docker-bake.hcl': readFileSync(path.join(FIXTURES, 'bake/docker-bake.hcl')),
      'services/api/Dockerfile.prod': 'FROM scratch\n',
      'services/web/Dockerfile': 'FROM scratch\n',
      'workers/Dockerfile': 'FROM scratch\n',
    });
    const imported = await multiarch(['import', 'bake', 'docker-bake.hcl'], { cwd: dir });
    expect(imported.exitCode, imported.all).toBe(0);
    // Offline: the bake file publishes to Docker Hub, which an incremental plan would otherwise read.
    const plan = await multiarch(['plan', '--json', '--offline'], { cwd: dir });
    expect(plan.exitCode, plan.all).toBe(0);
    const json = JSON.parse(plan.stdout) as { refs: Array<{ ref: string; kind: string }> };
    const print = JSON.parse(readFileSync(path.join(FIXTURES, 'bake/bake-print.json'), 'utf8')) as { target: Record<string, { tags: string[] }> };
    expect(json.refs.filter((r) => r.kind === 'index').map((r) => r.ref).sort()).toEqual(Object.values(print.target).flatMap((t) => t.tags).sort());
  });
});
