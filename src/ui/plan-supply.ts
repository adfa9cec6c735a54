/**
 * What `plan` says about signatures and attestations of a digest: `+ sign`, `+ attest provenance`,
 * `+ attest sbom`, or `= signed` / `= attested …` when the registry already holds them verified by
 * this key (a fact read before planning; only a digest that is already published can be). Pure.
 */
import { formatImageRef } from '../config/registry-url.js';
import type { IndexNode, Plan, PushNode } from '../plan/nodes.js';
import { CYCLONEDX_PREDICATE, SLSA_PROVENANCE_V1, SPDX_PREDICATE } from '../supply/statement.js';
import { stepLines, type Look } from './plan-text.js';

export function supplyLines(plan: Plan, node: PushNode | IndexNode, look: Look): string[] {
  if (!node.sign) return [];
  const held = heldFor(plan, node);
  const keyNote = { text: `key ${node.sign.keyId.slice(0, 12)}`, style: look.style.dim };
  const lines = held?.signed ? stepLines('unchanged', 'signed', [keyNote], look) : stepLines('create', 'sign', [keyNote], look);
  if (node.kind === 'push' && node.attest) {
    const wanted: Array<[string, string]> = [];
    if (node.attest.provenance) wanted.push(['provenance', SLSA_PROVENANCE_V1]);
    if (node.attest.sbom) wanted.push([`sbom (${node.attest.sbom})`, node.attest.sbom === 'spdx' ? SPDX_PREDICATE : CYCLONEDX_PREDICATE]);
    for (const [name, type] of wanted) {
      const there = held?.predicates.includes(type);
      lines.push(...stepLines(there ? 'unchanged' : 'create', there ? 'attested' : 'attest', [{ text: name }], look));
    }
  }
  return lines;
}

/** What the registry holds for the digest this node will write, when that digest is known already. */
function heldFor(plan: Plan, node: PushNode | IndexNode): { signed: boolean; predicates: readonly string[] } | undefined {
  const held = plan.facts.signing?.held;
  if (!held) return undefined;
  if (node.kind === 'index') {
    const change = plan.changes?.indexes[node.id];
    return change?.action === 'unchanged' && change.current ? held[formatImageRef(node.target, node.repository, change.current)] : undefined;
  }
  const current = plan.changes?.platforms[node.build]?.current;
  const repo = node.refs[0]?.repository ?? node.digestRepositories[0];
  return current && repo && plan.changes?.pushes[node.id]?.action !== 'push' ? held[formatImageRef(node.target, repo, current.digest)] : undefined;
}
