/**
 * The sharded CI plans: a shard stores each image and platform once per manifest format in its
 * layout (no registry, no index) and takes a ref() base from its own engine; a merge publishes
 * from the shards with the normal push/index ordering, and refuses — with every reason at once —
 * shards that miss a platform, disagree, or were built from other inputs than this checkout.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatPlatform } from '../../../src/config/platform.js';
import { configInputs, refArgValue } from '../../../src/plan/incremental/inputs-digest.js';
import { INPUTS_LABEL, type InputsDetail, type PlatformChange, type TagState } from '../../../src/plan/incremental/types.js';
import { toMergePlan, type ShardContents, type ShardImage } from '../../../src/plan/merge-plan.js';
import type { BuildNode, Plan, PushNode } from '../../../src/plan/nodes.js';
import { toShardPlan } from '../../../src/plan/shard-plan.js';
import { toPlanJson } from '../../../src/ui/plan/plan-json.js';
import { fromPlanJson } from '../../../src/ui/plan/plan-json-read.js';
import { planJsonSchema } from '../../../src/ui/plan/plan-json-schema.js';
import { ids, localConfig, node, plan, THREE } from './fixtures.js';

const DIR = '/ci/shard-arm64';
const digest = (seed: string) => `sha256:${seed.padEnd(64, '0')}`;

function twoTargets() {
  const config = localConfig();
  return {
    ...config,
    registries: { ...config.registries, ghcr: { url: 'ghcr.io' }, quay: { url: 'quay.io' } },
    images: {
      ...config.images,
      web: {
        ...config.images.web,
        publish: [
          { registry: 'local', repository: 'team/web' },
          { registry: 'ghcr', repository: 'acme/web' },
          { registry: 'quay', repository: 'acme/web', format: 'docker' },
        ],
      },
    },
  };
}

describe('toShardPlan', () => {
  it('stores each platform image once per format in the layout, gated as before, and writes no index', () => {
    const full = plan(twoTargets(), {}, { platforms: ['linux/arm64'] });
    const shard = toShardPlan(full, DIR);
    expect(ids(shard, 'index')).toEqual([]);
    expect(ids(shard, 'push')).toEqual(['push:base@linux/arm64->shard', 'push:web@linux/arm64->shard-oci', 'push:web@linux/arm64->shard-docker']);
    const base = node(shard, 'push', 'push:base@linux/arm64->shard');
    expect(base.target).toMatchObject({ name: 'shard', layout: DIR, host: `oci:${DIR}` });
    expect(base.refs).toEqual([{ repository: 'base', tag: 'linux-arm64' }]);
    expect(base.deps).toEqual(['test:base@linux/arm64']);
    expect(base.digestRepositories).toEqual([]);
    expect(node(shard, 'push', 'push:web@linux/arm64->shard-docker')).toMatchObject({ format: 'docker', refs: [{ repository: 'web', tag: 'linux-arm64-docker' }] });
    expect(node(shard, 'push', 'push:web@linux/arm64->shard-oci').copyFrom).toBeUndefined();
  });

  it('builds a dependent image on the base this shard built, from the builder’s engine', () => {
    const shard = toShardPlan(plan(localConfig(), {}, { platforms: ['linux/arm64'] }), DIR);
    const web = node(shard, 'build', 'build:web@linux/arm64');
    expect(web.deps).toEqual(['push:base@linux/arm64->shard']);
    const base = node(shard, 'build', 'build:base@linux/arm64');
    expect(base.localTag).toMatch(/^multiarch\/base:v1-linux-arm64-shard-[0-9a-f]{8}$/);
    expect(web.args.BASE).toEqual({ ref: { image: 'base', node: 'push:base@linux/arm64->shard', repository: '127.0.0.1:5000/team/base', local: base.localTag } });
    // Another shard directory (or project) on the same engine tags its bases apart.
    expect(node(toShardPlan(plan(localConfig(), {}, { platforms: ['linux/arm64'] }), '/ci/other'), 'build', 'build:base@linux/arm64').localTag).not.toBe(base.localTag);
    expect(shard.order.indexOf('build:web@linux/arm64')).toBeGreaterThan(shard.order.indexOf('push:base@linux/arm64->shard'));
    expect(shard.notes).toContainEqual({ image: 'web', message: `shard: stored in ${DIR}, no index is written (multiarch apply --merge publishes it)` });
    expect(shard.notes.some((n) => n.message.startsWith('no multi-arch index is written'))).toBe(false);
  });

  it('drops the index of an image whose every platform is in the shard', () => {
    const single = localConfig({ base: { platforms: ['linux/arm64'] }, web: { platforms: ['linux/arm64'] } });
    const full = plan(single, {}, { platforms: ['linux/arm64'] });
    expect(ids(full, 'index').length).toBe(2);
    expect(ids(toShardPlan(full, DIR), 'index')).toEqual([]);
  });
});

/** The shard contents a real shard run of `full`'s config would have, one shard per platform. */
function shardsFor(full: Plan, change: (image: string, platform: string, detail: InputsDetail) => InputsDetail = (_i, _p, d) => d): ShardContents[] {
  const pushes = Object.values(full.nodes).filter((n): n is PushNode => n.kind === 'push' && !n.copyFrom);
  const digests = new Map(pushes.map((p, i) => [p.id, digest(`${i + 1}`)]));
  const byPlatform = new Map<string, Record<string, ShardImage[]>>();
  for (const push of pushes) {
    const platform = formatPlatform(push.platform);
    const build = full.nodes[push.build] as BuildNode;
    const plain = configInputs(build);
    const args = { ...plain.args };
    for (const [name, value] of Object.entries(build.args)) if (typeof value !== 'string') args[name] = refArgValue(value.ref.image, digests.get(value.ref.node)!);
    const detail = change(push.image, platform, { platform, builder: 'buildkit', context: digest(`c${push.image}`), dockerfile: digest(`d${push.image}`), target: plain.target, args, bases: {}, labels: plain.labels });
    const images = byPlatform.get(platform) ?? {};
    (images[push.image] ??= []).push({ platform, format: push.format, repository: push.image, digest: digests.get(push.id)!, inputs: digest(`i${push.id.length}`), detail });
    byPlatform.set(platform, images);
  }
  return [...byPlatform].map(([platform, images]) => ({ dir: `/ci/${platform.replaceAll('/', '-')}`, name: `shard-${platform.replaceAll('/', '-')}`, platforms: [platform], images }));
}

