/**
 * `apply --platform P --shard-out DIR`: the plan for those platforms with every image built (a
 * merge takes nothing from the registries, so a shard must hold each of its platform images
 * itself; the builder's cache keeps unchanged builds fast), turned into a shard plan — refused
 * when DIR sits inside a build context that would see it.
 */
import path from 'node:path';
import { MultiarchError } from '../errors/multiarch-error.js';
import { contextsHolding } from '../inputs/contexts-holding.js';
import { toShardPlan } from '../plan/shard-plan.js';
import type { CliOptions } from './args.js';
import type { CliIo } from './io.js';
import { preparePlan, type PreparedPlan } from './prepare-plan.js';

export async function prepareShard(options: CliOptions, io: CliIo): Promise<PreparedPlan> {
  const given = options.shardOut!;
  const dir = path.resolve(io.cwd, given);
  const prepared = await preparePlan({ ...options, force: true }, io, true);
  const { kind, client } = prepared.client!.choice;
  const holding = await contextsHolding(dir, prepared.plan, { kind, version: client.version });
  if (holding.length > 0) {
    const ignoreFile = path.join(path.relative(io.cwd, holding[0]!.context) || '.', '.dockerignore');
    throw new MultiarchError('E_USAGE', `--shard-out ${given} is inside the build context of ${holding.map((c) => c.image).join(', ')}: every build would be sent the shard, and a COPY could put it in the image`, {
      hint: `write the shard outside the context (in CI: --shard-out "$RUNNER_TEMP/shard"), or exclude it in ${ignoreFile}`,
    });
  }
  return { ...prepared, plan: toShardPlan(prepared.plan, dir) };
}
