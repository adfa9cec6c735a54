import { describe, expect, it } from 'vitest';
import { createImageManifest } from '../../../src/image/manifest.js';
import type { RegistryFacts } from '../../../src/plan/incremental/types.js';
import type { Plan } from '../../../src/plan/nodes.js';
import { localConfig, node, plan, resolve } from './fixtures.js';
import { incrementalPlan, inputsFacts, registryAfter, world } from './incremental-fixtures.js';

const withAnnotations = (annotations: unknown, publish?: unknown) => localConfig({ web: { annotations, ...(publish ? { publish } : {}) } });

describe('annotations', () => {
  it('flat: on the index and on every platform manifest', () => {
    const p = plan(withAnnotations({ 'org.opencontainers.image.vendor': 'Acme' }));
    expect(node(p, 'index', 'index:web:v1->local').annotations).toEqual({ 'org.opencontainers.image.vendor': 'Acme' });
    expect(node(p, 'push', 'push:web@linux/arm64->local').annotations).toEqual({ 'org.opencontainers.image.vendor': 'Acme' });
  });

  it('placed: index and manifest apart', () => {
    const p = plan(withAnnotations({ index: { a: '1' }, manifest: { b: '2' } }));
    expect(node(p, 'index', 'index:web:v1->local').annotations).toEqual({ a: '1' });
    expect(node(p, 'push', 'push:web@linux/arm64->local').annotations).toEqual({ b: '2' });
  });

  it('a platform manifest carries them in OCI form only', () => {
    const image = { config: { digest: 'sha256:c', size: 1 }, layers: [] };
    expect(JSON.parse(createImageManifest(image, 'oci', { b: '2' }).bytes.toString()).annotations).toEqual({ b: '2' });
    expect(JSON.parse(createImageManifest(image, 'docker', { b: '2' }).bytes.toString()).annotations).toBeUndefined();
  });

  it('a Docker-format target is a config error naming it', () => {
    expect(() => resolve(withAnnotations({ a: '1' }, [{ registry: 'local', repository: 'team/web', format: 'docker' }]))).toThrow(
      /publish target \\"local\\" \(team\/web\) is Docker format, which cannot carry the image's annotations/,
    );
  });

  it('an annotation change updates the index and rebuilds nothing', () => {
    const config = withAnnotations({ index: { a: '1' } });
    const base = plan(config);
    const registry = registryAfter(base, inputsFacts(world(), base), world());
    const annotate = (r: RegistryFacts, value: string): RegistryFacts => ({
      ...r,
      tags: Object.fromEntries(Object.entries(r.tags).map(([ref, t]) => [ref, t && t.children && ref.includes('team/web:') ? { ...t, annotations: { a: value } } : t])),
    });
    const decide = (value: string): Plan => incrementalPlan(config, (b) => ({ inputs: inputsFacts(world(), b), registry: annotate(registry, value) }));
    expect(decide('1').changes!.summary).toMatchObject({ build: 0, push: 0, indexUpdate: 0 });
    expect(decide('0').changes!.summary).toMatchObject({ build: 0, push: 0, indexUpdate: 1 });
  });
});

describe('platformTag: false', () => {
  it('platform images go by digest only, into the index repository', () => {
    const p = plan(localConfig({ web: { publish: [{ registry: 'local', repository: 'team/web', platformTag: false }] } }));
    const push = node(p, 'push', 'push:web@linux/arm64->local');
    expect(push.refs).toEqual([]);
    expect(push.digestRepositories).toEqual(['team/web']);
  });

  it('with a platform repository: by digest there and in the index repository', () => {
    const p = plan(localConfig({ web: { publish: [{ registry: 'local', repository: 'team/web', platformRepository: 'team/web-{arch}', platformTag: false }] } }));
    expect(node(p, 'push', 'push:web@linux/arm64->local').digestRepositories).toEqual(['team/web-arm64', 'team/web']);
  });
});
