/**
 * The engines behind the builders a plan will use, reached before planning so that `plan` can say
 * which platforms run natively where, and which builder is unreachable and why. Ambient builders
 * (no host or context) share the engine the client detection already asked; the others are asked
 * in parallel through their host or context. Edge: runs docker.
 */
import type { ResolvedBuilder } from '../config/builders.js';
import { probeEngine } from '../docker/probe-engine.js';
import { isAmbient } from '../plan/engines.js';
import type { EngineFacts } from '../plan/nodes.js';
import type { ClientFactsResult } from './docker-client.js';

export async function gatherEngineFacts(client: ClientFactsResult, builders: readonly ResolvedBuilder[]): Promise<Record<string, EngineFacts>> {
  const entries = await Promise.all(
    builders.map(async (builder): Promise<[string, EngineFacts]> => {
      if (isAmbient(builder)) {
        const facts: EngineFacts = client.engine
          ? { reachable: true, version: client.engine.version, nativePlatform: client.engine.platform, emulated: client.emulated }
          : { reachable: false, problem: client.engineError?.message ?? 'the Docker engine does not answer' };
        return [builder.name, facts];
      }
      const probe = await probeEngine(client.choice.client.binary, builder.docker);
      if (!probe.reachable) return [builder.name, { reachable: false, problem: probe.problem }];
      const host = probe.host;
      return [
        builder.name,
        {
          reachable: true,
          version: probe.version,
          nativePlatform: probe.platform,
          // An engine on this machine's kernel has this machine's emulators; a remote one's are unseen.
          ...(probe.local ? { emulated: client.emulated } : {}),
          ...(host ? { host } : {}),
        },
      ];
    }),
  );
  return Object.fromEntries(entries);
}
