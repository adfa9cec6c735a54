/**
 * Where a platform image's bytes come from when it is published: the engine's export in the local
 * blob store (the first target), or the store and repository another target already holds it in
 * (fan-out: the exact manifest bytes, read back by digest, and its blobs). Edge.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { MultiarchError } from '../errors/multiarch-error.js';
import type { BlobStore } from '../image/blob-store.js';
import type { ExportedImage } from '../image/export-image.js';
import type { ManifestDocument } from '../image/manifest.js';
import type { BlobSource, ContentStore } from './content-store.js';
import type { ImageContentSource } from './publish-image.js';

/** `registry`: a registry by host, where the layers the store does not keep are read (a base's). */
export function engineExportSource(image: ExportedImage, manifest: ManifestDocument, store: BlobStore, registry: (host: string) => ContentStore): ImageContentSource {
  const blob = (digest: string, size: number): BlobSource => ({
    digest,
    size,
    open: (start, end) => (end > start ? createReadStream(store.path(digest), { start, end: end - 1 }) : Readable.from([])),
  });
  const layer = (l: ExportedImage['layers'][number]): BlobSource => {
    if (!l.from) return blob(l.digest, l.size);
    const held = registry(l.from.host);
    return { ...held.readBlob(l.from.repository, l.digest, l.size), heldBy: { store: held, repository: l.from.repository } };
  };
  return { manifest, blobs: [blob(image.config.digest, image.config.size), ...image.layers.map(layer)] };
}

interface ManifestJson {
  readonly config?: { readonly digest: string; readonly size: number };
  readonly layers?: ReadonlyArray<{ readonly digest: string; readonly size: number }>;
}

/** The image `digest` as `source` holds it in `repo`; mounts are offered when it is the same store. */
export async function storedImageSource(source: ContentStore, repo: string, digest: string, sameStore: boolean, signal?: AbortSignal): Promise<ImageContentSource> {
  const manifest = await source.getManifest(repo, digest, signal);
  if (!manifest) {
    throw new MultiarchError('E_REGISTRY', `${source.host}/${repo}@${digest} is gone; it was written earlier in this run`, {
      hint: 'something deleted it meanwhile; run apply again',
    });
  }
  const parsed = JSON.parse(manifest.bytes.toString('utf8')) as ManifestJson;
  if (!parsed.config) throw new MultiarchError('E_REGISTRY', `${source.host}/${repo}@${digest} is not an image manifest`);
  const blobs = [parsed.config, ...(parsed.layers ?? [])].map((d) => source.readBlob(repo, d.digest, d.size));
  return { manifest, blobs, ...(sameStore ? { mountFrom: [repo] } : {}) };
}
