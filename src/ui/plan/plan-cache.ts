/**
 * How `plan` states a build's layer cache: `cache: from <ref>@<digest>` (the source it will try
 * first, then any others), or `cache: none (<why>)`, and where it writes cache beyond the inline
 * cache every BuildKit build embeds. Text and JSON. Pure.
 */
import type { CacheSourceSpec, CacheTargetSpec } from '../../config/cache-spec.js';
import type { BuildCache } from '../../plan/cache-plan.js';
import type { BuildNode } from '../../plan/nodes.js';
import type { PlanJsonCache } from './plan-json-schema.js';

export function describeCache(node: BuildNode): string {
  const cache = node.cache;
  if (!cache) return 'cache: none (saved plan without cache settings)';
  const to = cache.to.filter((t) => t.type !== 'inline').map(describeTarget);
  const writes = to.length > 0 ? `; to ${to.join(', ')}` : '';
  if (cache.from.length === 0) return `cache: none (${cache.none ?? 'no source'})${writes}`;
  const auto = cache.from[0]?.type === 'registry' && cache.from[0].automatic ? '' : cache.none ? ` (no automatic source: ${cache.none})` : '';
  return `cache: from ${cache.from.map(describeSource).join(', then ')}${auto}${writes}`;
}

function describeSource(source: CacheSourceSpec): string {
  // The digest cut to 12 hex digits, as elsewhere in the plan; the JSON has it whole.
  if (source.type === 'registry') {
    const ref = source.ref.replace(/@sha256:([0-9a-f]{12})[0-9a-f]{52}$/, '@sha256:$1');
    return source.earlier ? `${ref} (published as ${source.earlier})` : ref;
  }
  return source.type === 'local' ? `local ${source.dir}` : `gha scope ${source.scope}`;
}

function describeTarget(target: CacheTargetSpec): string {
  const mode = 'mode' in target && target.mode ? ` (mode ${target.mode})` : '';
  if (target.type === 'registry') return `${target.ref}${mode}`;
  if (target.type === 'local') return `local ${target.dir}${mode}`;
  return target.type === 'gha' ? `gha scope ${target.scope}${mode}` : 'inline';
}

/** The plan JSON's `cache` of a build node. */
export function cacheJson(cache: BuildCache | undefined): PlanJsonCache | null {
  if (!cache) return null;
  return { from: cache.from.map((s) => ({ ...s })), to: cache.to.map((t) => ({ ...t })), none: cache.none ?? null };
}
