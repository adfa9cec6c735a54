/**
 * What the publish targets already hold signed and attested by this key, for every digest their
 * tags name now (read with the registry facts, before planning): the fact behind `= signed` in
 * `plan`, for the pushes and indexes the plan then finds current. Verified by key, not by tag
 * presence. Edge.
 */
import { formatImageRef } from '../config/registry-url.js';
import type { RegistryFacts } from '../plan/incremental/types.js';
import type { Plan, SigningFacts, TargetSpec } from '../plan/nodes.js';
import type { StorePool } from '../publish/store-pool.js';
import { readAttached } from '../supply/read-attached.js';
import type { SigningKey } from '../supply/signing-key.js';

export async function signingFacts(shape: Plan, registry: Pick<RegistryFacts, 'tags'>, key: SigningKey, stores: StorePool, signal?: AbortSignal): Promise<SigningFacts> {
  const wanted = new Map<string, { target: TargetSpec; repo: string; digest: string }>();
  const wantTag = (target: TargetSpec, repo: string, tag: string) => {
    const state = registry.tags[formatImageRef(target, repo, tag)];
    if (!state) return;
    // An index's children are in its repository too: a current push's digest is among them.
    for (const digest of [state.digest, ...(state.children ?? []).map((c) => c.digest)]) wanted.set(formatImageRef(target, repo, digest), { target, repo, digest });
  };
  for (const node of Object.values(shape.nodes)) {
    if (node.kind === 'push' && node.sign) for (const ref of node.refs) wantTag(node.target, ref.repository, ref.tag);
    if (node.kind === 'index' && node.sign) wantTag(node.target, node.repository, node.indexTag);
  }
  const held: Record<string, { signed: boolean; predicates: string[] }> = {};
  await Promise.all(
    [...wanted].map(async ([ref, { target, repo, digest }]) => {
      try {
        const got = await readAttached(stores.get(target), repo, digest, key.publicKey, signal);
        held[ref] = { signed: got.signatures.length > 0, predicates: [...got.predicates.keys()] };
      } catch {
        // Unreadable now: plan says `+ sign`; apply checks again before writing anything.
      }
    }),
  );
  return { keyId: key.keyId, held };
}
