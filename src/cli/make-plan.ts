/**
 * Shared by plan and apply: gather the facts (src/facts/), then the one pure call that decides,
 * `createPlan`, and for `--shard-out` / `--merge` its pure shard or merge form. Nothing here
 * observes anything.
 *  - `--shard-out DIR`: the incremental plan for those platforms, turned into a shard plan: what is
 *    stale is built into DIR, what is current is recorded by its published digest. Why it built
 *    everything, when it did, goes to stderr.
 *  - `--merge DIR...`: the shards must add up (else nothing is pushed); what the targets hold
 *    decides what is written.
 */
import path from 'node:path';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { Facts } from '../facts/facts.js';
import { gatherFacts } from '../facts/gather-facts.js';
import { SHARD_BLIND } from '../facts/incremental.js';
import { createPlan } from '../plan/create-plan.js';
import { toMergePlan } from '../plan/merge-plan.js';
import type { Plan } from '../plan/nodes.js';
import { toShardPlan } from '../plan/shard-plan.js';
import type { CliOptions } from './args.js';
import type { CliIo } from './io.js';

/** The plan, and what apply needs besides it to carry it out. */
export type MadePlan = Omit<Facts, 'plan' | 'selection' | 'merge'> & { readonly plan: Plan };

export async function makePlan(options: CliOptions, io: CliIo, requireBuilder: boolean): Promise<MadePlan> {
  const { plan: planFacts, selection, merge, ...facts } = await gatherFacts(options, io, requireBuilder);
  const planned = createPlan(facts.config, planFacts, selection);
  if (merge) {
    const merged = toMergePlan(planned, merge.shards, merge.targets);
    if (!merged.ok) {
      throw new MultiarchError('E_SHARD', `the shards do not add up to ${path.relative(io.cwd, facts.config.file) || facts.config.file}: nothing was pushed`, {
        details: merged.problems,
        hint: 'merge the shards of one commit, one per platform, each from a finished `multiarch apply --platform P --shard-out DIR`',
      });
    }
    return { ...facts, plan: merged.plan };
  }
  if (options.shardOut === undefined) return { ...facts, plan: planned };
  const blind = planned.notes.find((n) => n.message.startsWith(SHARD_BLIND));
  if (blind) io.stderr(`note: ${blind.message.slice('shard: '.length)}\n`);
  return { ...facts, plan: toShardPlan(planned, path.resolve(io.cwd, options.shardOut)) };
}
