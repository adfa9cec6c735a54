import { describe, expect, it } from 'vitest';
import { cacheIssues } from '../../../src/plan/cache-plan.js';
import type { BuildNode, Plan } from '../../../src/plan/nodes.js';
import { node, plan, resolve } from './fixtures.js';
import { incrementalPlan, inputsFacts, localConfig, registryAfter, world } from './incremental-fixtures.js';

const buildkit = { builder: { kind: 'buildkit' as const, description: 'docker build', nativePlatform: 'linux/amd64', emulated: ['aarch64'] } };

/** The plan after a file of web changed, against a registry holding what was published before. */
function changedPlan(config: unknown, mutate: (r: ReturnType<typeof registryAfter>) => ReturnType<typeof registryAfter> = (r) => r): Plan {
  const base = plan(config, buildkit);
  const registry = mutate(registryAfter(base, inputsFacts(world(), base), world()));
  const now = world();
  now.files.web!['index.html'] = 'f 644 sha256:changed';
  return incrementalPlan(config, (b) => ({ inputs: inputsFacts(now, b), registry }), buildkit);
}

const build = (p: Plan, id: string) => node(p, 'build', id) as BuildNode;

describe('cache plan: the automatic source and explicit settings', () => {
  it('takes the platform child of the published index, by digest, and embeds inline cache', () => {
    const p = changedPlan(localConfig());
    const registry = registryAfter(plan(localConfig(), buildkit), inputsFacts(world(), plan(localConfig(), buildkit)), world());
    const children = registry.tags['127.0.0.1:5000/team/web:v1']!.children!;
    for (const platform of ['linux/amd64', 'linux/arm64', 'linux/arm/v7']) {
      const cache = build(p, `build:web@${platform}`).cache!;
      const child = children.find((c) => c.platform === platform)!;
      expect(cache.from).toEqual([{ type: 'registry', ref: `127.0.0.1:5000/team/web@${child.digest}`, automatic: true }]);
      expect(cache.to).toEqual([{ type: 'inline' }]);
      expect(cache.none).toBeUndefined();
    }
  });

  it('names no source, and says why, when not published or the index lacks the platform', () => {
    const fresh = incrementalPlan(localConfig(), (b) => ({ inputs: inputsFacts(world(), b), registry: { source: 'registry', tags: {}, manifests: {}, details: {}, files: {} } }), buildkit);
    expect(build(fresh, 'build:web@linux/arm64').cache).toEqual({ from: [], to: [{ type: 'inline' }], none: 'not published yet' });
    const other = changedPlan(localConfig(), (r) => {
      const index = r.tags['127.0.0.1:5000/team/web:v1']!;
      return { ...r, tags: { ...r.tags, '127.0.0.1:5000/team/web:v1': { ...index, children: index.children!.filter((c) => c.platform === 'linux/amd64') } } };
    });
    // Never another platform's image: reported, no source.
    expect(build(other, 'build:web@linux/arm64').cache!.none).toBe('127.0.0.1:5000/team/web:v1 holds no linux/arm64 image (only linux/amd64)');
    expect(build(other, 'build:web@linux/arm64').cache!.from).toEqual([]);
  });

  it('when the tags moved, takes the child of the index published under an earlier tag, and says where it was found', () => {
    const published = registryAfter(plan(localConfig(), buildkit), inputsFacts(world(), plan(localConfig(), buildkit)), world());
    const children = published.tags['127.0.0.1:5000/team/web:v1']!.children!;
    // The tag v1 does not exist (a new tag per commit): only an earlier one does.
    const moved = incrementalPlan(
      localConfig(),
      (b) => ({
        inputs: inputsFacts(world(), b),
        registry: {
          source: 'registry',
          tags: {},
          manifests: {},
          details: {},
          files: {},
          previous: { web: { ref: '127.0.0.1:5000/team/web:sha-1a2b3c4', from: 'tag of commit 1a2b3c4d5e6f (HEAD~1)', children: children.filter((c) => c.platform !== 'linux/arm/v7') } },
        },
      }),
      buildkit,
    );
    const arm64 = children.find((c) => c.platform === 'linux/arm64')!;
    expect(build(moved, 'build:web@linux/arm64').cache!.from).toEqual([
      { type: 'registry', ref: `127.0.0.1:5000/team/web@${arm64.digest}`, automatic: true, earlier: '127.0.0.1:5000/team/web:sha-1a2b3c4, tag of commit 1a2b3c4d5e6f (HEAD~1)' },
    ]);
    // Never another platform's image, also here.
    expect(build(moved, 'build:web@linux/arm/v7').cache).toEqual({
      from: [],
      to: [{ type: 'inline' }],
      none: '127.0.0.1:5000/team/web:sha-1a2b3c4 (tag of commit 1a2b3c4d5e6f (HEAD~1)) holds no linux/arm/v7 image',
    });
  });

  it('cache: false and the legacy builder have no cache; explicit entries are rendered per platform', () => {
    const off = plan(localConfig({ web: { cache: false } }), buildkit);
    expect(build(off, 'build:web@linux/arm64').cache).toEqual({ from: [], to: [], none: 'cache: false in the config' });
    const legacy = plan(localConfig(), { builder: { ...buildkit.builder, kind: 'legacy' } });
    expect(build(legacy, 'build:web@linux/arm64').cache!.none).toBe('the legacy builder has no remote cache');
    const explicit = plan(
      localConfig({ web: { cache: { from: [{ registry: 'local', repository: 'team/cache' }, { type: 'gha' }], to: [{ registry: 'local', repository: 'team/cache', mode: 'max' }, { type: 'local', dir: './.cache' }] } } }),
      { builder: { ...buildkit.builder, kind: 'buildx' } },
    );
    expect(build(explicit, 'build:web@linux/arm/v7').cache).toEqual({
      from: [{ type: 'registry', ref: '127.0.0.1:5000/team/cache:cache-web-linux-arm-v7' }, { type: 'gha', scope: 'web-linux-arm-v7' }],
      to: [{ type: 'inline' }, { type: 'registry', ref: '127.0.0.1:5000/team/cache:cache-web-linux-arm-v7', mode: 'max' }, { type: 'local', dir: '/abs/dir/.cache' }],
      none: 'registry state not read',
    });
  });

  it('says what classic BuildKit and the legacy builder cannot do, naming the builder and the alternative', () => {
    const config = resolve(
      localConfig({ web: { cache: { from: [{ type: 'gha' }, { registry: 'local', repository: 'team/c' }], to: [{ type: 'local', dir: 'c' }, { registry: 'local', repository: 'team/c', mode: 'max' }] } } }),
    );
    const issues = cacheIssues(config, new Set(['web', 'base']), 'buildkit', 'docker 20.10');
    expect(issues.map((i) => [i.path.join('.'), i.message, i.hint])).toEqual([
      ['images.web.cache.from.0', 'a gha cache source needs buildx: classic BuildKit (docker 20.10) reads and writes only inline cache', 'install buildx, or use a { registry, repository } source'],
      ['images.web.cache.to.0', 'a local cache target needs buildx: classic BuildKit (docker 20.10) reads and writes only inline cache, embedded in the published image', 'install buildx, or remove the target (the automatic cache needs none)'],
      ['images.web.cache.to.1', 'a registry cache target needs buildx: classic BuildKit (docker 20.10) reads and writes only inline cache, embedded in the published image', 'install buildx, or remove the target (the automatic cache needs none)'],
    ]);
    expect(cacheIssues(config, new Set(['web']), 'buildx', 'docker buildx')).toEqual([]);
    expect(cacheIssues(config, new Set(['web']), 'legacy', 'docker 20.10')[0]!.message).toBe('the legacy builder (docker 20.10) has no remote cache');
  });

  it('rejects a cache ref on an unknown registry in the config', () => {
    expect(() => resolve(localConfig({ web: { cache: { from: [{ registry: 'nope', repository: 'x' }] } } }))).toThrow(/nope.{0,4} is not a key of registries/);
  });
});
