import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/plan/nodes.js';
import type { IncrementalFacts, RegistryFacts } from '../../../src/plan/incremental/types.js';
import { INPUTS_LABEL } from '../../../src/plan/incremental/types.js';
import { plan } from './fixtures.js';
import { BUSYBOX, emptyRegistry, incrementalPlan, inputsFacts, localConfig, registryAfter, sha, world, type World } from './incremental-fixtures.js';

const config = localConfig();

/** The plan for `now`, against a registry holding what `then` published. */
function planAgainst(then: World, now: World, extra: Partial<IncrementalFacts> = {}, mutate?: (r: RegistryFacts) => RegistryFacts): Plan {
  const base = plan(config);
  let registry = registryAfter(base, inputsFacts(then, base), then);
  if (mutate) registry = mutate(registry);
  return incrementalPlan(config, (b) => ({ inputs: inputsFacts(now, b), registry, ...extra }));
}

const actions = (p: Plan) => Object.fromEntries(Object.entries(p.changes!.platforms).map(([id, c]) => [id, c.action]));

describe('incremental plan: decisions from inputs and registry state', () => {
  it('creates everything when nothing is published', () => {
    const p = incrementalPlan(config, (b) => ({ inputs: inputsFacts(world(), b), registry: emptyRegistry() }));
    expect(new Set(Object.values(actions(p)))).toEqual(new Set(['create']));
    expect(p.changes!.platforms['build:base@linux/amd64']!.reasons).toEqual(['not published yet']);
    expect(Object.values(p.changes!.indexes).map((i) => i.action)).toEqual(['create', 'create']);
    expect(p.changes!.summary).toEqual({ build: 6, push: 6, indexCreate: 2, indexUpdate: 0, unchanged: 0 });
  });

  it('changes nothing when the registry holds images with the same inputs', () => {
    const p = planAgainst(world(), world());
    expect(new Set(Object.values(actions(p)))).toEqual(new Set(['up-to-date']));
    expect(Object.values(p.changes!.pushes).every((c) => c.action === 'skip')).toBe(true);
    expect(Object.values(p.changes!.indexes).map((i) => i.action)).toEqual(['unchanged', 'unchanged']);
    // 6 builds, 3 tests, 6 pushes, 2 indexes
    expect(p.changes!.summary).toEqual({ build: 0, push: 0, indexCreate: 0, indexUpdate: 0, unchanged: 17 });
  });

  it('rebuilds an image whose file changed, naming the file, and its ref() dependents', () => {
    const now = world();
    now.files.base!['etc/motd'] = `f 644 ${sha('changed')}`;
    const p = planAgainst(world(), now);
    expect(actions(p)['build:base@linux/arm64']).toBe('rebuild');
    expect(p.changes!.platforms['build:base@linux/arm64']!.reasons).toEqual(['files: modified etc/motd']);
    expect(p.changes!.platforms['build:web@linux/arm64']!.reasons).toEqual(['built on base, which is rebuilt']);
    expect(p.changes!.indexes['index:base:v1->local']).toMatchObject({ action: 'update', children: [
      { platform: 'linux/amd64', change: 'rebuilt' }, { platform: 'linux/arm64', change: 'rebuilt' }, { platform: 'linux/arm/v7', change: 'rebuilt' },
    ] });
  });

  it('notes an image whose whole context counts (and why) and ADD <url> sources it cannot hash', () => {
    const p = incrementalPlan(config, (b) => {
      const inputs = inputsFacts(world(), b);
      const images = { ...inputs.images, web: { ...inputs.images.web!, whole: 'COPY source "$X" (line 2) uses $X, which the Dockerfile does not set (the base image may)', notHashable: ['https://example.com/a.tgz'] } };
      return { inputs: { ...inputs, images }, registry: emptyRegistry() };
    });
    expect(p.notes).toEqual(expect.arrayContaining([
      { image: 'web', message: 'inputs: the whole build context counts, since COPY source "$X" (line 2) uses $X, which the Dockerfile does not set (the base image may)' },
      { image: 'web', message: 'inputs: ADD https://example.com/a.tgz is fetched when it is built, not hashed: a change there alone does not rebuild the image (--force does)' },
    ]));
    expect(p.notes.filter((n) => n.image === 'base' && n.message.startsWith('inputs:'))).toEqual([]);
  });

  it('rebuilds only the image whose context changed when nothing is built on it', () => {
    const now = world();
    now.files.web!['src/new.txt'] = `f 644 ${sha('new')}`;
    delete now.files.web!['src/a.txt'];
    now.files.web!['app.sh'] = `f 644 ${sha('echo')}`;
    const p = planAgainst(world(), now);
    expect(actions(p)['build:base@linux/amd64']).toBe('up-to-date');
    expect(p.changes!.platforms['build:web@linux/amd64']!.reasons).toEqual(['files: modified app.sh (mode); added src/new.txt; removed src/a.txt']);
    expect(p.changes!.summary).toMatchObject({ build: 3, push: 3, indexCreate: 0, indexUpdate: 1 });
  });

  it('names a base image whose digest moved, per platform', () => {
    const now = world();
    now.busybox['linux/arm64'] = sha('busybox v2');
    const p = planAgainst(world(), now);
    expect(actions(p)).toMatchObject({ 'build:base@linux/amd64': 'up-to-date', 'build:base@linux/arm64': 'rebuild', 'build:web@linux/arm64': 'rebuild', 'build:web@linux/amd64': 'up-to-date' });
    expect(p.changes!.platforms['build:base@linux/arm64']!.reasons[0]).toMatch(
      new RegExp(`^base image ${BUSYBOX} \\(linux/arm64\\) changed: sha256:[0-9a-f]{12} → sha256:[0-9a-f]{12}$`),
    );
    expect(p.changes!.indexes['index:base:v1->local']!.children).toEqual([{ platform: 'linux/arm64', change: 'rebuilt' }]);
  });

  it('without the earlier details, still says what kind of thing changed', () => {
    const now = world();
    now.dockerfiles.web = sha('other');
    const p = planAgainst(world(), now, {}, (r) => ({ ...r, details: {} }));
    expect(p.changes!.platforms['build:web@linux/amd64']!.reasons).toEqual(['the published image records other inputs (no details of them are known here)']);
    const q = planAgainst(world(), now, {}, (r) => ({ ...r, files: {} }));
    expect(q.changes!.platforms['build:web@linux/amd64']!.reasons).toEqual(['Dockerfile changed']);
  });

  it('rebuilds an image built on a base whose published digest moved while its inputs stayed', () => {
    // base was rebuilt elsewhere from the same inputs (a non-reproducible build): new digest.
    const p = planAgainst(world(), world(), {}, (r) => {
      const tags = { ...r.tags };
      const ref = '127.0.0.1:5000/team/base:v1-linux-arm64';
      tags[ref] = { ...tags[ref]!, digest: sha('rebuilt elsewhere') };
      return { ...r, tags };
    });
    expect(actions(p)).toMatchObject({ 'build:base@linux/arm64': 'up-to-date', 'build:web@linux/arm64': 'rebuild', 'build:web@linux/amd64': 'up-to-date' });
    expect(p.changes!.platforms['build:web@linux/arm64']!.reasons).toEqual([
      expect.stringMatching(/^arg BASE: base is now sha256:[0-9a-f]{12}, the image was built on sha256:[0-9a-f]{12}$/),
    ]);
  });

  it('--force rebuilds the image and what is built on it', () => {
    const p = planAgainst(world(), world(), { force: ['base'] });
    expect(new Set(Object.values(actions(p)))).toEqual(new Set(['rebuild']));
    expect(p.changes!.platforms['build:base@linux/amd64']!.reasons).toEqual(['forced (--force)']);
    expect(p.changes!.platforms['build:web@linux/amd64']!.reasons).toEqual(['built on base, which is rebuilt']);
  });

  it('retags when a tag of the registry points elsewhere, and copies to a registry that lacks the image', () => {
    const two = localConfig({ web: { publish: [{ registry: 'local', repository: 'team/web' }, { registry: 'hub', repository: 'team/web' }] } });
    (two as { registries: Record<string, unknown> }).registries.hub = { url: 'registry.example.com' };
    const base = plan(two);
    const registry = registryAfter(base, inputsFacts(world(), base), world());
    const tags = { ...registry.tags };
    for (const key of Object.keys(tags)) if (key.startsWith('registry.example.com/')) tags[key] = null;
    const p = incrementalPlan(two, (b) => ({ inputs: inputsFacts(world(), b), registry: { ...registry, tags, manifests: {} } }));
    expect(actions(p)['build:web@linux/amd64']).toBe('copy');
    expect(p.changes!.pushes['push:web@linux/amd64->hub']).toMatchObject({
      action: 'copy',
      from: { target: 'local', repository: 'team/web', ref: expect.stringMatching(/^127\.0\.0\.1:5000\/team\/web@sha256:/) },
      write: ['registry.example.com/team/web:v1-linux-amd64'],
    });
    expect(p.changes!.pushes['push:web@linux/amd64->local']!.action).toBe('skip');
    expect(p.changes!.indexes['index:web:v1->hub']!.action).toBe('create');
    expect(p.changes!.indexes['index:web:v1->local']!.action).toBe('unchanged');
    expect(actions(p)['build:base@linux/amd64']).toBe('up-to-date');
  });

  it('each node carries what apply does: reuse, copy and skip for the current image, a build for a changed one', () => {
    const two = localConfig({ web: { publish: [{ registry: 'local', repository: 'team/web' }, { registry: 'hub', repository: 'team/web' }] } });
    (two as { registries: Record<string, unknown> }).registries.hub = { url: 'registry.example.com' };
    const base = plan(two);
    const registry = registryAfter(base, inputsFacts(world(), base), world());
    const tags = { ...registry.tags };
    for (const key of Object.keys(tags)) if (key.startsWith('registry.example.com/')) tags[key] = null;
    const now = world();
    now.files.base!['etc/motd'] = `f 644 ${sha('changed')}`;
    const unchanged = incrementalPlan(two, (b) => ({ inputs: inputsFacts(world(), b), registry: { ...registry, tags, manifests: {} } }));
    const web = unchanged.nodes['build:web@linux/amd64']!;
    expect(web.kind === 'build' && web.action).toMatchObject({ type: 'reuse', published: { target: 'local', repository: 'team/web' }, why: expect.stringMatching(/^copy: /) });
    expect(unchanged.nodes[Object.keys(unchanged.nodes).find((id) => id.startsWith('test:'))!]!).toMatchObject({ action: { type: 'skip', why: 'tested when it was built' } });
    expect(unchanged.nodes['push:web@linux/amd64->local']!).toMatchObject({ action: { type: 'skip' } });
    expect(unchanged.nodes['push:web@linux/amd64->hub']!).toMatchObject({
      action: { type: 'copy', from: { target: { name: 'local' }, repository: 'team/web' }, write: [{ repository: 'team/web', tag: 'v1-linux-amd64' }] },
    });
    expect(unchanged.nodes['index:web:v1->local']!).toMatchObject({ action: { type: 'skip', current: expect.stringMatching(/^sha256:/) } });
    expect(unchanged.nodes['index:web:v1->hub']!).toMatchObject({ action: { type: 'write' } });
    const changed = incrementalPlan(two, (b) => ({ inputs: inputsFacts(now, b), registry: { ...registry, tags, manifests: {} } }));
    expect(changed.nodes['build:base@linux/amd64']!).toMatchObject({ action: { type: 'build', record: { detail: { platform: 'linux/amd64' } } } });
    expect(changed.nodes['build:web@linux/amd64']!).toMatchObject({ action: { type: 'build' } });
    expect(changed.nodes['push:web@linux/amd64->hub']!).toMatchObject({ action: { type: 'push' } });
  });

  it('retags within the registry when another tag of the same image holds it', () => {
    const twoTags = localConfig({ base: { tags: ['v1', 'stable'] } });
    const base = plan(localConfig());
    const registry = registryAfter(base, inputsFacts(world(), base), world());
    const p = incrementalPlan(twoTags, (b) => ({ inputs: inputsFacts(world(), b), registry }));
    expect(actions(p)['build:base@linux/amd64']).toBe('retag');
    expect(p.changes!.pushes['push:base@linux/amd64->local']).toMatchObject({ action: 'retag', write: ['127.0.0.1:5000/team/base:stable-linux-amd64'] });
    expect(p.changes!.indexes['index:base:stable->local']!.action).toBe('create');
    expect(p.changes!.indexes['index:base:v1->local']!.action).toBe('unchanged');
  });

  it('records the inputs digest as a label and as an index child annotation', () => {
    const p = planAgainst(world(), world());
    const build = p.nodes['build:base@linux/amd64']!;
    const digest = p.changes!.platforms['build:base@linux/amd64']!.inputs;
    expect(build.kind === 'build' && build.labels[INPUTS_LABEL]).toBe(digest);
    const index = p.nodes['index:base:v1->local']!;
    expect(index.kind === 'index' && index.children[0]!.annotations).toEqual({ [INPUTS_LABEL]: digest });
    expect(p.facts).not.toHaveProperty('incremental');
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('git labels are not inputs: a new commit changes nothing', () => {
    const base = plan(config, { git: { revision: 'aaa', created: '2024-01-01T00:00:00Z' } });
    const registry = registryAfter(base, inputsFacts(world(), base), world());
    const p = incrementalPlan(config, (b) => ({ inputs: inputsFacts(world(), b), registry }), { git: { revision: 'bbb', created: '2024-02-02T00:00:00Z' } });
    expect(new Set(Object.values(actions(p)))).toEqual(new Set(['up-to-date']));
  });

  it('offline: unknown tags mean create, and unresolved base images mean rebuild', () => {
    const p = incrementalPlan(config, (b) => {
      const inputs = inputsFacts(world(), b);
      const bases = { ...inputs.bases, 'build:base@linux/amd64': [{ ref: BUSYBOX, platform: 'linux/amd64', problem: 'is not known on this machine (offline, never resolved here)' }] };
      return { inputs: { ...inputs, bases }, registry: { ...emptyRegistry(), source: 'local' } };
    });
    expect(p.changes!.platforms['build:base@linux/amd64']!.reasons).toEqual([`base image ${BUSYBOX} is not known on this machine (offline, never resolved here)`]);
    expect(p.changes!.platforms['build:base@linux/arm64']!.reasons).toEqual(['not seen on this machine before (offline: registries not read)']);
    expect(p.changes!.source).toBe('local');
  });
});
