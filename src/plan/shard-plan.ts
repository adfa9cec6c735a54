/**
 * `apply --platform P --shard-out DIR`: the plan for one CI runner's share of the work. Every
 * selected image the incremental plan finds stale is prepared, built, tested and scanned for the
 * shard's platforms exactly as in a normal apply, but its platform image goes into the OCI layout
 * DIR (one copy per manifest format the image publishes in) instead of the registries, and no
 * index is written anywhere: that is `apply --merge`'s job, once every platform's shard is in. An
 * image the publish targets already hold with these inputs is not built at all: its shard push is
 * skipped and the record names it by its published digest. A `ref()` base this shard builds is
 * taken from the builder's engine by a local tag unique to the config and shard directory; a
 * current one from its registry by digest. The registries are not written at all. Pure.
 */
import { createHash } from 'node:crypto';
import type { ManifestFormat } from '../config/resolved.js';
import { formatPlatform, platformSlug, type Platform } from '../config/platform.js';
import { topologicalOrder } from '../config/graph-order.js';
import type { PublishedImage, PushChange } from './incremental/types.js';
import { isLayoutHost } from '../config/registry-url.js';
import type { BuildArg, BuildNode, RefArg, Plan, PlanNode, PlanNote, PushNode, TargetSpec } from './nodes.js';

/** The config's name for the shard target, as node ids and events show it. */
export const SHARD_TARGET = 'shard';

export function shardTarget(dir: string): TargetSpec {
  return { name: SHARD_TARGET, host: `oci:${dir}`, apiHost: '', authKey: '', scheme: 'https', isDockerHub: false, layout: dir };
}

/** Where a platform image sits in a shard layout: `<image>:<platform slug>[-<format>]`. */
export function shardRef(image: string, platform: Platform, format: ManifestFormat, formats: number): { repository: string; tag: string } {
  return { repository: image, tag: formats > 1 ? `${platformSlug(platform)}-${format}` : platformSlug(platform) };
}

export function shardPushId(image: string, platform: Platform, format: ManifestFormat, formats: number): string {
  return `push:${image}@${formatPlatform(platform)}->${SHARD_TARGET}${formats > 1 ? `-${format}` : ''}`;
}

