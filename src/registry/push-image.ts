/**
 * Puts an exported image into one repository: each blob is skipped when the repository has it,
 * mounted when another repository of the same registry does, uploaded otherwise; then the
 * manifest goes in under each reference (tags, or only its digest). Edge.
 */
import { createReadStream } from 'node:fs';
import type { BlobStore } from '../image/blob-store.js';
import type { ManifestDocument } from '../image/manifest.js';
import { countBytes, createByteTracker } from './byte-progress.js';
import { rememberBlob, type RegistrySession } from './pool.js';

export interface PushIo {
  readonly signal?: AbortSignal;
  /**
   * `current`/`total` are bytes: `total` is the size of every blob, `current` what was uploaded so
   * far plus the blobs the repository already had or got by a mount (nothing to send for those).
   */
  readonly onProgress?: (message: string, current: number, total: number) => void;
}

export interface BlobPushStats {
  uploaded: number;
  mounted: number;
  skipped: number;
  bytesUploaded: number;
}

export async function pushBlobs(
  session: RegistrySession,
  repo: string,
  blobs: ReadonlyArray<{ digest: string; size: number }>,
  store: BlobStore,
  io: PushIo = {},
): Promise<BlobPushStats> {
  const stats: BlobPushStats = { uploaded: 0, mounted: 0, skipped: 0, bytesUploaded: 0 };
  const { client } = session;
  let done = 0;
  let message = '';
  const bytes = createByteTracker(
    blobs.reduce((sum, b) => sum + b.size, 0),
    (current, total) => io.onProgress?.(message, current, total),
  );
  for (const blob of blobs) {
    message = `${repo}: blob ${done + 1}/${blobs.length}`;
    bytes.startBlob();
    if (session.blobHomes.get(blob.digest)?.has(repo) || (await client.hasBlob(repo, blob.digest, io.signal))) {
      stats.skipped++;
    } else if (await tryMount(session, repo, blob.digest, io.signal)) {
      stats.mounted++;
    } else {
      const path = store.path(blob.digest);
      // A retried upload opens a fresh stream, counted from 0 again.
      await client.uploadBlob(repo, blob.digest, blob.size, () => countBytes(createReadStream(path), (sent) => bytes.progress(sent)), io.signal);
      stats.uploaded++;
      stats.bytesUploaded += blob.size;
    }
    rememberBlob(session, blob.digest, repo);
    done++;
    if (done === blobs.length) message = `${repo}: ${blobs.length} blobs`;
    bytes.finishBlob(blob.size);
  }
  return stats;
}

async function tryMount(session: RegistrySession, repo: string, digest: string, signal?: AbortSignal): Promise<boolean> {
  for (const from of session.blobHomes.get(digest) ?? []) {
    if (from !== repo && (await session.client.mountBlob(repo, digest, from, signal))) return true;
  }
  return false;
}

/** The manifest under every reference given; an empty list stores it by digest only. */
export async function pushManifest(session: RegistrySession, repo: string, references: readonly string[], doc: ManifestDocument, signal?: AbortSignal): Promise<void> {
  for (const reference of references.length > 0 ? references : [doc.digest]) {
    await session.client.putManifest(repo, reference, doc, signal);
  }
}
