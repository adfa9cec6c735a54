/**
 * A signature or attestation still to write is a change: `plan --detailed-exitcode` exits 2 on it
 * (planHasChanges), the closing line counts it, and the plan JSON's hasChanges says it — while a
 * plan whose every digest is current and signed by the key has no changes at all.
 */
import { describe, expect, it } from 'vitest';
import { formatImageRef } from '../../../src/config/registry-url.js';
import type { Plan, PlanNode } from '../../../src/plan/nodes.js';
import { SLSA_PROVENANCE_V1 } from '../../../src/supply/statement.js';
import { formatPlanChanges, planHasChanges } from '../../../src/ui/plan/plan-changes.js';
import { toPlanJson } from '../../../src/ui/plan/plan-json.js';
import { plan } from '../plan/fixtures.js';
import { incrementalPlan, inputsFacts, localConfig, registryAfter, world } from '../plan/incremental-fixtures.js';

const KEY = 'ab'.repeat(32);

/** Every image current; every push and index signed (pushes also attest provenance). */
function currentSignedPlan(): { plan: Plan; refs: string[] } {
  const config = localConfig();
  const base = plan(config);
  const registry = registryAfter(base, inputsFacts(world(), base), world());
  const p = incrementalPlan(config, (b) => ({ inputs: inputsFacts(world(), b), registry }));
  const refs: string[] = [];
  const nodes = Object.fromEntries(
    Object.entries(p.nodes).map(([id, n]): [string, PlanNode] => {
      if (n.kind === 'push' && n.action.type !== 'push') {
        refs.push(formatImageRef(n.target, n.refs[0]!.repository, n.action.published.digest));
        return [id, { ...n, sign: { keyId: KEY }, attest: { provenance: true } }];
      }
      if (n.kind === 'index' && n.action.type === 'skip') {
        refs.push(formatImageRef(n.target, n.repository, n.action.current));
        return [id, { ...n, sign: { keyId: KEY } }];
      }
      return [id, n];
    }),
  );
  return { plan: { ...p, nodes }, refs };
}

const withHeld = (p: Plan, held: Record<string, { signed: boolean; predicates: string[] }>): Plan => ({ ...p, facts: { ...p.facts, signing: { keyId: KEY, held } } });

describe('signatures and attestations to write are changes', () => {
  it('every digest current and signed and attested by the key: no changes', () => {
    const { plan: p, refs } = currentSignedPlan();
    expect(refs.length).toBeGreaterThan(2);
    const signed = withHeld(p, Object.fromEntries(refs.map((r) => [r, { signed: true, predicates: [SLSA_PROVENANCE_V1] }])));
    expect(planHasChanges(signed)).toBe(false);
    expect(formatPlanChanges(signed, { color: false }).split('\n').at(-1)).not.toContain('to sign');
    expect(toPlanJson(signed).changes!.summary.hasChanges).toBe(false);
  });

  it('one missing attestation, or one missing signature, is a change', () => {
    const { plan: p, refs } = currentSignedPlan();
    const all = Object.fromEntries(refs.map((r) => [r, { signed: true, predicates: [SLSA_PROVENANCE_V1] }]));
    const pushRef = refs[0]!;
    const unattested = withHeld(p, { ...all, [pushRef]: { signed: true, predicates: [] } });
    expect(planHasChanges(unattested)).toBe(true);
    expect(toPlanJson(unattested).changes!.summary.hasChanges).toBe(true);
    expect(formatPlanChanges(unattested, { color: false }).replace(/\s+/g, ' ')).toMatch(/0 to build, 0 to push, 0 indexes to update, 1 digest to sign, \d+ unchanged\.$/);
    const unsigned = withHeld(p, { ...all, [refs.at(-1)!]: { signed: false, predicates: [] } });
    expect(planHasChanges(unsigned)).toBe(true);
    // Registry state not read (no facts): nothing proves them signed, so they are to write.
    expect(planHasChanges({ ...p, facts: { ...p.facts, signing: { keyId: KEY } } })).toBe(true);
  });
});
