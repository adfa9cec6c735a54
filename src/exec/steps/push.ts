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
import { createImageManifest } from '../../image/manifest.js';
import type { Descriptor } from '../../image/descriptor.js';
import type { PushAction, PushNode } from '../../plan/nodes.js';
import type { TagState, WrittenRecord } from '../../plan/incremental/types.js';
import { shardTarget } from '../../plan/shard-plan.js';
import type { BlobStore } from '../../image/blob-store.js';
import type { ContentStore } from '../../publish/content-store.js';
import { engineExportSource, storedImageSource } from '../../publish/image-sources.js';
import { publishImage, type ImageContentSource } from '../../publish/publish-image.js';
import type { StorePool } from '../../publish/store-pool.js';
import type { RegistryAccess } from '../../state/registry-access.js';
import type { StepContext, StepResult } from '../execute.js';
import type { ImageExports } from './image-exports.js';
import { builtImage, type BuildOutput, type PushOutput, type RecordedInputs } from './step-outputs.js';

export interface PushDeps {
  /** Publish targets (registries and OCI layouts) as content stores. */
  readonly stores: StorePool;
  /** Holds the exported blobs the first target is sent. */
  readonly store: BlobStore;
  /** The image's one export this run (two pushes of one image export it once). */
  readonly images: Pick<ImageExports, 'get'>;
  /** Registries by host: where the layers an export left with its base's registry are read or mounted from. */
  readonly access: Pick<RegistryAccess, 'registry'>;
}

export async function runPush(deps: PushDeps, node: PushNode, ctx: StepContext): Promise<StepResult<PushOutput>> {
  const result = node.action.type === 'push' ? await pushImage(deps, node, ctx) : await publishCurrent(deps, node, node.action, ctx);
  const inputs = recordedInputs(node, ctx);
  const output: PushOutput = { ...result.output, ...(inputs ? { inputs: inputs.digest } : {}) };
  return { ...result, output, info: { ...result.info, written: writtenBy(node, output, inputs) } };
}

/** The plan found the image current: nothing to write, or a copy/retag of where it is published. */
async function publishCurrent(deps: PushDeps, node: PushNode, action: Exclude<PushAction, { type: 'push' }>, ctx: StepContext): Promise<StepResult<PushOutput>> {
  const { published } = action;
  const output: PushOutput = {
    digest: published.digest,
    size: published.size,
    mediaType: published.mediaType,
    platform: node.platform,
    location: { target: node.target, repository: node.refs[0]?.repository ?? node.digestRepositories[0] ?? published.repository },
  };
  if (action.type === 'skip') return { status: 'cached', output, info: { digest: published.digest, summary: 'every tag already holds it' } };
  const { from } = action;
  const sourceStore = deps.stores.get(from.target);
  const store = deps.stores.get(node.target);
  const byRepo = new Map<string, string[]>();
  for (const r of action.write) byRepo.set(r.repository, [...(byRepo.get(r.repository) ?? []), r.tag]);
  for (const repo of action.digestRepositories) if (!byRepo.has(repo)) byRepo.set(repo, []);
  ctx.progress(`${action.type === 'copy' ? 'copying' : 'retagging'} ${from.ref}`);
  // The same publishing path as a fan-out copy: blobs mounted within one store, streamed across.
  const image = await storedImageSource(sourceStore, from.repository, from.digest, sourceStore === store, ctx.signal);
  const stats = await publishImage(store, byRepo, image, {
    signal: ctx.signal,
    onProgress: (message, current, total) => ctx.progress(message, current, total, 'bytes'),
  });
  return {
    output,
    info: {
      digest: output.digest,
      refs: node.refs.map((r) => formatImageRef(node.target, r.repository, r.tag)),
      summary: `${action.type} from ${from.ref}: ${stats.uploaded} blobs uploaded, ${stats.mounted} mounted, ${stats.skipped} already there; ${stats.tagsWritten} tags written`,
    },
  };
}

/** The inputs the pushed image records: its build's (a merge has no build; its shard records them). */
function recordedInputs(node: PushNode, ctx: StepContext): RecordedInputs | undefined {
  if (node.fromShard) return undefined;
  return ctx.outputOf<BuildOutput>(node.build).inputs;
}

/** Every name of the push now holds the image; what it records goes with it. */
function writtenBy(node: PushNode, out: PushOutput, inputs: RecordedInputs | undefined): WrittenRecord {
  const tags: Record<string, TagState> = {};
  for (const r of node.refs) {
    tags[formatImageRef(node.target, r.repository, r.tag)] = { digest: out.digest, mediaType: out.mediaType, size: out.size, ...(inputs ? { inputs: inputs.digest } : {}) };
  }
  return { tags, ...(inputs ? { image: { digest: out.digest, inputs: inputs.digest, detail: inputs.detail } } : {}) };
}