/** Marks the given builds as current (the publish targets hold them with these inputs). */
function withCurrent(p: Plan, current: readonly string[]): Plan {
  const platforms: Record<string, PlatformChange> = {};
  for (const n of Object.values(p.nodes)) {
    if (n.kind !== 'build') continue;
    const platform = formatPlatform(n.platform);
    const detail = { platform, builder: 'buildkit', context: digest('c'), dockerfile: digest('d'), target: null, args: {}, bases: {}, labels: {} };
    const published = { digest: digest(`p${n.image}`), mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 500, ref: `127.0.0.1:5000/team/${n.image}:v1-x`, target: 'local', host: '127.0.0.1:5000', repository: `team/${n.image}` };
    platforms[n.id] = current.includes(n.id)
      ? { image: n.image, platform, action: 'up-to-date', inputs: digest('i'), detail, reasons: [], current: published }
      : { image: n.image, platform, action: 'rebuild', inputs: digest('i'), detail, reasons: ['inputs changed'] };
  }
  const summary = { build: 0, push: 0, indexCreate: 0, indexUpdate: 0, unchanged: 0 };
  // The nodes carry what the plan decided: a current build is reused, not built.
  const nodes = Object.fromEntries(
    Object.entries(p.nodes).map(([id, n]) => {
      const change = platforms[id];
      if (n.kind !== 'build' || !change?.current) return [id, n];
      return [id, { ...n, action: { type: 'reuse', published: change.current, inputs: { digest: change.inputs, detail: change.detail }, why: 'current' } }];
    }),
  ) as Plan['nodes'];
  return { ...p, nodes, changes: { source: 'registry', platforms, pushes: {}, indexes: {}, summary, fingerprint: { inputs: {}, tags: {} } } };
}

