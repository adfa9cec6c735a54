/**
 * The index an image published under an earlier tag, for images none of whose index tags exists
 * yet (a tag per commit — `sha-<hex>` — or per release): the layer cache's automatic source must
 * not be lost just because the tag moved. Candidates, nearest first: the tags the config's git rule
 * gives the first-parent ancestors of HEAD (from the shell, read only when needed), then the most
 * recently seen index in the same repository that this machine remembers (a CI runner that keeps
 * its cache directory). The first that exists in the registry and is an index wins. A wrong guess
 * costs nothing but a cache miss: BuildKit reuses a layer only when its own cache key matches.
 * Read-only. Edge.
 */
import { formatImageRef } from '../config/registry-url.js';
import type { PreviousIndex, TagState } from '../plan/incremental/types.js';
import type { IndexNode, Plan } from '../plan/nodes.js';
import { readTagState } from './read-index.js';
import type { RegistryAccess } from './registry-access.js';
import type { StateStore } from './state-store.js';

/** An earlier tag of an image and what it came from (`tag sha-1a2b3c4 of commit 1a2b3c4d5e6f`). */
export interface EarlierTag {
  readonly tag: string;
  readonly from: string;
}

export interface ReadPreviousOptions {
  readonly access: RegistryAccess;
  readonly store: StateStore;
  /** The tags the config's git rule gives HEAD's ancestors, nearest first; absent without a rule. */
  readonly earlierTags?: (image: string) => Promise<readonly EarlierTag[]>;
  readonly signal?: AbortSignal;
}

/** How many candidate tags are tried per image at most (each is one HEAD request). */
const MAX_TRIES = 12;

export async function readPrevious(plan: Plan, tags: Readonly<Record<string, TagState | null>>, options: ReadPreviousOptions): Promise<Record<string, PreviousIndex>> {
  const byImage = new Map<string, IndexNode[]>();
  for (const id of plan.order) {
    const node = plan.nodes[id]!;
    if (node.kind !== 'index' || node.target.layout) continue;
    byImage.set(node.image, [...(byImage.get(node.image) ?? []), node]);
  }
  const found = await Promise.all(
    [...byImage].map(async ([image, indexes]) => {
      // One of its tags exists: the current tag's child is the source (cache-source.ts).
      if (indexes.some((n) => tags[formatImageRef(n.target, n.repository, n.indexTag)])) return undefined;
      const previous = await firstExisting(await candidates(image, indexes, options), options);
      return previous ? ([image, previous] as const) : undefined;
    }),
  );
  return Object.fromEntries(found.filter((f) => f !== undefined));
}

interface Candidate {
  readonly index: IndexNode;
  readonly tag: string;
  readonly from: string;
}

async function candidates(image: string, indexes: readonly IndexNode[], options: ReadPreviousOptions): Promise<Candidate[]> {
  const current = new Set(indexes.map((n) => formatImageRef(n.target, n.repository, n.indexTag)));
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const add = (index: IndexNode, tag: string, from: string) => {
    const ref = formatImageRef(index.target, index.repository, tag);
    if (current.has(ref) || seen.has(ref)) return;
    seen.add(ref);
    out.push({ index, tag, from });
  };
  for (const earlier of (await options.earlierTags?.(image)) ?? []) for (const index of indexes) add(index, earlier.tag, earlier.from);
  // What this machine last saw in the same repositories, most recent first.
  const remembered = Object.entries(await options.store.tags())
    .filter(([, r]) => r.value?.children)
    .sort(([, a], [, b]) => b.at.localeCompare(a.at));
  for (const index of indexes) {
    const prefix = `${index.target.host}/${index.repository}:`;
    for (const [ref] of remembered) if (ref.startsWith(prefix)) add(index, ref.slice(prefix.length), 'last seen on this machine');
  }
  return out.slice(0, MAX_TRIES);
}

/** The first candidate whose tag holds an index, tried a few at a time (nearest first wins). */
async function firstExisting(list: readonly Candidate[], options: ReadPreviousOptions): Promise<PreviousIndex | undefined> {
  const { access, store, signal } = options;
  const probes = list.map((c) => {
    const client = access.store(c.index.target);
    return (async (): Promise<PreviousIndex | undefined> => {
      // A guess that cannot be read is no source, not a failure.
      const state = await readTagState(access, client, store, c.index.repository, c.tag, signal).catch(() => undefined);
      if (!state?.children?.length) return undefined;
      return { ref: formatImageRef(c.index.target, c.index.repository, c.tag), from: c.from, children: state.children };
    })();
  });
  for (const probe of probes) {
    const found = await probe;
    if (found) return found;
  }
  return undefined;
}
