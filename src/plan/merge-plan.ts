/**
 * `apply --merge DIR...`: the shards (OCI layouts from `apply --shard-out`, one or more platforms
 * each) in, the publishing half of a normal apply out — every platform image pushed from its shard
 * to every target, then the indexes, with the same ordering (an index only after all its
 * children are in). Before any of it, the shards must add up: every platform of every image has
 * exactly one image, and all of an image's platforms were built from the same inputs — the same
 * context, Dockerfile, target, args and labels, each other's and this checkout's config, and a
 * dependent image on the very base image its shard holds. Otherwise nothing is planned, so nothing
 * is written. Pure.
 */
import type { ManifestFormat } from '../config/resolved.js';
import { formatPlatform } from '../config/platform.js';
import { pushAction } from './incremental/decide.js';
import { configInputs, refArgValue } from './incremental/inputs-digest.js';
import { INPUTS_LABEL, type InputsDetail, type PublishedImage } from './incremental/types.js';
import { mergeChanges, type MergeRegistryState } from './merge-changes.js';
import type { BuildNode, IndexNode, Plan, PlanNode, PushNode } from './nodes.js';
import type { ShardImage } from './shard-image.js';

export type { ShardImage } from './shard-image.js';

/** One platform image in a shard, as its record names it and its config labels describe it. */
export interface ShardContents {
  /** The layout directory (absolute). */
  readonly dir: string;
  /** As given on the command line, for messages. */
  readonly name: string;
  readonly platforms: readonly string[];
  /** Image name → its platform images. */
  readonly images: Readonly<Record<string, readonly ShardImage[]>>;
}

export type MergeResult = { ok: true; plan: Plan } | { ok: false; problems: readonly string[] };

interface Found extends ShardImage {
  readonly shard: ShardContents;
}

/** What the shards must agree on, besides the plain inputs from the config. */
const SOURCE_PARTS = ['context', 'dockerfile', 'prepare'] as const;

/**
 * `state`: what the publish targets hold, read just before; without it every push and index is
 * written (pushes and indexes holding it already are still skipped by their steps).
 */
export function toMergePlan(plan: Plan, shards: readonly ShardContents[], state?: MergeRegistryState): MergeResult {
  const problems: string[] = [];
  const held = new Map<string, Found>();
  const key = (image: string, platform: string, format: ManifestFormat) => `${image} ${platform} ${format}`;
  for (const shard of shards) {
    for (const [image, entries] of Object.entries(shard.images)) {
      for (const entry of entries) {
        const k = key(image, entry.platform, entry.format);
        const other = held.get(k);
        if (other && other.digest !== entry.digest) {
          problems.push(`${image} ${entry.platform}: two shards hold different images, ${other.shard.name} (${other.digest}) and ${shard.name} (${entry.digest})`);
        }
        if (!other) held.set(k, { ...entry, shard });
      }
    }
  }
  const nodes = Object.values(plan.nodes);
  const builds = new Map(nodes.filter((n): n is BuildNode => n.kind === 'build').map((n) => [n.id, n]));
  const pushes = nodes.filter((n): n is PushNode => n.kind === 'push');
  const found = new Map<string, Found>();
  const missing = new Map<string, string[]>();
  for (const push of pushes) {
    if (push.copyFrom) continue;
    const platform = formatPlatform(push.platform);
    const entry = held.get(key(push.image, platform, push.format));
    if (entry) found.set(push.id, entry);
    else missing.set(push.image, [...new Set([...(missing.get(push.image) ?? []), platform])]);
  }
  const given = shards.map((s) => `${s.name} (${s.platforms.join(', ') || 'empty'})`).join(', ');
  for (const [image, platforms] of missing) {
    problems.push(`${image}: no shard holds ${platforms.join(', ')} — the shards given are ${given}; run \`multiarch apply --platform ${platforms[0]} --shard-out DIR\` for it`);
  }
  const byId = new Map(pushes.map((p) => [p.id, p]));
  // Any push of an image and platform: a fan-out copy holds what the push it copies from read.
  const shardImageOf = (pushId: string): Found | undefined => {
    let push = byId.get(pushId);
    while (push?.copyFrom) push = byId.get(push.copyFrom);
    return push && found.get(push.id);
  };
  problems.push(...inputsProblems(pushes, found, builds, shardImageOf));
  if (problems.length > 0) return { ok: false, problems };

  const out: Record<string, PlanNode> = {};
  for (const push of pushes) {
    const entry = found.get(push.id);
    // Every platform image comes from a shard's record; a current one is not in the layout (its
    // push action, set below, skips or copies it registry-side and never reads the layout).
    out[push.id] = entry
      ? { ...push, deps: [], fromShard: { layout: entry.shard.dir, repository: entry.repository, digest: entry.digest, ...(entry.predicates ? { predicates: entry.predicates } : {}) } }
      : { ...push, deps: push.copyFrom ? [push.copyFrom] : [] };
  }
  for (const n of nodes) {
    if (n.kind !== 'index') continue;
    // Children record their inputs, as after a normal apply: the next plan reads them from here.
    const children = n.children.map((c) => {
      const inputs = shardImageOf(c.push)?.inputs;
      return inputs ? { ...c, annotations: { ...c.annotations, [INPUTS_LABEL]: inputs } } : c;
    });
    out[n.id] = { ...n, children } satisfies IndexNode;
  }
  const order = plan.order.filter((id) => id in out);
  // Per image: which shard each of its platforms comes from.
  const sources = new Map<string, Map<string, Set<string>>>();
  for (const push of pushes) {
    const entry = found.get(push.id);
    if (!entry) continue;
    const bySource = sources.get(push.image) ?? new Map<string, Set<string>>();
    bySource.set(entry.shard.name, (bySource.get(entry.shard.name) ?? new Set()).add(entry.platform));
    sources.set(push.image, bySource);
  }
  const notes = [...sources].map(([image, bySource]) => ({
    image,
    message: `merged from ${[...bySource].map(([name, platforms]) => `${name} (${[...platforms].join(', ')})`).join(', ')}`,
  }));
  const { changes: _dropped, ...rest } = plan;
  // No builds: no builders.
  const merged: Plan = { ...rest, order, nodes: out, builders: {}, notes: [...plan.notes, ...notes] };
  // Without the registry's state, what a shard found current is still copied from where it is.
  const changes = mergeChanges(merged, shardImageOf, state ?? { tags: {}, manifests: {} });
  const acting: Record<string, PlanNode> = {};
  for (const [id, n] of Object.entries(merged.nodes)) {
    const index = n.kind === 'index' ? changes.indexes[id] : undefined;
    acting[id] =
      n.kind === 'push'
        ? { ...n, action: pushAction(merged, n, changes) }
        : n.kind === 'index'
          ? { ...n, action: index?.action === 'unchanged' && index.current ? { type: 'skip', current: index.current } : { type: 'write' } }
          : n;
  }
  return { ok: true, plan: { ...merged, nodes: acting, changes } };
}

