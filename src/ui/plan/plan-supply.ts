/**
 * What `plan` says about signatures and attestations of a digest: `+ sign`, `+ attest provenance`,
 * `+ attest sbom`, or `= signed` / `= attested …` when the registry already holds them verified by
 * this key (a fact read before planning, for the digests the targets' tags name; shown for a node whose action finds it current). Pure.
 */
import { formatImageRef } from '../../config/registry-url.js';
import type { IndexNode, Plan, PushNode } from '../../plan/nodes.js';
import { wantedPredicates as predicatesOf } from '../../supply/statement.js';
import { stepLines, type Look } from './plan-step.js';

export function supplyLines(plan: Plan, node: PushNode | IndexNode, look: Look): string[] {
  if (!node.sign) return [];
  const held = heldFor(plan, node);
  const keyNote = { text: `key ${node.sign.keyId.slice(0, 12)}`, style: look.style.dim };
  const lines = held?.signed ? stepLines('unchanged', 'signed', [keyNote], look) : stepLines('create', 'sign', [keyNote], look);
  for (const [name, type] of wantedPredicates(node)) {
    const there = held?.predicates.includes(type);
    lines.push(...stepLines(there ? 'unchanged' : 'create', there ? 'attested' : 'attest', [{ text: name }], look));
  }
  return lines;
}

/** Whether apply writes a signature or an attestation for this node (a current image is then not folded away). */
export function supplyPending(plan: Plan, node: PushNode | IndexNode): boolean {
  if (!node.sign) return false;
  const held = heldFor(plan, node);
  return !held?.signed || wantedPredicates(node).some(([, type]) => !held.predicates.includes(type));
}

/** How many digests apply signs or attests (a signature or attestation still missing): changes too. */
export function supplyToWrite(plan: Plan): number {
  return Object.values(plan.nodes).filter((n) => (n.kind === 'push' || n.kind === 'index') && supplyPending(plan, n)).length;
}

/** The attestations a push asks for: shown name and predicate type. */
function wantedPredicates(node: PushNode | IndexNode): Array<[string, string]> {
  return node.kind === 'push' ? predicatesOf(node.attest).map((p) => [p.name, p.type]) : [];
}

/** What the registry holds for the digest this node will write, when the plan found it current (its action). */
function heldFor(plan: Plan, node: PushNode | IndexNode): { signed: boolean; predicates: readonly string[] } | undefined {
  const held = plan.facts.signing?.held;
  if (!held) return undefined;
  if (node.kind === 'index') return node.action.type === 'skip' ? held[formatImageRef(node.target, node.repository, node.action.current)] : undefined;
  if (node.action.type === 'push') return undefined;
  const repo = node.refs[0]?.repository ?? node.digestRepositories[0];
  return repo ? held[formatImageRef(node.target, repo, node.action.published.digest)] : undefined;
}
