/**
 * `docker save`, the one module that runs it (through the client wrapper, so the builder's host or
 * context is used): the image as a docker-archive tar stream, read into the blob store
 * (image/export-image.ts), or written by the CLI straight to a file for a scanner (piping that
 * through this process would cost ~0.13 s of its CPU per 46 MB for nothing: bench/scan-archive.ts). Edge.
 */
import { MultiarchError } from '../errors/multiarch-error.js';
import type { StreamingRun } from '../sys/run.js';
import { docker, dockerStreaming, type DockerClient } from './client.js';

export function saveImage(client: DockerClient, imageId: string, signal: AbortSignal): Promise<StreamingRun> {
  return dockerStreaming(client, ['save', imageId], signal);
}

/** The archive in `file`: exactly this image, one platform (what `trivy --input` and `grype docker-archive:` read). */
export async function saveImageToFile(client: DockerClient, imageId: string, file: string, signal: AbortSignal): Promise<void> {
  const saved = await docker(client, ['save', '-o', file, imageId], { signal });
  if (saved.canceled) throw new MultiarchError('E_CANCELED', 'export canceled');
  if (saved.exitCode !== 0) throw new MultiarchError('E_EXPORT_FAILED', `docker save ${imageId} failed`, { details: saved.tail.slice(-10) });
}
