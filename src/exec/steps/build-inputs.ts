/** What a build step hands its builder: args, labels and the inputs it records. Pure given the outputs. */
import type { BuildNode } from '../../plan/nodes.js';
import { finalizeInputs } from '../../plan/incremental/inputs-digest.js';
import { INPUTS_DETAIL_LABEL, INPUTS_LABEL } from '../../plan/incremental/types.js';
import type { StepContext } from '../execute.js';
import type { PushOutput } from './step-outputs.js';

/**
 * Build args as the build sees them (a ref() arg is the digest its base was really pushed as, or in
 * a shard its local tag) and the labels, with the inputs it records when the plan records them.
 * Shared by engine builds and direct assembly.
 */
export function resolveBuildInputs(
  node: BuildNode,
  ctx: StepContext,
): { args: Record<string, string>; labels: Record<string, string>; final?: ReturnType<typeof finalizeInputs>; pushedBases: Array<{ ref: string; digest: string }> } {
  const args: Record<string, string> = {};
  const pushed: Record<string, { image: string; digest: string }> = {};
  // The bases this run pushed to a registry (not a shard's local tags): readable like any base.
  const pushedBases: Array<{ ref: string; digest: string }> = [];
  for (const [key, value] of Object.entries(node.args)) {
    if (typeof value === 'string') args[key] = value;
    // A shard's base is the image this run built on the same engine (see plan/shard-plan.ts).
    else {
      const { digest } = ctx.outputOf<PushOutput>(value.ref.node);
      pushed[key] = { image: value.ref.image, digest };
      args[key] = value.ref.local ?? `${value.ref.repository}@${digest}`;
      if (!value.ref.local) pushedBases.push({ ref: args[key], digest });
    }
  }
  const action = node.action;
  const final = action.type === 'build' && action.record ? finalizeInputs(action.record.detail, pushed) : undefined;
  const labels = final ? { ...node.labels, [INPUTS_LABEL]: final.digest, [INPUTS_DETAIL_LABEL]: final.json } : { ...node.labels };
  return { args, labels, ...(final ? { final } : {}), pushedBases };
}
