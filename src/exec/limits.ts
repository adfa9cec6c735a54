/**
 * Concurrency limits as resources. Every node holds `kind:<kind>`; builds and tests also hold
 * `builder:<name>`, the engine they run on. A limit caps how many running nodes hold a resource
 * (`{ 'kind:build': 1 }` for a builder that cannot overlap builds, `{ 'builder:linux/arm64': 2 }`
 * from a builder's `concurrency`), under a cap on all running nodes. Pure.
 */
import type { NodeKind, Plan, PlanNode } from '../plan/nodes.js';
import type { Schedule } from './schedule.js';

export const resource = {
  kind: (kind: NodeKind) => `kind:${kind}`,
  builder: (name: string) => `builder:${name}`,
};

export interface Limits {
  /** Nodes running at once, in all (at least 1). */
  readonly total: number;
  /** Running nodes holding a resource, per resource; absent means no cap of its own. */
  readonly resources: Readonly<Record<string, number>>;
}

export function nodeResources(node: PlanNode): string[] {
  const held = [resource.kind(node.kind)];
  if (node.kind === 'build' || node.kind === 'test') held.push(resource.builder(node.builder));
  return held;
}

/** Per-kind caps (`{ build: 1 }`) as resource limits. */
export function kindLimits(limits: Partial<Record<NodeKind, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(limits).map(([kind, n]) => [resource.kind(kind as NodeKind), n]));
}

/** The `concurrency` of each of the plan's builders that has one. */
export function builderLimits(plan: Plan): Record<string, number> {
  return Object.fromEntries(
    Object.values(plan.builders).flatMap((b) => (b.concurrency !== undefined ? [[resource.builder(b.name), b.concurrency]] : [])),
  );
}

/**
 * Of `candidates`, in their order, those that may start now next to `running`: each is taken when
 * the total and every resource it holds still have room, counting the ones taken before it.
 */
export function fitUnderLimits(
  candidates: readonly string[],
  running: readonly string[],
  resourcesOf: (id: string) => readonly string[],
  limits: Limits,
): string[] {
  const held = new Map<string, number>();
  const hold = (id: string) => {
    for (const r of resourcesOf(id)) held.set(r, (held.get(r) ?? 0) + 1);
  };
  running.forEach(hold);
  let total = running.length;
  const chosen: string[] = [];
  for (const id of candidates) {
    if (total >= Math.max(1, limits.total)) break;
    const fits = resourcesOf(id).every((r) => (held.get(r) ?? 0) < (limits.resources[r] ?? Number.POSITIVE_INFINITY));
    if (!fits) continue;
    chosen.push(id);
    hold(id);
    total++;
  }
  return chosen;
}

/** Ready nodes (plan order) that fit under the limits next to the running ones. */
export function startableNodes(plan: Plan, schedule: Schedule, limits: Limits): string[] {
  return fitUnderLimits(schedule.ready(), schedule.running(), (id) => nodeResources(plan.nodes[id]!), limits);
}