describe('toShardPlan of an incremental plan', () => {
  it('stores only what it builds: a current base is skipped, and a rebuilt image on it pulls it from its registry by digest', () => {
    const shard = toShardPlan(withCurrent(plan(localConfig(), {}, { platforms: ['linux/arm64'] }), ['build:base@linux/arm64']), DIR);
    expect(shard.changes?.pushes['push:base@linux/arm64->shard']?.action).toBe('skip');
    expect(node(shard, 'push', 'push:base@linux/arm64->shard').action.type).toBe('skip');
    expect(node(shard, 'push', 'push:web@linux/arm64->shard').action.type).toBe('push');
    expect(shard.changes?.pushes['push:web@linux/arm64->shard']?.action).toBe('push');
    expect(shard.changes?.summary).toMatchObject({ push: 1, indexCreate: 0, indexUpdate: 0 });
    const web = node(shard, 'build', 'build:web@linux/arm64');
    expect(web.args.BASE).toEqual({ ref: { image: 'base', node: 'push:base@linux/arm64->shard', repository: '127.0.0.1:5000/team/base' } });
  });

  it('keeps the local base when the base is built here too', () => {
    const shard = toShardPlan(withCurrent(plan(localConfig(), {}, { platforms: ['linux/arm64'] }), []), DIR);
    const web = node(shard, 'build', 'build:web@linux/arm64');
    expect((web.args.BASE as { ref: { local?: string } }).ref.local).toMatch(/-shard-[0-9a-f]{8}$/);
    expect(Object.values(shard.changes!.pushes).map((c) => c.action)).toEqual(['push', 'push']);
  });
});