/**
 * Per image: every platform image carries an inputs detail; the source parts agree across
 * platforms (context digests only between shards that used the same builder kind, whose context
 * rules are the same); target, plain args and labels equal this checkout's config; and each
 * `ref()` arg names the digest its base has in the shards.
 */
function inputsProblems(
  pushes: readonly PushNode[],
  found: ReadonlyMap<string, Found>,
  builds: ReadonlyMap<string, BuildNode>,
  shardImageOf: (pushId: string) => Found | undefined,
): string[] {
  const problems: string[] = [];
  const byImage = new Map<string, Array<{ push: PushNode; entry: Found }>>();
  for (const push of pushes) {
    const entry = found.get(push.id);
    if (entry) byImage.set(push.image, [...(byImage.get(push.image) ?? []), { push, entry }]);
  }
  for (const [image, items] of byImage) {
    const first = items[0]!;
    for (const { push, entry } of items) {
      const where = `${image} ${entry.platform} (${entry.shard.name})`;
      if (!entry.detail) {
        problems.push(`${where} records no inputs (no ${INPUTS_LABEL} label): it was not made by \`multiarch apply --shard-out\``);
        continue;
      }
      const reference = first.entry.detail;
      if (reference && entry !== first.entry) {
        const parts = SOURCE_PARTS.filter((part) => (part !== 'context' || reference.builder === entry.detail!.builder) && reference[part] !== entry.detail![part]);
        if (parts.length > 0) {
          problems.push(`${where} was built from other ${parts.join(', ')} than ${first.entry.platform} (${first.entry.shard.name}): the shards come from different checkouts`);
        }
      }
      const build = builds.get(push.build);
      if (!build) continue;
      const expected = configInputs(build);
      const plainArgs = Object.fromEntries(Object.entries(entry.detail.args).filter(([, v]) => !v.startsWith('ref:')));
      const differs = [
        ...(expected.target !== entry.detail.target ? ['target'] : []),
        ...changedKeys(expected.args, plainArgs).map((k) => `arg ${k}`),
        ...changedKeys(expected.labels, entry.detail.labels).map((k) => `label ${k}`),
      ];
      if (differs.length > 0) problems.push(`${where} was built with another ${differs.join(', ')} than this checkout's config sets`);
      for (const [name, value] of Object.entries(build.args)) {
        if (typeof value === 'string') continue;
        // A ref names some push of the base.
        const digest = shardImageOf(value.ref.node)?.digest;
        if (digest && entry.detail.args[name] !== refArgValue(value.ref.image, digest)) {
          problems.push(`${where} was built on another ${value.ref.image} image than the shards hold for ${entry.platform} (${digest}): build both in one shard run`);
        }
      }
    }
  }
  return problems;
}

function changedKeys(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).sort();
}
