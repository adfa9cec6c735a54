/**
 * What a merge writes, decided like a normal apply's: the shards say which platform images they
 * built (pushed from their layouts) and which the publish targets already held with the same
 * inputs (named by published digest: skipped where every tag holds it, else copied or retagged
 * registry-side); the registry state read just before says which indexes already list exactly
 * these children (left alone). An unchanged image gets no registry write at all. Pure.
 */
import { formatImageRef } from '../config/registry-url.js';
import { decideIndex } from './incremental/decide-index.js';
import { decidePush } from './incremental/decide.js';
import type { IndexChange, PlanChanges, PlatformChange, PushChange, RegistryFacts } from './incremental/types.js';
import type { ShardImage } from './shard-image.js';
import type { Plan, PushNode } from './nodes.js';

/** What the publish targets hold (read-only, just before the merge). */
export type MergeRegistryState = Pick<RegistryFacts, 'tags' | 'manifests'>;

export function mergeChanges(plan: Plan, shardImageOf: (pushId: string) => ShardImage | undefined, state: MergeRegistryState): PlanChanges {
  const facts: RegistryFacts = { source: 'registry', ...state, details: {}, files: {} };
  const platforms: Record<string, PlatformChange> = {};
  // Every child's digest is known before anything is written: an index listing exactly them stays.
  const children: Record<string, PlatformChange> = {};
  const pushes: Record<string, PushChange> = {};
  const pushNodes = plan.order.map((id) => plan.nodes[id]!).filter((n): n is PushNode => n.kind === 'push');
  for (const push of pushNodes) {
    const entry = shardImageOf(push.id);
    if (!entry?.detail) continue;
    const base = { image: push.image, platform: entry.platform, inputs: entry.inputs ?? '', detail: entry.detail, reasons: [] };
    if (entry.current) {
      pushes[push.id] = decidePush(push, entry.current, facts);
      platforms[push.build] ??= { ...base, action: 'up-to-date', current: entry.current };
    } else {
      pushes[push.id] = { action: 'push', write: push.refs.map((r) => formatImageRef(push.target, r.repository, r.tag)), digestRepositories: [...push.digestRepositories] };
      platforms[push.build] ??= { ...base, action: 'rebuild', reasons: ['built by its shard'] };
    }
    const listed = entry.current ?? { digest: entry.digest, mediaType: '', size: 0, ref: '', target: '', host: '', repository: entry.repository };
    children[push.build] ??= { ...platforms[push.build]!, current: listed };
  }
  for (const [build, change] of Object.entries(platforms)) {
    if (!change.current) continue;
    const mine = pushNodes.filter((p) => p.build === build).map((p) => pushes[p.id]!.action);
    platforms[build] = { ...change, action: mine.every((a) => a === 'skip') ? 'up-to-date' : mine.includes('copy') ? 'copy' : 'retag' };
  }
  const indexes: Record<string, IndexChange> = {};
  for (const id of plan.order) {
    const node = plan.nodes[id]!;
    if (node.kind !== 'index') continue;
    const ref = formatImageRef(node.target, node.repository, node.indexTag);
    indexes[id] = decideIndex(plan, node, ref, state.tags[ref] ?? null, children);
  }
  const written = Object.values(pushes).filter((p) => p.action !== 'skip').length;
  const count = (a: IndexChange['action']) => Object.values(indexes).filter((i) => i.action === a).length;
  return {
    source: 'registry',
    platforms,
    pushes,
    indexes,
    summary: { build: 0, push: written, indexCreate: count('create'), indexUpdate: count('update'), unchanged: pushNodes.length - written + count('unchanged') },
    fingerprint: { inputs: {}, tags: {} },
  };
}
