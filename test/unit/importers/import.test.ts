/**
 * `multiarch import bake|compose`: the imported config (a golden file) is loaded and planned, and
 * its plan lists the same builds and the same multi-arch refs as `docker buildx bake --print`
 * shows for the same file — a --print output written by hand, per buildx's documented format
 * (buildx itself is not installed here).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBakeFile } from '../../../src/importers/read-build-file.js';
import type { BakePrint } from '../../../src/importers/resolve-bake.js';
import { composeToBake } from '../../../src/importers/compose-to-bake.js';
import { parse as parseYaml } from 'yaml';
import { DOCKERFILE, writeProject } from '../config/fixtures.js';
import { cli, expectGolden, loadAndPlan, type Planned } from '../golden.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
const printOf = (name: string) => JSON.parse(fixture(name)) as BakePrint;

/** A tag as Docker reads it: `acme/web` is `docker.io/acme/web:latest`. */
function normalizeRef(ref: string): string {
  const [first, ...rest] = ref.split('/');
  const hosted = rest.length > 0 && /[.:]|^localhost$/.test(first!) ? ref : `docker.io/${ref}`;
  return /:[^/]+$/.test(hosted) ? hosted : `${hosted}:latest`;
}

/** What bake would build and push, from its --print: `target@platform`, and every tag. */
function bakeOutcome(print: BakePrint, localPlatform = 'linux/amd64') {
  const targets = Object.entries(print.target);
  return {
    builds: targets.flatMap(([name, t]) => ((t.platforms as string[] | undefined) ?? [localPlatform]).map((p) => `${name}@${p}`)).sort(),
    refs: [...new Set(targets.flatMap(([, t]) => ((t.tags as string[] | undefined) ?? []).map(normalizeRef)))].sort(),
  };
}

/** The same facts, per build node of the plan, as --print states them. */
function expectBuildsMatch(planned: Planned, print: BakePrint, projectDir: string) {
  for (const [name, t] of Object.entries(print.target)) {
    const build = Object.values(planned.plan.nodes).find((n) => n.kind === 'build' && n.image === name);
    if (build?.kind !== 'build') throw new Error(`no build for ${name}`);
    expect(build.context, name).toBe(path.join(projectDir, String(t.context)));
    expect(build.dockerfile, name).toBe(path.join(projectDir, String(t.context), String(t.dockerfile)));
    expect(build.args, name).toEqual(t.args ?? {});
    expect(build.target, name).toBe(t.target);
    for (const [k, v] of Object.entries((t.labels as Record<string, string>) ?? {})) expect(build.labels[k], name).toBe(v);
  }
}

