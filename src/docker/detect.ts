/**
 * Finds the docker clients on this machine and what they offer, and whether an engine answers:
 * the facts `chooseBuilder` decides from. Edge: runs `docker version` / `docker buildx version`.
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { MultiarchError } from '../errors/multiarch-error.js';
import { run } from '../sys/run.js';
import type { ClientProbe } from './choose-builder.js';

export interface EngineInfo {
  readonly version: string;
  /** `linux/amd64` */
  readonly platform: string;
}

/**
 * `MULTIARCH_DOCKER` if set, else every distinct `docker` executable on PATH, in PATH order.
 * Synchronous (a few stat calls) so the probes start at once, before the config's import holds
 * the event loop for its transform.
 */
export function findDockerBinaries(env = process.env): string[] {
  if (env.MULTIARCH_DOCKER) return [env.MULTIARCH_DOCKER];
  const found: string[] = [];
  const seen = new Set<string>();
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'docker');
    try {
      accessSync(candidate, constants.X_OK);
      const real = realpathSync(candidate);
      if (seen.has(real)) continue;
      seen.add(real);
      found.push(candidate);
    } catch {
      // Not here.
    }
  }
  return found;
}

/**
 * One `docker version` call gives the client's version and, when the engine answers, the engine's
 * version and platform; `docker buildx version` runs alongside it when a buildx plugin may exist
 * (`pluginMayExist(buildxCandidates(env))`), and where none does the CLI could only fail it.
 */
export async function probeClient(binary: string, options: { readonly buildx: boolean }): Promise<(ClientProbe & { readonly engine?: EngineInfo }) | undefined> {
  const [version, buildx] = await Promise.all([
    run(binary, ['version', '--format', '{{.Client.Version}}|{{.Server.Version}}|{{.Server.Os}}/{{.Server.Arch}}'], { timeoutMs: 20_000 }).catch(() => undefined),
    options.buildx ? run(binary, ['buildx', 'version'], { timeoutMs: 20_000 }).catch(() => undefined) : undefined,
  ]);
  // `docker version` exits 1 when the engine is down but still prints the client part.
  const [clientVersion, serverVersion, serverPlatform] = (version?.stdout.split('\n')[0] ?? '').trim().split('|');
  if (!clientVersion || !/^\d/.test(clientVersion)) return undefined;
  const buildxVersion = buildx?.exitCode === 0 ? /v?\d+\.\d+[\w.+-]*/.exec(buildx.stdout)?.[0] : undefined;
  const engine = serverVersion && serverPlatform?.includes('/') ? { version: serverVersion, platform: serverPlatform } : undefined;
  return { binary, version: clientVersion, ...(buildxVersion ? { buildx: buildxVersion } : {}), ...(engine ? { engine } : {}) };
}

/** The engine as the chosen client sees it, or why it cannot be reached. */
export function requireEngine(probe: { readonly engine?: EngineInfo; readonly binary: string }): EngineInfo {
  if (probe.engine) return probe.engine;
  throw new MultiarchError('E_DOCKER_UNAVAILABLE', `the Docker engine does not answer ${probe.binary}`, {
    hint: 'start it (e.g. `dockerd &`, or `systemctl start docker`) or point DOCKER_HOST at a running engine',
  });
}
