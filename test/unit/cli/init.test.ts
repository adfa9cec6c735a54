/**
 * `multiarch init` in real directory trees: what it finds, what it writes (golden files that are
 * then loaded and planned), what it asks on a terminal, and that it never overwrites by accident.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initCommand } from '../../../src/cli/commands/init.js';
import { parseConfigCommand } from '../../../src/cli/config-args.js';
import { DOCKERFILE, writeProject } from '../config/fixtures.js';
import { cli, expectGolden, loadAndPlan } from '../golden.js';

const MONOREPO = {
  'packages/shared/index.js': '',
  'services/api/Dockerfile': 'FROM node:20\nCOPY packages/shared /app/shared\nCOPY services/api /app\n',
  'services/web/Dockerfile': 'FROM node:20\nCOPY . /app\n',
  'services/web/Dockerfile.worker': DOCKERFILE,
  'tools/api/Dockerfile': DOCKERFILE,
  'ci.Dockerfile': DOCKERFILE,
  'node_modules/some-dep/Dockerfile': DOCKERFILE,
  'vendor/lib/Dockerfile': DOCKERFILE,
  '.git/Dockerfile': DOCKERFILE,
  'docs/Dockerfile.md': 'not a Dockerfile',
  'docker-bake.hcl': 'target "web" {}\n',
};

describe('multiarch init', () => {
  it('writes one image per Dockerfile of a monorepo, each published to the registry given', async () => {
    const root = path.join(writeProject({ 'shop/': '' }), 'shop');
    for (const [name, content] of Object.entries(MONOREPO)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), content);
    }
    const r = await cli(root, 'init', '--yes', '--registry', 'ghcr.io/acme', '--platform', 'linux/amd64,arm64');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      [
        'Found 5 Dockerfiles:',
        '  ci                   ci.Dockerfile (context .)',
        '  services-api         services/api/Dockerfile (context .)',
        '  web                  services/web/Dockerfile',
        '  web-worker           services/web/Dockerfile.worker',
        '  tools-api            tools/api/Dockerfile',
        'note: docker-bake.hcl is here too; `multiarch import bake docker-bake.hcl` translates it instead.',
        '',
      ].join('\n'),
    );
    expect(r.stdout).toBe('Wrote multiarch.config.ts: 5 images for linux/amd64, linux/arm64 → ghcr.io/acme.\nNext: `multiarch plan` shows what apply would build, test and push.\n');
    expectGolden('init/monorepo.config.ts', fs.readFileSync(path.join(root, 'multiarch.config.ts'), 'utf8'));
    const planned = await loadAndPlan(root);
    expect(planned.builds).toHaveLength(10);
    expect(planned.config.images['services-api']).toMatchObject({ context: root, dockerfile: path.join(root, 'services/api/Dockerfile') });
    expect(planned.indexRefs).toEqual(['ci', 'services-api', 'tools-api', 'web', 'web-worker'].map((n) => `ghcr.io/acme/${n}:latest`).sort());
  });

  it('writes a starter Dockerfile and .dockerignore with the config in a repository without one', async () => {
    const root = path.join(writeProject({ 'My App/README.md': '# hi\n' }), 'My App');
    const r = await cli(root, 'init', '-y');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote multiarch.config.ts, Dockerfile, .dockerignore: 1 image for linux/amd64, linux/arm64 → no registry yet.');
    expectGolden('init/starter.config.ts', fs.readFileSync(path.join(root, 'multiarch.config.ts'), 'utf8'));
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toMatch(/^# A starter Dockerfile written by `multiarch init`/);
    expect(fs.readFileSync(path.join(root, '.dockerignore'), 'utf8')).toContain('\nnode_modules\n');
    const planned = await loadAndPlan(root);
    expect(planned.builds).toEqual(['my-app@linux/amd64', 'my-app@linux/arm64']);
    expect(Object.values(planned.plan.nodes).filter((n) => n.kind === 'test')).toHaveLength(2);
  });

  it('never overwrites a config without --force, and replaces it with --force', async () => {
    const root = writeProject({ 'multiarch.config.ts': '// mine\n', 'web/Dockerfile': DOCKERFILE });
    const refused = await cli(root, 'init', '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error multiarch.config.ts already exists; nothing was written');
    expect(refused.stderr).toContain('hint: pass --force to replace it');
    expect(fs.readFileSync(path.join(root, 'multiarch.config.ts'), 'utf8')).toBe('// mine\n');
    const forced = await cli(root, 'init', '--yes', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(path.join(root, 'multiarch.config.ts'), 'utf8')).toContain("web: {\n      context: './web',");
  });

  it('refuses when another config file name is already there', async () => {
    const root = writeProject({ 'multiarch.config.mjs': 'export default {}\n' });
    const r = await cli(root, 'init', '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('multiarch.config.mjs already exists; nothing was written');
  });

  it('prints the config with --dry-run and writes nothing', async () => {
    const root = writeProject({ 'web/Dockerfile': DOCKERFILE });
    const r = await cli(root, 'init', '--yes', '--dry-run', '--tag', 'v1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("tags: ['v1'],");
    expect(fs.readdirSync(root).sort()).toEqual(['web']);
  });

  it('rejects a bad flag value without a terminal to ask on', async () => {
    const root = writeProject({ 'web/Dockerfile': DOCKERFILE });
    const r = await cli(root, 'init', '--yes', '--platform', 'linux/arm65');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error multiarch init --platform: "linux/arm65" is not a platform — did you mean "linux/arm64"?');
    const registry = await cli(root, 'init', '--yes', '--registry', 'acme');
    expect(registry.stderr).toContain('"acme" does not start with a registry host');
  });

  it('asks for platforms and registries on a terminal, again after a bad answer', async () => {
    const root = writeProject({ 'web/Dockerfile': DOCKERFILE });
    const questions: string[] = [];
    const answers = ['linux/arm65', 'amd64, arm/v7', 'docker.io/you 127.0.0.1:5000/team'];
    let stderr = '';
    const options = parseConfigCommand(['init']);
    if (options.command !== 'init') throw new Error('parsed as another command');
    const code = await initCommand(
      options,
      { cwd: root, env: {}, stdout: () => undefined, stderr: (t) => (stderr += t), isTTY: true, signal: new AbortController().signal },
      async (question, fallback) => {
        questions.push(`${question} [${fallback}]`);
        return answers.shift() ?? '';
      },
    );
    expect(code).toBe(0);
    expect(questions).toEqual([
      'Platforms to build (comma-separated) [linux/amd64,linux/arm64]',
      'Platforms to build (comma-separated) [linux/amd64,linux/arm64]',
      'Registries to push to, as host/namespace (e.g. ghcr.io/acme, docker.io/you; empty for none yet) []',
    ]);
    expect(stderr).toContain('  "linux/arm65" is not a platform — did you mean "linux/arm64"?\n');
    const planned = await loadAndPlan(root);
    expect(planned.builds).toEqual(['web@linux/amd64', 'web@linux/arm/v7']);
    expect(planned.indexRefs).toEqual(['127.0.0.1:5000/team/web:latest', 'docker.io/you/web:latest']);
    expect(planned.config.registries.local?.insecure).toBe(true);
  });
});