export function toShardPlan(plan: Plan, dir: string): Plan {
  const target = shardTarget(dir);
  const nodes = Object.values(plan.nodes);
  const formatsOf = new Map<string, ManifestFormat[]>();
  for (const n of nodes) {
    if (n.kind !== 'push') continue;
    const seen = formatsOf.get(n.image) ?? [];
    if (!seen.includes(n.format)) formatsOf.set(n.image, [...seen, n.format]);
  }
  // Every push of an image and platform (to any registry) becomes the shard push of its format.
  const renamed = new Map<string, string>();
  const shardPushes = new Map<string, PushNode>();
  for (const n of nodes) {
    if (n.kind !== 'push') continue;
    const formats = formatsOf.get(n.image)!.length;
    const id = shardPushId(n.image, n.platform, n.format, formats);
    renamed.set(n.id, id);
    if (shardPushes.has(id)) continue;
    shardPushes.set(id, {
      id,
      kind: 'push',
      image: n.image,
      // The first push of a format (never a copy) comes first: its gates (tests, scans) are kept.
      deps: n.deps,
      platform: n.platform,
      build: n.build,
      target,
      format: n.format,
      refs: [shardRef(n.image, n.platform, n.format, formats)],
      digestRepositories: [],
      // No key here: the predicates are made and stored with the image, the merge signs them.
      ...(n.attest ? { attest: n.attest } : {}),
      // What is current is not stored: the record names it by its published digest.
      action: publishedOf(plan, n.build) ? { type: 'skip', published: publishedOf(plan, n.build)! } : { type: 'push' },
    });
  }
  // Local tags of this shard's own: another run on the same engine (another project or shard with
  // an image of the same name) cannot move the tag a dependent build takes its base from.
  const suffix = `shard-${createHash('sha256').update(`${plan.configFile}\0${dir}`).digest('hex').slice(0, 8)}`;
  const localTags = new Map(nodes.filter((n): n is BuildNode => n.kind === 'build').map((n) => [n.id, `${n.localTag}-${suffix}`]));
  const buildOf = (pushId: string) => (plan.nodes[pushId] as PushNode).build;
  const current = (buildId: string) => publishedOf(plan, buildId) !== undefined;
  const remap = (deps: readonly string[]) => [...new Set(deps.map((d) => renamed.get(d) ?? d))];
  // A ref() base reaches its dependent through the engine's local tag in a shard: both sides of a
  // ref are built by the engine (an assembled image is on no engine). Other images stay direct, and
  // so does one on a current base only in an OCI layout: it is read from there (no engine can).
  const viaEngine = (v: RefArg) => !(isLayoutHost(v.ref.repository) && current(buildOf(v.ref.node)));
  const refSides = new Set(
    nodes.flatMap((n) => (n.kind === 'build' ? Object.values(n.args).flatMap((v) => (typeof v === 'string' || !viaEngine(v) ? [] : [n.id, buildOf(v.ref.node)])) : [])),
  );
  const out: Record<string, PlanNode> = {};
  for (const n of nodes) {
    if (n.kind === 'push' || n.kind === 'index') continue;
    if (n.kind !== 'build') {
      out[n.id] = { ...n, deps: remap(n.deps) };
      continue;
    }
    const args: Record<string, BuildArg> = {};
    for (const [name, value] of Object.entries(n.args)) {
      if (typeof value === 'string') args[name] = value;
      else {
        // A current base is not built here: the build pulls it from its registry by digest.
        const base = buildOf(value.ref.node);
        const { local: _none, ...ref } = value.ref;
        args[name] = { ref: { ...ref, node: renamed.get(value.ref.node)!, ...(current(base) ? {} : { local: localTags.get(base)! }) } };
      }
    }
    const { direct, ...rest } = n;
    const engine = direct && refSides.has(n.id) ? { engineReason: 'in a shard, ref() bases pass through the engine (local tags)' } : direct ? { direct } : {};
    out[n.id] = { ...rest, ...engine, deps: remap(n.deps), args, localTag: localTags.get(n.id)! };
  }
  for (const push of shardPushes.values()) out[push.id] = push;
  const ordered = topologicalOrder(Object.keys(out), (id) => out[id]!.deps);
  if (!ordered.ok) throw new Error(`shard plan has a cycle: ${ordered.cycle.join(' → ')}`);
  const stored = new Set([...shardPushes.values()].map((p) => p.image));
  const notes: PlanNote[] = [
    ...plan.notes.filter((note) => !note.message.startsWith('no multi-arch index is written')),
    ...[...stored].map((image) => ({ image, message: `shard: stored in ${dir}, no index is written (multiarch apply --merge publishes it)` })),
  ];
  return { ...plan, order: ordered.order, nodes: out, notes, ...(plan.changes ? { changes: shardChanges(plan.changes, out) } : {}) };
}

/** The published image a build reuses (the targets hold its inputs), when it is not built. */
export function publishedOf(plan: Plan, buildId: string): PublishedImage | undefined {
  const build = plan.nodes[buildId];
  return build?.kind === 'build' && build.action.type === 'reuse' ? build.action.published : undefined;
}

/**
 * Builds as decided; nothing is pushed to or indexed in a registry. What is built is stored in the
 * shard; what is current is skipped (the record names it by its published digest).
 */
function shardChanges(changes: NonNullable<Plan['changes']>, nodes: Readonly<Record<string, PlanNode>>): NonNullable<Plan['changes']> {
  const pushes: Record<string, PushChange> = {};
  const isCurrent = (buildId: string) => {
    const build = nodes[buildId];
    return build?.kind === 'build' && build.action.type === 'reuse';
  };
  const buildOfPrepare = new Map<string, string>();
  for (const n of Object.values(nodes)) if (n.kind === 'build') for (const dep of n.deps) buildOfPrepare.set(dep, n.id);
  let stored = 0;
  let unchanged = 0;
  for (const n of Object.values(nodes)) {
    const build = n.kind === 'build' ? n.id : n.kind === 'prepare' ? buildOfPrepare.get(n.id) : n.kind === 'index' ? undefined : n.build;
    const skip = build !== undefined && isCurrent(build);
    if (skip) unchanged++;
    if (n.kind !== 'push') continue;
    if (!skip) stored++;
    pushes[n.id] = { action: skip ? 'skip' : 'push', write: skip ? [] : n.refs.map((r) => `${n.target.host}/${r.repository}:${r.tag}`), digestRepositories: [] };
  }
  return { ...changes, pushes, indexes: {}, summary: { ...changes.summary, push: stored, indexCreate: 0, indexUpdate: 0, unchanged } };
}
