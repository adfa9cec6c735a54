/**
 * Puts an exported image into one repository: each blob is skipped when the repository has it,
 * mounted when another repository of the same registry does, uploaded otherwise; then the
 * manifest goes in under each reference (tags, or only its digest). Edge.
 */
import { createReadStream } from 'node:fs';
import type { BlobStore } from '../image/blob-store.js';
import type { ManifestDocument } from '../image/manifest.js';
import { rememberBlob, type RegistrySession } from './pool.js';

export interface PushIo {
  readonly signal?: AbortSignal;
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
  for (const blob of blobs) {
    io.onProgress?.(`${repo}: blob ${done + 1}/${blobs.length}`, done, blobs.length);
    if (session.blobHomes.get(blob.digest)?.has(repo) || (await client.hasBlob(repo, blob.digest, io.signal))) {
      stats.skipped++;
    } else if (await tryMount(session, repo, blob.digest, io.signal)) {
      stats.mounted++;
    } else {
      const path = store.path(blob.digest);
      await client.uploadBlob(repo, blob.digest, blob.size, () => createReadStream(path), io.signal);
      stats.uploaded++;
      stats.bytesUploaded += blob.size;
    }
    rememberBlob(session, blob.digest, repo);
    done++;
  }
  io.onProgress?.(`${repo}: ${blobs.length} blobs`, done, blobs.length);
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
