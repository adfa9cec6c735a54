/**
 * push(image, platform, target): the tested image goes to every repository:tag of its platform
 * names, and by digest into the index repository when the index lives elsewhere (an index may only
 * list children its own repository holds). The first target gets the engine's export (exported
 * once per run); the others copy the very same manifest and blobs from the target before them
 * (`copyFrom`: a mount on the same registry, a streamed copy otherwise) — nothing is re-exported.
 * In a merge the first target reads the image from its shard's OCI layout instead of an engine.
 */
import { formatImageRef } from '../../config/registry-url.js';
import { formatPlatform, samePlatform } from '../../config/platform.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import { exportImage, type ExportedImage } from '../../image/export-image.js';
import { createImageManifest } from '../../image/manifest.js';
import type { Descriptor } from '../../image/descriptor.js';
import type { PushNode } from '../../plan/nodes.js';
import { shardTarget } from '../../plan/shard-plan.js';
import type { ContentStore } from '../../publish/content-store.js';
import { engineExportSource, storedImageSource } from '../../publish/image-sources.js';
import { publishImage, type ImageContentSource } from '../../publish/publish-image.js';
import type { StepContext, StepResult } from '../execute.js';
import type { BuildOutput, PushOutput, StepServices } from './services.js';

export async function runPush(services: StepServices, node: PushNode, ctx: StepContext): Promise<StepResult<PushOutput>> {
  const store = services.stores.get(node.target);
  const byRepo = new Map<string, string[]>();
  for (const ref of node.refs) byRepo.set(ref.repository, [...(byRepo.get(ref.repository) ?? []), ref.tag]);
  for (const repo of node.digestRepositories) if (!byRepo.has(repo)) byRepo.set(repo, []);
  // A target that already holds the digest under every name gets nothing: no blob is even HEADed,
  // and a copy reads nothing from its source.
  let source = node.fromShard ? await shardSource(services, node.fromShard, ctx) : node.copyFrom ? undefined : await engineSource(services, node, ctx);
  const manifest: Descriptor = source?.manifest ?? outputOf(ctx, node.copyFrom!);
  if (await holdsEverywhere(store, byRepo, manifest.digest, ctx.signal)) return unchanged(node, manifest, byRepo);
  source ??= await copySource(services, node, node.copyFrom!, ctx);
  const stats = await publishImage(store, byRepo, source, {
    signal: ctx.signal,
    onProgress: (message, current, total) => ctx.progress(message, current, total, 'bytes'),
  });
  const refs = node.refs.map((r) => formatImageRef(node.target, r.repository, r.tag));
  const via = node.fromShard ? ` (from the shard ${node.fromShard.layout})` : node.copyFrom ? ` (copied from ${services.stores.get(outputOf(ctx, node.copyFrom).location.target).host})` : '';
  const nothingNew = stats.uploaded + stats.mounted === 0 && stats.tagsWritten === 0;
  return {
    ...(nothingNew && node.refs.length > 0 ? { status: 'cached' as const } : {}),
    output: pushOutput(node, manifest, byRepo),
    info: {
      digest: manifest.digest,
      refs,
      summary: `${stats.uploaded} blobs uploaded (${stats.bytesUploaded} bytes), ${stats.mounted} mounted, ${stats.skipped} already there; ${stats.tagsWritten} tags written, ${stats.tagsUnchanged} unchanged${via}`,
    },
  };
}

async function holdsEverywhere(store: ContentStore, byRepo: ReadonlyMap<string, readonly string[]>, digest: string, signal: AbortSignal): Promise<boolean> {
  for (const [repo, tags] of byRepo) {
    for (const reference of tags.length > 0 ? tags : [digest]) {
      if ((await store.headManifest(repo, reference, signal))?.digest !== digest) return false;
    }
  }
  return true;
}

function pushOutput(node: PushNode, manifest: Descriptor, byRepo: ReadonlyMap<string, readonly string[]>): PushOutput {
  return {
    digest: manifest.digest,
    size: manifest.size,
    mediaType: manifest.mediaType,
    platform: node.platform,
    location: { target: node.target, repository: byRepo.keys().next().value! },
  };
}

function unchanged(node: PushNode, manifest: Descriptor, byRepo: ReadonlyMap<string, readonly string[]>): StepResult<PushOutput> {
  return {
    status: 'cached',
    output: pushOutput(node, manifest, byRepo),
    info: { digest: manifest.digest, refs: node.refs.map((r) => formatImageRef(node.target, r.repository, r.tag)), summary: 'already there under every name' },
  };
}

function outputOf(ctx: StepContext, id: string): PushOutput {
  return ctx.outputOf<PushOutput>(id);
}

async function engineSource(services: StepServices, node: PushNode, ctx: StepContext): Promise<ImageContentSource> {
  const built = ctx.outputOf<BuildOutput>(node.build);
  ctx.progress('exporting from the engine');
  // The image is on the engine that built it.
  const image = await exportOnce(services, built, ctx.signal);
  if (!samePlatform(image.platform, node.platform)) {
    throw new MultiarchError('E_PLATFORM_MISMATCH', `the image for ${formatPlatform(node.platform)} is a ${formatPlatform(image.platform)} image`);
  }
  return engineExportSource(image, createImageManifest(image, node.format, node.annotations), services.store);
}

/** `apply --merge`: the image as its shard's OCI layout holds it (read and digest-checked). */
function shardSource(services: StepServices, shard: NonNullable<PushNode['fromShard']>, ctx: StepContext): Promise<ImageContentSource> {
  ctx.progress(`reading ${shard.repository}@${shard.digest} from ${shard.layout}`);
  return storedImageSource(services.stores.get(shardTarget(shard.layout)), shard.repository, shard.digest, false, ctx.signal);
}

async function copySource(services: StepServices, node: PushNode, from: string, ctx: StepContext): Promise<ImageContentSource> {
  const { location, digest } = outputOf(ctx, from);
  const source = services.stores.get(location.target);
  ctx.progress(`copying ${formatImageRef(location.target, location.repository, digest)}`);
  return storedImageSource(source, location.repository, digest, source === services.stores.get(node.target), ctx.signal);
}

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
