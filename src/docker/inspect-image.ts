/**
 * What the engine knows of a local image: its platform, for the exec-format-error check, and its
 * layers' diff ids (what an export can match against its base's layers). From the ambient engine's
 * socket when it is that engine (no process: engine-socket.ts), else `docker image inspect`. Edge.
 */
import { MultiarchError } from '../errors/multiarch-error.js';
import type { Platform } from '../config/platform.js';
import { docker, type DockerClient } from './client.js';
import { clientSocket, engineMessage, getFromSocket } from './engine-socket.js';

export interface LocalImageInfo {
  readonly id: string;
  readonly platform: Platform;
  /** The layers' uncompressed digests, bottom first. */
  readonly diffIds: readonly string[];
}

interface InspectJson {
  readonly Id: string;
  readonly Os: string;
  readonly Architecture: string;
  readonly Variant?: string;
  readonly RootFS?: { readonly Layers?: readonly string[] };
}

export async function inspectImage(client: DockerClient, image: string, signal?: AbortSignal): Promise<LocalImageInfo> {
  const socket = clientSocket(client);
  const answer = socket ? await getFromSocket(socket, `/images/${encodeURIComponent(image)}/json`, signal).catch(() => undefined) : undefined;
  if (signal?.aborted) throw new MultiarchError('E_CANCELED', `inspecting ${image} canceled`);
  if (answer && answer.status !== 200) {
    throw new MultiarchError('E_BUILD_FAILED', `the engine has no image ${image}`, { details: [engineMessage(answer.body)] });
  }
  return localImageInfo(answer ? answer.body : await inspectWithCli(client, image, signal));
}

async function inspectWithCli(client: DockerClient, image: string, signal?: AbortSignal): Promise<string> {
  const r = await docker(client, ['image', 'inspect', '--format', '{{json .}}', image], signal ? { signal } : {});
  if (r.exitCode !== 0) {
    throw new MultiarchError('E_BUILD_FAILED', `the engine has no image ${image}`, { details: r.tail.slice(-5) });
  }
  return r.stdout;
}

/** The engine's inspect JSON (the same object from the API and from `--format '{{json .}}'`). */
export function localImageInfo(json: string): LocalImageInfo {
  const info = JSON.parse(json) as InspectJson;
  return {
    id: info.Id,
    platform: { os: info.Os, architecture: info.Architecture, ...(info.Variant ? { variant: info.Variant } : {}) },
    diffIds: info.RootFS?.Layers ?? [],
  };
}
