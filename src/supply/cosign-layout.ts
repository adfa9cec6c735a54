/**
 * Cosign's registry layout: a digest's signatures live under the tag `sha256-<hex>.sig` and its
 * attestations under `sha256-<hex>.att` in the same repository, each an OCI manifest whose layers
 * are the signed things (a simple-signing payload with its signature in an annotation; a DSSE
 * envelope with its predicate type in one). Pure.
 */
import type { Descriptor } from '../image/descriptor.js';
import { sha256Digest } from '../image/descriptor.js';
import type { ManifestDocument } from '../image/manifest.js';
import { MEDIA } from '../image/media-types.js';

export type Attachment = 'sig' | 'att';

export const PREDICATE_ANNOTATION = 'predicateType';

export function attachmentTag(digest: string, kind: Attachment): string {
  return `${digest.replace(':', '-')}.${kind}`;
}

/** One layer of a .sig or .att manifest, with its bytes (written as a blob when missing). */
export interface AttachedLayer extends Descriptor {
  readonly annotations: Readonly<Record<string, string>>;
  readonly bytes?: Buffer;
}

export function layerOf(mediaType: string, bytes: Buffer, annotations: Record<string, string>): AttachedLayer {
  return { mediaType, digest: sha256Digest(bytes), size: bytes.length, annotations, bytes };
}

/** The config blob cosign writes: an empty image whose diff_ids are the layers. */
export function attachmentConfig(layers: readonly Descriptor[]): Buffer {
  return Buffer.from(
    JSON.stringify({ architecture: '', config: {}, created: '0001-01-01T00:00:00Z', history: [{ created: '0001-01-01T00:00:00Z' }], os: '', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) } }),
  );
}

export function attachmentManifest(layers: readonly AttachedLayer[], config: Buffer): ManifestDocument {
  const doc = {
    schemaVersion: 2,
    mediaType: MEDIA.oci.manifest,
    config: { mediaType: MEDIA.oci.config, size: config.length, digest: sha256Digest(config) },
    layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest, annotations: l.annotations })),
  };
  const bytes = Buffer.from(JSON.stringify(doc));
  return { bytes, mediaType: MEDIA.oci.manifest, digest: sha256Digest(bytes), size: bytes.length };
}

/** The layers of a stored .sig/.att manifest (without bytes). */
export function layersOf(manifest: Buffer): AttachedLayer[] {
  try {
    const doc = JSON.parse(manifest.toString('utf8')) as { layers?: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }> };
    return (doc.layers ?? []).map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size, annotations: l.annotations ?? {} }));
  } catch {
    return [];
  }
}

/** cosign's artifact types for its OCI 1.1 referrers (`--registry-referrers-mode oci-1-1`). */
export const REFERRER_ARTIFACT_TYPE: Record<Attachment, string> = {
  sig: 'application/vnd.dev.cosign.artifact.sig.v1+json',
  att: 'application/vnd.dev.cosign.artifact.att.v1+json',
};
/** OCI 1.1's empty descriptor: an artifact manifest with no config of its own. */
export const EMPTY_CONFIG = Buffer.from('{}');

/**
 * The same layers as the `.sig`/`.att` tag manifest, as an OCI 1.1 artifact manifest whose
 * `subject` is the signed image: what a registry's referrers API lists for that digest. Its bytes
 * follow from the layers and subject alone, so a second run finds the very same digest listed.
 */
export function referrerManifest(kind: Attachment, layers: readonly AttachedLayer[], subject: Descriptor): ManifestDocument {
  const doc = {
    schemaVersion: 2,
    mediaType: MEDIA.oci.manifest,
    artifactType: REFERRER_ARTIFACT_TYPE[kind],
    config: { mediaType: 'application/vnd.oci.empty.v1+json', size: EMPTY_CONFIG.length, digest: sha256Digest(EMPTY_CONFIG) },
    layers: layers.map((l) => ({ mediaType: l.mediaType, size: l.size, digest: l.digest, annotations: l.annotations })),
    subject: { mediaType: subject.mediaType, size: subject.size, digest: subject.digest },
  };
  const bytes = Buffer.from(JSON.stringify(doc));
  return { bytes, mediaType: MEDIA.oci.manifest, digest: sha256Digest(bytes), size: bytes.length };
}
