/**
 * Has the world moved since a plan was made? Compares the saved plan's fingerprint (each build's
 * inputs digest, each tag's digest) with a fresh one and lists every difference. A tag the saved
 * plan did not know (made offline) counts as missing then. Pure.
 */
import { formatImageRef } from '../../config/registry-url.js';
import type { Plan } from '../nodes.js';
import { computeBuildInputs, prepareOf, REBUILT } from './inputs-digest.js';
import { short } from './reasons.js';
import type { IncrementalFacts, PlanFingerprint } from './types.js';

/**
 * What a plan is made from, as facts: each build's inputs digest (a `ref()` base counted by name
 * only — its own inputs and tags are in the fingerprint already) and the digest every tag the plan
 * writes holds (null: missing; absent: not read, offline).
 */
export function fingerprintOf(plan: Plan, facts: IncrementalFacts): PlanFingerprint {
  const inputs: Record<string, string> = {};
  const tags: Record<string, string | null> = {};
  const observe = (ref: string) => {
    const state = facts.registry.tags[ref] ?? (facts.registry.source === 'registry' ? null : undefined);
    if (state !== undefined) tags[ref] = state?.digest ?? null;
  };
  for (const id of plan.order) {
    const node = plan.nodes[id]!;
    if (node.kind === 'build') inputs[id] = computeBuildInputs(node, facts.inputs, () => REBUILT, prepareOf(plan, node)).digest;
    if (node.kind === 'push') for (const r of node.refs) observe(formatImageRef(node.target, r.repository, r.tag));
    if (node.kind === 'index') observe(formatImageRef(node.target, node.repository, node.indexTag));
  }
  return { inputs, tags };
}

export function fingerprintChanges(saved: PlanFingerprint, fresh: PlanFingerprint): string[] {
  const out: string[] = [];
  for (const id of new Set([...Object.keys(saved.inputs), ...Object.keys(fresh.inputs)])) {
    const before = saved.inputs[id];
    const now = fresh.inputs[id];
    if (before !== now) out.push(`${id}: inputs ${before ? short(before) : '(none)'} → ${now ? short(now) : '(not in the plan)'}`);
  }
  for (const ref of new Set([...Object.keys(saved.tags), ...Object.keys(fresh.tags)])) {
    const before = saved.tags[ref] ?? null;
    const now = fresh.tags[ref] ?? null;
    if (before !== now) out.push(`${ref}: ${before ? short(before) : 'missing'} when planned, ${now ? short(now) : 'missing'} now`);
  }
  return out;
}
