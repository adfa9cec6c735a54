/**
 * `--shard-out DIR` must not sit inside a build context that would see it: every build would be
 * sent the shard, and a COPY could put it in the image. Checked on the plan's graph, before
 * anything is read from the registries. Edge: reads the contexts' ignore files.
 */
import path from 'node:path';
import { MultiarchError } from '../errors/multiarch-error.js';
import { contextsHolding } from '../inputs/contexts-holding.js';
import type { Plan } from '../plan/nodes.js';
import type { ClientFactsResult } from './docker-client.js';

export async function checkShardOut(given: string, cwd: string, shape: Plan, client: ClientFactsResult | undefined): Promise<void> {
  const dir = path.resolve(cwd, given);
  // Without a docker client (every image assembled directly): a current BuildKit's rules.
  const reader = client ? { kind: client.choice.kind, version: client.choice.client.version } : { kind: 'buildkit' as const, version: '99' };
  const holding = await contextsHolding(dir, shape, reader);
  if (holding.length === 0) return;
  const ignoreFile = path.join(path.relative(cwd, holding[0]!.context) || '.', '.dockerignore');
  throw new MultiarchError('E_USAGE', `--shard-out ${given} is inside the build context of ${holding.map((c) => c.image).join(', ')}: every build would be sent the shard, and a COPY could put it in the image`, {
    hint: `write the shard outside the context (in CI: --shard-out "$RUNNER_TEMP/shard"), or exclude it in ${ignoreFile}`,
  });
}
