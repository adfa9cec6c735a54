/**
 * Idempotent manifest writes: each tag is HEADed before anything is sent (or was, by the caller,
 * just before): a tag that already holds this digest is left alone (no PUT at all — immutable
 * repositories reject even identical re-pushes); a tag the registry refuses to move is reported as
 * "tag X holds D1, this apply would write D2". A manifest with no tag in a repository goes in by
 * digest (HEADed first). Edge.
 */
import { formatImageRef } from '../config/registry-url.js';
import { isMultiarchError, MultiarchError } from '../errors/multiarch-error.js';
import type { ManifestDocument } from '../image/manifest.js';
import type { ContentStore } from './content-store.js';

export interface ManifestWrite {
  /** Tags moved (or created) to this digest. */
  readonly written: readonly string[];
  /** Tags that already held it. */
  readonly unchanged: readonly string[];
  /** Whether the manifest was put by digest (it gets no tag there and was not in the repository yet). */
  readonly putByDigest: boolean;
}

export async function writeManifest(
  store: ContentStore,
  repo: string,
  doc: ManifestDocument,
  tags: readonly string[],
  signal?: AbortSignal,
  /** What some tags (or the digest) held when the caller read them just before (→ digest, undefined: missing): not read again. */
  known?: ReadonlyMap<string, string | undefined>,
): Promise<ManifestWrite> {
  // The tags not read yet are HEADed side by side: independent reads.
  const heads = await Promise.all(tags.map(async (tag) => (known?.has(tag) ? known.get(tag) : (await store.headManifest(repo, tag, signal))?.digest)));
  const held = new Map(tags.map((tag, i) => [tag, heads[i]]));
  const pending = tags.filter((tag) => held.get(tag) !== doc.digest);
  // A tag's PUT stores the manifest under its digest too (registries and layouts alike): a PUT by
  // digest of its own only for a manifest that gets no tag here.
  let putByDigest = false;
  const stored = async () => (known?.has(doc.digest) ? known.get(doc.digest) === doc.digest : (await store.headManifest(repo, doc.digest, signal)) !== undefined);
  if (tags.length === 0 && !(await stored())) {
    await store.putManifest(repo, doc.digest, doc, signal);
    putByDigest = true;
  }
  await Promise.all(
    pending.map(async (tag) => {
      try {
        await store.putManifest(repo, tag, doc, signal);
      } catch (error) {
        const holds = held.get(tag);
        if (isMultiarchError(error) && error.code === 'E_TAG_IMMUTABLE' && holds) throw immutableTag(store, repo, tag, holds, doc.digest);
        throw error;
      }
    }),
  );
  return { written: pending, unchanged: tags.filter((tag) => !pending.includes(tag)), putByDigest };
}

export function immutableTag(store: Pick<ContentStore, 'host'>, repo: string, tag: string, holds: string, wants: string): MultiarchError {
  return new MultiarchError('E_TAG_IMMUTABLE', `tag ${formatImageRef(store, repo, tag)} holds ${holds}, this apply would write ${wants}`, {
    hint: 'the repository keeps tags immutable: publish under a new tag (bump the version), or remove the old tag in the registry if replacing it is really intended',
  });
}
