/**
 * Reaching a builder's engine before planning: one `docker version` through its host or context
 * gives the engine's version and native platform, or why it cannot be reached; for a context, the
 * context's own host tells whether the engine shares this machine's kernel (and so its emulators).
 * Edge: runs docker.
 */
import type { DockerEndpoint } from '../config/builders.js';
import { formatPlatform, parsePlatform } from '../config/platform.js';
import { run } from '../sys/run.js';
import { endpointEnv, engineProblem, isLocalHost, parseServerVersion } from './endpoint.js';

export type EngineProbe =
  | {
      readonly reachable: true;
      readonly version: string;
      readonly platform: string;
      /** It shares this machine's kernel (a unix socket). */
      readonly local: boolean;
      /** The DOCKER_HOST it was reached at (a context's own host), when known. */
      readonly host?: string;
    }
  | { readonly reachable: false; readonly problem: string };

const TIMEOUT_MS = 20_000;

export async function probeEngine(binary: string, endpoint: DockerEndpoint, timeoutMs = TIMEOUT_MS): Promise<EngineProbe> {
  const env = endpointEnv(endpoint);
  const [version, contextHost] = await Promise.all([
    run(binary, ['version', '--format', '{{.Server.Version}}|{{.Server.Os}}/{{.Server.Arch}}'], { env, timeoutMs }),
    endpoint.context ? contextDockerHost(binary, endpoint.context, timeoutMs) : Promise.resolve(endpoint.host),
  ]);
  const server = parseServerVersion(version.stdout);
  if (!server) return { reachable: false, problem: engineProblem(version.stderr, version.timedOut, timeoutMs) };
  const parsed = parsePlatform(server.platform);
  const platform = parsed.ok ? formatPlatform(parsed.platform) : server.platform;
  return { reachable: true, version: server.version, platform, local: isLocalHost(contextHost), ...(contextHost ? { host: contextHost } : {}) };
}

async function contextDockerHost(binary: string, context: string, timeoutMs: number): Promise<string | undefined> {
  const r = await run(binary, ['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}', context], { timeoutMs });
  // Unknown: treat as remote (emulators unseen) rather than guess.
  return r.exitCode === 0 ? r.stdout.trim() || undefined : 'unknown://';
}
