/**
 * Puts one platform image into every repository of a target that needs it: all its blobs first
 * (a few at a time; skipped, mounted or uploaded by the store), then the manifest by digest, then
 * its tags. The first repository gets the bytes; the next ones mount from it. Edge.
 */
import type { ManifestDocument } from '../image/manifest.js';
import { countBytes, createByteReporter } from '../registry/byte-progress.js';
import type { BlobOutcome, BlobSource, ContentStore } from './content-store.js';
import { writeManifest } from './write-manifest.js';

export interface ImageContentSource {
  readonly manifest: ManifestDocument;
  /** Config and layers. */
  readonly blobs: readonly BlobSource[];
  /** Repositories of the same store that hold the blobs already (a same-registry copy's source). */
  readonly mountFrom?: readonly string[];
}

export interface PublishStats {
  uploaded: number;
  mounted: number;
  skipped: number;
  bytesUploaded: number;
  tagsWritten: number;
  tagsUnchanged: number;
}

export interface PublishIo {
  readonly signal?: AbortSignal;
  /** `current`/`total` are bytes: every blob's size per repository, and what is done or in flight. */
  readonly onProgress?: (message: string, current: number, total: number) => void;
}

/** Blobs of one image pushed at once (dockerd pushes 5 layers at once by default). */
const BLOB_CONCURRENCY = 5;

/**
 * `repositories`: repository → the tags it gets there ([] = by digest only), in writing order.
 * `held`: repository → tag → the digest it held when the caller looked just before (not read again).
 */
export async function publishImage(
  store: ContentStore,
  repositories: ReadonlyMap<string, readonly string[]>,
  image: ImageContentSource,
  io: PublishIo = {},
  held?: ReadonlyMap<string, ReadonlyMap<string, string | undefined>>,
): Promise<PublishStats> {
  const stats: PublishStats = { uploaded: 0, mounted: 0, skipped: 0, bytesUploaded: 0, tagsWritten: 0, tagsUnchanged: 0 };
  const total = image.blobs.reduce((sum, b) => sum + b.size, 0) * repositories.size;
  let message = '';
  const report = createByteReporter(total, (current, all) => io.onProgress?.(message, current, all));
  // Bytes of finished blobs, and bytes handed to uploads still under way (several go up at once).
  let done = 0;
  const inFlight = new Map<string, number>();
  const current = () => done + [...inFlight.values()].reduce((sum, n) => sum + n, 0);
  const counted = (blob: BlobSource): BlobSource => ({
    digest: blob.digest,
    size: blob.size,
    ...(blob.heldBy ? { heldBy: blob.heldBy } : {}),
    // A retried upload opens a fresh stream, counted from 0 again.
    open: (start, end, signal) =>
      countBytes(blob.open(start, end, signal), (sent) => {
        inFlight.set(blob.digest, sent);
        report(current());
      }),
  });
  const filled: string[] = [];
  message = `${repositories.keys().next().value ?? ''}: ${image.blobs.length} blobs`;
  report(0, true);
  for (const [repo, tags] of repositories) {
    const mountFrom = [...(image.mountFrom ?? []), ...filled];
    await eachLimited(image.blobs, BLOB_CONCURRENCY, async (blob) => {
      const outcome: BlobOutcome = await store.putBlob(repo, counted(blob), { mountFrom, ...(io.signal ? { signal: io.signal } : {}) });
      stats[outcome]++;
      if (outcome === 'uploaded') stats.bytesUploaded += blob.size;
      inFlight.delete(blob.digest);
      done += blob.size;
      message = `${repo}: ${outcome} ${blob.digest.slice(7, 19)}`;
      report(current(), true);
    });
    const written = await writeManifest(store, repo, image.manifest, tags, io.signal, held?.get(repo));
    stats.tagsWritten += written.written.length;
    stats.tagsUnchanged += written.unchanged.length;
    filled.push(repo);
  }
  return stats;
}

/** Runs `fn` over `items`, at most `limit` at once; the first failure wins after the rest settle. */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length && errors.length === 0) {
      const item = items[next++]!;
      await fn(item).catch((error: unknown) => errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
