/**
 * The `changes` section of `multiarch plan --json` (docs/plan-json.md): per image and platform
 * what apply does and why, what each push writes, whether each index is created, updated or left
 * alone, and the totals. Pure.
 */
import type { IndexAction, PlatformAction, PushAction } from '../plan/incremental/types.js';
import type { Plan, PushNode } from '../plan/nodes.js';
import { planHasChanges } from './plan-changes.js';

export interface PlanJsonChanges {
  readonly state: 'registry' | 'local';
  readonly platforms: ReadonlyArray<{
    readonly image: string;
    readonly platform: string;
    readonly node: string;
    readonly action: PlatformAction;
    readonly inputs: string;
    readonly reasons: readonly string[];
    readonly current: { readonly ref: string; readonly digest: string } | null;
    readonly pushes: ReadonlyArray<{
      readonly node: string;
      readonly target: string;
      readonly action: PushAction;
      readonly from: string | null;
      readonly write: readonly string[];
      readonly digestRepositories: readonly string[];
    }>;
  }>;
  readonly indexes: ReadonlyArray<{
    readonly image: string;
    readonly node: string;
    readonly tag: string;
    readonly target: string;
    readonly ref: string;
    readonly action: IndexAction;
    readonly current: string | null;
    readonly children: ReadonlyArray<{ readonly platform: string; readonly change: 'added' | 'removed' | 'changed' | 'rebuilt' }>;
  }>;
  readonly summary: {
    readonly build: number;
    readonly push: number;
    readonly indexCreate: number;
    readonly indexUpdate: number;
    readonly unchanged: number;
    readonly hasChanges: boolean;
  };
}

export function toChangesJson(plan: Plan): PlanJsonChanges | null {
  const changes = plan.changes;
  if (!changes) return null;
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const pushesOf = new Map<string, PushNode[]>();
  for (const n of nodes) if (n.kind === 'push') pushesOf.set(n.build, [...(pushesOf.get(n.build) ?? []), n]);
  return {
    state: changes.source,
    platforms: nodes.flatMap((build) => {
      if (build.kind !== 'build') return [];
      const c = changes.platforms[build.id]!;
      const pushes = (pushesOf.get(build.id) ?? []).map((p) => {
        const pc = changes.pushes[p.id]!;
        return { node: p.id, target: p.target.name, action: pc.action, from: pc.from?.ref ?? null, write: [...pc.write], digestRepositories: pc.digestRepositories.map((r) => `${p.target.host}/${r}`) };
      });
      return [{ image: c.image, platform: c.platform, node: build.id, action: c.action, inputs: c.inputs, reasons: [...c.reasons], current: c.current ? { ref: c.current.ref, digest: c.current.digest } : null, pushes }];
    }),
    indexes: nodes.flatMap((n) => {
      if (n.kind !== 'index') return [];
      const c = changes.indexes[n.id]!;
      return [{ image: n.image, node: n.id, tag: n.tag, target: n.target.name, ref: c.ref, action: c.action, current: c.current ?? null, children: c.children.map((x) => ({ ...x })) }];
    }),
    summary: { ...changes.summary, hasChanges: planHasChanges(plan) },
  };
}
