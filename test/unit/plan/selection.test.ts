import { describe, expect, it } from 'vitest';
import { createPlan } from '../../../src/plan/create-plan.js';
import { resolveSelection } from '../../../src/plan/selection.js';
import { ids, localConfig, node, plan, resolve } from './fixtures.js';

describe('resolveSelection', () => {
  it('selects every image and every platform by default', () => {
    const config = resolve(localConfig());
    expect(resolveSelection(config, {})).toEqual({ ok: true, selection: { images: new Set(['base', 'web']), implied: [] } });
    expect(resolveSelection(config, { images: [], platforms: [] })).toEqual({ ok: true, selection: { images: new Set(['base', 'web']), implied: [] } });
  });

  it('brings in the images a selected image is built on, and says which they are', () => {
    const r = resolveSelection(resolve(localConfig()), { images: ['web'] });
    expect(r).toEqual({ ok: true, selection: { images: new Set(['web', 'base']), implied: ['base'] } });
  });

  it('selects a base image alone without its dependents', () => {
    const r = resolveSelection(resolve(localConfig()), { images: ['base', 'base'] });
    expect(r).toEqual({ ok: true, selection: { images: new Set(['base']), implied: [] } });
  });

  it('rejects an unknown image with a suggestion and the list of images', () => {
    expect(resolveSelection(resolve(localConfig()), { images: ['wbe'] })).toEqual({
      ok: false,
      message: '--image wbe: there is no image "wbe" in /abs/dir/multiarch.config.ts — did you mean "web"?',
      hint: 'images are: base, web',
    });
    const far = resolveSelection(resolve(localConfig()), { images: ['database'] });
    expect(far.ok).toBe(false);
    if (!far.ok) expect(far.message).toBe('--image database: there is no image "database" in /abs/dir/multiarch.config.ts');
  });

  it('canonicalises platforms (aliases, arm64/v8) and rejects unknown ones', () => {
    const config = resolve(localConfig());
    const r = resolveSelection(config, { platforms: ['aarch64', 'arm64/v8', 'linux/arm'] });
    expect(r).toEqual({ ok: true, selection: { images: new Set(['base', 'web']), platforms: new Set(['linux/arm64', 'linux/arm/v7']), implied: [] } });
    expect(resolveSelection(config, { platforms: ['linux/arm65'] })).toEqual({
      ok: false,
      message: '--platform "linux/arm65" is not a platform — did you mean "linux/arm64"?',
      hint: 'e.g. --platform linux/arm64',
    });
  });
});

describe('createPlan with a selection', () => {
  it('--image web plans base too, with a note saying why', () => {
    const p = plan(localConfig(), {}, { images: ['web'] });
    expect(p.notes).toEqual([{ image: 'base', message: 'included because a selected image is built on it (ref)' }]);
    expect(ids(p, 'index')).toEqual(['index:base:v1->local', 'index:web:v1->local']);
  });

  it('--image base plans nothing of web', () => {
    const p = plan(localConfig(), {}, { images: ['base'] });
    expect(Object.values(p.nodes).every((n) => n.image === 'base')).toBe(true);
    expect(p.notes).toEqual([]);
  });

  it('--platform for a subset builds and pushes only those platforms, writes no index, and says so', () => {
    const p = plan(localConfig(), {}, { platforms: ['linux/arm64'] });
    expect(p.order).toEqual([
      'build:base@linux/arm64',
      'test:base@linux/arm64',
      'push:base@linux/arm64->local',
      'build:web@linux/arm64',
      'push:web@linux/arm64->local',
    ]);
    expect(ids(p, 'index')).toEqual([]);
    expect(p.notes).toEqual([
      { image: 'base', message: 'no multi-arch index is written: only linux/arm64 of its 3 platforms are selected' },
      { image: 'web', message: 'no multi-arch index is written: only linux/arm64 of its 3 platforms are selected' },
    ]);
    expect(node(p, 'build', 'build:web@linux/arm64').deps).toEqual(['push:base@linux/arm64->local']);
  });

  it('does not copy partial pushes into an index repository no index will be written to', () => {
    const input = {
      registries: { hub: { url: 'docker.io' } },
      images: {
        web: {
          context: './web',
          platforms: ['linux/amd64', 'linux/arm64'],
          tags: ['v1'],
          publish: [{ registry: 'hub', repository: 'org/multi-arch', platformRepository: 'org/web-{arch}', platformTag: '{tag}' }],
        },
      },
    };
    expect(node(plan(input), 'push', 'push:web@linux/amd64->hub').digestRepositories).toEqual(['org/multi-arch']);
    expect(node(plan(input, {}, { platforms: ['linux/amd64'] }), 'push', 'push:web@linux/amd64->hub').digestRepositories).toEqual([]);
  });

  it('notes an image none of whose platforms is selected, and an unpublished subset gets no index note', () => {
    const p = plan(
      {
        images: {
          a: { context: './a', platforms: ['linux/amd64'], tags: ['v1'] },
          b: { context: './b', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'] },
        },
      },
      {},
      { platforms: ['linux/arm64'] },
    );
    expect(p.order).toEqual(['build:b@linux/arm64']);
    expect(p.notes).toEqual([{ image: 'a', message: 'none of its platforms is selected' }]);
  });

  it('selecting every platform of an image explicitly still writes its index', () => {
    const p = plan(localConfig(), {}, { platforms: ['linux/arm/v7', 'linux/arm64', 'linux/amd64'] });
    expect(ids(p, 'index')).toEqual(['index:base:v1->local', 'index:web:v1->local']);
    expect(p.notes).toEqual([]);
  });

  it('only plans selected images even when createPlan is given the config directly', () => {
    const config = resolve(localConfig());
    const p = createPlan(config, {}, { images: new Set(['base']), platforms: new Set(['linux/amd64']), implied: [] });
    expect(p.order).toEqual(['build:base@linux/amd64', 'test:base@linux/amd64', 'push:base@linux/amd64->local']);
  });
});

describe('--image patterns', () => {
  const names = ['svc-api', 'svc-worker', 'web/app', 'web/admin/ui', 'db'];
  it('matches globs within a name part, ** across parts, exact names as they are', async () => {
    const { matchImages } = await import('../../../src/plan/image-patterns.js');
    expect(matchImages(names, ['svc-*']).images).toEqual(['svc-api', 'svc-worker']);
    expect(matchImages(names, ['web/*']).images).toEqual(['web/app']);
    expect(matchImages(names, ['web/**']).images).toEqual(['web/app', 'web/admin/ui']);
    expect(matchImages(names, ['svc-?pi', 'db', 'db']).images).toEqual(['svc-api', 'db']);
    expect(matchImages(names, ['[sd]*']).images).toEqual(['svc-api', 'svc-worker', 'db']);
    expect(matchImages(names, ['web.*']).images).toEqual([]);
    expect(matchImages(names, ['nope-*', 'svc-*', 'zz']).unmatched).toEqual(['nope-*', 'zz']);
  });

  it('selects by pattern and names every pattern that matches nothing', () => {
    const config = resolve(localConfig());
    expect(resolveSelection(config, { images: ['w*'] })).toEqual({ ok: true, selection: { images: new Set(['web', 'base']), implied: ['base'] } });
    const r = resolveSelection(config, { images: ['api-*', 'wbe'] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toBe('--image api-*: the pattern matches no image in /abs/dir/multiarch.config.ts\n--image wbe: there is no image "wbe" in /abs/dir/multiarch.config.ts — did you mean "web"?');
      expect(r.hint).toContain('images are: base, web');
      expect(r.hint).toContain('**');
    }
  });
});
