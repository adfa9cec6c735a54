/**
 * A `ref()` base published only to an OCI layout: a direct-assembled consumer reads it from the
 * layout (its arg is the layout ref `oci:<dir>:<repository>`), an engine build cannot — a plan
 * error naming the image, the arg, the Dockerfile line and the fix, every such image at once.
 */
import { describe, expect, it } from 'vitest';
import { ref } from '../../../src/config/ref.js';
import type { DockerfileFact } from '../../../src/plan/build-path.js';
import type { Plan, RefArg } from '../../../src/plan/nodes.js';
import { toShardPlan } from '../../../src/plan/shard-plan.js';
import { node, plan } from './fixtures.js';

function layoutConfig(app: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    registries: { out: { url: 'oci:./out/base' }, local: { url: '127.0.0.1:5000', insecure: true } },
    images: {
      base: { context: './base', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], publish: [{ registry: 'out', repository: 'team/base' }] },
      app: { context: './app', platforms: ['linux/amd64', 'linux/arm64'], tags: ['v1'], args: { BASE: ref('base') }, publish: [{ registry: 'local', repository: 'team/app' }], ...app },
      ...extra,
    },
  };
}

const direct: DockerfileFact = { direct: true };
const run: DockerfileFact = { direct: false, instruction: 'RUN', line: 3, why: 'runs a command' };

