/**
 * Finds the docker clients on this machine and what they offer, and whether an engine answers:
 * the facts `chooseBuilder` decides from. Edge: runs `docker version` / `docker buildx version`.
 */
import { access, constants, realpath } from 'node:fs/promises';
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

/** `MULTIARCH_DOCKER` if set, else every distinct `docker` executable on PATH, in PATH order. */
export async function findDockerBinaries(env = process.env): Promise<string[]> {
  if (env.MULTIARCH_DOCKER) return [env.MULTIARCH_DOCKER];
  const found: string[] = [];
  const seen = new Set<string>();
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'docker');
    try {
      await access(candidate, constants.X_OK);
      const real = await realpath(candidate);
      if (seen.has(real)) continue;
      seen.add(real);
      found.push(candidate);
    } catch {
      // Not here.
    }
  }
  return found;
}

export async function probeClient(binary: string): Promise<ClientProbe | undefined> {
  const version = await run(binary, ['version', '--format', '{{.Client.Version}}'], { timeoutMs: 20_000 }).catch(() => undefined);
  // `docker version` exits 1 when the engine is down but still prints the client version.
  const clientVersion = version?.stdout.split('\n')[0]?.trim();
  if (!clientVersion || !/^\d/.test(clientVersion)) return undefined;
  const buildx = await run(binary, ['buildx', 'version'], { timeoutMs: 20_000 }).catch(() => undefined);
  const buildxVersion = buildx?.exitCode === 0 ? /v?\d+\.\d+[\w.+-]*/.exec(buildx.stdout)?.[0] : undefined;
  return { binary, version: clientVersion, ...(buildxVersion ? { buildx: buildxVersion } : {}) };
}

export async function probeEngine(binary: string): Promise<EngineInfo> {
  const r = await run(binary, ['version', '--format', '{{.Server.Version}} {{.Server.Os}}/{{.Server.Arch}}'], { timeoutMs: 20_000 });
  const [version, platform] = r.stdout.trim().split(' ');
  if (r.exitCode !== 0 || !version || !platform || !platform.includes('/')) {
    throw new MultiarchError('E_DOCKER_UNAVAILABLE', 'the Docker engine does not answer', {
      hint: 'start it (e.g. `dockerd &`, or `systemctl start docker`) or point DOCKER_HOST at a running engine',
      details: r.tail.slice(-5),
    });
  }
  return { version, platform };
}
