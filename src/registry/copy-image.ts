/**
 * Puts a platform image that is already published somewhere into other repositories and tags,
 * without the engine: within one registry its blobs are mounted (or already there) and only the
 * manifest is written; across registries each missing blob is read from the source and uploaded.
 * Tags that already hold the digest are left alone. Edge.
 */
import type { Body, RegistryClient } from './client.js';
import { rememberBlob, type RegistrySession } from './pool.js';

export interface CopySource {
  readonly client: RegistryClient;
  readonly repository: string;
  readonly digest: string;
}

export interface CopyDestination {
  readonly session: RegistrySession;
  readonly repository: string;
  /** Tags to point at the manifest; empty: the manifest by digest only. */
  readonly tags: readonly string[];
}

export interface CopyStats {
  blobsMounted: number;
  blobsCopied: number;
  blobsPresent: number;
  manifestsWritten: number;
}

export async function copyImage(source: CopySource, destinations: readonly CopyDestination[], signal?: AbortSignal): Promise<CopyStats> {
  const manifest = await source.client.getManifest(source.repository, source.digest, signal);
  if (!manifest) throw new Error(`${source.client.host}/${source.repository}@${source.digest} is gone`);
  const parsed = JSON.parse(manifest.bytes.toString('utf8')) as { config?: { digest: string; size: number }; layers?: Array<{ digest: string; size: number }> };
  const blobs = [...(parsed.config ? [parsed.config] : []), ...(parsed.layers ?? [])];
  const stats: CopyStats = { blobsMounted: 0, blobsCopied: 0, blobsPresent: 0, manifestsWritten: 0 };
  for (const dest of destinations) {
    const { client } = dest.session;
    const sameRegistry = client.host === source.client.host;
    for (const blob of blobs) {
      if (await client.hasBlob(dest.repository, blob.digest, signal)) stats.blobsPresent++;
      else if (sameRegistry && (await client.mountBlob(dest.repository, blob.digest, source.repository, signal))) stats.blobsMounted++;
      else {
        const bytes = await source.client.getBlob(source.repository, blob.digest, signal);
        const body: Body = () => bytes;
        await client.uploadBlob(dest.repository, blob.digest, bytes.length, body, signal);
        stats.blobsCopied++;
      }
      rememberBlob(dest.session, blob.digest, dest.repository);
    }
    for (const reference of dest.tags.length > 0 ? dest.tags : [source.digest]) {
      const head = dest.tags.length > 0 ? await client.headManifest(dest.repository, reference, signal) : undefined;
      if (head?.digest === source.digest) continue;
      await client.putManifest(dest.repository, reference, manifest, signal);
      stats.manifestsWritten++;
    }
  }
  return stats;
}