describe('ref() of an image only in an OCI layout', () => {
  it('a direct consumer builds on the layout copy, after the push that writes it', () => {
    const p = plan(layoutConfig(), { dockerfiles: { base: direct, app: direct } });
    const build = node(p, 'build', 'build:app@linux/arm64');
    expect(build.direct).toBeDefined();
    expect((build.args.BASE as RefArg).ref).toEqual({ image: 'base', node: 'push:base@linux/arm64->out', repository: 'oci:/abs/dir/out/base:team/base' });
    expect(build.deps).toContain('push:base@linux/arm64->out');
  });

  it('prefers a registry copy when the base has one (an engine can pull it)', () => {
    const base = { publish: [{ registry: 'out', repository: 'team/base' }, { registry: 'local', repository: 'team/base' }] };
    const cfg = layoutConfig();
    const p = plan({ ...cfg, images: { ...cfg.images, base: { ...cfg.images.base, ...base } } }, { dockerfiles: { base: direct, app: run } });
    expect((node(p, 'build', 'build:app@linux/amd64').args.BASE as RefArg).ref.repository).toBe('127.0.0.1:5000/team/base');
  });

  it('an engine consumer is a plan error naming each image, arg, instruction and the fix, all at once', () => {
    const other = { other: { context: './other', platforms: ['linux/amd64'], tags: ['v1'], args: { B: ref('base') }, build: { engine: 'docker' }, publish: [{ registry: 'local', repository: 'team/other' }] } };
    let error: unknown;
    try {
      plan(layoutConfig({}, other), { dockerfiles: { base: direct, app: run, other: direct } });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'E_CONFIG_INVALID',
      message: '/abs/dir/multiarch.config.ts: 2 images cannot be built on an engine',
      details: [
        'images.app.args.BASE is ref("base"), which is published only to the OCI layout /abs/dir/out/base, but app is built on an engine (/abs/dir/app/Dockerfile:3: RUN runs a command), and an engine cannot read an OCI layout: publish base to a registry too, or make app buildable without an engine',
        expect.stringContaining("images.other.args.B is ref(\"base\"), which is published only to the OCI layout /abs/dir/out/base, but other is built on an engine (build.engine is 'docker')"),
      ],
      hint: expect.stringContaining('publish the base to a registry too'),
    });
  });

  it("is reported with the engine: 'direct' problems in the same error", () => {
    const wrong = { bad: { context: './bad', platforms: ['linux/amd64'], tags: ['v1'], build: { engine: 'direct' }, publish: [{ registry: 'local', repository: 'team/bad' }] } };
    expect(() => plan(layoutConfig({}, wrong), { dockerfiles: { base: direct, app: run, bad: run } })).toThrow(
      expect.objectContaining({ message: '/abs/dir/multiarch.config.ts: 2 images cannot be built as configured', details: [expect.stringContaining("images.bad.build.engine is 'direct'"), expect.stringContaining('images.app.args.BASE')] }),
    );
  });

  it('ref() naming a layout target is read from it, and an engine build on it is told so', () => {
    const cfg = layoutConfig({ args: { BASE: ref('base', { registry: 'out' }) } });
    const base = { ...cfg.images.base, publish: [{ registry: 'local', repository: 'team/base' }, { registry: 'out', repository: 'team/base' }] };
    const input = { ...cfg, images: { ...cfg.images, base } };
    expect((node(plan(input, { dockerfiles: { base: direct, app: direct } }), 'build', 'build:app@linux/amd64').args.BASE as RefArg).ref.repository).toBe('oci:/abs/dir/out/base:team/base');
    expect(() => plan(input, { dockerfiles: { base: direct, app: run } })).toThrow(
      expect.objectContaining({ details: [expect.stringContaining('images.app.args.BASE is ref("base", { registry: "out" }), which names the OCI layout /abs/dir/out/base, but app is built on an engine')] }),
    );
  });

  it("engine: 'direct' on a Dockerfile with RUN is one problem, not two", () => {
    expect(() => plan(layoutConfig({ build: { engine: 'direct' } }), { dockerfiles: { base: direct, app: run } })).toThrow(
      expect.objectContaining({ message: '/abs/dir/multiarch.config.ts: an image cannot be assembled without an engine', details: [expect.stringContaining("images.app.build.engine is 'direct'")] }),
    );
  });

  it('a test (run on an engine) makes the consumer an engine build, so an error too', () => {
    expect(() => plan(layoutConfig({ test: { command: ['true'] } }), { dockerfiles: { base: direct, app: direct } })).toThrow(
      expect.objectContaining({ details: [expect.stringContaining('(its test runs the image on an engine)')] }),
    );
  });

  it('graph (no Dockerfile facts) plans it without judging', () => {
    expect(() => plan(layoutConfig(), {})).not.toThrow();
  });

  it('in a shard, a consumer of a current layout base stays direct (read from the layout); of one the shard builds, it takes the local tag', () => {
    const full = plan(layoutConfig(), { dockerfiles: { base: direct, app: direct } }, { platforms: ['linux/arm64'] });
    const built = toShardPlan(full, '/ci/shard');
    expect(node(built, 'build', 'build:app@linux/arm64')).toMatchObject({ engineReason: 'in a shard, ref() bases pass through the engine (local tags)' });
    expect((node(built, 'build', 'build:app@linux/arm64').args.BASE as RefArg).ref.local).toBe(node(built, 'build', 'build:base@linux/arm64').localTag);
    const published = { digest: `sha256:${'b'.repeat(64)}`, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 500, ref: 'oci:/abs/dir/out/base:team/base:v1-linux-arm64', target: 'out', host: 'oci:/abs/dir/out/base', repository: 'team/base' };
    const baseId = 'build:base@linux/arm64';
    const detail = { platform: 'linux/arm64', builder: 'buildkit', context: published.digest, dockerfile: published.digest, target: null, args: {}, bases: {}, labels: {} };
    const current: Plan = {
      ...full,
      nodes: { ...full.nodes, [baseId]: { ...node(full, 'build', baseId), action: { type: 'reuse', published, inputs: { digest: published.digest, detail }, why: 'current' } } },
      changes: { source: 'registry', platforms: { [baseId]: { image: 'base', platform: 'linux/arm64', action: 'up-to-date', inputs: published.digest, detail, reasons: [], current: published } }, pushes: {}, indexes: {}, summary: { build: 0, push: 0, indexCreate: 0, indexUpdate: 0, unchanged: 0 }, fingerprint: { inputs: {}, tags: {} } },
    };
    const app = node(toShardPlan(current, '/ci/shard'), 'build', 'build:app@linux/arm64');
    expect(app.direct).toBeDefined();
    expect((app.args.BASE as RefArg).ref).toMatchObject({ repository: 'oci:/abs/dir/out/base:team/base' });
    expect((app.args.BASE as RefArg).ref.local).toBeUndefined();
  });
});
