/**
 * Saved plans are the public plan (issue 13): `plan --out` writes the document `plan --json`
 * prints, valid against docs/schema/plan.schema.json; `apply plan.json` refuses an edited or older
 * file with exit 1, naming the field and the fix, before it builds or writes anything.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { multiarch } from './support/cli.js';
import { testEnv } from './support/env.js';
import { makeFixture } from './support/fixtures.js';
import { listTags } from './support/registry.js';

const schema = JSON.parse(readFileSync(new URL('../../docs/schema/plan.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

interface SavedPlan {
  images: Array<{ nodes: Array<{ id: string; kind: string; action: { type: string } }> }>;
}

describe('saved plans', () => {
  it('are the plan JSON; an edited or older one is refused naming the field, and nothing is written', async () => {
    const { registry, baseImage } = testEnv();
    const repo = `e2e/saved-plan-${Date.now()}`;
    const dir = makeFixture({
      'app/Dockerfile': `FROM ${baseImage}\nCOPY hello.txt /hello.txt\n`,
      'app/hello.txt': 'hello\n',
      'multiarch.config.ts': `import { defineConfig } from 'multiarch';\n\nexport default defineConfig({\n  registries: { local: { url: '${registry}', insecure: true } },\n  images: {\n    app: {\n      context: './app',\n      platforms: ['linux/amd64', 'linux/arm64'],\n      tags: ['v1'],\n      publish: [{ registry: 'local', repository: '${repo}' }],\n    },\n  },\n});\n`,
    });
    const planned = await multiarch(['plan', '--json', '--out', 'plan.json'], { cwd: dir });
    expect(planned.exitCode, planned.all).toBe(0);
    const saved = JSON.parse(readFileSync(path.join(dir, 'plan.json'), 'utf8')) as SavedPlan;
    expect(saved).toEqual(JSON.parse(planned.stdout));
    expect(validate(saved) ? null : validate.errors).toBeNull();
    expect(saved.images[0]!.nodes.map((n) => `${n.id} ${n.action.type}`)).toEqual([
      'build:app@linux/amd64 build',
      'build:app@linux/arm64 build',
      'push:app@linux/amd64->local push',
      'push:app@linux/arm64->local push',
      'index:app:v1->local write',
    ]);

    const edited = structuredClone(saved);
    edited.images[0]!.nodes[2]!.action.type = 'overwrite';
    writeFileSync(path.join(dir, 'edited.json'), JSON.stringify(edited));
    const refused = await multiarch(['apply', 'edited.json'], { cwd: dir });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('edited.json is not a plan multiarch can apply: a field is missing or wrong');
    expect(refused.stderr).toContain("images[0].nodes[2] (push:app@linux/amd64->local).action.type: Invalid discriminator value. Expected 'push' | 'skip' | 'copy' | 'retag'");
    expect(refused.stderr).toContain('re-run `multiarch plan --out plan.json`');

    writeFileSync(path.join(dir, 'old.json'), JSON.stringify({ version: 1, configFile: path.join(dir, 'multiarch.config.ts'), order: [], nodes: {}, notes: [], builders: {}, facts: {} }));
    const old = await multiarch(['apply', 'old.json'], { cwd: dir });
    expect(old.exitCode).toBe(1);
    expect(old.stderr).toContain('old.json was saved by an older multiarch');
    expect(await listTags(`${registry}/${repo}`)).toEqual([]);

    const applied = await multiarch(['apply', 'plan.json'], { cwd: dir });
    expect(applied.exitCode, applied.all).toBe(0);
    expect(await listTags(`${registry}/${repo}`)).toEqual(['v1', 'v1-linux-amd64', 'v1-linux-arm64']);
  }, 300_000);
});
