/**
 * build(image, platform) without an engine (BuildNode.direct): the image is assembled from its
 * RUN-less Dockerfile into the blob store, and handed to the pushes as if the engine had exported
 * it (ImageExports), so the pushes send the blobs straight to the targets. `ref()` args are
 * the base's pushed `repository@digest`, read from its registry like any base.
 */
import { assembleImage } from '../../direct/assemble-image.js';
import { SharedWork } from '../../direct/shared-work.js';
import { shortDigest } from '../../image/descriptor.js';
import type { BuildNode } from '../../plan/nodes.js';
import type { BlobStore } from '../../image/blob-store.js';
import type { RegistryAccess } from '../../state/registry-access.js';
import type { StepContext, StepResult } from '../execute.js';
import { resolveBuildInputs } from './build-inputs.js';
import type { ImageExports } from './image-exports.js';
import type { BuildOutput } from './step-outputs.js';

export interface AssembleDeps {
  /** Reads the bases from their registries. */
  readonly access: RegistryAccess;
  /** Where the assembled layers and config are written. */
  readonly store: BlobStore;
  /** Takes the assembled image, so the pushes and scans find it as they find an engine's export. */
  readonly images: Pick<ImageExports, 'add'>;
}

/** Per run (one deps object per run): the work its assemblies share (see SharedWork). */
const perRun = new WeakMap<AssembleDeps, SharedWork>();

export async function runAssemble(deps: AssembleDeps, node: BuildNode, ctx: StepContext): Promise<StepResult<BuildOutput>> {
  const { args, labels, final } = resolveBuildInputs(node, ctx);
  let shared = perRun.get(deps);
  if (!shared) perRun.set(deps, (shared = new SharedWork()));
  const image = await assembleImage(
    {
      context: node.context,
      dockerfile: node.dockerfile,
      platform: node.platform,
      args,
      ...(node.target ? { target: node.target } : {}),
      labels,
      epoch: node.direct!.epoch,
      ...(node.ignore ? { ignore: node.ignore } : {}),
      // The bases its recorded inputs name: the image is built on exactly those.
      ...(final ? { bases: final.detail.bases } : {}),
    },
    { access: deps.access, shared, store: deps.store, signal: ctx.signal, onStep: (text, current, total) => {
        // Its log, as an engine build prints its steps: `--verbose`, the JSON stream and a failure's
        // context show what was carried out.
        ctx.log(`#${current} [${current}/${total}] ${text}`);
        ctx.progress(text, current, total, 'steps');
      } },
  );
  // The pushes find it where they look for an engine's export: no engine is asked.
  deps.images.add(image);
  return {
    output: { imageId: image.imageId, platform: node.platform, builder: node.builder, assembled: true, ...(final ? { inputs: { digest: final.digest, detail: final.detail } } : {}) },
    info: { imageId: image.imageId, summary: `assembled without an engine: ${image.layers.length} layers (${shortDigest(image.imageId)})` },
  };
}
