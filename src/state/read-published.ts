/**
 * What the publish targets (registries, OCI layouts) hold for a plan: each index tag (HEAD, then its children once per digest),
 * each platform tag (HEAD) with the inputs its image records (from an index annotation or the
 * state store when possible, else its config labels), and whether repositories that must hold a
 * manifest by digest do (HEAD). Offline, the tags this machine last saw. Edge.
 */
import type { RegistryFacts, TagState } from '../plan/incremental/types.js';
import { formatPlatform } from '../config/platform.js';
import { formatImageRef } from '../config/registry-url.js';
import type { IndexNode, Plan, PushNode, TargetSpec } from '../plan/nodes.js';
import { isIndex, readTagState } from './read-index.js';
import { readRecordedInputs } from './read-labels.js';
import type { RegistryAccess } from './registry-access.js';
import type { StateStore } from './state-store.js';

export interface ReadPublishedOptions {
  /** Undefined: offline. */
  readonly access?: RegistryAccess;
  readonly store: StateStore;
  readonly signal?: AbortSignal;
  readonly now: string;
}

export type PublishedState = Pick<RegistryFacts, 'source' | 'tags' | 'manifests'>;

export async function readPublished(plan: Plan, options: ReadPublishedOptions): Promise<PublishedState> {
  const nodes = plan.order.map((id) => plan.nodes[id]!);
  const pushes = nodes.filter((n): n is PushNode => n.kind === 'push');
  const indexes = nodes.filter((n): n is IndexNode => n.kind === 'index');
  if (!options.access) {
    const seen = await options.store.tags();
    const tags: Record<string, TagState | null> = {};
    for (const ref of [...pushes.flatMap(pushRefs), ...indexes.map(indexRef)]) if (seen[ref]) tags[ref] = seen[ref].value;
    return { source: 'local', tags, manifests: {} };
  }
  const access = options.access;
  const { store, signal } = options;
  const tags: Record<string, TagState | null> = {};
  // One round: every tag's HEAD at once. Index children's annotations spare reading a platform
  // image's labels, so only a platform image the state store does not know waits for the indexes.
  const annotated = new Map<string, string>();
  const indexesRead = Promise.all(
    indexes.map(async (node) => {
      const state = await readTagState(access, access.store(node.target), store, node.repository, node.indexTag, signal);
      for (const c of state?.children ?? []) if (c.inputs) annotated.set(c.digest, c.inputs);
      tags[indexRef(node)] = state;
    }),
  );
  const recorded = new Map<string, Promise<string | null>>();
  const inputsOf = (target: TargetSpec, repository: string, digest: string): Promise<string | null> => {
    let pending = recorded.get(digest);
    if (!pending) {
      pending = (async () => {
        const known = await store.manifest(digest);
        if (known?.inputs !== undefined) return known.inputs;
        await indexesRead;
        const fromIndex = annotated.get(digest);
        if (fromIndex) {
          await store.saveManifest(digest, { inputs: fromIndex });
          return fromIndex;
        }
        return (await readRecordedInputs(access, access.store(target), store, repository, digest, signal)).inputs;
      })();
      recorded.set(digest, pending);
    }
    return pending;
  };
  const platformsRead = Promise.all(
    pushes.flatMap((node) =>
      node.refs.map(async (r) => {
        const client = access.store(node.target);
        const head = await access.limit(() => client.headManifest(r.repository, r.tag, signal));
        const ref = formatImageRef(node.target, r.repository, r.tag);
        if (!head) return void (tags[ref] = null);
        const inputs = isIndex(head.mediaType) ? null : await inputsOf(node.target, r.repository, head.digest);
        tags[ref] = { digest: head.digest, mediaType: head.mediaType, size: head.size, ...(inputs ? { inputs } : {}) };
      }),
    ),
  );
  await Promise.all([indexesRead, platformsRead]);
  const manifests: Record<string, boolean> = {};
  await Promise.all(
    pushes.flatMap((node) => {
      const digests = new Set(pushes.filter((p) => p.build === node.build).flatMap((p) => pushRefs(p).map((ref) => tags[ref]?.digest).filter((d): d is string => !!d)));
      // Digest-only platform images (platformTag: false): the digests their indexes list.
      if (node.refs.length === 0) for (const d of indexChildDigests(indexes, tags, node)) digests.add(d);
      return node.digestRepositories.flatMap((repo) =>
        [...digests].map(async (digest) => {
          const client = access.store(node.target);
          manifests[formatImageRef(node.target, repo, digest)] = (await access.limit(() => client.headManifest(repo, digest, signal))) !== undefined;
        }),
      );
    }),
  );
  await store.rememberTags(tags, options.now);
  return { source: 'registry', tags, manifests };
}

function indexChildDigests(indexes: readonly IndexNode[], tags: Readonly<Record<string, TagState | null>>, push: PushNode): string[] {
  const platform = formatPlatform(push.platform);
  return indexes
    .filter((i) => i.children.some((c) => c.push === push.id))
    .flatMap((i) => tags[indexRef(i)]?.children?.filter((c) => c.platform === platform).map((c) => c.digest) ?? []);
}

function pushRefs(node: PushNode): string[] {
  return node.refs.map((r) => formatImageRef(node.target, r.repository, r.tag));
}

function indexRef(node: IndexNode): string {
  return formatImageRef(node.target, node.repository, node.indexTag);
}
