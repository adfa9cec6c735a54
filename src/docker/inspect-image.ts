/** What the engine knows of a local image: its platform, for the exec-format-error check. Edge. */
import { MultiarchError } from '../errors/multiarch-error.js';
import type { Platform } from '../config/platform.js';
import { docker, type DockerClient } from './client.js';

export interface LocalImageInfo {
  readonly id: string;
  readonly platform: Platform;
}

export async function inspectImage(client: DockerClient, image: string, signal?: AbortSignal): Promise<LocalImageInfo> {
  const r = await docker(client, ['image', 'inspect', '--format', '{{json .}}', image], signal ? { signal } : {});
  if (r.exitCode !== 0) {
    throw new MultiarchError('E_BUILD_FAILED', `the engine has no image ${image}`, { details: r.tail.slice(-5) });
  }
  const info = JSON.parse(r.stdout) as { Id: string; Os: string; Architecture: string; Variant?: string };
  return {
    id: info.Id,
    platform: { os: info.Os, architecture: info.Architecture, ...(info.Variant ? { variant: info.Variant } : {}) },
  };
}
