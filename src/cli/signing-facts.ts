/**
 * What the publish targets already hold signed and attested by this key, for every digest the
 * plan found current (a platform image it will not push again, an index it will not rewrite):
 * the fact behind `= signed` in `plan`. Verified by key, not by tag presence. Edge.
 */
import { formatImageRef } from '../config/registry-url.js';
import type { Plan, SigningFacts, TargetSpec } from '../plan/nodes.js';
import type { StorePool } from '../publish/store-pool.js';
import { readAttached } from '../supply/read-attached.js';
import type { SigningKey } from '../supply/signing-key.js';

export async function withSigningFacts(plan: Plan, key: SigningKey, stores: StorePool, signal?: AbortSignal): Promise<Plan> {
  const wanted = new Map<string, { target: TargetSpec; repo: string; digest: string }>();
  const want = (target: TargetSpec, repo: string | undefined, digest: string | undefined) => {
    if (repo && digest) wanted.set(formatImageRef(target, repo, digest), { target, repo, digest });
  };
  for (const node of Object.values(plan.nodes)) {
    if (node.kind === 'push' && node.sign && plan.changes?.pushes[node.id]?.action !== 'push') {
      want(node.target, node.refs[0]?.repository ?? node.digestRepositories[0], plan.changes?.platforms[node.build]?.current?.digest);
    }
    if (node.kind === 'index' && node.sign && plan.changes?.indexes[node.id]?.action === 'unchanged') want(node.target, node.repository, plan.changes.indexes[node.id]!.current);
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
  const signing: SigningFacts = { keyId: key.keyId, held };
  return { ...plan, facts: { ...plan.facts, signing } };
}
