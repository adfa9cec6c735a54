/**
 * `apply --platform P --shard-out DIR`: the incremental plan for those platforms (the publish
 * targets read as `plan` reads them; every image built when they cannot be read), turned into a
 * shard plan: what is stale is built into DIR, what is current is recorded by its published
 * digest — refused when DIR sits inside a build context that would see it. Why it built
 * everything, when it did, goes to stderr.
 */
import path from 'node:path';
import { MultiarchError } from '../errors/multiarch-error.js';
import { contextsHolding } from '../inputs/contexts-holding.js';
import { toShardPlan } from '../plan/shard-plan.js';
import type { CliOptions } from './args.js';
import { SHARD_BLIND } from './incremental-facts.js';
import type { CliIo } from './io.js';
import { preparePlan, type PreparedPlan } from './prepare-plan.js';

export async function prepareShard(options: CliOptions, io: CliIo): Promise<PreparedPlan> {
  const given = options.shardOut!;
  const dir = path.resolve(io.cwd, given);
  const prepared = await preparePlan(options, io, true);
  const { kind, client } = prepared.client!.choice;
  const holding = await contextsHolding(dir, prepared.plan, { kind, version: client.version });
  if (holding.length > 0) {
    const ignoreFile = path.join(path.relative(io.cwd, holding[0]!.context) || '.', '.dockerignore');
    throw new MultiarchError('E_USAGE', `--shard-out ${given} is inside the build context of ${holding.map((c) => c.image).join(', ')}: every build would be sent the shard, and a COPY could put it in the image`, {
      hint: `write the shard outside the context (in CI: --shard-out "$RUNNER_TEMP/shard"), or exclude it in ${ignoreFile}`,
    });
  }
  const blind = prepared.plan.notes.find((n) => n.message.startsWith(SHARD_BLIND));
  if (blind) io.stderr(`note: ${blind.message.slice('shard: '.length)}\n`);
  return { ...prepared, plan: toShardPlan(prepared.plan, dir) };
}
