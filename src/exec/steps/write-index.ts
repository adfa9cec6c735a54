/**
 * index(image, tag, target): written only now that every platform it lists was built, tested and
 * pushed; each child is read (manifest, then config) in the index's repository first, then the
 * index goes in under its tag — unless the tag already holds exactly this index (no write at all).
 * A written index is read back and verified (tag → index; the children's configs' platforms, as
 * read before). An index the registry holds is reported even when the run is interrupted before
 * that is done.
 */
import { formatImageRef } from '../../config/registry-url.js';
import { formatPlatform } from '../../config/platform.js';
import { MultiarchError } from '../../errors/multiarch-error.js';
import { createImageIndex } from '../../image/manifest.js';
import type { IndexNode } from '../../plan/nodes.js';
import { MEDIA } from '../../image/media-types.js';
import { INPUTS_LABEL, type IndexChildState, type WrittenRecord } from '../../plan/incremental/types.js';
import type { ContentStore } from '../../publish/content-store.js';
import { readChildren, verifyIndex } from '../../publish/verify-index.js';
import { writeManifest } from '../../publish/write-manifest.js';
import type { StepContext, StepResult } from '../execute.js';
import type { StorePool } from '../../publish/store-pool.js';
import type { IndexOutput, PushOutput } from './step-outputs.js';

export interface IndexDeps {
  /** Publish targets (registries and OCI layouts) as content stores. */
  readonly stores: StorePool;
}

export async function runIndex(deps: IndexDeps, node: IndexNode, ctx: StepContext): Promise<StepResult<IndexOutput>> {
  if (node.action.type === 'skip') {
    const { current } = node.action;
    return { status: 'cached', output: { digest: current }, info: { digest: current, summary: 'children unchanged' } };
  }
  const store = deps.stores.get(node.target);
  const children = node.children.map((c) => {
    const pushed = ctx.outputOf<PushOutput>(c.push);
    // Each child records the inputs its image was built from (as pushed: ref() bases resolved).
    const annotations = pushed.inputs ? { ...c.annotations, [INPUTS_LABEL]: pushed.inputs } : c.annotations;
    return { mediaType: pushed.mediaType, digest: pushed.digest, size: pushed.size, platform: c.platform, ...(annotations ? { annotations } : {}) };
  });
  ctx.progress(`checking ${children.length} children in ${node.repository}`);
  // The children (read once, for this check and the read-back) and the tag side by side; the
  // write below does not read the tag again.
  const reads = readChildren(store, node.repository, children.map((c) => c.digest), ctx.signal);
  const [tagHead, present] = await Promise.all([store.headManifest(node.repository, node.indexTag, ctx.signal), Promise.all(reads.map((r) => r.exists))]);
  const missing = children.find((_, i) => !present[i]);
  if (missing) {
    throw new MultiarchError('E_INDEX_VERIFY', `${formatPlatform(missing.platform)} (${missing.digest}) is not in ${formatImageRef(node.target, node.repository, missing.digest)}; the index was not written`);
  }
  const index = createImageIndex(children, node.format, node.annotations);
  ctx.progress(`writing ${node.repository}:${node.indexTag}`);
  const refs = [formatImageRef(node.target, node.repository, node.indexTag)];
  const written = await writeManifest(store, node.repository, index, [node.indexTag], ctx.signal, new Map([[node.indexTag, tagHead?.digest]])).catch(async (error: unknown) => {
    // Interrupted while the tag PUT was in flight: the registry may have done it all the same.
    // Report what it holds, so the summary does not leave out an index that is published.
    if (ctx.signal.aborted && (await tagHolds(store, node.repository, node.indexTag, index.digest))) ctx.wrote(refs, index.digest);
    throw error;
  });
  const unchanged = written.written.length === 0;
  if (!unchanged) {
    // The tag holds it now, whatever happens to the read-back: report it even if that is canceled.
    ctx.wrote(refs, index.digest);
    ctx.progress('verifying');
    await verifyIndex(store, node.repository, node.indexTag, { digest: index.digest, children }, ctx.signal, reads);
  }
  return {
    ...(unchanged ? { status: 'cached' as const } : {}),
    output: { digest: index.digest },
    info: {
      digest: index.digest,
      refs,
      summary: `${children.map((c) => formatPlatform(c.platform)).join(', ')}${unchanged ? ' (the tag already held this index)' : ''}`,
      written: indexWritten(node, index.digest, children),
    },
  };
}

/** Whether `tag` holds `digest`, asked outside the run's (canceled) signal and briefly: false when unsure. */
async function tagHolds(store: ContentStore, repo: string, tag: string, digest: string): Promise<boolean> {
  const held = await store.headManifest(repo, tag, AbortSignal.timeout(TAG_CHECK_MS)).catch(() => undefined);
  return held?.digest === digest;
}

/** An interrupted run is on its way out: this check may not hold it up for long. */
const TAG_CHECK_MS = 5000;

/** The index's tag now holds it; its children as the state store keeps them. */
function indexWritten(
  node: IndexNode,
  digest: string,
  children: ReadonlyArray<{ mediaType: string; digest: string; size: number; platform: IndexNode['children'][number]['platform']; annotations?: Readonly<Record<string, string>> }>,
): WrittenRecord {
  const states: IndexChildState[] = children.map((c) => {
    const inputs = c.annotations?.[INPUTS_LABEL];
    return { platform: formatPlatform(c.platform), digest: c.digest, mediaType: c.mediaType, size: c.size, ...(inputs ? { inputs } : {}) };
  });
  return {
    tags: { [formatImageRef(node.target, node.repository, node.indexTag)]: { digest, mediaType: MEDIA[node.format].index, size: 0, children: states } },
    index: { digest, children: states },
  };
}
