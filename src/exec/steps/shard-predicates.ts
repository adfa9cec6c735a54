/**
 * `apply --shard-out`: a shard holds no key, so it signs nothing — but the build and its image are
 * only here, so this is where an image's attestation predicates can be made. Once a platform image
 * is stored in the shard's layout, its SLSA provenance (from the build) and SBOM (from that very
 * image, by the configured scanner) are made as a signing apply would make them and stored beside
 * it; the merge job signs them into attestations on the digest it publishes. Edge.
 */
import { writeShardPredicates } from '../../publish/shard-predicates.js';
import { wantedPredicates } from '../../supply/statement.js';
import type { StepResult, StepTable } from '../execute.js';
import type { PushOutput } from './step-outputs.js';
import { makePredicates, type AttestServices, type SupplyDeps } from './supply.js';

export function withShardPredicates(steps: StepTable, deps: SupplyDeps, attest: AttestServices): StepTable {
  return {
    ...steps,
    push: async (node, ctx) => {
      const result = (await steps.push(node, ctx)) as StepResult<PushOutput>;
      // Only a push into a layout without a key (a shard) that stored a build of this run.
      if (!node.attest || node.sign || !node.target.layout || node.action.type !== 'push') return result;
      const made: Array<{ type: string; value: unknown }> = [];
      for (const p of makePredicates(deps, attest, node, result.output, ctx)) made.push({ type: p.type, value: await p.make() });
      if (made.length === 0) return result;
      const { repository, tag } = node.refs[0]!;
      await writeShardPredicates(deps.stores.get(node.target), repository, tag, made, ctx.signal);
      const names = wantedPredicates(node.attest).filter((w) => made.some((m) => m.type === w.type)).map((w) => w.name);
      return { ...result, info: { ...result.info, summary: `${result.info?.summary ?? ''}; made ${names.join(' + ')} for the merge to sign` } };
    },
  };
}
