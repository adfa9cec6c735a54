/**
 * The attestation predicates a shard made for a platform image it built (SLSA provenance from the
 * build, the SBOM from the very image it scanned), stored beside the image in the shard's OCI
 * layout: a manifest tagged `<tag>.predicates` whose layers are the predicates' JSON, each
 * annotated with its predicate type. Nothing in them is signed — a shard holds no key — nor
 * secret (args are digests already); the merge job reads them back digest-checked and signs
 * them. Edge (reads and writes through a store).
 */
import { sha256Digest } from '../image/descriptor.js';
import type { ManifestDocument } from '../image/manifest.js';
import { MEDIA } from '../image/media-types.js';
import { bufferSource } from './buffer-source.js';
import type { ContentStore } from './content-store.js';

export const PREDICATES_ARTIFACT = 'application/vnd.dev.multiarch.predicates.v1+json';
const PREDICATE_TYPE = 'predicateType';
/** OCI's empty descriptor: an artifact with no config of its own. */
const EMPTY = Buffer.from('{}');

export const predicatesTag = (tag: string) => `${tag}.predicates`;

export async function writeShardPredicates(store: ContentStore, repo: string, tag: string, predicates: ReadonlyArray<{ readonly type: string; readonly value: unknown }>, signal?: AbortSignal): Promise<void> {
  const blobs = predicates.map((p) => ({ type: p.type, bytes: Buffer.from(JSON.stringify(p.value)) }));
  // Blobs before the manifest that names them.
  for (const bytes of [EMPTY, ...blobs.map((b) => b.bytes)]) await store.putBlob(repo, bufferSource(bytes), signal ? { signal } : {});
  const doc = {
    schemaVersion: 2,
    mediaType: MEDIA.oci.manifest,
    artifactType: PREDICATES_ARTIFACT,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', size: EMPTY.length, digest: sha256Digest(EMPTY) },
    layers: blobs.map((b) => ({ mediaType: 'application/json', size: b.bytes.length, digest: sha256Digest(b.bytes), annotations: { [PREDICATE_TYPE]: b.type } })),
  };
  const bytes = Buffer.from(JSON.stringify(doc));
  const manifest: ManifestDocument = { bytes, mediaType: MEDIA.oci.manifest, digest: sha256Digest(bytes), size: bytes.length };
  await store.putManifest(repo, predicatesTag(tag), manifest, signal);
}

/** Predicate type → its blob's digest, as the layout holds them for the image tagged `tag` ({} when none). */
export async function readShardPredicates(store: ContentStore, repo: string, tag: string, signal?: AbortSignal): Promise<Record<string, string>> {
  const manifest = await store.getManifest(repo, predicatesTag(tag), signal);
  if (!manifest) return {};
  const doc = JSON.parse(manifest.bytes.toString('utf8')) as { artifactType?: string; layers?: Array<{ digest: string; annotations?: Record<string, string> }> };
  if (doc.artifactType !== PREDICATES_ARTIFACT) return {};
  const out: Record<string, string> = {};
  for (const layer of doc.layers ?? []) {
    const type = layer.annotations?.[PREDICATE_TYPE];
    if (type) out[type] = layer.digest;
  }
  return out;
}