describe('multiarch import bake', () => {
  const project = () =>
    writeProject({
      'docker-bake.hcl': fixture('bake/docker-bake.hcl'),
      'services/api/Dockerfile.prod': DOCKERFILE,
      'services/web/Dockerfile': DOCKERFILE,
      'workers/Dockerfile': DOCKERFILE,
    });

  it('resolves variables, functions, inherits and a matrix as bake --print shows them', async () => {
    const { print, notes } = await readBakeFile(path.join(FIXTURES, 'bake/docker-bake.hcl'), []);
    const expected = printOf('bake/bake-print.json');
    expect(print.group).toEqual(expected.group);
    for (const [name, target] of Object.entries(expected.target)) {
      const { 'cache-from': cacheFrom, ...rest } = target;
      expect(print.target[name], name).toMatchObject(rest);
      if (cacheFrom) expect(print.target[name]?.['cache-from']).toEqual(['type=gha']);
    }
    expect(notes).toContain('variables at their defaults: MAJOR="1", REGISTRY="docker.io/acme", TAG="1.4.0" (bake reads them from the environment; the config has the values)');
  });

  it('writes a config whose plan has the same builds and refs as bake --print', async () => {
    const dir = project();
    const r = await cli(dir, 'import', 'bake', 'docker-bake.hcl');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote multiarch.config.ts: 4 images from docker-bake.hcl (api, web, worker-mail, worker-thumbs).');
    // cache-from is translated into the image's cache field, not listed as dropped.
    expect(r.stdout).not.toContain('cache-from');
    expect(r.stdout).toContain('  - target "web": contexts.shared = "target:_common", a named context built from _common;');
    const written = fs.readFileSync(path.join(dir, 'multiarch.config.ts'), 'utf8');
    expectGolden('import/bake.config.ts', written);

    const planned = await loadAndPlan(dir);
    const print = printOf('bake/bake-print.json');
    const bake = bakeOutcome(print);
    expect(planned.builds).toEqual(bake.builds);
    expect(planned.indexRefs).toEqual(bake.refs);
    expectBuildsMatch(planned, print, dir);
    // Besides bake's multi-arch tags, multiarch writes one tag per platform image.
    expect(planned.refs).toContain('docker.io/acme/api:1.4.0-linux-arm64');
    expect(planned.config.registries).toMatchObject({ dockerhub: { host: 'docker.io' }, ghcr: { host: 'ghcr.io' }, local: { host: 'localhost:5000', insecure: true } });
  });

  it('takes the targets and groups named on the command line', async () => {
    const dir = project();
    const r = await cli(dir, 'import', 'bake', 'docker-bake.hcl', 'web', '--out', 'web.config.ts');
    expect(r.code, r.stderr).toBe(0);
    const planned = await loadAndPlan(dir, 'web.config.ts');
    expect(planned.builds).toEqual(['web@linux/amd64', 'web@linux/arm/v7', 'web@linux/arm64']);
    expect(planned.indexRefs).toEqual(['docker.io/acme/web:1.4.0', 'docker.io/acme/web:latest']);
    const unknown = await cli(dir, 'import', 'bake', 'docker-bake.hcl', 'wbe', '--dry-run');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error docker-bake.hcl: there is no target or group "wbe"');
  });

  it('imports bake JSON the same way', async () => {
    const dir = writeProject({ 'docker-bake.json': fixture('bake/docker-bake.json'), Dockerfile: DOCKERFILE });
    const r = await cli(dir, 'import', 'bake', 'docker-bake.json');
    expect(r.code, r.stderr).toBe(0);
    expectGolden('import/bake-json.config.ts', fs.readFileSync(path.join(dir, 'multiarch.config.ts'), 'utf8'));
    const planned = await loadAndPlan(dir);
    expect(planned.builds).toEqual(['app@linux/amd64', 'app@linux/arm64', 'app@linux/riscv64']);
    expect(planned.indexRefs).toEqual(['ghcr.io/acme/app:latest', 'ghcr.io/acme/app:v2']);
    expect(planned.config.images.app?.args).toEqual({ VERSION: 'v2' });
  });

  it('never overwrites a config without --force, and says what it cannot read', async () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, 'multiarch.config.ts'), '// mine\n');
    const r = await cli(dir, 'import', 'bake', 'docker-bake.hcl');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('multiarch.config.ts already exists; nothing was written');
    expect((await cli(dir, 'import', 'bake', 'missing.hcl', '--force')).stderr).toContain('error cannot read');
    fs.writeFileSync(path.join(dir, 'bad.hcl'), 'target "x" {\n');
    expect((await cli(dir, 'import', 'bake', 'bad.hcl', '--force')).stderr).toContain('error bad.hcl: not valid HCL');
  });
});

describe('multiarch import compose', () => {
  it('writes a config whose plan has the same builds and refs as bake --print of the compose file', async () => {
    const dir = writeProject({ 'compose.yaml': fixture('compose/compose.yaml'), 'api/Dockerfile': DOCKERFILE, 'web/Dockerfile': DOCKERFILE, 'docs/Dockerfile': DOCKERFILE });
    const r = await cli(dir, 'import', 'compose', 'compose.yaml', '--platform', 'linux/amd64');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  - service "db" has no build section (it runs postgres:16): not imported');
    expect(r.stdout).toContain('  - service "api": args.SECRET_FROM_ENV: no value (compose takes it from the environment); left out');
    expect(r.stdout).toContain('  - target "docs": no tags: it is built and tested, not pushed');
    expectGolden('import/compose.config.ts', fs.readFileSync(path.join(dir, 'multiarch.config.ts'), 'utf8'));
    const planned = await loadAndPlan(dir);
    const print = printOf('compose/bake-print.json');
    const bake = bakeOutcome(print, 'linux/amd64');
    expect(planned.builds).toEqual(bake.builds);
    expect(planned.indexRefs).toEqual(bake.refs);
    expectBuildsMatch(planned, print, dir);
  });

  it('resolves ${VAR:-default} the way compose does with an empty environment', () => {
    const { print } = composeToBake(parseYaml(fixture('compose/compose.yaml')), []);
    expect(print.target.api?.tags).toEqual(['ghcr.io/acme/api:1.0']);
    expect(Object.keys(print.target)).toEqual(['api', 'web', 'docs']);
  });
});