async function pushImage(deps: PushDeps, node: PushNode, ctx: StepContext): Promise<StepResult<PushOutput>> {
  const store = deps.stores.get(node.target);
  const byRepo = new Map<string, string[]>();
  for (const ref of node.refs) byRepo.set(ref.repository, [...(byRepo.get(ref.repository) ?? []), ref.tag]);
  for (const repo of node.digestRepositories) if (!byRepo.has(repo)) byRepo.set(repo, []);
  // A target that already holds the digest under every name gets nothing: no blob is even HEADed,
  // and a copy reads nothing from its source. The tags are read while the image is exported.
  const reading = node.fromShard ? shardSource(deps, node.fromShard, ctx) : node.copyFrom ? undefined : engineSource(deps, node, store.kind === 'registry', ctx);
  const digest = reading ? reading.then((s) => s.manifest.digest) : Promise.resolve(outputOf(ctx, node.copyFrom!).digest);
  // Its failure is the reading's, reported below; unread (no digest-only name), it must not go unhandled.
  digest.catch(() => undefined);
  const [read, held] = await Promise.all([reading, readNames(store, byRepo, digest, ctx.signal)]);
  let source = read;
  const manifest: Descriptor = source?.manifest ?? outputOf(ctx, node.copyFrom!);
  if (holdsEverywhere(held, byRepo, manifest.digest)) return unchanged(node, manifest, byRepo);
  source ??= await copySource(deps, node, node.copyFrom!, ctx);
  // The tags were just read: the manifest writes do not read them again.
  const stats = await publishImage(
    store,
    byRepo,
    source,
    { signal: ctx.signal, onProgress: (message, current, total) => ctx.progress(message, current, total, 'bytes') },
    held,
  );
  const refs = node.refs.map((r) => formatImageRef(node.target, r.repository, r.tag));
  const via = node.fromShard ? ` (from the shard ${node.fromShard.layout})` : node.copyFrom ? ` (copied from ${deps.stores.get(outputOf(ctx, node.copyFrom).location.target).host})` : '';
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

/**
 * What every name of the push holds now (repository → tag or digest → digest), read side by side:
 * tags at once, a repository that gets the image by digest only once its digest is known.
 */
async function readNames(store: ContentStore, byRepo: ReadonlyMap<string, readonly string[]>, digest: Promise<string>, signal: AbortSignal): Promise<Map<string, Map<string, string | undefined>>> {
  const names = [...byRepo].flatMap(([repo, tags]): Array<{ repo: string; reference: string | Promise<string> }> =>
    tags.length > 0 ? tags.map((reference) => ({ repo, reference })) : [{ repo, reference: digest }],
  );
  const heads = await Promise.all(
    names.map(async (name) => {
      const reference = await name.reference;
      return { repo: name.repo, reference, digest: (await store.headManifest(name.repo, reference, signal))?.digest };
    }),
  );
  const held = new Map<string, Map<string, string | undefined>>();
  for (const { repo, reference, digest: holds } of heads) held.set(repo, (held.get(repo) ?? new Map()).set(reference, holds));
  return held;
}

function holdsEverywhere(held: ReadonlyMap<string, ReadonlyMap<string, string | undefined>>, byRepo: ReadonlyMap<string, readonly string[]>, digest: string): boolean {
  return [...byRepo].every(([repo, tags]) => (tags.length > 0 ? tags : [digest]).every((reference) => held.get(repo)?.get(reference) === digest));
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

/** `toRegistry`: its base's layers may stay where they are (a layout gets every byte from here). */
async function engineSource(deps: PushDeps, node: PushNode, toRegistry: boolean, ctx: StepContext): Promise<ImageContentSource> {
  const built = builtImage(ctx.outputOf<BuildOutput>(node.build), node.id);
  // Exported once per run, from the engine that built it; an assembled image is in the blob store already.
  ctx.progress(built.assembled ? 'reading the assembled image' : 'exporting from the engine');
  const image = await deps.images.get(built, ctx.signal, { baseLayers: toRegistry });
  if (!samePlatform(image.platform, node.platform)) {
    throw new MultiarchError('E_PLATFORM_MISMATCH', `the image for ${formatPlatform(node.platform)} is a ${formatPlatform(image.platform)} image`);
  }
  return engineExportSource(image, createImageManifest(image, node.format, node.annotations), deps.store, (host) => deps.access.registry(host));
}

/** `apply --merge`: the image as its shard's OCI layout holds it (read and digest-checked). */
function shardSource(deps: PushDeps, shard: NonNullable<PushNode['fromShard']>, ctx: StepContext): Promise<ImageContentSource> {
  ctx.progress(`reading ${shard.repository}@${shard.digest} from ${shard.layout}`);
  return storedImageSource(deps.stores.get(shardTarget(shard.layout)), shard.repository, shard.digest, false, ctx.signal);
}

async function copySource(deps: PushDeps, node: PushNode, from: string, ctx: StepContext): Promise<ImageContentSource> {
  const { location, digest } = outputOf(ctx, from);
  const source = deps.stores.get(location.target);
  ctx.progress(`copying ${formatImageRef(location.target, location.repository, digest)}`);
  return storedImageSource(source, location.repository, digest, source === deps.stores.get(node.target), ctx.signal);
}
