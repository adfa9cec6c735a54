/**
 * push(image, platform, target): the tested image, exported once per run, goes to every
 * repository:tag of its platform names, and by digest into the index repository when the index
 * lives elsewhere (an index may only list children its own repository holds).
 */
import { formatImageRef } from '../../config/registry-url.js';
import { formatPlatform, samePlatform } from '../../config/platform.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import { exportImage, type ExportedImage } from '../../image/export-image.js';
import { createImageManifest } from '../../image/manifest.js';
import { pushBlobs, pushManifest } from '../../registry/push-image.js';
import type { PushNode } from '../../plan/nodes.js';
import type { StepContext, StepResult } from '../execute.js';
import type { BuildOutput, PushOutput, StepServices } from './services.js';

export async function runPush(services: StepServices, node: PushNode, ctx: StepContext): Promise<StepResult<PushOutput>> {
  const built = ctx.outputOf<BuildOutput>(node.build);
  ctx.progress('exporting from the engine');
  const image = await exportOnce(services, built, ctx.signal);
  if (!samePlatform(image.platform, node.platform)) {
    throw new MultiarchError('E_PLATFORM_MISMATCH', `the image for ${formatPlatform(node.platform)} is a ${formatPlatform(image.platform)} image`);
  }
  const manifest = createImageManifest(image, node.format);
  const session = services.registries.get(node.target);
  const blobs = [image.config, ...image.layers];
  const byRepo = new Map<string, string[]>();
  for (const ref of node.refs) byRepo.set(ref.repository, [...(byRepo.get(ref.repository) ?? []), ref.tag]);
  for (const repo of node.digestRepositories) if (!byRepo.has(repo)) byRepo.set(repo, []);
  const totals = { uploaded: 0, mounted: 0, skipped: 0, bytesUploaded: 0 };
  for (const [repo, tags] of byRepo) {
    const stats = await pushBlobs(session, repo, blobs, services.store, {
      signal: ctx.signal,
      onProgress: (message, current, total) => ctx.progress(message, current, total, 'bytes'),
    });
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += stats[k];
    await pushManifest(session, repo, tags, manifest, ctx.signal);
  }
  const refs = node.refs.map((r) => formatImageRef(node.target, r.repository, r.tag));
  return {
    output: { digest: manifest.digest, size: manifest.size, mediaType: manifest.mediaType, platform: node.platform },
    info: {
      digest: manifest.digest,
      refs,
      summary: `${totals.uploaded} blobs uploaded (${totals.bytesUploaded} bytes), ${totals.mounted} mounted, ${totals.skipped} already there`,
    },
  };
}

/** Exported from the engine that built it (`docker save` through that builder's host or context). */
function exportOnce(services: StepServices, built: BuildOutput, signal: AbortSignal): Promise<ExportedImage> {
  const { imageId } = built;
  let pending = services.exports.get(imageId);
  if (!pending) {
    pending = exportImage(services.engines.get(built.builder).docker, imageId, services.store, signal);
    // A failed or canceled export may be tried again by another push.
    pending.catch(() => services.exports.delete(imageId));
    services.exports.set(imageId, pending);
  }
  return pending;
}
