/**
 * The automatic cache source of a build: the platform image multiarch last published for that image
 * and platform, by digest — the child for this platform of an index tag the image writes, else the
 * image a platform tag of it holds, else (the tags moved) the child of the index it published under
 * an earlier tag — from the registry state the plan already read. Never another
 * platform's image: an index without this platform names no source (and says so). Pure.
 */
import { formatPlatform } from '../../config/platform.js';
import { formatImageRef } from '../../config/registry-url.js';
import type { BuildCache } from '../cache-plan.js';
import type { BuildNode, Plan } from '../nodes.js';
import type { RegistryFacts } from './types.js';

export function withCacheSource(plan: Plan, node: BuildNode, registry: RegistryFacts): BuildNode {
  const cache = node.cache;
  // cache: false, the legacy builder: nothing to look for.
  if (!cache || !cache.to.some((t) => t.type === 'inline')) return node;
  const found = findSource(plan, node, registry);
  const { none: _unknown, ...rest } = cache;
  const next: BuildCache = 'ref' in found
    ? { ...rest, from: [{ type: 'registry', ref: found.ref, automatic: true, ...(found.earlier ? { earlier: found.earlier } : {}) }, ...cache.from] }
    : { ...rest, none: found.none };
  return { ...node, cache: next };
}

function findSource(plan: Plan, node: BuildNode, registry: RegistryFacts): { ref: string; earlier?: string } | { none: string } {
  const platform = formatPlatform(node.platform);
  let otherPlatforms: string | undefined;
  for (const id of plan.order) {
    const index = plan.nodes[id]!;
    if (index.kind !== 'index' || index.image !== node.image || index.target.layout) continue;
    const ref = formatImageRef(index.target, index.repository, index.indexTag);
    const children = registry.tags[ref]?.children;
    if (!children) continue;
    const child = children.find((c) => c.platform === platform);
    if (child) return { ref: formatImageRef(index.target, index.repository, child.digest) };
    otherPlatforms ??= `${ref} holds no ${platform} image (only ${children.map((c) => c.platform).join(', ') || 'none'})`;
  }
  if (otherPlatforms) return { none: otherPlatforms };
  for (const id of plan.order) {
    const push = plan.nodes[id]!;
    if (push.kind !== 'push' || push.build !== node.id || push.target.layout) continue;
    for (const r of push.refs) {
      const state = registry.tags[formatImageRef(push.target, r.repository, r.tag)];
      if (state && !state.children) return { ref: formatImageRef(push.target, r.repository, state.digest) };
    }
  }
  // The tags moved (one per commit or release): the image published under an earlier tag.
  const previous = registry.previous?.[node.image];
  if (previous) {
    const child = previous.children.find((c) => c.platform === platform);
    const repository = previous.ref.slice(0, previous.ref.lastIndexOf(':'));
    if (child) return { ref: `${repository}@${child.digest}`, earlier: `${previous.ref}, ${previous.from}` };
    return { none: `${previous.ref} (${previous.from}) holds no ${platform} image` };
  }
  const published = Object.values(plan.nodes).some((n) => n.kind === 'push' && n.build === node.id && !n.target.layout);
  return { none: published ? 'not published yet' : 'not published to a registry' };
}
