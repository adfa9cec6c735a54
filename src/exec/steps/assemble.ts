/**
 * build(image, platform) without an engine (BuildNode.direct): the image is assembled from its
 * RUN-less Dockerfile into the blob store, and handed to the pushes as if the engine had exported
 * it (services.exports), so the pushes send the blobs straight to the targets. `ref()` args are
 * the base's pushed `repository@digest`, read from its registry like any base.
 */
import { assembleImage } from '../../direct/assemble-image.js';
import { shortDigest } from '../../image/descriptor.js';
import type { BuildNode } from '../../plan/nodes.js';
import { createRegistryAccess, type RegistryAccess } from '../../state/registry-access.js';
import type { StepContext, StepResult } from '../execute.js';
import { resolveBuildInputs } from './build-inputs.js';
import type { BuildOutput, StepServices } from './services.js';

const accessOf = new WeakMap<StepServices, RegistryAccess>();

export async function runAssemble(services: StepServices, node: BuildNode, ctx: StepContext): Promise<StepResult<BuildOutput>> {
  const { args, labels, final } = resolveBuildInputs(node, ctx);
  let access = accessOf.get(services);
  if (!access) accessOf.set(services, (access = createRegistryAccess(services.registries, [])));
  const image = await assembleImage(
    {
      context: node.context,
      dockerfile: node.dockerfile,
      platform: node.platform,
      args,
      ...(node.target ? { target: node.target } : {}),
      labels,
      epoch: node.direct!.epoch,
    },
    { access, store: services.store, signal: ctx.signal, onStep: (text, current, total) => ctx.progress(text, current, total, 'steps') },
  );
  // The pushes find it where they look for an engine's export: no engine is asked.
  services.exports.set(image.imageId, Promise.resolve(image));
  return {
    output: { imageId: image.imageId, platform: node.platform, builder: node.builder, assembled: true, ...(final ? { inputs: { digest: final.digest, detail: final.detail } } : {}) },
    info: { imageId: image.imageId, summary: `assembled without an engine: ${image.layers.length} layers (${shortDigest(image.imageId)})` },
  };
}
