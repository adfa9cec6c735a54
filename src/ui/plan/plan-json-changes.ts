/**
 * The `changes` section of `multiarch plan --json` (docs/plan-json.md): per image and platform
 * what apply does and why, what each push writes, whether each index is created, updated or left
 * alone, the totals, and the fingerprint a saved plan is checked against. Pure.
 */
import type { Plan, PushNode } from '../../plan/nodes.js';
import { planHasChanges } from './plan-changes.js';
import type { InputsDetail, PublishedImage } from '../../plan/incremental/types.js';
import type { InputsDetailJson, PlanJsonChanges, PublishedImageJson } from './plan-json-changes-schema.js';

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
        const from = pc.from ? { ref: pc.from.ref, target: pc.from.target, repository: pc.from.repository, digest: pc.from.digest } : null;
        return { node: p.id, target: p.target.name, action: pc.action, from, write: [...pc.write], digestRepositories: pc.digestRepositories.map((r) => `${p.target.host}/${r}`) };
      });
      return [{ image: c.image, platform: c.platform, node: build.id, action: c.action, inputs: c.inputs, detail: detailJson(c.detail), reasons: [...c.reasons], current: c.current ? publishedJson(c.current) : null, pushes }];
    }),
    indexes: nodes.flatMap((n) => {
      if (n.kind !== 'index') return [];
      const c = changes.indexes[n.id]!;
      return [{ image: n.image, node: n.id, tag: n.tag, target: n.target.name, ref: c.ref, action: c.action, current: c.current ?? null, children: c.children.map((x) => ({ ...x })) }];
    }),
    summary: { ...changes.summary, hasChanges: planHasChanges(plan) },
    fingerprint: { inputs: { ...changes.fingerprint.inputs }, tags: { ...changes.fingerprint.tags } },
  };
}

/** A published image as the plan JSON names it (the same fields, in a fixed order). */
export function publishedJson(p: PublishedImage): PublishedImageJson {
  return { ref: p.ref, digest: p.digest, mediaType: p.mediaType, size: p.size, target: p.target, host: p.host, repository: p.repository };
}

/** An inputs digest's components, copied key by key (the label format: optional keys stay absent). */
export function detailJson(d: InputsDetail): InputsDetailJson {
  return {
    platform: d.platform,
    builder: d.builder,
    context: d.context,
    dockerfile: d.dockerfile,
    target: d.target,
    args: { ...d.args },
    bases: { ...d.bases },
    labels: { ...d.labels },
    ...(d.prepare !== undefined ? { prepare: d.prepare } : {}),
    ...(d.secrets ? { secrets: [...d.secrets] } : {}),
    ...(d.ssh ? { ssh: [...d.ssh] } : {}),
  };
}
