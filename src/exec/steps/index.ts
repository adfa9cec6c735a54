/**
 * index(image, tag, target): written only now that every platform it lists was built, tested and
 * pushed; each child is checked to exist in the index's repository first, and the index is read
 * back and verified after (tag → index → children → configs' platforms).
 */
import { formatImageRef } from '../../config/registry-url.js';
import { formatPlatform } from '../../config/platform.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import { createImageIndex } from '../../image/manifest.js';
import type { IndexNode } from '../../plan/nodes.js';
import { verifyIndex } from '../../registry/verify-index.js';
import type { StepContext, StepResult } from '../execute.js';
import type { IndexOutput, PushOutput, StepServices } from './services.js';

export async function runIndex(services: StepServices, node: IndexNode, ctx: StepContext): Promise<StepResult<IndexOutput>> {
  const { client } = services.registries.get(node.target);
  const children = node.children.map((c) => {
    const pushed = ctx.outputOf<PushOutput>(c.push);
    return { mediaType: pushed.mediaType, digest: pushed.digest, size: pushed.size, platform: c.platform, ...(c.annotations ? { annotations: c.annotations } : {}) };
  });
  ctx.progress(`checking ${children.length} children in ${node.repository}`);
  for (const child of children) {
    const present = await client.headManifest(node.repository, child.digest, ctx.signal);
    if (!present) {
      throw new MultiarchError('E_INDEX_VERIFY', `${formatPlatform(child.platform)} (${child.digest}) is not in ${node.target.host}/${node.repository}; the index was not written`);
    }
  }
  const index = createImageIndex(children, node.format, node.annotations);
  ctx.progress(`writing ${node.repository}:${node.indexTag}`);
  await client.putManifest(node.repository, node.indexTag, index, ctx.signal);
  ctx.progress('verifying');
  await verifyIndex(client, node.repository, node.indexTag, { digest: index.digest, children }, ctx.signal);
  return {
    output: { digest: index.digest },
    info: {
      digest: index.digest,
      refs: [formatImageRef(node.target, node.repository, node.indexTag)],
      summary: children.map((c) => formatPlatform(c.platform)).join(', '),
    },
  };
}