describe('toMergePlan', () => {
  it('publishes from the shards: pushes read their layout, copies and indexes keep their order', () => {
    const full = plan(twoTargets());
    const merged = toMergePlan(full, shardsFor(full));
    if (!merged.ok) throw new Error(merged.problems.join('\n'));
    const p = merged.plan;
    expect(Object.values(p.nodes).map((n) => n.kind).filter((k) => k !== 'push' && k !== 'index')).toEqual([]);
    const first = node(p, 'push', 'push:web@linux/arm64->local');
    expect(first.deps).toEqual([]);
    expect(first.fromShard).toEqual({ layout: '/ci/linux-arm64', repository: 'web', digest: expect.stringMatching(/^sha256:/) });
    const copy = node(p, 'push', 'push:web@linux/arm64->ghcr');
    expect([copy.copyFrom, copy.deps, copy.fromShard]).toEqual(['push:web@linux/arm64->local', ['push:web@linux/arm64->local'], undefined]);
    // The docker-format target is the first of its format: it reads the shard's docker manifest.
    expect(node(p, 'push', 'push:web@linux/arm64->quay').fromShard?.digest).not.toBe(first.fromShard!.digest);
    const index = node(p, 'index', 'index:web:v1->local');
    expect(index.deps).toEqual(THREE.map((pl) => `push:web@${pl}->local`));
    expect(index.children.every((c) => c.annotations?.[INPUTS_LABEL]?.startsWith('sha256:'))).toBe(true);
    for (const id of p.order) for (const dep of p.nodes[id]!.deps) expect(p.order.indexOf(dep)).toBeLessThan(p.order.indexOf(id));
    expect(p.notes).toContainEqual({ image: 'web', message: 'merged from shard-linux-amd64 (linux/amd64), shard-linux-arm64 (linux/arm64), shard-linux-arm-v7 (linux/arm/v7)' });
    // Without the registry's state: every push and index is written.
    expect(p.changes?.summary).toEqual({ build: 0, push: 12, indexCreate: 4, indexUpdate: 0, unchanged: 0 });
    expect(Object.values(p.changes!.pushes).every((c) => c.action === 'push')).toBe(true);
  });

  it('shows as plan JSON that matches docs/schema/plan.schema.json, each push naming its shard', () => {
    const full = plan(twoTargets());
    const merged = toMergePlan(full, shardsFor(full));
    if (!merged.ok) throw new Error(merged.problems.join('\n'));
    const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/plan.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
    const json = JSON.parse(JSON.stringify(toPlanJson(merged.plan))) as { builders: unknown[]; images: Array<{ name: string; platforms: string[]; nodes: Array<{ id: string; fromShard?: unknown }> }> };
    expect(validate(json) ? null : validate.errors).toBeNull();
    expect(json.builders).toEqual([]);
    const web = json.images.find((i) => i.name === 'web')!;
    expect(web.platforms).toEqual(THREE);
    expect(web.nodes.find((n) => n.id === 'push:web@linux/arm64->local')!.fromShard).toEqual({ layout: '/ci/linux-arm64', repository: 'web', digest: expect.stringMatching(/^sha256:/) });
    expect(web.nodes.find((n) => n.id === 'push:web@linux/arm64->ghcr')!.fromShard).toBeUndefined();
  });

  it('notes per image which shard each of its platforms came from', () => {
    const full = plan(localConfig({ web: { platforms: ['linux/amd64', 'linux/arm64'] } }));
    const merged = toMergePlan(full, shardsFor(full));
    if (!merged.ok) throw new Error(merged.problems.join('\n'));
    expect(merged.plan.notes).toEqual([
      { image: 'base', message: 'merged from shard-linux-amd64 (linux/amd64), shard-linux-arm64 (linux/arm64), shard-linux-arm-v7 (linux/arm/v7)' },
      { image: 'web', message: 'merged from shard-linux-amd64 (linux/amd64), shard-linux-arm64 (linux/arm64)' },
    ]);
  });

  it('names every platform no shard holds, and the shards it was given', () => {
    const full = plan(localConfig());
    const shards = shardsFor(full).filter((s) => s.platforms[0] !== 'linux/arm/v7');
    const merged = toMergePlan(full, shards);
    expect(merged.ok ? [] : merged.problems).toEqual([
      'base: no shard holds linux/arm/v7 — the shards given are shard-linux-amd64 (linux/amd64), shard-linux-arm64 (linux/arm64); run `multiarch apply --platform linux/arm/v7 --shard-out DIR` for it',
      'web: no shard holds linux/arm/v7 — the shards given are shard-linux-amd64 (linux/amd64), shard-linux-arm64 (linux/arm64); run `multiarch apply --platform linux/arm/v7 --shard-out DIR` for it',
    ]);
  });

  it('refuses two shards holding different images for one platform; the same image twice is fine', () => {
    const full = plan(localConfig());
    const shards = shardsFor(full);
    const again = { ...shards[1]!, name: 'again' };
    expect(toMergePlan(full, [...shards, again]).ok).toBe(true);
    const other = { ...again, images: { ...again.images, base: again.images.base!.map((e) => ({ ...e, digest: digest('f') })) } };
    const merged = toMergePlan(full, [...shards, other]);
    expect(merged.ok ? [] : merged.problems).toEqual([`base linux/arm64: two shards hold different images, shard-linux-arm64 (${shards[1]!.images.base![0]!.digest}) and again (${digest('f')})`]);
  });

  it('refuses shards built from other sources, other config inputs, or on another base', () => {
    const full = plan(localConfig());
    const problems = (change: Parameters<typeof shardsFor>[1]) => {
      const merged = toMergePlan(full, shardsFor(full, change));
      return merged.ok ? [] : merged.problems;
    };
    expect(problems((image, platform, d) => (image === 'web' && platform === 'linux/arm64' ? { ...d, context: digest('x') } : d))).toEqual([
      'web linux/arm64 (shard-linux-arm64) was built from other context than linux/amd64 (shard-linux-amd64): the shards come from different checkouts',
    ]);
    // Another builder kind sees the context through other rules: its digest is not compared.
    expect(problems((image, platform, d) => (image === 'web' && platform === 'linux/arm64' ? { ...d, builder: 'legacy', context: digest('x') } : d))).toEqual([]);
    expect(problems((image, platform, d) => (image === 'web' ? { ...d, args: { ...d.args, MODE: 'other' }, labels: { extra: 'x' } } : d))).toEqual(
      THREE.map((pl) => `web ${pl} (shard-${pl.replaceAll('/', '-')}) was built with another arg MODE, label extra than this checkout's config sets`),
    );
    expect(problems((image, platform, d) => (image === 'web' && platform === 'linux/amd64' ? { ...d, args: { ...d.args, BASE: refArgValue('base', digest('e')) } } : d))).toEqual([
      expect.stringMatching(/^web linux\/amd64 \(shard-linux-amd64\) was built on another base image than the shards hold for linux\/amd64 \(sha256:/),
    ]);
  });

  it('refuses images that record no inputs', () => {
    const full = plan(localConfig({ web: { platforms: ['linux/amd64'] }, base: { platforms: ['linux/amd64'] } }));
    const shards = shardsFor(full).map((s) => ({ ...s, images: { ...s.images, base: s.images.base!.map(({ detail: _d, inputs: _i, ...e }) => e) } }));
    const merged = toMergePlan(full, shards);
    expect(merged.ok ? [] : merged.problems).toEqual(['base linux/amd64 (shard-linux-amd64) records no inputs (no dev.multiarch.inputs label): it was not made by `multiarch apply --shard-out`']);
  });

  it('writes nothing for an image the shards found current whose tags and index already hold it', () => {
    const full = plan(localConfig({ base: { platforms: ['linux/amd64', 'linux/arm64'] }, web: { platforms: ['linux/amd64', 'linux/arm64'] } }));
    const published = (image: string, platform: string) => ({
      digest: digest(`${image.length}${platform.length}${platform.slice(-2)}`),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 500,
      ref: `127.0.0.1:5000/team/${image}:v1-${platform.replaceAll('/', '-')}`,
      target: 'local',
      host: '127.0.0.1:5000',
      repository: `team/${image}`,
    });
    // base is current on both platforms; web was rebuilt by its shards.
    const shards = shardsFor(full).map((s) => ({
      ...s,
      images: {
        base: s.images.base!.map((e) => ({ ...e, digest: published('base', e.platform).digest, repository: 'team/base', current: published('base', e.platform) })),
        // Built on the published base.
        web: s.images.web!.map((e) => ({ ...e, detail: { ...e.detail!, args: { ...e.detail!.args, BASE: refArgValue('base', published('base', e.platform).digest) } } })),
      },
    }));
    const pushes = Object.values(full.nodes).filter((n): n is PushNode => n.kind === 'push' && n.image === 'base');
    const tags: Record<string, TagState> = {};
    for (const p of pushes) for (const r of p.refs) tags[`127.0.0.1:5000/${r.repository}:${r.tag}`] = { ...published('base', formatPlatform(p.platform)), inputs: digest('i') };
    const children = ['linux/amd64', 'linux/arm64'].map((platform) => ({ platform, digest: published('base', platform).digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 500 }));
    tags['127.0.0.1:5000/team/base:v1'] = { digest: digest('index'), mediaType: 'application/vnd.oci.image.index.v1+json', size: 700, children };
    const merged = toMergePlan(full, shards, { tags, manifests: {} });
    if (!merged.ok) throw new Error(merged.problems.join('\n'));
    const changes = merged.plan.changes!;
    for (const p of pushes) {
      expect(changes.pushes[p.id]?.action).toBe('skip');
      expect(node(merged.plan, 'push', p.id).action.type).toBe('skip');
    }
    expect(changes.indexes['index:base:v1->local']?.action).toBe('unchanged');
    expect(node(merged.plan, 'index', 'index:base:v1->local').action).toEqual({ type: 'skip', current: digest('index') });
    expect(node(merged.plan, 'index', 'index:web:v1->local').action).toEqual({ type: 'write' });
    expect(changes.pushes['push:web@linux/arm64->local']?.action).toBe('push');
    expect(node(merged.plan, 'push', 'push:web@linux/arm64->local').fromShard?.layout).toBe('/ci/linux-arm64');
    expect(changes.indexes['index:web:v1->local']?.action).toBe('create');
    expect(changes.summary).toMatchObject({ build: 0, indexCreate: 1, indexUpdate: 0 });

    // The index lists another arm64 image: only the index is written; the platform tags stay.
    const moved = { ...tags, '127.0.0.1:5000/team/base:v1': { ...tags['127.0.0.1:5000/team/base:v1']!, children: [children[0]!, { ...children[1]!, digest: digest('old') }] } };
    const again = toMergePlan(full, shards, { tags: moved, manifests: {} });
    if (!again.ok) throw new Error(again.problems.join('\n'));
    expect(again.plan.changes!.indexes['index:base:v1->local']).toMatchObject({ action: 'update', children: [{ platform: 'linux/arm64', change: 'changed' }] });
    for (const p of pushes) expect(again.plan.changes!.pushes[p.id]?.action).toBe('skip');
  });
});

describe('attestations across shards', () => {
  // sbom needs a scanner that writes one: Trivy.
  const signing = () => ({ ...localConfig(), scan: { scanner: 'trivy' }, sign: { key: { file: './cosign.key' } }, attest: { provenance: true, sbom: 'spdx' } });

  it('a shard (no key) keeps what to attest on its pushes, but signs nothing', () => {
    const shard = toShardPlan(plan(signing(), {}, { platforms: ['linux/arm64'] }), DIR);
    const push = node(shard, 'push', 'push:web@linux/arm64->shard');
    expect(push.attest).toEqual({ provenance: true, sbom: 'spdx' });
    expect(push.sign).toBeUndefined();
    // A saved shard plan keeps it: `attest` without `sign` is valid plan JSON and reads back.
    expect(node(saved(shard), 'push', 'push:web@linux/arm64->shard').attest).toEqual({ provenance: true, sbom: 'spdx' });
  });

  it('the merge hands each push the predicates its shard made, and signs with the key', () => {
    const full = plan(signing(), { signing: { keyId: 'ab'.repeat(32) } });
    const shards = shardsFor(full).map((s) => ({
      ...s,
      images: Object.fromEntries(Object.entries(s.images).map(([image, list]) => [image, list.map((i) => ({ ...i, predicates: { 'https://slsa.dev/provenance/v1': predicateBlob(i.platform) } }))])),
    }));
    const merged = toMergePlan(full, shards);
    if (!merged.ok) throw new Error(merged.problems.join('\n'));
    const push = node(merged.plan, 'push', 'push:web@linux/arm64->local');
    expect(push.fromShard?.predicates).toEqual({ 'https://slsa.dev/provenance/v1': predicateBlob('linux/arm64') });
    expect([push.sign?.keyId, push.attest]).toEqual(['ab'.repeat(32), { provenance: true, sbom: 'spdx' }]);
    // A saved merge plan (`plan --merge --out`) carries the predicates to `apply plan.json`.
    expect(node(saved(merged.plan), 'push', 'push:web@linux/arm64->local').fromShard).toEqual(push.fromShard);
  });
});

/** A predicate's blob digest in a shard's layout, one per platform. */
function predicateBlob(platform: string): string {
  return `sha256:${createHash('sha256').update(`provenance ${platform}`).digest('hex')}`;
}

/** The plan as `apply plan.json` reads it back from its saved JSON. */
function saved(p: Plan): Plan {
  const read = fromPlanJson(planJsonSchema.parse(JSON.parse(JSON.stringify(toPlanJson(p)))));
  if (!read.ok) throw new Error(JSON.stringify(read.issues, null, 2));
  return read.plan;
}
